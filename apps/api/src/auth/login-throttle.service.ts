import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** The counter of sign-in attempts for one account, by the address as the user types it. */
export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;

export interface ThrottleState {
  hits: number;
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters in PostgreSQL, so every replica counts the same attempts. One upsert per
 * key and attempt.
 */
@Injectable()
export class LoginThrottleService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async hit(key: string, windowSeconds: number): Promise<ThrottleState> {
    const [row] = await this.dataSource.query<{ hits: number; retry_after: number }[]>(
      `INSERT INTO login_throttle (key, hits, window_ends_at)
       VALUES ($1, 1, now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN login_throttle.window_ends_at <= now() THEN 1 ELSE login_throttle.hits + 1 END,
         window_ends_at = CASE WHEN login_throttle.window_ends_at <= now()
                               THEN EXCLUDED.window_ends_at ELSE login_throttle.window_ends_at END
       RETURNING hits, EXTRACT(EPOCH FROM (window_ends_at - now()))::float AS retry_after`,
      [key, windowSeconds],
    );
    return { hits: row!.hits, retryAfterSeconds: row!.retry_after };
  }

  /**
   * Forgets an account's sign-in attempts (an administrator unlocked it: the user may sign in at
   * once), in the caller's transaction. Per-address counters stay.
   */
  async resetAccount(manager: EntityManager, email: string): Promise<void> {
    await manager.query('DELETE FROM login_throttle WHERE key = $1', [accountKey(email)]);
  }
}
