import type { CreatePlanActionRequest } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import type { CaseRow } from '../cases/case-query.js';
import type { Actor } from '../common/actor.js';
import { fieldError } from '../common/problems.js';
import type { OutboxService } from '../outbox/outbox.service.js';

/** The case's plan, created (as a draft) the first time it is needed. Locked for the transaction. */
export async function ensurePlan(manager: EntityManager, kase: CaseRow): Promise<string> {
  await manager.query(
    `INSERT INTO case_plan (municipality_id, case_id) VALUES ($1, $2) ON CONFLICT (case_id) DO NOTHING`,
    [kase.municipality_id, kase.id],
  );
  const [plan] = await manager.query<{ id: string }[]>(
    'SELECT id FROM case_plan WHERE case_id = $1 FOR UPDATE',
    [kase.id],
  );
  return plan!.id;
}

/** Adds an action to the case's plan (an agenda item's action lands here too). */
export async function insertAction(
  manager: EntityManager,
  actor: Actor,
  kase: CaseRow,
  request: CreatePlanActionRequest,
  agendaItemId: string | null,
): Promise<string> {
  const planId = await ensurePlan(manager, kase);
  const [unit] = await manager.query<unknown[]>(
    'SELECT 1 FROM unit WHERE id = $1 AND municipality_id = $2',
    [request.responsibleUnitId, kase.municipality_id],
  );
  if (!unit) throw fieldError('responsibleUnitId', 'no such unit in your municipality');
  if (request.responsibleUserId) {
    const [user] = await manager.query<unknown[]>(
      "SELECT 1 FROM app_user WHERE id = $1 AND municipality_id = $2 AND status = 'active' AND unit_id = $3",
      [request.responsibleUserId, kase.municipality_id, request.responsibleUnitId],
    );
    if (!user)
      throw fieldError(
        'responsibleUserId',
        'the responsible user must be an active user of the responsible unit',
      );
  }
  if (request.goalId) {
    const [goal] = await manager.query<unknown[]>(
      'SELECT 1 FROM plan_goal WHERE id = $1 AND plan_id = $2',
      [request.goalId, planId],
    );
    if (!goal) throw fieldError('goalId', 'no such goal in this plan');
  }
  if (Number.isNaN(new Date(`${request.dueDate}T00:00:00Z`).getTime())) {
    throw fieldError('dueDate', 'dueDate is not a real date');
  }
  const [action] = await manager.query<{ id: string }[]>(
    `INSERT INTO plan_action (municipality_id, plan_id, case_id, goal_id, what, responsible_unit_id,
       responsible_user_id, due_date, provider, agenda_item_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      kase.municipality_id,
      planId,
      kase.id,
      request.goalId ?? null,
      request.what.trim(),
      request.responsibleUnitId,
      request.responsibleUserId ?? null,
      request.dueDate,
      request.provider ?? null,
      agendaItemId,
      actor.principal.userId,
    ],
  );
  await manager.query('UPDATE case_plan SET updated_at = now() WHERE id = $1', [planId]);
  return action!.id;
}

/** Audits a change to a plan and tells the case's members, in the change's transaction. */
export async function recordPlanChange(
  manager: EntityManager,
  services: { audit: AuditService; outbox: OutboxService },
  actor: Actor,
  kase: CaseRow,
  change: {
    action: string;
    recordType: string;
    recordId: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await services.audit.record(manager, actor, [
    {
      action: change.action,
      recordType: change.recordType,
      recordId: change.recordId,
      personId: kase.person_id,
      details: change.details,
    },
  ]);
  await services.outbox.publish(manager, [
    {
      municipalityId: kase.municipality_id,
      topic: 'case',
      aggregateId: kase.id,
      type: 'plan.changed',
      payload: { caseId: kase.id, change: change.action, recordId: change.recordId },
    },
  ]);
}
