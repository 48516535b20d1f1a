import type { ConcernStatus, DeadlineStep } from '@samverka/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { ConcernReport } from './concern-report.entity.js';

/** The history of a report's status: who moved it, when and why. */
@Entity('concern_status_change')
@Index('concern_status_change_report_idx', ['reportId', 'changedAt'])
export class ConcernStatusChange {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'report_id' }) reportId!: string;
  @ManyToOne(() => ConcernReport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report?: ConcernReport;
  @Column({ name: 'from_status', type: 'varchar', length: 40, nullable: true })
  fromStatus!: ConcernStatus | null;
  @Column({ name: 'to_status', type: 'varchar', length: 40 }) toStatus!: ConcernStatus;
  @Column({ type: 'varchar', length: 1000, nullable: true }) reason!: string | null;
  @Column('uuid', { name: 'changed_by' }) changedBy!: string;
  @CreateDateColumn({ name: 'changed_at', type: 'timestamptz' }) changedAt!: Date;
}

/** A recorded decision to extend an investigation: the new last day and why. */
@Entity('concern_extension')
@Index('concern_extension_report_idx', ['reportId', 'decidedAt'])
export class ConcernExtension {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'report_id' }) reportId!: string;
  @ManyToOne(() => ConcernReport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report?: ConcernReport;
  @Column({ name: 'previous_due', type: 'date' }) previousDue!: string;
  @Column({ name: 'new_due', type: 'date' }) newDue!: string;
  @Column({ type: 'varchar', length: 1000 }) reason!: string;
  @Column('uuid', { name: 'decided_by' }) decidedBy!: string;
  @CreateDateColumn({ name: 'decided_at', type: 'timestamptz' }) decidedAt!: Date;
}

/**
 * One reminder sent: its key makes it exactly once across replicas (a second runner's insert of
 * the same key does nothing). A new due date (an extension) is a new key.
 */
@Entity('concern_reminder')
export class ConcernReminder {
  @PrimaryColumn('uuid', { name: 'report_id' }) reportId!: string;
  @ManyToOne(() => ConcernReport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report?: ConcernReport;
  @PrimaryColumn({ type: 'varchar', length: 32 }) step!: DeadlineStep;
  @PrimaryColumn({ type: 'varchar', length: 8 }) kind!: 'before' | 'due';
  @PrimaryColumn({ name: 'due_date', type: 'date' }) dueDate!: string;
  @Column({ name: 'sent_at', type: 'timestamptz', default: () => 'now()' }) sentAt!: Date;
}
