import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { defineAbilityFor } from '@samverka/authz';
import {
  allowedTransitions,
  CASE_WORKFLOWS,
  caseStatuses,
  parseIdentityNumber,
  RESPONSIBLE_ROLES,
  STAFF_ROLES,
  type CaseQuery,
  type Role,
  type CaseResponse,
  type CaseStatusChangeResponse,
  type PageQuery,
  type CreateCaseRequest,
  type Page,
  type SearchCasesRequest,
  type UpdateCaseRequest,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { decodeCursor, encodeCursor, pageInMemory, pageSize } from '../common/pagination.js';
import { conflict, fieldError, notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { nameMatches } from '../common/sql-text.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { personIdentifiable, personWhere } from '../people/person-query.js';
import { bumpAuthzVersion, caseClosed, findCase, linkPersonToUnits } from './case-access.js';
import { CASE_VIEW_COLUMNS, CasePresenter, type CaseViewRow } from './case-presenter.js';
import { caseWhere } from './case-query.js';
import { preparedQuery } from '../database/prepared-query.js';
import { assertSigEligible, sigNeedsEligibility } from '../plans/sig-eligibility.js';
import { planReaderBasisSql, planWhere } from '../plans/plan-access.js';
import { assertStatusPrerequisites, describeOpenMoves } from './case-status-rules.js';

/** Cases: opening, finding, and moving them along their workflow. */
@Injectable()
export class CasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async create(actor: Actor, request: CreateCaseRequest): Promise<CaseResponse> {
    const { municipalityId, userId, unitId } = actor.principal;
    return this.dataSource.transaction(async (manager) => {
      const personParams = new SqlParams([request.personId]);
      const [person] = await manager.query<unknown[]>(
        `SELECT 1 FROM person p WHERE p.id = $1 AND ${personWhere(actor, 'read', personParams)}`,
        personParams.values,
      );
      if (!person) throw fieldError('personId', 'no such person in the register that you can see');
      const [area] = await manager.query<unknown[]>(
        'SELECT 1 FROM area WHERE id = $1 AND municipality_id = $2',
        [request.areaId, municipalityId],
      );
      if (!area) throw fieldError('areaId', 'no such area in your municipality');
      const owningUnitId = request.owningUnitId ?? unitId;
      const unitIds = [...new Set([owningUnitId, ...(request.participatingUnitIds ?? [])])];
      await this.checkUnits(manager, municipalityId, [owningUnitId], 'owningUnitId');
      await this.checkUnits(manager, municipalityId, request.participatingUnitIds ?? []);
      const responsibleUserId = request.responsibleUserId ?? userId;
      // Left out, the creator is responsible: one whose role holds no cases is told to name one.
      if (
        request.responsibleUserId === undefined &&
        !actor.principal.roles.some((role) => RESPONSIBLE_ROLES.includes(role))
      ) {
        throw fieldError(
          'responsibleUserId',
          `your role (${actor.principal.roles.join(', ')}) does not hold cases: name a coordinator or case holder of your municipality as responsibleUserId`,
        );
      }
      await this.checkResponsible(manager, municipalityId, responsibleUserId);
      const memberIds = [...new Set([responsibleUserId, userId, ...(request.memberUserIds ?? [])])];
      const memberUnits = await this.checkUsers(manager, municipalityId, memberIds);

      const status = CASE_WORKFLOWS[request.kind].initial;
      const [created] = await manager.query<{ id: string }[]>(
        `INSERT INTO collab_case (municipality_id, kind, status, area_id, person_id, owning_unit_id, responsible_user_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          municipalityId,
          request.kind,
          status,
          request.areaId,
          request.personId,
          owningUnitId,
          responsibleUserId,
          userId,
        ],
      );
      const caseId = created!.id;
      await manager.query(
        'INSERT INTO case_unit (case_id, unit_id, added_by) SELECT $1, unnest($2::uuid[]), $3',
        [caseId, unitIds.filter((id) => id !== owningUnitId), userId],
      );
      await manager.query(
        'INSERT INTO case_member (case_id, user_id, added_by) SELECT $1, unnest($2::uuid[]), $3',
        [caseId, memberIds, userId],
      );
      await manager.query(
        'INSERT INTO case_status_change (case_id, from_status, to_status, changed_by) VALUES ($1, NULL, $2, $3)',
        [caseId, status, userId],
      );
      await linkPersonToUnits(manager, request.personId, [...unitIds, ...memberUnits]);
      await bumpAuthzVersion(manager, memberIds);
      await this.audit.record(manager, actor, [
        {
          action: 'case.create',
          recordType: 'Case',
          recordId: caseId,
          personId: request.personId,
          details: { kind: request.kind },
        },
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId,
          topic: 'case',
          aggregateId: caseId,
          type: 'case.created',
          payload: { caseId, memberIds },
        },
      ]);
      // The creator is a member now, whatever the ability cached for this request says.
      const context = { memberCaseIds: [...actor.context.memberCaseIds, caseId] };
      const viewer = { ...actor, context, ability: defineAbilityFor(actor.principal, context) };
      return this.readOne(manager, viewer, caseId);
    });
  }

  get(actor: Actor, caseId: string): Promise<CaseResponse> {
    return this.readOne(this.dataSource.manager, actor, caseId);
  }

  /**
   * The case's moves along its workflow, oldest first, to whoever may know the case; the reasons
   * recorded with them (why it closed, why a preliminary step was taken) are case content that
   * goes with the plan: only to those who read it (the others see null).
   */
  async history(
    actor: Actor,
    caseId: string,
    query: PageQuery,
  ): Promise<Page<CaseStatusChangeResponse>> {
    const manager = this.dataSource.manager;
    const kase = await findCase(manager, actor, caseId);
    const params = new SqlParams([caseId]);
    // Whether the reasons reach the actor (as the plan does), and on what basis.
    const [plan] = await manager.query<{ basis: string | null }[]>(
      `SELECT ${planReaderBasisSql(actor, params)} AS basis
       FROM collab_case k LEFT JOIN case_plan pl ON pl.case_id = k.id
       WHERE k.id = $1 AND ${planWhere(actor, 'read', params)}`,
      params.values,
    );
    const rows = await manager.query<
      {
        id: string;
        from_status: string | null;
        to_status: string;
        reason: string | null;
        changed_by: string;
        changed_at: Date;
      }[]
    >(
      `SELECT c.id, c.from_status, c.to_status, c.changed_by, c.changed_at,
              CASE WHEN $2 THEN c.reason END AS reason
       FROM case_status_change c WHERE c.case_id = $1`,
      [caseId, plan !== undefined],
    );
    const page = pageInMemory(
      rows.map((row): CaseStatusChangeResponse => ({
        id: row.id,
        fromStatus: row.from_status,
        toStatus: row.to_status,
        reason: row.reason,
        changedByUserId: row.changed_by,
        changedAt: row.changed_at.toISOString(),
      })),
      query,
      ['time', 'uuid'],
      (change) => [change.changedAt, change.id],
    );
    await this.audit.recordAccess(manager, actor, [
      {
        action: 'case.history_read',
        recordType: 'Case',
        recordId: caseId,
        personId: kase.person_id,
        legalBasis: plan?.basis ?? undefined,
      },
    ]);
    return page;
  }

  list(actor: Actor, query: CaseQuery): Promise<Page<CaseResponse>> {
    return this.page(actor, 'list', query.limit, query.cursor, (params) => {
      const where: string[] = [];
      if (query.kind) where.push(`k.kind = ${params.bind(query.kind)}`);
      if (query.status) where.push(`k.status = ${params.bind(query.status)}`);
      if (query.personId) where.push(`k.person_id = ${params.bind(query.personId)}`);
      if (query.areaId) where.push(`k.area_id = ${params.bind(query.areaId)}`);
      if (query.responsibleUserId)
        where.push(`k.responsible_user_id = ${params.bind(query.responsibleUserId)}`);
      if (query.memberUserId)
        where.push(
          `EXISTS (SELECT 1 FROM case_member cm WHERE cm.case_id = k.id AND cm.user_id = ${params.bind(query.memberUserId)})`,
        );
      return where;
    });
  }

  /** By the young person's name or identity number; protected people only for users cleared for them. */
  search(actor: Actor, request: SearchCasesRequest): Promise<Page<CaseResponse>> {
    return this.page(actor, 'search', request.limit, request.cursor, (params) => {
      const where: string[] = [];
      if (request.kind) where.push(`k.kind = ${params.bind(request.kind)}`);
      if (request.status) where.push(`k.status = ${params.bind(request.status)}`);
      if (request.query) {
        const identifiable = personIdentifiable(actor, params);
        const number = parseIdentityNumber(request.query);
        const match = number.ok
          ? `p.identity_number = ${params.bind(number.normalized)}`
          : nameMatches(request.query, params, 'query').join(' AND ');
        where.push(
          `EXISTS (SELECT 1 FROM person p WHERE p.id = k.person_id AND ${identifiable} AND ${match})`,
        );
      }
      return where;
    });
  }

  async update(actor: Actor, caseId: string, request: UpdateCaseRequest): Promise<CaseResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await findCase(manager, actor, caseId, { lock: true, action: 'update' });
      const changes: Record<string, unknown> = {};
      // A reason is the reason for a move: without one it would be taken and kept nowhere.
      if (request.reason !== undefined && request.status === undefined) {
        throw fieldError('reason', 'a reason is given with a move to another status');
      }
      if (request.status !== undefined) {
        if (!caseStatuses(row.kind).includes(request.status)) {
          throw fieldError(
            'status',
            `${request.status} is not a status of a ${row.kind} case (${caseStatuses(row.kind).join(', ')})`,
          );
        }
        const allowed = allowedTransitions(row.kind, row.status);
        // A move to the status the case already has is no move: refused as any move not allowed.
        if (!allowed.includes(request.status)) {
          throw conflict(
            `A ${row.kind} case cannot go from ${row.status} to ${request.status}; ${await describeOpenMoves(manager, row)}`,
            'invalid-transition',
          );
        }
        if (request.status === 'closed' && !request.reason) {
          throw fieldError('reason', 'closing a case needs a reason');
        }
        if (row.kind === 'sig' && sigNeedsEligibility(request.status)) {
          await assertSigEligible(manager, row);
        }
        await assertStatusPrerequisites(manager, row, request.status);
        await manager.query(
          'UPDATE collab_case SET status = $2, updated_at = now() WHERE id = $1',
          [caseId, request.status],
        );
        await manager.query(
          'INSERT INTO case_status_change (case_id, from_status, to_status, reason, changed_by) VALUES ($1, $2, $3, $4, $5)',
          [caseId, row.status, request.status, request.reason ?? null, actor.principal.userId],
        );
        changes.status = { from: row.status, to: request.status };
      }
      if (
        request.responsibleUserId !== undefined &&
        request.responsibleUserId !== row.responsible_user_id
      ) {
        // The new responsible user joins the case: a closed case takes no one new.
        if (row.status === 'closed' || request.status === 'closed') throw caseClosed();
        await this.checkResponsible(manager, row.municipality_id, request.responsibleUserId);
        const units = await this.checkUsers(manager, row.municipality_id, [
          request.responsibleUserId,
        ]);
        await manager.query(
          'UPDATE collab_case SET responsible_user_id = $2, updated_at = now() WHERE id = $1',
          [caseId, request.responsibleUserId],
        );
        await manager.query(
          'INSERT INTO case_member (case_id, user_id, added_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [caseId, request.responsibleUserId, actor.principal.userId],
        );
        await linkPersonToUnits(manager, row.person_id, units);
        await bumpAuthzVersion(manager, [request.responsibleUserId]);
        changes.responsibleUserId = {
          from: row.responsible_user_id,
          to: request.responsibleUserId,
        };
      }
      if (Object.keys(changes).length > 0) {
        await this.audit.record(manager, actor, [
          {
            action: 'case.update',
            recordType: 'Case',
            recordId: caseId,
            personId: row.person_id,
            reason: request.reason,
            details: changes,
          },
        ]);
        await this.outbox.publish(manager, [
          {
            municipalityId: row.municipality_id,
            topic: 'case',
            aggregateId: caseId,
            type: 'case.updated',
            payload: { caseId, changes },
          },
        ]);
      }
      return this.readOne(manager, actor, caseId);
    });
  }

  /** Reads one case for the actor, audited as a read of the young person's data. */
  async readOne(manager: EntityManager, actor: Actor, caseId: string): Promise<CaseResponse> {
    const params = new SqlParams([caseId]);
    const [row] = await preparedQuery<CaseViewRow>(
      manager,
      `SELECT ${CASE_VIEW_COLUMNS} FROM collab_case k WHERE k.id = $1 AND ${caseWhere(actor, 'read', params)}`,
      params.values,
    );
    if (!row) throw notFound('The case');
    await this.audit.recordAccess(manager, actor, [
      { action: 'case.read', recordType: 'Case', recordId: caseId, personId: row.person_id },
    ]);
    return new CasePresenter(actor.ability).present(row);
  }

  private async page(
    actor: Actor,
    action: 'list' | 'search',
    limit: number | undefined,
    cursor: string | undefined,
    filters: (params: SqlParams) => string[],
  ): Promise<Page<CaseResponse>> {
    const size = pageSize(limit);
    const after = decodeCursor(cursor, ['time', 'uuid']);
    const params = new SqlParams();
    const where = [caseWhere(actor, action, params), ...filters(params)];
    if (after)
      where.push(
        `(k.created_at, k.id) < (${params.bind(after[0])}::timestamptz, ${params.bind(after[1])}::uuid)`,
      );
    const manager = this.dataSource.manager;
    const rows = await preparedQuery<CaseViewRow>(
      manager,
      `SELECT ${CASE_VIEW_COLUMNS} FROM collab_case k WHERE ${where.join(' AND ')}
       ORDER BY k.created_at DESC, k.id DESC LIMIT ${size + 1}`,
      params.values,
    );
    const pageRows = rows.slice(0, size);
    await this.audit.recordAccess(
      manager,
      actor,
      pageRows.map((row) => ({
        action: `case.${action}_result`,
        recordType: 'Case',
        recordId: row.id,
        personId: row.person_id,
      })),
    );
    const presenter = new CasePresenter(actor.ability);
    const last = pageRows[pageRows.length - 1];
    return {
      items: pageRows.map((row) => presenter.present(row)),
      nextCursor:
        rows.length > size && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
    };
  }

  private async checkUnits(
    manager: EntityManager,
    municipalityId: string,
    unitIds: (string | null)[],
    field = 'participatingUnitIds',
  ): Promise<void> {
    if (unitIds.length === 0) return;
    const [{ count }] = await manager.query<[{ count: number }]>(
      'SELECT count(DISTINCT id)::int AS count FROM unit WHERE id = ANY($1::uuid[]) AND municipality_id = $2',
      [unitIds, municipalityId],
    );
    if (count !== new Set(unitIds).size || unitIds.includes(null))
      throw fieldError(
        field,
        field === 'owningUnitId'
          ? 'the owning unit must be a unit of your municipality (yours, unless you name one)'
          : 'every unit must be a unit of your municipality',
      );
  }

  private async checkResponsible(
    manager: EntityManager,
    municipalityId: string,
    userId: string,
  ): Promise<void> {
    const [user] = await manager.query<{ roles: Role[] }[]>(
      "SELECT roles FROM app_user WHERE id = $1 AND municipality_id = $2 AND status = 'active'",
      [userId, municipalityId],
    );
    if (!user || !user.roles.some((role) => RESPONSIBLE_ROLES.includes(role))) {
      throw fieldError(
        'responsibleUserId',
        'the responsible user must be an active coordinator or case holder of your municipality',
      );
    }
  }

  /**
   * The users' units; 400 (naming `field`) unless every user is an active user of the
   * municipality who works with young people: administrators and auditors are never members.
   */
  async checkUsers(
    manager: EntityManager,
    municipalityId: string,
    userIds: string[],
    field = 'memberUserIds',
  ): Promise<string[]> {
    const rows = await manager.query<{ unit_id: string; staff: boolean }[]>(
      `SELECT unit_id, roles && $3::varchar[] AS staff FROM app_user
       WHERE id = ANY($1::uuid[]) AND municipality_id = $2 AND status = 'active'`,
      [userIds, municipalityId, STAFF_ROLES],
    );
    if (rows.length !== userIds.length)
      throw fieldError(field, 'every member must be an active user of your municipality');
    if (rows.some((row) => !row.staff))
      throw fieldError(
        field,
        'administrators and auditors cannot be members of a case: only staff who work with young people',
      );
    return rows.map((row) => row.unit_id);
  }
}
