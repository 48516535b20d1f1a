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

/**
 * One sign-in: the family of rotating refresh tokens it issues. Access tokens name it (`sid`), so
 * revoking the session (logout, token reuse, a disabled account) ends them at once.
 */
@Entity('auth_session')
export class AuthSession {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index('auth_session_user_idx')
  @Column('uuid', { name: 'user_id' })
  userId!: string;
  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
  /** How the user proved who they are: `password` now, `oidc` when municipal SSO is added. */
  @Column({ type: 'varchar', length: 32 }) method!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ name: 'revoked_reason', type: 'varchar', length: 64, nullable: true })
  revokedReason!: string | null;
}
