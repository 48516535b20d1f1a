import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { User } from '../users/user.entity.js';
import { Person } from './person.entity.js';

/** A user explicitly cleared to see a protected person's identity (for good, or until `expiresAt`). */
@Entity('person_clearance')
export class PersonClearance {
  @PrimaryColumn('uuid', { name: 'person_id' }) personId!: string;
  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: Person;
  @Index('person_clearance_user_idx')
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;
  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
  @Column('uuid', { name: 'granted_by' }) grantedBy!: string;
  @CreateDateColumn({ name: 'granted_at', type: 'timestamptz' }) grantedAt!: Date;
  @Column({ type: 'varchar', length: 500 }) reason!: string;
  /** When an emergency access ends; null for a clearance granted for good. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
}
