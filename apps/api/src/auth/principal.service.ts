import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  defineAbilityFor,
  type AppAbility,
  type PolicyContext,
  type Principal,
} from '@samverka/authz';
import type { AgencyType, Role } from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import { Batcher } from '../common/batcher.js';
import { preparedQuery } from '../database/prepared-query.js';

interface CachedPrincipal {
  version: number;
  /** When an emergency access it holds ends (ms since the epoch): it is rebuilt then. */
  validUntil: number | null;
  principal: Principal;
  context: PolicyContext;
  ability: AppAbility;
}

interface StatusRow {
  session_id: string;
  user_id: string;
  authz_version: number;
  status: string;
  revoked_at: Date | null;
  expires_at: Date;
}

const MAX_CACHED = 10_000;

const STATUS_SQL = `SELECT s.id AS session_id, s.user_id, u.authz_version, u.status, s.revoked_at,
    s.expires_at FROM auth_session s JOIN app_user u ON u.id = s.user_id`;

interface SessionKey {
  userId: string;
  sessionId: string;
}

/**
 * Turns a verified token into a principal and its ability. Abilities are cached per user and
 * rebuilt when the user's `authz_version` changes (roles, unit, clearances, …): one indexed
 * lookup per request tells whether the cache is current and the session still alive. Under load
 * the lookups of concurrent requests go to the database together, in one statement.
 */
@Injectable()
export class PrincipalService {
  private readonly cache = new Map<string, CachedPrincipal>();

  private readonly statuses = new Batcher<SessionKey, StatusRow | undefined>(
    async (keys) => {
      // One session by `=`: PostgreSQL plans `= ANY(array)` anew for each array it is given when
      // that looks cheaper than its generic plan, which it does for one or two ids.
      const rows = await preparedQuery<StatusRow>(
        this.dataSource.manager,
        keys.length === 1
          ? `${STATUS_SQL} WHERE s.id = $1`
          : `${STATUS_SQL} WHERE s.id = ANY($1::uuid[])`,
        [keys.length === 1 ? keys[0]!.sessionId : keys.map((key) => key.sessionId)],
      );
      const bySession = new Map(rows.map((row) => [row.session_id, row]));
      return keys.map(({ userId, sessionId }) => {
        const row = bySession.get(sessionId);
        return { ok: true, value: row?.user_id === userId ? row : undefined };
      });
    },
    { maxInFlight: 2, maxWeight: 256 },
  );

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `null` when the user is disabled or the session revoked or expired. */
  async resolve(userId: string, sessionId: string): Promise<CachedPrincipal | null> {
    const status = await this.statuses.submit({ userId, sessionId });
    if (
      !status ||
      status.status !== 'active' ||
      status.revoked_at ||
      status.expires_at <= new Date()
    ) {
      return null;
    }
    const cached = this.cache.get(userId);
    if (
      cached &&
      cached.version === status.authz_version &&
      (cached.validUntil === null || cached.validUntil > Date.now())
    ) {
      return cached;
    }
    const loaded = await this.load(userId);
    if (!loaded) return null;
    this.remember(userId, loaded);
    return loaded;
  }

  /** Builds the principal from the database, with the version it was built at. */
  async load(userId: string): Promise<CachedPrincipal | null> {
    const [row] = await this.dataSource.query<
      {
        id: string;
        municipality_id: string;
        unit_id: string;
        roles: Role[];
        authz_version: number;
        agency: AgencyType;
        area_id: string;
        extra_areas: string[];
        cleared: string[];
        emergency: string[];
        cleared_until: Date | null;
        member_cases: string[];
      }[]
    >(
      `SELECT u.id, u.municipality_id, u.unit_id, u.roles, u.authz_version, un.agency, un.area_id,
              COALESCE((SELECT array_agg(ua.area_id::text) FROM user_area ua WHERE ua.user_id = u.id), '{}') AS extra_areas,
              COALESCE((SELECT array_agg(pc.person_id::text) FROM person_clearance pc WHERE pc.user_id = u.id
                AND (pc.expires_at IS NULL OR pc.expires_at > now())), '{}') AS cleared,
              COALESCE((SELECT array_agg(pc.person_id::text) FROM person_clearance pc WHERE pc.user_id = u.id
                AND pc.expires_at > now()), '{}') AS emergency,
              (SELECT min(pc.expires_at) FROM person_clearance pc WHERE pc.user_id = u.id AND pc.expires_at > now()) AS cleared_until,
              COALESCE((SELECT array_agg(cm.case_id::text) FROM case_member cm WHERE cm.user_id = u.id), '{}') AS member_cases
       FROM app_user u JOIN unit un ON un.id = u.unit_id
       WHERE u.id = $1`,
      [userId],
    );
    if (!row) return null;
    const principal: Principal = {
      userId: row.id,
      municipalityId: row.municipality_id,
      unitId: row.unit_id,
      agency: row.agency,
      areaIds: [...new Set([row.area_id, ...row.extra_areas])],
      roles: row.roles,
      clearedPersonIds: row.cleared,
      emergencyPersonIds: row.emergency,
    };
    const context = { memberCaseIds: row.member_cases };
    return {
      version: row.authz_version,
      validUntil: row.cleared_until?.getTime() ?? null,
      principal,
      context,
      ability: defineAbilityFor(principal, context),
    };
  }

  private remember(userId: string, entry: CachedPrincipal): void {
    this.cache.delete(userId);
    this.cache.set(userId, entry);
    if (this.cache.size > MAX_CACHED) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
