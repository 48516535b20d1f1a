import type { DataSource, EntityManager } from 'typeorm';
import { SqlParams } from '../common/sql-params.js';

/** The period and scope of one overview. */
export interface Scope {
  municipalityId: string;
  from: string;
  to: string;
  areaId: string | null;
}

/**
 * The Europe/Stockholm calendar day of an instant, for queries run by `inStockholmTime`: a cast
 * under the session's time zone costs a fraction of an explicit `AT TIME ZONE 'Europe/Stockholm'`
 * per row (that one looks the zone up every time; over 100,000 reports it was most of the query).
 */
const STOCKHOLM_DAY = (column: string) => `(${column})::date`;

/** Runs overview queries in a transaction whose session time zone is Europe/Stockholm. */
export function inStockholmTime<T>(
  dataSource: DataSource,
  run: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await manager.query("SET LOCAL TIME ZONE 'Europe/Stockholm'");
    // The group-by keys are computed (age bands, days): the planner cannot estimate them and,
    // with the default 4 MB, sorts 100,000 rows on disk instead of hashing a handful of groups.
    await manager.query("SET LOCAL work_mem = '32MB'");
    return run(manager);
  });
}

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

/** One group of the one-pass aggregate: an area and the days its two assessments took. */
interface ConcernGroup extends Omit<
  ConcernCounts,
  'protection_n' | 'protection_median' | 'prelim_n' | 'prelim_median'
> {
  protection_days: number | null;
  prelim_days: number | null;
}

const COUNTED = [
  'urgent',
  'not_urgent',
  'prelim_within',
  'prelim_late',
  'inv_within',
  'inv_extended',
  'inv_late',
  'inv_running',
  'inv_running_overdue',
  'follow_up_done',
  'follow_up_missing',
] as const;

/**
 * The lower median (as `percentile_disc(0.5)`) of a histogram: the smallest value whose
 * cumulative count reaches half. Null when there are no values.
 */
export function histogramMedian(histogram: Map<number, number>): number | null {
  const total = [...histogram.values()].reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const value of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(value)!;
    if (seen >= total / 2) return value;
  }
  return null;
}

/**
 * The counts in one hash-aggregated pass over the period's reports, grouped by area and by the
 * days each assessment took (a handful of values): the medians come from those histograms, so
 * nothing sorts the period's reports (a year of a large district is 100,000 of them).
 */
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
  const groups = await manager.query<ConcernGroup[]>(
    `SELECT r.area_id,
       ${assessedOn} - r.received_on AS protection_days,
       ${decidedOn} - r.received_on AS prelim_days,
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
       count(*) FILTER (WHERE r.follow_up_due IS NOT NULL AND r.follow_up_started_at IS NULL)::int AS follow_up_missing
     FROM concern_report r WHERE ${filter}
     GROUP BY 1, 2, 3`,
    params.values,
  );
  const byArea = new Map<
    string,
    { counts: ConcernCounts; protection: Map<number, number>; prelim: Map<number, number> }
  >();
  for (const group of groups) {
    let area = byArea.get(group.area_id);
    if (!area) {
      const counts = Object.fromEntries(COUNTED.map((key) => [key, 0])) as Record<
        (typeof COUNTED)[number],
        number
      >;
      area = {
        counts: {
          area_id: group.area_id,
          ...counts,
          protection_n: 0,
          protection_median: null,
          prelim_n: 0,
          prelim_median: null,
        },
        protection: new Map(),
        prelim: new Map(),
      };
      byArea.set(group.area_id, area);
    }
    for (const key of COUNTED) area.counts[key] += group[key];
    const size = group.urgent + group.not_urgent;
    if (group.protection_days !== null) {
      const days = group.protection_days;
      area.protection.set(days, (area.protection.get(days) ?? 0) + size);
      area.counts.protection_n += size;
    }
    if (group.prelim_days !== null) {
      const days = group.prelim_days;
      area.prelim.set(days, (area.prelim.get(days) ?? 0) + size);
      area.counts.prelim_n += size;
    }
  }
  return [...byArea.values()].map(({ counts, protection, prelim }) => ({
    ...counts,
    protection_median: histogramMedian(protection),
    prelim_median: histogramMedian(prelim),
  }));
}

