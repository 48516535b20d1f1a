import type { Role, UserStatus } from '@samverka/contracts';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Municipality } from '../organisation/municipality.entity.js';
import { Unit } from '../organisation/unit.entity.js';

/** A staff member's account; belongs to one unit of one municipality. */
@Entity('app_user')
@Check('app_user_status_check', `status IN ('active', 'disabled')`)
export class User {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index('app_user_municipality_idx')
  @Column('uuid', { name: 'municipality_id' })
  municipalityId!: string;
  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;
  @Index('app_user_unit_idx')
  @Column('uuid', { name: 'unit_id' })
  unitId!: string;
  @ManyToOne(() => Unit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id' })
  unit?: Unit;
  /** Lower case; unique across the installation (it is the login name). */
  @Index('app_user_email_key', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;
  @Column({ name: 'display_name', type: 'varchar', length: 160 }) displayName!: string;
  /** argon2id; null for users who sign in through SSO only. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash!: string | null;
  @Column({ type: 'varchar', array: true, length: 32 }) roles!: Role[];
  @Column({ type: 'varchar', length: 16, default: 'active' }) status!: UserStatus;
  @Column({ name: 'failed_login_count', type: 'integer', default: 0 }) failedLoginCount!: number;
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil!: Date | null;
  /** Bumped by every change that alters what the user may see; invalidates cached abilities. */
  @Column({ name: 'authz_version', type: 'integer', default: 1 }) authzVersion!: number;
  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true }) lastLoginAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
