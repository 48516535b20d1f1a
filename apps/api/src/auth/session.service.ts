import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SessionEnded, TokenResponse } from '@samverka/contracts';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { unauthorized } from '../common/problems.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, type AccessTokenClaims } from './access-token.js';

export interface SessionUser {
  id: string;
  municipalityId: string;
  unitId: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sessions and tokens, whatever proved the user's identity: the password authenticator calls
 * `start`, and an OpenID Connect authenticator (municipal SSO) would call the same.
 */
/** Queues `session.ended` for the sessions in `ended` (their sockets close on every replica). */
const ANNOUNCE_ENDED = `INSERT INTO outbox_event (municipality_id, topic, aggregate_id, type, payload)
  SELECT u.municipality_id, 'session', e.id, 'session.ended',
         jsonb_build_object('sessionId', e.id, 'userId', e.user_id, 'reason', $3::text)
  FROM ended e JOIN app_user u ON u.id = e.user_id`;

/** What a socket is told when its session ends. */
const socketReason = (reason: string): SessionEnded['reason'] =>
  reason === 'logout' ? 'logout' : reason.includes('disabl') ? 'disabled' : 'revoked';

@Injectable()
export class SessionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
  ) {}

  /** Opens a session for an authenticated user, inside the caller's transaction. */
  async start(
    manager: EntityManager,
    user: SessionUser,
    method: string,
    requestId: string,
  ): Promise<TokenResponse> {
    const [session] = await manager.query<{ id: string }[]>(
      `INSERT INTO auth_session (user_id, method, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING id`,
      [user.id, method, this.config.refreshTokenTtlSeconds],
    );
    const refreshToken = await this.issueRefreshToken(manager, session!.id);
    await this.audit.record(
      manager,
      {
        municipalityId: user.municipalityId,
        actorUserId: user.id,
        actorUnitId: user.unitId,
        requestId,
      },
      [{ action: 'auth.login', recordType: 'Session', recordId: session!.id, details: { method } }],
    );
    return this.tokens(user, session!.id, refreshToken);
  }

  /**
   * Rotates a refresh token. A token that was already used means it leaked (or a client replays
   * it): the whole session is revoked, and both holders must sign in again.
   */
  async refresh(refreshToken: string, requestId: string): Promise<TokenResponse> {
    type Outcome = { error: string } | { tokens: TokenResponse };
    const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome> => {
      const [row] = await manager.query<
        {
          id: string;
          used_at: Date | null;
          session_id: string;
          revoked_at: Date | null;
          expires_at: Date;
          user_id: string;
          municipality_id: string;
          unit_id: string;
          status: string;
        }[]
      >(
        `SELECT t.id, t.used_at, s.id AS session_id, s.revoked_at, s.expires_at,
                u.id AS user_id, u.municipality_id, u.unit_id, u.status
         FROM refresh_token t
         JOIN auth_session s ON s.id = t.session_id
         JOIN app_user u ON u.id = s.user_id
         WHERE t.token_hash = $1
         FOR UPDATE OF t, s`,
        [hashToken(refreshToken)],
      );
      if (!row) return { error: 'The refresh token is not valid' };
      const origin = {
        municipalityId: row.municipality_id,
        actorUserId: row.user_id,
        actorUnitId: row.unit_id,
        requestId,
      };
      if (row.revoked_at) return { error: 'The session has ended; sign in again' };
      if (row.used_at) {
        await this.revokeSession(manager, row.session_id, 'refresh_token_reuse');
        await this.audit.record(manager, origin, [
          { action: 'auth.refresh_token_reused', recordType: 'Session', recordId: row.session_id },
        ]);
        return {
          error:
            'This refresh token was already used; the session is revoked for safety. Sign in again',
        };
      }
      if (row.expires_at <= new Date() || row.status !== 'active') {
        return { error: 'The session has ended; sign in again' };
      }
      await manager.query('UPDATE refresh_token SET used_at = now() WHERE id = $1', [row.id]);
      await manager.query(
        'UPDATE auth_session SET expires_at = now() + make_interval(secs => $2) WHERE id = $1',
        [row.session_id, this.config.refreshTokenTtlSeconds],
      );
      const next = await this.issueRefreshToken(manager, row.session_id);
      const user = { id: row.user_id, municipalityId: row.municipality_id, unitId: row.unit_id };
      return { tokens: await this.tokens(user, row.session_id, next) };
    });
    if ('error' in outcome) throw unauthorized(outcome.error, 'invalid-refresh-token');
    return outcome.tokens;
  }

  /** Ends the session the refresh token belongs to; unknown tokens are ignored. */
  async logout(refreshToken: string, requestId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<
        {
          session_id: string;
          revoked_at: Date | null;
          user_id: string;
          municipality_id: string;
          unit_id: string;
        }[]
      >(
        `SELECT s.id AS session_id, s.revoked_at, u.id AS user_id, u.municipality_id, u.unit_id
         FROM refresh_token t JOIN auth_session s ON s.id = t.session_id JOIN app_user u ON u.id = s.user_id
         WHERE t.token_hash = $1 FOR UPDATE OF s`,
        [hashToken(refreshToken)],
      );
      if (!row || row.revoked_at) return;
      await this.revokeSession(manager, row.session_id, 'logout');
      await this.audit.record(
        manager,
        {
          municipalityId: row.municipality_id,
          actorUserId: row.user_id,
          actorUnitId: row.unit_id,
          requestId,
        },
        [{ action: 'auth.logout', recordType: 'Session', recordId: row.session_id }],
      );
    });
  }

  async revokeSession(manager: EntityManager, sessionId: string, reason: string): Promise<void> {
    await manager.query(
      `WITH ended AS (
         UPDATE auth_session SET revoked_at = now(), revoked_reason = $2
         WHERE id = $1 AND revoked_at IS NULL RETURNING id, user_id)
       ${ANNOUNCE_ENDED}`,
      [sessionId, reason, socketReason(reason)],
    );
  }

  /** Ends every session of a user (account disabled). */
  async revokeAllSessions(manager: EntityManager, userId: string, reason: string): Promise<void> {
    await manager.query(
      `WITH ended AS (
         UPDATE auth_session SET revoked_at = now(), revoked_reason = $2
         WHERE user_id = $1 AND revoked_at IS NULL RETURNING id, user_id)
       ${ANNOUNCE_ENDED}`,
      [userId, reason, socketReason(reason)],
    );
  }

  private async issueRefreshToken(manager: EntityManager, sessionId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await manager.query('INSERT INTO refresh_token (session_id, token_hash) VALUES ($1, $2)', [
      sessionId,
      hashToken(token),
    ]);
    return token;
  }

  private async tokens(
    user: SessionUser,
    sessionId: string,
    refreshToken: string,
  ): Promise<TokenResponse> {
    const claims: AccessTokenClaims = { sub: user.id, sid: sessionId, mun: user.municipalityId };
    const accessToken = await this.jwt.signAsync(claims, {
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      expiresIn: this.config.accessTokenTtlSeconds,
      algorithm: 'HS256',
    });
    return {
      accessToken,
      refreshToken,
      expiresIn: this.config.accessTokenTtlSeconds,
      tokenType: 'Bearer',
    };
  }
}
