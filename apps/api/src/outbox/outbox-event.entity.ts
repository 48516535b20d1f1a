import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Domain events written in the same transaction as the change (e.g. a consent revoked); the
 * realtime hub relays them to the sockets of the people concerned.
 */
@Entity('outbox_event')
@Index('outbox_event_created_idx', ['createdAt'])
@Index('outbox_event_pending_idx', ['id'], { where: 'dispatched_at IS NULL' })
export class OutboxEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  /** What the event is about, e.g. `case`. */
  @Column({ type: 'varchar', length: 40 }) topic!: string;
  @Column('uuid', { name: 'aggregate_id' }) aggregateId!: string;
  @Column({ type: 'varchar', length: 80 }) type!: string;
  @Column({ type: 'jsonb' }) payload!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  /** When the relay handed it to the sockets (null: waiting). */
  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;
}
