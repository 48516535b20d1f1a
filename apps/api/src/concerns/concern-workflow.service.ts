import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CONCERN_STATUSES_NEEDING_REASON,
  concernTransitions,
  type ConcernReportResponse,
  type ExtendInvestigationRequest,
  type UpdateConcernRequest,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import { findCase } from '../cases/case-access.js';
import type { Actor } from '../common/actor.js';
import { conflict, fieldError, Problem } from '../common/problems.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { findConcern, HANDLER_ROLES } from './concern-access.js';
import type { ConcernRow } from './concern-query.js';
import { workflowChange } from './concern-workflow.js';
import { ConcernsService } from './concerns.service.js';
import { addPeriod, DEADLINE_PERIODS, stockholmDate } from './deadlines.js';

/** Case kinds a concern may lead to once consent is given. */
const LINKABLE_KINDS = ['sspf', 'sig'];

/**
 * Social services' handling of a report: moves along the workflow (409 on any other), the
 * responsible social worker, extensions of an investigation, and the case a concern led to.
 */
@Injectable()
export class ConcernWorkflowService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly concerns: ConcernsService,
  ) {}

  update(
    actor: Actor,
    reportId: string,
    request: UpdateConcernRequest,
  ): Promise<ConcernReportResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await findConcern(manager, actor, reportId, { action: 'handle', lock: true });
      const changes: Record<string, unknown> = {};
      // A reason is the reason for a move: without one it would be taken and kept nowhere.
      if (request.reason !== undefined && (request.status ?? row.status) === row.status) {
        throw fieldError('reason', 'a reason is given with a move to another status');
      }
      if (request.handlerUserId !== undefined && request.handlerUserId !== row.handler_user_id) {
        await this.checkHandler(manager, row, request.handlerUserId);
        await manager.query('UPDATE concern_report SET handler_user_id = $2 WHERE id = $1', [
          reportId,
          request.handlerUserId,
        ]);
        changes.handlerUserId = { from: row.handler_user_id, to: request.handlerUserId };
      }
      if (request.status !== undefined && request.status !== row.status) {
        const allowed = concernTransitions(row.status);
        if (!allowed.includes(request.status)) {
          throw conflict(
            `A concern report cannot go from ${row.status} to ${request.status}; allowed: ${allowed.join(', ') || 'none (the report is finished)'}`,
            'invalid-transition',
          );
        }
        if (CONCERN_STATUSES_NEEDING_REASON.includes(request.status) && !request.reason) {
          throw fieldError('reason', `moving a report to ${request.status} needs a reason`);
        }
        await this.move(manager, actor, row, request.status, request.reason ?? null);
        changes.status = { from: row.status, to: request.status };
      }
      if (Object.keys(changes).length > 0) {
        await this.record(manager, actor, row, {
          action: 'concern.update',
          reason: request.reason,
          details: changes,
        });
      }
      return this.concerns.readOne(manager, actor, reportId);
    });
  }

  /** A recorded decision to extend an investigation: a reason and a later last day. */
  extend(
    actor: Actor,
    reportId: string,
    request: ExtendInvestigationRequest,
  ): Promise<ConcernReportResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await findConcern(manager, actor, reportId, { action: 'handle', lock: true });
      if (row.status !== 'investigation' || row.investigation_due === null) {
        throw conflict(
          `Only a running investigation can be extended; this report is ${row.status}`,
          'invalid-transition',
        );
      }
      if (request.newDueDate <= row.investigation_due) {
        throw fieldError(
          'newDueDate',
          `the new last day must be after the current one (${row.investigation_due})`,
        );
      }
      // An extension is for a set time: at most one more investigation period at a time, so that
      // the limit is decided on again rather than lifted.
      const furthest = addPeriod(row.investigation_due, DEADLINE_PERIODS.investigation);
      if (request.newDueDate > furthest) {
        throw fieldError(
          'newDueDate',
          `an extension is for at most four months at a time: the new last day can be ${furthest} at the latest`,
        );
      }
      await manager.query(
        `INSERT INTO concern_extension (report_id, previous_due, new_due, reason, decided_by)
         VALUES ($1, $2, $3, $4, $5)`,
        [
          reportId,
          row.investigation_due,
          request.newDueDate,
          request.reason,
          actor.principal.userId,
        ],
      );
      await manager.query(
        `UPDATE concern_report SET investigation_due = $2, deadline_due = $2, updated_at = now()
         WHERE id = $1`,
        [reportId, request.newDueDate],
      );
      await this.record(manager, actor, row, {
        action: 'concern.extend',
        reason: request.reason,
        details: { from: row.investigation_due, to: request.newDueDate },
      });
      return this.concerns.readOne(manager, actor, reportId);
    });
  }

  /** Links the SSPF or SIG case a concern led to (same child, a case the caller can see). */
  linkCase(actor: Actor, reportId: string, caseId: string): Promise<ConcernReportResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await findConcern(manager, actor, reportId, { action: 'handle', lock: true });
      const kase = await findCase(manager, actor, caseId, { open: true }).catch(
        (error: unknown) => {
          if (error instanceof Problem && error.problemType === 'not-found') {
            throw fieldError('caseId', 'no such case that you can see');
          }
          throw error;
        },
      );
      if (kase.person_id !== row.person_id) {
        throw fieldError('caseId', 'the case is about another person than the report');
      }
      if (!LINKABLE_KINDS.includes(kase.kind)) {
        throw fieldError('caseId', 'only an SSPF or SIG case can be linked to a concern report');
      }
      if (row.case_id !== null) {
        throw conflict(
          row.case_id === caseId
            ? 'The report is already linked to this case'
            : 'The report is already linked to another case',
        );
      }
      await manager.query(
        'UPDATE concern_report SET case_id = $2, updated_at = now() WHERE id = $1',
        [reportId, caseId],
      );
      await this.record(manager, actor, row, {
        action: 'concern.link_case',
        details: { caseId, kind: kase.kind },
      });
      return this.concerns.readOne(manager, actor, reportId);
    });
  }

  private async move(
    manager: EntityManager,
    actor: Actor,
    row: ConcernRow,
    to: NonNullable<UpdateConcernRequest['status']>,
    reason: string | null,
  ): Promise<void> {
    const [state] = await manager.query<
      { preliminary_due: string; follow_up_due: string | null }[]
    >(
      `SELECT preliminary_due::text AS preliminary_due, follow_up_due::text AS follow_up_due
       FROM concern_report WHERE id = $1`,
      [row.id],
    );
    const now = new Date();
    const change = workflowChange(
      to,
      { preliminaryDue: state!.preliminary_due, followUpDue: state!.follow_up_due },
      now,
      stockholmDate(now),
    );
    const values: unknown[] = [
      row.id,
      to,
      change.deadline?.step ?? null,
      change.deadline?.due ?? null,
    ];
    const sets = Object.entries(change.set).map(([column, value]) => {
      values.push(value);
      return `${column} = $${values.length}`;
    });
    values.push(actor.principal.userId);
    // Whoever moves a report first becomes its responsible social worker, unless one is named.
    await manager.query(
      `UPDATE concern_report SET status = $2, deadline_step = $3, deadline_due = $4, ${sets.join(', ')},
         handler_user_id = COALESCE(handler_user_id, $${values.length}), updated_at = now()
       WHERE id = $1`,
      values,
    );
    await manager.query(
      `INSERT INTO concern_status_change (report_id, from_status, to_status, reason, changed_by)
       VALUES ($1, $2, $3, $4, $5)`,
      [row.id, row.status, to, reason, actor.principal.userId],
    );
  }

  private async checkHandler(
    manager: EntityManager,
    row: ConcernRow,
    userId: string,
  ): Promise<void> {
    const [ok] = await manager.query<unknown[]>(
      `SELECT 1 FROM app_user u JOIN unit n ON n.id = u.unit_id
       WHERE u.id = $1 AND u.unit_id = $2 AND u.status = 'active' AND n.agency = 'social_services'
         AND u.roles && $3::varchar[]`,
      [userId, row.receiving_unit_id, HANDLER_ROLES],
    );
    if (!ok) {
      throw fieldError(
        'handlerUserId',
        'the responsible user must be an active social worker or case holder of the receiving unit',
      );
    }
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    row: ConcernRow,
    entry: Omit<AuditEntry, 'recordType' | 'recordId' | 'personId'>,
  ): Promise<void> {
    await this.audit.record(manager, actor, [
      { ...entry, recordType: 'ConcernReport', recordId: row.id, personId: row.person_id },
    ]);
    await this.outbox.publish(manager, [
      {
        municipalityId: row.municipality_id,
        topic: 'concern',
        aggregateId: row.id,
        type: entry.action.replace('_', '.'),
        payload: { reportId: row.id, ...(entry.details ?? {}) },
      },
    ]);
  }
}
