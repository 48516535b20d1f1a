import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { TokenResponse } from '@samverka/contracts';
import argon2 from 'argon2';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Problem, tooManyRequests, unauthorized } from '../common/problems.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { accountKey, LoginThrottleService } from './login-throttle.service.js';
import { hashPassword } from './passwords.js';
import { SessionService } from './session.service.js';

interface LoginRow {
  id: string;
  municipality_id: string;
  unit_id: string;
  password_hash: string | null;
  status: string;
  failed_login_count: number;
  locked_until: Date | null;
}

const INVALID = 'The email address or password is wrong';

/**
 * Email and password sign-in: rate-limited per address and per account (429), accounts locked
 * after repeated failures, passwords checked with argon2id.
 */
const locked = (seconds: number) =>
  tooManyRequests(
    `The account is locked after repeated failed sign-ins; try again in ${Math.ceil(seconds / 60)} minutes or ask an administrator to unlock it`,
    seconds,
    'account-locked',
  );

@Injectable()
export class PasswordAuthenticator {
  private readonly logger = new Logger(PasswordAuthenticator.name);
  private dummyHash: Promise<string> | null = null;
  /** Per account, the end of its latest sign-in attempt in this process (`oneAtATime`). */
  private readonly attempts = new Map<string, Promise<void>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly throttle: LoginThrottleService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
  ) {}

  async login(
    email: string,
    password: string,
    address: string,
    requestId: string,
  ): Promise<TokenResponse> {
    const limits = this.config.login;
    const account = email.trim().toLowerCase();
    const byAddress = await this.throttle.hit(`address:${address}`, limits.windowSeconds);
    if (byAddress.hits > limits.maxAttemptsPerAddress) {
      throw tooManyRequests(
        `Too many sign-in attempts from this address; try again in ${Math.ceil(byAddress.retryAfterSeconds)} seconds`,
        byAddress.retryAfterSeconds,
      );
    }
    const byAccount = await this.throttle.hit(accountKey(account), limits.windowSeconds);
    if (byAccount.hits > limits.maxAttemptsPerAccount) {
      throw tooManyRequests(
        `Too many sign-in attempts for this account; try again in ${Math.ceil(byAccount.retryAfterSeconds)} seconds`,
        byAccount.retryAfterSeconds,
      );
    }

    return this.oneAtATime(account, () => this.check(account, password, requestId));
  }

  /**
   * Runs the sign-ins of one account one after another (in this process): each reads the
   * account's failures and lock as the one before left them. Attempts sent at once would
   * otherwise each pass the lock check before any failure was counted, and more passwords be
   * tried than the lockout allows.
   */
  private async oneAtATime<T>(account: string, work: () => Promise<T>): Promise<T> {
    const before = this.attempts.get(account) ?? Promise.resolve();
    const run = before.then(work);
    const done = run.then(
      () => undefined,
      () => undefined,
    );
    this.attempts.set(account, done);
    try {
      return await run;
    } finally {
      if (this.attempts.get(account) === done) this.attempts.delete(account);
    }
  }

  private async check(
    account: string,
    password: string,
    requestId: string,
  ): Promise<TokenResponse> {
    const limits = this.config.login;
    const [user] = await this.dataSource.query<LoginRow[]>(
      `SELECT id, municipality_id, unit_id, password_hash, status, failed_login_count, locked_until
       FROM app_user WHERE email = $1`,
      [account],
    );
    if (!user || !user.password_hash) {
      // Same work as a real check, so timing does not tell which accounts exist; and the same
      // lockout after as many failures, so that a lockout does not tell it either.
      await argon2.verify(await this.dummy(), password).catch(() => false);
      const { lockoutThreshold, lockoutMinutes } = limits;
      const phantom = await this.throttle.hit(`unknown:${account}`, lockoutMinutes * 60);
      if (phantom.hits > lockoutThreshold) throw locked(phantom.retryAfterSeconds);
      throw unauthorized(INVALID, 'invalid-credentials');
    }
    const origin = {
      municipalityId: user.municipality_id,
      actorUserId: user.id,
      actorUnitId: user.unit_id,
      requestId,
    };
    if (user.locked_until && user.locked_until > new Date()) {
      await this.recordLocked(user, user.locked_until, origin);
      throw locked((user.locked_until.getTime() - Date.now()) / 1000);
    }
    const valid = await argon2.verify(user.password_hash, password).catch(() => false);
    if (!valid) {
      await this.recordFailure(user, origin);
      throw unauthorized(INVALID, 'invalid-credentials');
    }
    if (user.status !== 'active') {
      // The right password for a disabled account: someone who left, or whose account was
      // taken away, still tries it. Audited as a failed sign-in that says why; it does not
      // count towards a lockout (the password was right).
      await this.dataSource.transaction((manager) =>
        this.audit.record(manager, origin, [
          {
            action: 'auth.login_failed',
            recordType: 'User',
            recordId: user.id,
            reason: 'account-disabled',
          },
        ]),
      );
      throw new Problem(
        HttpStatus.FORBIDDEN,
        'account-disabled',
        'Forbidden',
        'This account is disabled; contact your administrator',
      );
    }
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        'UPDATE app_user SET failed_login_count = 0, locked_until = NULL, last_login_at = now() WHERE id = $1',
        [user.id],
      );
      return this.sessions.start(
        manager,
        { id: user.id, municipalityId: user.municipality_id, unitId: user.unit_id },
        'password',
        requestId,
      );
    });
  }

  private async recordFailure(
    user: LoginRow,
    origin: { municipalityId: string; actorUserId: string; actorUnitId: string; requestId: string },
  ): Promise<void> {
    const { lockoutThreshold, lockoutMinutes } = this.config.login;
    await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<[{ locked_until: Date | null }[], number]>(
        `UPDATE app_user SET
           failed_login_count = CASE WHEN failed_login_count + 1 >= $2 THEN 0 ELSE failed_login_count + 1 END,
           locked_until = CASE WHEN failed_login_count + 1 >= $2
                               THEN now() + make_interval(mins => $3) ELSE locked_until END
         WHERE id = $1 RETURNING locked_until`,
        [user.id, lockoutThreshold, lockoutMinutes],
      );
      const lockedNow = row[0]?.locked_until && row[0].locked_until > new Date();
      await this.audit.record(manager, origin, [
        {
          action: 'auth.login_failed',
          recordType: 'User',
          recordId: user.id,
          reason: 'invalid-credentials',
        },
        ...(lockedNow
          ? [{ action: 'auth.account_locked', recordType: 'User', recordId: user.id }]
          : []),
      ]);
      if (lockedNow)
        this.logger.warn(`Account ${user.id} locked after ${lockoutThreshold} failed sign-ins`);
    });
  }

  /**
   * A sign-in refused because the account is locked: audited as a failed sign-in (`locked`),
   * once per account and lockout. A flood of attempts on a locked account would otherwise write
   * an event each; the first says that someone went on trying, and the lock's own event
   * (`auth.account_locked`) when it began. The once is a counter keyed by the lock's end, which
   * lives as long as the lock: a new lock (after it ran out, or after an administrator unlocked
   * the account) has another end, so its first refused attempt is audited too.
   */
  private async recordLocked(
    user: LoginRow,
    lockedUntil: Date,
    origin: { municipalityId: string; actorUserId: string; actorUnitId: string; requestId: string },
  ): Promise<void> {
    const seconds = Math.max(1, (lockedUntil.getTime() - Date.now()) / 1000);
    const attempt = await this.throttle.hit(
      `locked:${user.id}:${lockedUntil.toISOString()}`,
      seconds,
    );
    if (attempt.hits > 1) return;
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, origin, [
        { action: 'auth.login_failed', recordType: 'User', recordId: user.id, reason: 'locked' },
      ]),
    );
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword('not-a-real-password-just-for-timing');
    return this.dummyHash;
  }
}
