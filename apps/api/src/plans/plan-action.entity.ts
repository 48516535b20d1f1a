import type { ActionStatus, Provider } from '@samverka/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Case } from '../cases/case.entity.js';
import { Unit } from '../organisation/unit.entity.js';
import { User } from '../users/user.entity.js';
import { Plan, PlanGoal } from './plan.entity.js';

/** Who commits to do what by when. */
@Entity('plan_action')
@Index('plan_action_plan_idx', ['planId', 'dueDate'])
@Index('plan_action_owner_idx', ['responsibleUserId', 'status', 'dueDate'])
export class PlanAction {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Column('uuid', { name: 'plan_id' }) planId!: string;
  @ManyToOne(() => Plan, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plan_id' })
  plan?: Plan;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Column('uuid', { name: 'goal_id', nullable: true }) goalId!: string | null;
  @ManyToOne(() => PlanGoal, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'goal_id' })
  goal?: PlanGoal;
  @Column({ type: 'text' }) what!: string;
  @Column('uuid', { name: 'responsible_unit_id' }) responsibleUnitId!: string;
  @ManyToOne(() => Unit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'responsible_unit_id' })
  responsibleUnit?: Unit;
  @Column('uuid', { name: 'responsible_user_id', nullable: true }) responsibleUserId!:
    string | null;
  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'responsible_user_id' })
  responsibleUser?: User;
  @Column({ name: 'due_date', type: 'date' }) dueDate!: string;
  @Column({ type: 'varchar', length: 16, default: 'open' }) status!: ActionStatus;
  @Column({ type: 'varchar', length: 16, nullable: true }) provider!: Provider | null;
  @Column('uuid', { name: 'agenda_item_id', nullable: true }) agendaItemId!: string | null;
  @Column('uuid', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
