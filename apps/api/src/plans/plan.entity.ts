import type { PlanStatus } from '@samverka/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Case } from '../cases/case.entity.js';
import { User } from '../users/user.entity.js';

/** The plan of a case (åtagandeplan, SIG action plan or SIP), one per case. */
@Entity('case_plan')
export class Plan {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Index('case_plan_case_key', { unique: true })
  @Column('uuid', { name: 'case_id' })
  caseId!: string;
  @OneToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Column({ type: 'varchar', length: 16, default: 'draft' }) status!: PlanStatus;
  @Column({ name: 'follow_up_date', type: 'date', nullable: true }) followUpDate!: string | null;
  @Column('uuid', { name: 'overall_responsible_user_id', nullable: true })
  overallResponsibleUserId!: string | null;
  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'overall_responsible_user_id' })
  overallResponsibleUser?: User;
  @Column({ name: 'other_measures', type: 'text', nullable: true }) otherMeasures!: string | null;
  @Column({ name: 'agreed_at', type: 'timestamptz', nullable: true }) agreedAt!: Date | null;
  @Column('uuid', { name: 'agreed_by', nullable: true }) agreedBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** A goal of a plan. */
@Entity('plan_goal')
@Index('plan_goal_plan_idx', ['planId', 'createdAt'])
export class PlanGoal {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'plan_id' }) planId!: string;
  @ManyToOne(() => Plan, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plan_id' })
  plan?: Plan;
  @Column({ type: 'text' }) text!: string;
  @Column('uuid', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** A review (follow-up) of a plan: progress and goal attainment. */
@Entity('plan_review')
@Index('plan_review_plan_idx', ['planId', 'reviewedAt'])
export class PlanReview {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'plan_id' }) planId!: string;
  @ManyToOne(() => Plan, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plan_id' })
  plan?: Plan;
  @Column({ name: 'progress_note', type: 'text' }) progressNote!: string;
  @Column({ name: 'goal_attainment', type: 'jsonb' }) goalAttainment!: {
    goalId: string;
    attainment: string;
  }[];
  @Column('uuid', { name: 'assessment_id', nullable: true }) assessmentId!: string | null;
  @Column({ name: 'next_follow_up', type: 'date', nullable: true }) nextFollowUp!: string | null;
  @Column('uuid', { name: 'reviewed_by' }) reviewedBy!: string;
  @CreateDateColumn({ name: 'reviewed_at', type: 'timestamptz' }) reviewedAt!: Date;
}
