import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  EMERGENCY_ACCESS_DEFAULT_MINUTES,
  type ClearanceResponse,
  type EmergencyAccessRequest,
  type GrantClearanceRequest,
  type PageQuery,
  type Page,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { pageInMemory } from '../common/pagination.js';
import { conflict, fieldError, forbidden, notFound } from '../common/problems.js';
import { refuseIdentityNumbers } from '../common/identifying-text.js';
import { SqlParams } from '../common/sql-params.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { personWhere } from './person-query.js';

interface ClearanceRow {
  person_id: string;
  user_id: string;
  granted_by: string;
  granted_at: Date;
  reason: string;
  expires_at: Date | null;
}

const present = (row: ClearanceRow): ClearanceResponse => ({
  personId: row.person_id,
  userId: row.user_id,
  grantedBy: row.granted_by,
  grantedAt: row.granted_at.toISOString(),
  reason: row.reason,
  expiresAt: row.expires_at?.toISOString() ?? null,
});

/** A clearance that holds now: granted for good, or an emergency access not yet ended. */
const IN_FORCE = '(expires_at IS NULL OR expires_at > now())';

/**
 * Who is cleared to see a protected person's identity. Administrators manage the list without
 * seeing the person; each change bumps the user's authorisation version so it applies at once.
 */
