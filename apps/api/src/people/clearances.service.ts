import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ClearanceResponse,
  GrantClearanceRequest,
  PageQuery,
  Page,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { pageInMemory } from '../common/pagination.js';
import { conflict, fieldError, forbidden, notFound } from '../common/problems.js';

interface ClearanceRow {
  person_id: string;
  user_id: string;
  granted_by: string;
  granted_at: Date;
  reason: string;
}

const present = (row: ClearanceRow): ClearanceResponse => ({
  personId: row.person_id,
  userId: row.user_id,
  grantedBy: row.granted_by,
  grantedAt: row.granted_at.toISOString(),
  reason: row.reason,
});

/**
 * Who is cleared to see a protected person's identity. Administrators manage the list without
 * seeing the person; each change bumps the user's authorisation version so it applies at once.
 */
@Injectable()
export class ClearancesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  list(actor: Actor, personId: string, query: PageQuery): Promise<Page<ClearanceResponse>> {
    return this.dataSource.transaction(async (manager) => {
      await this.checkPerson(manager, actor, personId);
      const rows = await manager.query<ClearanceRow[]>(
        'SELECT * FROM person_clearance WHERE person_id = $1',
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
      // its reason under the first grantor's name.
      const [row] = await manager.query<ClearanceRow[]>(
        `INSERT INTO person_clearance (person_id, user_id, granted_by, reason) VALUES ($1, $2, $3, $4)
         ON CONFLICT (person_id, user_id) DO NOTHING RETURNING *`,
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
        'DELETE FROM person_clearance WHERE person_id = $1 AND user_id = $2 RETURNING user_id',
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
