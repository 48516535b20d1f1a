import {
  accessibleWhere,
  PLAN_ACTION_SQL_FIELDS,
  RISK_ASSESSMENT_SQL_FIELDS,
  type Action,
} from '@samverka/authz';
import type {
  ActionStatus,
  CaseKind,
  MyActionResponse,
  PlanReviewResponse,
  Provider,
} from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { SqlParams } from '../common/sql-params.js';
import { consentsCoveringSql } from '../sharing/consent-basis.js';

/** Plan actions (`plan_action pa JOIN collab_case k`) the actor may `action`. */
export function actionWhere(actor: Actor, action: Action, params: SqlParams): string {
  const tenant = `pa.municipality_id = ${params.bind(actor.principal.municipalityId)}`;
  return `${tenant} AND ${accessibleWhere(actor.ability, action, 'PlanAction', PLAN_ACTION_SQL_FIELDS, params.bind)}`;
}

interface ActionRow {
  id: string;
  person_id: string;
  case_id: string;
  case_kind: CaseKind;
  goal_id: string | null;
  what: string;
  responsible_unit_id: string;
  responsible_unit_name: string;
  responsible_user_id: string | null;
  due_date: string;
  status: ActionStatus;
  overdue: boolean;
  provider: Provider | null;
  agenda_item_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * Plan actions the actor may read, with whether each is overdue (open or in progress, in a case
 * not closed, and due before today in Stockholm: a closed case's actions are no longer to be done).
 * Nothing else of the case: an owner outside the case sees only this.
 */
export async function readActions(
  manager: EntityManager,
  actor: Actor,
  filter: (params: SqlParams) => string,
): Promise<{ view: MyActionResponse; personId: string; basis: string | null }[]> {
  const params = new SqlParams();
  const unit = `${params.bind(actor.principal.unitId)}::uuid`;
  const rows = await manager.query<(ActionRow & { reader_basis: string | null })[]>(
    `SELECT pa.id, k.person_id, pa.case_id, k.kind AS case_kind, pa.goal_id, pa.what, pa.responsible_unit_id,
            -- A unit outside the case reads its actions on the consent that opens the case to it.
            CASE WHEN k.owning_unit_id = ${unit}
                   OR EXISTS (SELECT 1 FROM case_unit cu WHERE cu.case_id = k.id AND cu.unit_id = ${unit})
                 THEN NULL
                 ELSE ${consentsCoveringSql(actor, params, 'k.id', "'general'")} END AS reader_basis,
            u.name AS responsible_unit_name, pa.responsible_user_id, pa.due_date::text AS due_date, pa.status,
            (pa.status IN ('open', 'in_progress') AND k.status <> 'closed'
             AND pa.due_date < (now() AT TIME ZONE 'Europe/Stockholm')::date) AS overdue,
            pa.provider, pa.agenda_item_id, pa.created_at, pa.updated_at
     FROM plan_action pa JOIN collab_case k ON k.id = pa.case_id JOIN unit u ON u.id = pa.responsible_unit_id
     WHERE ${actionWhere(actor, 'read', params)} AND ${filter(params)}
     ORDER BY pa.due_date, pa.id`,
    params.values,
  );
  return rows.map((row) => ({
    personId: row.person_id,
    basis: row.reader_basis,
    view: {
      id: row.id,
      caseId: row.case_id,
      caseKind: row.case_kind,
      goalId: row.goal_id,
      what: row.what,
      responsibleUnitId: row.responsible_unit_id,
      responsibleUnitName: row.responsible_unit_name,
      responsibleUserId: row.responsible_user_id,
      dueDate: row.due_date,
      status: row.status,
      overdue: row.overdue,
      provider: row.provider,
      agendaItemId: row.agenda_item_id,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    },
  }));
}

/**
 * The reviews of plan `planId`, oldest first. A SIG review names the risk assessment it was made
 * against only to a reader who may read that assessment (the policy's `read RiskAssessment`:
 * social services, or another agency on a consent in force covering it for `social_assessment`);
 * to anyone else it is null, so that the plan tells no one of an assessment they may not see.
 */
export async function readReviews(
  manager: EntityManager,
  actor: Actor,
  planId: string,
): Promise<PlanReviewResponse[]> {
  const params = new SqlParams([planId]);
  const rows = await manager.query<
    {
      id: string;
      progress_note: string;
      goal_attainment: PlanReviewResponse['goals'];
      assessment_id: string | null;
      next_follow_up: string | null;
      reviewed_by: string;
      reviewed_at: Date;
    }[]
  >(
    `SELECT r.id, r.progress_note, r.goal_attainment, r.next_follow_up::text AS next_follow_up, r.reviewed_by,
            r.reviewed_at,
            CASE WHEN EXISTS (
              SELECT 1 FROM risk_assessment ra JOIN collab_case k ON k.id = ra.case_id
              WHERE ra.id = r.assessment_id
                AND ra.municipality_id = ${params.bind(actor.principal.municipalityId)}
                AND ${accessibleWhere(actor.ability, 'read', 'RiskAssessment', RISK_ASSESSMENT_SQL_FIELDS, params.bind)}
            ) THEN r.assessment_id END AS assessment_id
     FROM plan_review r WHERE r.plan_id = $1 ORDER BY r.reviewed_at, r.id`,
    params.values,
  );
  return rows.map((row) => ({
    id: row.id,
    progressNote: row.progress_note,
    goals: row.goal_attainment,
    assessmentId: row.assessment_id,
    nextFollowUp: row.next_follow_up,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at.toISOString(),
  }));
}