/**
 * The children of the period's reports (each once) by age band at receipt and gender. "Younger than N years
 * on the day of receipt" is `birth_date > received_on - N years`: a date comparison per report.
 * (`age(received_on, birth_date) < interval 'N years'` was both slower and wrong the day before
 * some birthdays: `14 years 11 mons 30 days` compares equal to `15 years`, as intervals count a
 * month as 30 days.)
 */
export async function concernDemography(
  manager: EntityManager,
  scope: Scope,
): Promise<{ band: string; gender: string; n: number }[]> {
  const params = new SqlParams();
  const filter = where(scope, params, 'r', 'r.received_on');
  // Each child once (many reports about one child must not pass as many children), in the band
  // of their first report of the period.
  return manager.query(
    `SELECT c.band, c.gender, count(*)::int AS n FROM (
       SELECT DISTINCT ON (p.id) CASE
           WHEN p.birth_date IS NULL THEN 'unknown'
           WHEN p.birth_date > r.received_on - interval '6 years' THEN '0-5'
           WHEN p.birth_date > r.received_on - interval '12 years' THEN '6-11'
           WHEN p.birth_date > r.received_on - interval '15 years' THEN '12-14'
           WHEN p.birth_date > r.received_on - interval '18 years' THEN '15-17'
           ELSE '18+' END AS band,
         CASE WHEN p.gender IN ('female', 'male') THEN p.gender ELSE 'other' END AS gender
       FROM concern_report r JOIN person p ON p.id = r.person_id
       WHERE ${filter}
       ORDER BY p.id, r.received_on) c
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
 * Plan actions due in the period, by area, the agency of the responsible unit and status: done, open
 * (not done, not yet due) and overdue (not done, due date passed). Cancelled actions are left out.
 */
export async function actionCounts(
  manager: EntityManager,
  scope: Scope,
  today: string,
): Promise<{ area_id: string; agency: string; done: number; open: number; overdue: number }[]> {
  const params = new SqlParams();
  const filter = where(scope, params, 'k', 'a.due_date');
  const day = params.bind(today);
  return manager.query(
    `SELECT k.area_id, un.agency,
       count(*) FILTER (WHERE a.status = 'done')::int AS done,
       -- A closed case's unfinished actions are neither open nor overdue: nobody can act on them.
       count(*) FILTER (WHERE a.status IN ('open', 'in_progress') AND k.status <> 'closed' AND a.due_date >= ${day}::date)::int AS open,
       count(*) FILTER (WHERE a.status IN ('open', 'in_progress') AND k.status <> 'closed' AND a.due_date < ${day}::date)::int AS overdue
     FROM plan_action a JOIN collab_case k ON k.id = a.case_id JOIN unit un ON un.id = a.responsible_unit_id
     WHERE ${filter} AND a.status <> 'cancelled'
     GROUP BY k.area_id, un.agency`,
    params.values,
  );
}

/** Goals assessed at reviews held in the period, by area, case kind and attainment. */
export async function goalAttainment(
  manager: EntityManager,
  scope: Scope,
): Promise<{ area_id: string; kind: string; attainment: string; n: number }[]> {
  const params = new SqlParams();
  const filter = where(scope, params, 'k', STOCKHOLM_DAY('r.reviewed_at'));
  return manager.query(
    `SELECT k.area_id, k.kind, g.value->>'attainment' AS attainment, count(*)::int AS n
     FROM plan_review r JOIN case_plan p ON p.id = r.plan_id JOIN collab_case k ON k.id = p.case_id,
          jsonb_array_elements(r.goal_attainment) AS g(value)
     WHERE ${filter}
     GROUP BY 1, 2, 3`,
    params.values,
  );
}
