import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The head of one audit hash chain. Each municipality has several chains (shards) so that
 * concurrent writers do not queue behind a single row lock.
 */
@Entity('audit_chain')
export class AuditChain {
  @PrimaryColumn('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @PrimaryColumn({ type: 'smallint' }) shard!: number;
  @Column({ type: 'bigint' }) seq!: string;
  @Column({ name: 'head_hash', type: 'char', length: 64 }) headHash!: string;
}