@Injectable()
export class ClearancesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  list(actor: Actor, personId: string, query: PageQuery): Promise<Page<ClearanceResponse>> {
    return this.dataSource.transaction(async (manager) => {
      await this.checkPerson(manager, actor, personId);
      const rows = await manager.query<ClearanceRow[]>(
        `SELECT * FROM person_clearance WHERE person_id = $1 AND ${IN_FORCE}`,
        [personId],
      );
      const page = pageInMemory(rows.map(present), query, ['time', 'uuid'], (row) => [
        row.grantedAt,
        row.userId,
      ]);
      await this.audit.record(manager, actor, [
        { action: 'person.clearance_list', recordType: 'Person', recordId: personId, personId },
      ]);
      return page;
    });
  }

  grant(
    actor: Actor,
    personId: string,
    request: GrantClearanceRequest,
  ): Promise<ClearanceResponse> {
    // The reason is shown to every administrator and in the trail: no identity number in it.
    refuseIdentityNumbers('reason', request.reason);
    return this.dataSource.transaction(async (manager) => {
      await this.checkPerson(manager, actor, personId);
      const [user] = await manager.query<{ id: string }[]>(
        'SELECT id FROM app_user WHERE id = $1 AND municipality_id = $2',
        [request.userId, actor.principal.municipalityId],
      );
      if (!user) throw fieldError('userId', 'no such user in your municipality');
      // Whoever grants clearances does not clear themselves: an administrator would otherwise
      // give themselves a protected person's identity.
      if (request.userId === actor.principal.userId) {
        throw forbidden('You cannot grant a clearance to yourself; another administrator does');
      }
      // A clearance is granted once, by whoever granted it and why: a second grant would put
      // its reason under the first grantor's name. An emergency access (ended or not) becomes
      // a clearance for good.
      const [row] = await manager.query<ClearanceRow[]>(
        `INSERT INTO person_clearance (person_id, user_id, granted_by, reason) VALUES ($1, $2, $3, $4)
         ON CONFLICT (person_id, user_id) DO UPDATE SET granted_by = EXCLUDED.granted_by,
           granted_at = now(), reason = EXCLUDED.reason, expires_at = NULL
         WHERE person_clearance.expires_at IS NOT NULL RETURNING *`,
        [personId, request.userId, actor.principal.userId, request.reason.trim()],
      );
      if (!row) {
        throw conflict('This user is already cleared for this person', 'already-cleared');
      }
      await this.bump(manager, request.userId);
      await this.audit.record(manager, actor, [
        {
          action: 'person.clearance_grant',
          recordType: 'Person',
          recordId: personId,
          personId,
          reason: request.reason.trim(),
          details: { userId: request.userId },
        },
      ]);
      return present(row);
    });
  }

  revoke(actor: Actor, personId: string, userId: string): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      await this.checkPerson(manager, actor, personId);
      const [rows] = await manager.query<[unknown[], number]>(
        `DELETE FROM person_clearance WHERE person_id = $1 AND user_id = $2 AND ${IN_FORCE} RETURNING user_id`,
        [personId, userId],
      );
      if (rows.length === 0) throw notFound('The clearance');
      await this.bump(manager, userId);
      await this.audit.record(manager, actor, [
        {
          action: 'person.clearance_revoke',
          recordType: 'Person',
          recordId: personId,
          personId,
          details: { userId },
        },
      ]);
    });
  }

  /**
   * Emergency access (nödåtkomst): a staff member who may read the person takes a clearance for
   * themselves, for `minutes`, on a reason. It is audited with its reason, and every active
   * auditor of the municipality is alerted at once (a notification, delivered live); asking again
   * renews it (audited and alerted again). The person's reads meanwhile are audited as any read.
   */
  emergencyAccess(
    actor: Actor,
    personId: string,
    request: EmergencyAccessRequest,
  ): Promise<ClearanceResponse> {
    const reason = request.reason.trim();
    refuseIdentityNumbers('reason', reason);
    const minutes = request.minutes ?? EMERGENCY_ACCESS_DEFAULT_MINUTES;
    return this.dataSource.transaction(async (manager) => {
      const readable = new SqlParams([personId]);
      const [person] = await manager.query<{ protection_level: string }[]>(
        `SELECT p.protection_level FROM person p WHERE p.id = $1 AND ${personWhere(actor, 'read', readable)}`,
        readable.values,
      );
      if (!person) throw notFound('The person');
      if (person.protection_level === 'none') {
        throw conflict(
          'This person has no protected identity: you see them in full without emergency access',
          'not-protected',
        );
      }
      const [row] = await manager.query<ClearanceRow[]>(
        `INSERT INTO person_clearance (person_id, user_id, granted_by, reason, expires_at)
         VALUES ($1, $2, $2, $3, now() + make_interval(mins => $4))
         ON CONFLICT (person_id, user_id) DO UPDATE SET granted_by = EXCLUDED.granted_by,
           granted_at = now(), reason = EXCLUDED.reason, expires_at = EXCLUDED.expires_at
         WHERE person_clearance.expires_at IS NOT NULL RETURNING *`,
        [personId, actor.principal.userId, reason, minutes],
      );
      if (!row) {
        throw conflict('You are already cleared for this person', 'already-cleared');
      }
      await this.bump(manager, actor.principal.userId);
      const expiresAt = row.expires_at!.toISOString();
      await this.audit.record(manager, actor, [
        {
          action: 'person.emergency_access',
          recordType: 'Person',
          recordId: personId,
          personId,
          reason,
          details: { minutes, expiresAt },
        },
      ]);
      const auditors = await manager.query<{ id: string }[]>(
        `SELECT id FROM app_user WHERE municipality_id = $1 AND status = 'active' AND 'auditor' = ANY(roles)`,
        [actor.principal.municipalityId],
      );
      await this.notifications.notify(
        manager,
        auditors.map((auditor) => ({
          municipalityId: actor.principal.municipalityId,
          userId: auditor.id,
          kind: 'person.emergency_access' as const,
          title: 'Nödåtkomst till en person med skyddad identitet',
          recordType: 'Person',
          recordId: personId,
          details: { userId: actor.principal.userId, unitId: actor.principal.unitId, expiresAt },
        })),
      );
      return present(row);
    });
  }

  private async checkPerson(manager: EntityManager, actor: Actor, personId: string) {
    const [person] = await manager.query<unknown[]>(
      'SELECT id FROM person WHERE id = $1 AND municipality_id = $2',
      [personId, actor.principal.municipalityId],
    );
    if (!person) throw notFound('The person');
  }

  private async bump(manager: EntityManager, userId: string) {
    await manager.query('UPDATE app_user SET authz_version = authz_version + 1 WHERE id = $1', [
      userId,
    ]);
  }
}
