import type { Action } from '@samverka/authz';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { CONCERN_COLUMNS, concernWhere, type ConcernRow } from './concern-query.js';

/** Roles that handle concern reports in the receiving unit (and get its reminders). */
export const HANDLER_ROLES = ['social_worker', 'case_holder'];

/**
 * One report the actor may `action` (404 otherwise: a report you may not handle, or did not file,
 * does not exist for you), locked for the rest of the transaction when `lock` is set.
 */
export async function findConcern(
  manager: EntityManager,
  actor: Actor,
  reportId: string,
  options: { action?: Action; lock?: boolean } = {},
): Promise<ConcernRow> {
  const params = new SqlParams([reportId]);
  const [row] = await manager.query<ConcernRow[]>(
    `SELECT ${CONCERN_COLUMNS} FROM concern_report r
     WHERE r.id = $1 AND ${concernWhere(actor, options.action ?? 'read', params)}
     ${options.lock ? 'FOR UPDATE OF r' : ''}`,
    params.values,
  );
  if (!row) throw notFound('The concern report');
  return row;
}

/**
 * Who is told about a report's deadlines: its handler, and the social workers and case holders of
 * the receiving unit (active accounts only), per report.
 */
export async function recipientsOf(
  manager: EntityManager,
  reportIds: string[],
): Promise<Map<string, string[]>> {
  const rows = await manager.query<{ report_id: string; user_id: string }[]>(
    `SELECT DISTINCT r.id AS report_id, u.id AS user_id
     FROM concern_report r
     JOIN app_user u ON u.status = 'active' AND u.roles && $2::varchar[]
       AND (u.id = r.handler_user_id OR u.unit_id = r.receiving_unit_id)
     WHERE r.id = ANY($1::uuid[])`,
    [reportIds, HANDLER_ROLES],
  );
  const recipients = new Map<string, string[]>();
  for (const row of rows) {
    recipients.set(row.report_id, [...(recipients.get(row.report_id) ?? []), row.user_id]);
  }
  return recipients;
}
