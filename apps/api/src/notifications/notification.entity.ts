import type { NotificationKind } from '@samverka/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '../users/user.entity.js';

/** A message to one user (a receipt, a deadline reminder): ids and dates, never personal data. */
@Entity('notification')
@Index('notification_user_idx', ['userId', 'createdAt', 'id'])
export class Notification {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
  @Column({ type: 'varchar', length: 40 }) kind!: NotificationKind;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ name: 'record_type', type: 'varchar', length: 40 }) recordType!: string;
  @Column('uuid', { name: 'record_id' }) recordId!: string;
  @Column({ type: 'jsonb' }) details!: Record<string, string>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true }) readAt!: Date | null;
}
