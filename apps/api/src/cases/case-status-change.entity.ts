import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Case } from './case.entity.js';

/** The history of a case's status. */
@Entity('case_status_change')
@Index('case_status_change_case_idx', ['caseId', 'changedAt'])
export class CaseStatusChange {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Column({ name: 'from_status', type: 'varchar', length: 40, nullable: true }) fromStatus!:
    string | null;
  @Column({ name: 'to_status', type: 'varchar', length: 40 }) toStatus!: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) reason!: string | null;
  @Column('uuid', { name: 'changed_by' }) changedBy!: string;
  @CreateDateColumn({ name: 'changed_at', type: 'timestamptz' }) changedAt!: Date;
}
