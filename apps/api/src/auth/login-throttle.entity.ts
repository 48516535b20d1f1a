import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Fixed-window login attempt counters, shared by every replica. */
@Entity('login_throttle')
export class LoginThrottle {
  /** `account:<email>` or `address:<ip>`. */
  @PrimaryColumn({ type: 'varchar', length: 300 }) key!: string;
  @Column({ type: 'integer' }) hits!: number;
  @Column({ name: 'window_ends_at', type: 'timestamptz' }) windowEndsAt!: Date;
}
