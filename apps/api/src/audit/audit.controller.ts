import { Controller, Get, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AuditEventResponse,
  AuditQuery,
  AuditVerifyResponse,
  type Page,
} from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { decodeCursor, pageSize, toPage } from '../common/pagination.js';
import { SqlParams } from '../common/sql-params.js';
import { AuditService } from './audit.service.js';
import type { AuditEventRow } from './audit-hash.js';
import { verifyAuditChains } from './audit-verifier.js';

type AuditRow = Omit<
  AuditEventRow,
  'municipality_id' | 'shard' | 'seq' | 'details' | 'prev_hash' | 'hash'
> & {
  actor_name: string | null;
  delivered_to: string[] | null;
  details: Record<string, unknown> | null;
};

/** Loggkontroll: who accessed what, for auditors. Reading the trail is itself audited. */

/**
 * The actions whose reason justifies an access or a sharing, which is what an auditor reviews
 * (a clearance, an emergency access, a disclosure, an account disabled, a retention run), or says why a sign-in was
 * refused (wrong password, or the right one for a disabled account). Other reasons are the case's
 * own content (why a case or a report was closed, why a consent was withdrawn, why a meeting was
 * cancelled): kept in the trail, not shown to auditors, who review who accessed what, never the
 * content.
 */
const REASONS_SHOWN = new Set([
  'person.clearance_grant',
  'person.emergency_access',
  'entry.disclose',
  'user.disable',
  'user.enable',
  'auth.login_failed',
  'retention.deleted',
  'retention.anonymised',
]);

/**
 * The actions whose details an auditor reads (`details` in the trail): administrative actions
 * whose details hold ids, role names, codes, settings and counts, and nothing a user typed about
 * a person: whom an administrator cleared for a protected person (or no longer), which roles an
 * account had before and after, which settings changed from what to what, who joined or left a
 * case and with which unit, what the retention rules were and what a run removed, which legal
 * basis was added, and what a read of the trail filtered on (ids and an action: an auditor's
 * look through a colleague's activity leaves a trace). Every other action's details stay in the
 * trail only: a case's, a plan's, a meeting's or a concern report's changes carry their text, and
 * a consent's or an age exception's carry a young person's data.
 */
const DETAILS_SHOWN = [
  'person.clearance_grant',
  'person.named_in_refused_text',
  'person.named_in_text',
  'person.clearance_revoke',
  'person.emergency_access',
  'user.create',
  'user.roles_change',
  'municipality.settings_update',
  'calendar_feed.revoke',
  'case.member_add',
  'case.member_remove',
  'case.unit_add',
  'case.unit_remove',
  'case.legal_hold.lifted',
  'retention.rule.set',
  'retention.rule.removed',
  'retention.deleted',
  'retention.anonymised',
  'risk_factor_items.replace',
  'auth.login',
  'audit.verify',
  'audit.read',
  'legal_basis.create',
];

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Policy('list', 'AuditEvent')
  @ApiQueryFrom(AuditQuery)
  @ApiPage(AuditEventResponse, 'The trail, newest first: filter by person, actor or action')
  async list(
    @Query() query: AuditQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<AuditEventResponse>> {
    const limit = pageSize(query.limit);
    const after = decodeCursor(query.cursor, ['time', 'uuid']);
    const params = new SqlParams([actor.principal.municipalityId]);
    const where = ['e.municipality_id = $1'];
    if (query.personId) where.push(`e.person_id = ${params.bind(query.personId)}`);
    if (query.actorUserId) where.push(`e.actor_user_id = ${params.bind(query.actorUserId)}`);
    if (query.action) where.push(`e.action = ${params.bind(query.action)}`);
    if (after)
      where.push(
        `(e.occurred_at, e.id) < (${params.bind(after[0])}::timestamptz, ${params.bind(after[1])}::uuid)`,
      );
    const shown = params.bind(DETAILS_SHOWN);
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<AuditRow[]>(
        `SELECT e.id, e.occurred_at, e.action, e.actor_user_id, u.display_name AS actor_name, e.actor_unit_id,
                e.record_type, e.record_id, e.person_id, e.request_id, e.legal_basis, e.reason,
                CASE WHEN e.action IN ('message.create', 'notice.create') THEN e.details::jsonb -> 'deliveredTo' END AS delivered_to,
                CASE WHEN e.action IN (SELECT unnest(${shown}::text[])) THEN e.details::jsonb END AS details
         FROM audit_event e LEFT JOIN app_user u ON u.id = e.actor_user_id
         WHERE ${where.join(' AND ')}
         ORDER BY e.occurred_at DESC, e.id DESC LIMIT ${limit + 1}`,
        params.values,
      );
      await this.audit.record(manager, actor, [
        {
          action: 'audit.read',
          recordType: 'AuditEvent',
          personId: query.personId ?? null,
          details: {
            actorUserId: query.actorUserId,
            action: query.action,
            returned: Math.min(rows.length, limit),
          },
        },
      ]);
      return toPage(
        rows,
        limit,
        (row) => ({
          id: row.id,
          occurredAt: row.occurred_at.toISOString(),
          action: row.action,
          actorUserId: row.actor_user_id,
          actorName: row.actor_name,
          actorUnitId: row.actor_unit_id,
          recordType: row.record_type,
          recordId: row.record_id,
          personId: row.person_id,
          requestId: row.request_id,
          legalBasis: row.legal_basis,
          reason: REASONS_SHOWN.has(row.action) ? row.reason : null,
          recipientUserIds: row.delivered_to,
          details: row.details,
        }),
        (row) => [row.occurred_at.toISOString(), row.id],
      );
    });
  }

  @Get('verify')
  @Policy('verify', 'AuditEvent')
  @ApiOkResponse({
    type: AuditVerifyResponse,
    description: 'The first broken link of the municipality’s chains, if any',
  })
  async verify(@CurrentActor() actor: Actor): Promise<AuditVerifyResponse> {
    const result = await verifyAuditChains(this.dataSource, actor.principal.municipalityId);
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, actor, [{ action: 'audit.verify', details: { ok: result.ok } }]),
    );
    return result;
  }
}
