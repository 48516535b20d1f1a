import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE. Each event carries the hash of the
 * previous event of its chain over a canonical text form (see audit-hash.ts).
 */
@Entity('audit_event')
@Index('audit_event_chain_key', ['municipalityId', 'shard', 'seq'], { unique: true })
@Index('audit_event_person_idx', ['municipalityId', 'personId', 'occurredAt'])
@Index('audit_event_actor_idx', ['municipalityId', 'actorUserId', 'occurredAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Column({ type: 'smallint' }) shard!: number;
  @Column({ type: 'bigint' }) seq!: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ type: 'varchar', length: 80 }) action!: string;
  @Column('uuid', { name: 'actor_user_id', nullable: true }) actorUserId!: string | null;
  @Column('uuid', { name: 'actor_unit_id', nullable: true }) actorUnitId!: string | null;
  @Column({ name: 'record_type', type: 'varchar', length: 40, nullable: true }) recordType!:
    string | null;
  @Column({ name: 'record_id', type: 'varchar', length: 64, nullable: true }) recordId!:
    string | null;
  @Column('uuid', { name: 'person_id', nullable: true }) personId!: string | null;
  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true }) requestId!:
    string | null;
  @Column({ name: 'legal_basis', type: 'varchar', length: 200, nullable: true }) legalBasis!:
    string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) reason!: string | null;
  /** Canonical JSON (sorted keys) of extra facts; hashed as stored. */
  @Column({ type: 'text', nullable: true }) details!: string | null;
  @Column({ name: 'prev_hash', type: 'char', length: 64 }) prevHash!: string;
  @Column({ type: 'char', length: 64 }) hash!: string;
}
