import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ConcernFeedbackResponse,
  ConcernQuery,
  ConcernReportResponse,
  CreateConcernRequest,
  Page,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { assertWithinBasisAge } from '../catalog/basis-age.js';
import { AuditService } from '../audit/audit.service.js';
import { linkPersonToUnits } from '../cases/case-access.js';
import type { Actor } from '../common/actor.js';
import { decodeCursor, encodeCursor, pageSize } from '../common/pagination.js';
import { fieldError, notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { preparedQuery } from '../database/prepared-query.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { personIdentifiable, personWhere } from '../people/person-query.js';
import { findConcern, recipientsOf } from './concern-access.js';
import { ConcernPresenter, feedbackOf } from './concern-presenter.js';
import { ProtectedPeople } from '../people/protected-texts.js';
import {
  CONCERN_VIEW_COLUMNS,
  concernWhere,
  DUTY_TO_REPORT_BASIS,
  type ConcernViewRow,
} from './concern-query.js';
import { dueDateFor, stockholmDate } from './deadlines.js';

/** How far in the future an observation time may lie (clock skew between devices). */
const OBSERVED_SKEW_MS = 5 * 60_000;

/**
 * Concern reports (orosanmälan): filed by anyone working with young people, received by the
 * social-services unit of the child's area. The reporter gets a receipt at once and later, on
 * request, the feedback the law allows; the handling is for the receiving unit alone.
 */
/** What a read of a report rests on: for social services, the duty to report that sent it. */
const readBasis = (actor: Actor, row: ConcernViewRow): string | undefined =>
  row.reporter_user_id === actor.principal.userId ? undefined : (row.duty_basis ?? undefined);

@Injectable()
export class ConcernsService {
  /** The municipalities' protected people: what an observation may not show a viewer. */
  private readonly protectedPeople = new ProtectedPeople();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly notifications: NotificationsService,
  ) {}

  file(actor: Actor, request: CreateConcernRequest): Promise<ConcernReportResponse> {
    const { municipalityId, userId, unitId, agency } = actor.principal;
    const receivedAt = new Date();
    if (Date.parse(request.observedAt) > receivedAt.getTime() + OBSERVED_SKEW_MS) {
      throw fieldError('observedAt', 'observedAt cannot be in the future');
    }
    return this.dataSource.transaction(async (manager) => {
      const personParams = new SqlParams([request.personId]);
      const identifiable = personIdentifiable(actor, personParams);
      const [person] = await manager.query<
        {
          birth_date: string | null;
          today: string;
          identifiable: boolean;
          duty: boolean;
        }[]
      >(
        `SELECT p.birth_date::text AS birth_date, (now() AT TIME ZONE 'Europe/Stockholm')::date::text AS today,
                ${identifiable} AS identifiable,
                EXISTS (SELECT 1 FROM legal_basis lb WHERE lb.municipality_id = p.municipality_id
                          AND lb.code = 'SoL 14:1' AND ${personParams.bind(agency)} = ANY(lb.from_agencies)) AS duty
         FROM person p WHERE p.id = $1 AND ${personWhere(actor, 'read', personParams)}`,
        personParams.values,
      );
      if (!person) throw fieldError('personId', 'no such person in the register that you can see');
      // The duty to report is about a child, observed in its lifetime. Checked only where the
      // reporter may know the birth date: for a masked child the answer would give it away, and
      // social services, who see it, judge the report.
      if (person.identifiable) {
        assertWithinBasisAge('SoL 14:1', { ...person, person_under_age: 18 });
        if (person.birth_date && stockholmDate(new Date(request.observedAt)) < person.birth_date) {
          throw fieldError('observedAt', 'observedAt is before the child was born');
        }
      }
      const [unit] = await manager.query<{ id: string }[]>(
        `SELECT u.id FROM unit u JOIN area a ON a.id = u.area_id
         WHERE a.id = $1 AND a.municipality_id = $2 AND u.agency = 'social_services'
         ORDER BY u.name LIMIT 1`,
        [request.areaId, municipalityId],
      );
      if (!unit) {
        throw fieldError('areaId', 'no such area with a social-services unit in your municipality');
      }
      const receivedOn = stockholmDate(receivedAt);
      const [created] = await manager.query<{ id: string }[]>(
        `INSERT INTO concern_report (municipality_id, area_id, receiving_unit_id, person_id, reporter_user_id,
           reporter_unit_id, reporter_agency, observation, observed_at, immediate_danger, guardians_informed,
           reporter_contact, received_at, received_on, status, deadline_step, deadline_due, preliminary_due)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'received',
           'protection_assessment', $15, $16)
         RETURNING id`,
        [
          municipalityId,
          request.areaId,
          unit.id,
          request.personId,
          userId,
          unitId,
          agency,
          request.observation,
          request.observedAt,
          request.immediateDanger,
          request.guardiansInformed,
          request.reporterContact,
          receivedAt,
          receivedOn,
          dueDateFor('protection_assessment', receivedOn),
          dueDateFor('preliminary_assessment', receivedOn),
        ],
      );
      const reportId = created!.id;
      await manager.query(
        `INSERT INTO concern_status_change (report_id, from_status, to_status, changed_by)
         VALUES ($1, NULL, 'received', $2)`,
        [reportId, userId],
      );
      // The duty to report discloses the child to social services: the unit may now see them.
      await linkPersonToUnits(manager, request.personId, [unit.id]);
      await this.audit.record(manager, actor, [
        {
          action: 'concern.create',
          recordType: 'ConcernReport',
          recordId: reportId,
          personId: request.personId,
          // The duty to report is the basis for the agencies it binds (the catalogue's SoL 14:1);
          // anyone else reports without one.
          ...(person.duty ? { legalBasis: DUTY_TO_REPORT_BASIS } : {}),
          details: { receivingUnitId: unit.id, immediateDanger: request.immediateDanger },
        },
      ]);
      const handlers = (await recipientsOf(manager, [reportId])).get(reportId) ?? [];
      const details = { receivedAt: receivedAt.toISOString(), receivingUnitId: unit.id };
      await this.notifications.notify(manager, [
        {
          municipalityId,
          userId,
          kind: 'concern.receipt',
          title: 'Kvitto: din orosanmälan har tagits emot av socialtjänsten',
          recordType: 'ConcernReport',
          recordId: reportId,
          details,
        },
        ...handlers.map((handler) => ({
          municipalityId,
          userId: handler,
          kind: 'concern.filed' as const,
          title: request.immediateDanger
            ? 'Ny orosanmälan: akut fara uppgiven, skyddsbedömning i dag'
            : 'Ny orosanmälan: skyddsbedömning i dag',
          recordType: 'ConcernReport',
          recordId: reportId,
          details: { ...details, immediateDanger: request.immediateDanger },
        })),
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId,
          topic: 'concern',
          aggregateId: reportId,
          type: 'concern.filed',
          payload: { reportId, receivingUnitId: unit.id, immediateDanger: request.immediateDanger },
        },
      ]);
      return this.readOne(manager, actor, reportId);
    });
  }

  get(actor: Actor, reportId: string): Promise<ConcernReportResponse> {
    return this.readOne(this.dataSource.manager, actor, reportId);
  }

  /** The reporter's own reports and the receiving unit's, newest first. */
  async list(actor: Actor, query: ConcernQuery): Promise<Page<ConcernReportResponse>> {
    const size = pageSize(query.limit);
    const after = decodeCursor(query.cursor, ['time', 'uuid']);
    const params = new SqlParams();
    const where = [concernWhere(actor, 'list', params)];
    if (
      query.status !== undefined ||
      query.overdue !== undefined ||
      query.handlerUserId !== undefined
    ) {
      // Filtering by the handling would reveal it: only over the reports the caller handles.
      where.push(concernWhere(actor, 'handle', params));
    }
    if (query.status) where.push(`r.status = ${params.bind(query.status)}`);
    if (query.handlerUserId) where.push(`r.handler_user_id = ${params.bind(query.handlerUserId)}`);
    if (query.overdue !== undefined) {
      const today = params.bind(stockholmDate(new Date()));
      where.push(
        query.overdue === 'true'
          ? `r.deadline_due < ${today}::date`
          : `(r.deadline_due IS NULL OR r.deadline_due >= ${today}::date)`,
      );
    }
    if (after) {
      where.push(
        `(r.received_at, r.id) < (${params.bind(after[0])}::timestamptz, ${params.bind(after[1])}::uuid)`,
      );
    }
    const manager = this.dataSource.manager;
    const rows = await preparedQuery<ConcernViewRow>(
      manager,
      `SELECT ${CONCERN_VIEW_COLUMNS} FROM concern_report r WHERE ${where.join(' AND ')}
       ORDER BY r.received_at DESC, r.id DESC LIMIT ${size + 1}`,
      params.values,
    );
    const pageRows = rows.slice(0, size);
    await this.audit.recordAccess(
      manager,
      actor,
      pageRows.map((row) => ({
        action: 'concern.list_result',
        recordType: 'ConcernReport',
        recordId: row.id,
        personId: row.person_id,
        legalBasis: readBasis(actor, row),
      })),
    );
    const hidden =
      pageRows.length > 0
        ? await this.protectedPeople.hiddenFrom(manager, actor, pageRows[0]!.protected_version)
        : [];
    const presenter = new ConcernPresenter(actor.ability, new Date(), hidden);
    const last = pageRows[pageRows.length - 1];
    return {
      items: pageRows.map((row) => presenter.present(row)),
      nextCursor:
        rows.length > size && last ? encodeCursor([last.received_at.toISOString(), last.id]) : null,
    };
  }

  /** The reporter's feedback (återkoppling); audited, as it tells of social services' decision. */
  async feedback(actor: Actor, reportId: string): Promise<ConcernFeedbackResponse> {
    const manager = this.dataSource.manager;
    const row = await findConcern(manager, actor, reportId, { action: 'feedback' });
    await this.audit.recordAccess(manager, actor, [
      {
        action: 'concern.feedback',
        recordType: 'ConcernReport',
        recordId: reportId,
        personId: row.person_id,
      },
    ]);
    return feedbackOf(row);
  }

  /** Reads one report for the actor, audited as a read of the child's data. */
  async readOne(
    manager: EntityManager,
    actor: Actor,
    reportId: string,
  ): Promise<ConcernReportResponse> {
    const params = new SqlParams([reportId]);
    const [row] = await preparedQuery<ConcernViewRow>(
      manager,
      `SELECT ${CONCERN_VIEW_COLUMNS} FROM concern_report r WHERE r.id = $1 AND ${concernWhere(actor, 'read', params)}`,
      params.values,
    );
    if (!row) throw notFound('The concern report');
    await this.audit.recordAccess(manager, actor, [
      {
        action: 'concern.read',
        recordType: 'ConcernReport',
        recordId: reportId,
        personId: row.person_id,
        legalBasis: readBasis(actor, row),
      },
    ]);
    const hidden = await this.protectedPeople.hiddenFrom(manager, actor, row.protected_version);
    return new ConcernPresenter(actor.ability, new Date(), hidden).present(row);
  }
}
