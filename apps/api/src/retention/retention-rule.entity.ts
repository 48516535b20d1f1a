import type { RetentionAction, RetentionRecordType } from '@samverka/contracts';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Municipality } from '../organisation/municipality.entity.js';

/** A municipality's retention period (gallring) for one kind of record, from its archive plan. */
@Entity('retention_rule')
export class RetentionRule {
  @PrimaryColumn('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @ManyToOne(() => Municipality, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;
  @PrimaryColumn({ name: 'record_type', type: 'varchar', length: 32 })
  recordType!: RetentionRecordType;
  /** ISO 8601 period (`P5Y`); PostgreSQL reads it as an interval. */
  @Column({ type: 'varchar', length: 24 }) period!: string;
  @Column({ type: 'varchar', length: 16 }) action!: RetentionAction;
  @Column('uuid', { name: 'updated_by', nullable: true }) updatedBy!: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
