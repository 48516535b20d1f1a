import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AgencyType, PlanActionResponse, UpdatePlanActionRequest } from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { CaseRow } from '../cases/case-query.js';
import { caseClosed } from '../cases/case-access.js';
import type { Actor } from '../common/actor.js';
import { forbidden, notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { planWhere } from './plan-access.js';
import { actionWhere, readActions } from './plan-query.js';
import {
  assertConsentInForce,
  assertNotPast,
  assertProvider,
  recordPlanChange,
} from './plan-store.js';
import { assertSigEligible } from './sig-eligibility.js';

/** Progress on one action: its owner reports status; the plan's keepers may also move the date. */
@Injectable()
export class PlanActionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  update(
    actor: Actor,
    actionId: string,
    request: UpdatePlanActionRequest,
  ): Promise<PlanActionResponse> {
    return this.dataSource.transaction(async (manager) => {
      const params = new SqlParams([actionId]);
      const [row] = await manager.query<
        (CaseRow & {
          action_owner: string | null;
          action_unit: string;
          due_date: string;
          unit_agency: AgencyType;
        })[]
      >(
        `SELECT k.id, k.municipality_id, k.kind, k.status, k.person_id, pa.responsible_user_id AS action_owner,
                pa.responsible_unit_id AS action_unit,
                pa.due_date::text AS due_date, (SELECT u.agency FROM unit u WHERE u.id = pa.responsible_unit_id) AS unit_agency
         FROM plan_action pa JOIN collab_case k ON k.id = pa.case_id
         WHERE pa.id = $1 AND ${actionWhere(actor, 'read', params)} FOR UPDATE OF pa`,
        params.values,
      );
      if (!row) throw notFound('The action');
      // The plan's keepers (the case's responsible user, the area's coordinators) change all of
      // an action, their own too; the owner who keeps nothing reports progress.
      const allowed = new SqlParams([row.id]);
      const [keeper] = await manager.query<{ keeps: boolean }[]>(
        `SELECT (${planWhere(actor, 'update', allowed)}) AS keeps
         FROM collab_case k LEFT JOIN case_plan pl ON pl.case_id = k.id WHERE k.id = $1`,
        allowed.values,
      );
      // Given to a unit without naming anyone: each of its staff owns it.
      const owner =
        row.action_owner === actor.principal.userId ||
        (row.action_owner === null && row.action_unit === actor.principal.unitId);
      if (!owner && !keeper?.keeps)
        throw forbidden('Only the action’s owner or the plan’s keepers change it');
      if ((request.dueDate !== undefined || request.provider !== undefined) && !keeper?.keeps) {
        throw forbidden('The owner reports progress; the plan’s keepers change the rest');
      }
      // An action is the plan's: kept only in an open case, and a SIG plan only while eligible.
      if (row.status === 'closed') throw caseClosed();
      if (row.kind === 'sig') await assertSigEligible(manager, row);
      // An owner's progress report too: it is told to every party of the plan.
      await assertConsentInForce(manager, row);
      assertNotPast('dueDate', request.dueDate, row.due_date);
      assertProvider(request.provider, row.unit_agency);
      await manager.query(
        `UPDATE plan_action SET status = COALESCE($2, status), due_date = COALESCE($3::date, due_date),
           provider = COALESCE($4, provider), updated_at = now()
         WHERE id = $1`,
        [actionId, request.status ?? null, request.dueDate ?? null, request.provider ?? null],
      );
      await recordPlanChange(manager, { audit: this.audit, outbox: this.outbox }, actor, row, {
        action: 'plan.action_update',
        recordType: 'PlanAction',
        recordId: actionId,
        details: { ...request },
      });
      const [action] = await readActions(
        manager,
        actor,
        (bind) => `pa.id = ${bind.bind(actionId)}`,
      );
      return action!.view;
    });
  }
}
