import type { EntityManager } from 'typeorm';
import { SqlParams } from '../common/sql-params.js';

/** The period and scope of one overview. */
export interface Scope {
  municipalityId: string;
  from: string;
  to: string;
  areaId: string | null;
}

const STOCKHOLM_DAY = (column: string) => `(${column} AT TIME ZONE 'Europe/Stockholm')::date`;

/** Concern reports received in the period, per area: one pass, one index range. */
export interface ConcernCounts {
  area_id: string;
  urgent: number;
  not_urgent: number;
  prelim_within: number;
  prelim_late: number;
  inv_within: number;
  inv_extended: number;
  inv_late: number;
  inv_running: number;
  inv_running_overdue: number;
  follow_up_done: number;
  follow_up_missing: number;
  protection_n: number;
  protection_median: number | null;
  prelim_n: number;
  prelim_median: number | null;
}

function where(scope: Scope, params: SqlParams, alias: string, day: string): string {
  const parts = [
    `${alias}.municipality_id = ${params.bind(scope.municipalityId)}`,
    `${day} BETWEEN ${params.bind(scope.from)}::date AND ${params.bind(scope.to)}::date`,
  ];
  if (scope.areaId) parts.push(`${alias}.area_id = ${params.bind(scope.areaId)}`);
  return parts.join(' AND ');
}

export async function concernCounts(
  manager: EntityManager,
  scope: Scope,
  today: string,
): Promise<ConcernCounts[]> {
  const params = new SqlParams();
  const closedOn = STOCKHOLM_DAY('r.closed_at');
  const decidedOn = STOCKHOLM_DAY('r.preliminary_decided_at');
  const assessedOn = STOCKHOLM_DAY('r.protection_assessed_at');
  const opened = 'r.investigation_opened_at IS NOT NULL';
  const todayParam = params.bind(today);
  const filter = where(scope, params, 'r', 'r.received_on');
  return manager.query<ConcernCounts[]>(
    `SELECT r.area_id,
       count(*) FILTER (WHERE r.immediate_danger)::int AS urgent,
       count(*) FILTER (WHERE NOT r.immediate_danger)::int AS not_urgent,
       count(*) FILTER (WHERE ${decidedOn} <= r.preliminary_due)::int AS prelim_within,
       count(*) FILTER (WHERE ${decidedOn} > r.preliminary_due)::int AS prelim_late,
       count(*) FILTER (WHERE ${opened} AND ${closedOn} <= r.investigation_original_due)::int AS inv_within,
       count(*) FILTER (WHERE ${opened} AND ${closedOn} > r.investigation_original_due
         AND ${closedOn} <= r.investigation_due)::int AS inv_extended,
       count(*) FILTER (WHERE ${opened} AND ${closedOn} > r.investigation_due)::int AS inv_late,
       count(*) FILTER (WHERE ${opened} AND r.closed_at IS NULL
         AND r.investigation_due >= ${todayParam}::date)::int AS inv_running,
       count(*) FILTER (WHERE ${opened} AND r.closed_at IS NULL
         AND r.investigation_due < ${todayParam}::date)::int AS inv_running_overdue,
       count(*) FILTER (WHERE r.follow_up_due IS NOT NULL AND r.follow_up_started_at IS NOT NULL)::int AS follow_up_done,
       count(*) FILTER (WHERE r.follow_up_due IS NOT NULL AND r.follow_up_started_at IS NULL)::int AS follow_up_missing,
       count(r.protection_assessed_at)::int AS protection_n,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY ${assessedOn} - r.received_on) AS protection_median,
       count(r.preliminary_decided_at)::int AS prelim_n,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY ${decidedOn} - r.received_on) AS prelim_median
     FROM concern_report r WHERE ${filter}
     GROUP BY r.area_id`,
    params.values,
  );
}

/** The children of the period's reports by age band at receipt and gender. */
export async function concernDemography(
  manager: EntityManager,
  scope: Scope,
): Promise<{ band: string; gender: string; n: number }[]> {
  const params = new SqlParams();
  const filter = where(scope, params, 'r', 'r.received_on');
  return manager.query(
    `SELECT CASE
         WHEN p.birth_date IS NULL THEN 'unknown'
         WHEN age(r.received_on, p.birth_date) < interval '6 years' THEN '0-5'
         WHEN age(r.received_on, p.birth_date) < interval '12 years' THEN '6-11'
         WHEN age(r.received_on, p.birth_date) < interval '15 years' THEN '12-14'
         WHEN age(r.received_on, p.birth_date) < interval '18 years' THEN '15-17'
         ELSE '18+' END AS band,
       CASE WHEN p.gender IN ('female', 'male') THEN p.gender ELSE 'other' END AS gender,
       count(*)::int AS n
     FROM concern_report r JOIN person p ON p.id = r.person_id
     WHERE ${filter}
     GROUP BY 1, 2`,
    params.values,
  );
}

/** Cases opened in the period by area, kind and whether they are finished. */
export async function caseCounts(
  manager: EntityManager,
  scope: Scope,
): Promise<{ area_id: string; kind: string; finished: boolean; n: number }[]> {
  const params = new SqlParams();
  const filter = where(scope, params, 'k', STOCKHOLM_DAY('k.created_at'));
  return manager.query(
    `SELECT k.area_id, k.kind, k.status IN ('closed', 'escalated') AS finished, count(*)::int AS n
     FROM collab_case k WHERE ${filter}
     GROUP BY 1, 2, 3`,
    params.values,
  );
}

/**
 * Plan actions due in the period, by the agency of the responsible unit and status: done, open
 * (not done, not yet due) and overdue (not done, due date passed). Cancelled actions are left out.
 */
export async function actionCounts(
  manager: EntityManager,
  scope: Scope,
  today: string,
): Promise<{ agency: string; done: number; open: number; overdue: number }[]> {
  const params = new SqlParams();
  const filter = where(scope, params, 'k', 'a.due_date');
  const day = params.bind(today);
  return manager.query(
    `SELECT un.agency,
       count(*) FILTER (WHERE a.status = 'done')::int AS done,
       count(*) FILTER (WHERE a.status IN ('open', 'in_progress') AND a.due_date >= ${day}::date)::int AS open,
       count(*) FILTER (WHERE a.status IN ('open', 'in_progress') AND a.due_date < ${day}::date)::int AS overdue
     FROM plan_action a JOIN collab_case k ON k.id = a.case_id JOIN unit un ON un.id = a.responsible_unit_id
     WHERE ${filter} AND a.status <> 'cancelled'
     GROUP BY un.agency`,
    params.values,
  );
}

/** Goals assessed at reviews held in the period, by case kind and attainment. */
export async function goalAttainment(
  manager: EntityManager,
  scope: Scope,
): Promise<{ kind: string; attainment: string; n: number }[]> {
  const params = new SqlParams();
  const filter = where(scope, params, 'k', STOCKHOLM_DAY('r.reviewed_at'));
  return manager.query(
    `SELECT k.kind, g.value->>'attainment' AS attainment, count(*)::int AS n
     FROM plan_review r JOIN case_plan p ON p.id = r.plan_id JOIN collab_case k ON k.id = p.case_id,
          jsonb_array_elements(r.goal_attainment) AS g(value)
     WHERE ${filter}
     GROUP BY 1, 2`,
    params.values,
  );
}
