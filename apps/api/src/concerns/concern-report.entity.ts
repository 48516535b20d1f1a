import type {
  AgencyType,
  ConcernStatus,
  DeadlineStep,
  GuardiansInformed,
} from '@samverka/contracts';
import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Case } from '../cases/case.entity.js';
import { Area } from '../organisation/area.entity.js';
import { Municipality } from '../organisation/municipality.entity.js';
import { Unit } from '../organisation/unit.entity.js';
import { Person } from '../people/person.entity.js';
import { User } from '../users/user.entity.js';

/**
 * A concern report (orosanmälan) about a child, sent to the social-services unit of the child's
 * area. The step timestamps and due dates are kept on the row: the deadline that runs now
 * (`deadlineStep`, `deadlineDue`) drives reminders, the rest the follow-up overview.
 */
@Entity('concern_report')
@Index('concern_report_reporter_idx', ['municipalityId', 'reporterUserId', 'receivedAt'])
@Index('concern_report_unit_idx', ['receivingUnitId', 'receivedAt'])
@Index('concern_report_received_idx', ['municipalityId', 'receivedAt'])
@Index('concern_report_deadline_idx', ['deadlineDue'], { where: 'deadline_due IS NOT NULL' })
export class ConcernReport {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;
  @Column('uuid', { name: 'area_id' }) areaId!: string;
  @ManyToOne(() => Area, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'area_id' })
  area?: Area;
  @Column('uuid', { name: 'receiving_unit_id' }) receivingUnitId!: string;
  @ManyToOne(() => Unit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'receiving_unit_id' })
  receivingUnit?: Unit;
  @Index('concern_report_person_idx')
  @Column('uuid', { name: 'person_id' })
  personId!: string;
  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Person;
  @Column('uuid', { name: 'reporter_user_id' }) reporterUserId!: string;
  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reporter_user_id' })
  reporter?: User;
  @Column('uuid', { name: 'reporter_unit_id' }) reporterUnitId!: string;
  @Column({ name: 'reporter_agency', type: 'varchar', length: 32 }) reporterAgency!: AgencyType;
  @Column({ type: 'text' }) observation!: string;
  @Column({ name: 'observed_at', type: 'timestamptz' }) observedAt!: Date;
  @Column({ name: 'immediate_danger', type: 'boolean' }) immediateDanger!: boolean;
  @Column({ name: 'guardians_informed', type: 'varchar', length: 8 })
  guardiansInformed!: GuardiansInformed;
  @Column({ name: 'reporter_contact', type: 'varchar', length: 200 }) reporterContact!: string;
  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' }) receivedAt!: Date;
  /** The Europe/Stockholm calendar date of receipt: deadlines count from it. */
  @Column({ name: 'received_on', type: 'date' }) receivedOn!: string;
  @Column({ type: 'varchar', length: 40 }) status!: ConcernStatus;
  @Column('uuid', { name: 'handler_user_id', nullable: true }) handlerUserId!: string | null;
  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'handler_user_id' })
  handler?: User;
  @Column({ name: 'deadline_step', type: 'varchar', length: 32, nullable: true })
  deadlineStep!: DeadlineStep | null;
  @Column({ name: 'deadline_due', type: 'date', nullable: true }) deadlineDue!: string | null;
  @Column({ name: 'protection_assessed_at', type: 'timestamptz', nullable: true })
  protectionAssessedAt!: Date | null;
  @Column({ name: 'preliminary_due', type: 'date' }) preliminaryDue!: string;
  @Column({ name: 'preliminary_decided_at', type: 'timestamptz', nullable: true })
  preliminaryDecidedAt!: Date | null;
  @Column({ name: 'investigation_opened_at', type: 'timestamptz', nullable: true })
  investigationOpenedAt!: Date | null;
  @Column({ name: 'investigation_due', type: 'date', nullable: true })
  investigationDue!: string | null;
  /** Before any extension: an investigation was extended when this differs from the due date. */
  @Column({ name: 'investigation_original_due', type: 'date', nullable: true })
  investigationOriginalDue!: string | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
  @Column({ name: 'follow_up_due', type: 'date', nullable: true }) followUpDue!: string | null;
  @Column({ name: 'follow_up_started_at', type: 'timestamptz', nullable: true })
  followUpStartedAt!: Date | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
  @Column('uuid', { name: 'case_id', nullable: true }) caseId!: string | null;
  @ManyToOne(() => Case, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
