import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { conflict, forbidden, notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { CASE_COLUMNS, caseWhere, type CaseRow } from './case-query.js';
import { preparedQuery } from '../database/prepared-query.js';

/**
 * One case the actor may know exists (404 otherwise, also for another municipality's), locked for
 * the rest of the transaction when `lock` is set. With `action` beyond reading, a visible case the
 * actor may not change is a 403. With `open`, a closed case is a 409: nothing new goes into it.
 */
export async function findCase(
  manager: EntityManager,
  actor: Actor,
  caseId: string,
  options: { lock?: boolean; action?: 'update'; open?: boolean } = {},
): Promise<CaseRow> {
  const params = new SqlParams([caseId]);
  const [row] = await preparedQuery<CaseRow>(
    manager,
    `SELECT ${CASE_COLUMNS} FROM collab_case k WHERE k.id = $1 AND ${caseWhere(actor, 'read', params)}
     ${options.lock ? 'FOR UPDATE OF k' : ''}`,
    params.values,
  );
  if (!row) throw notFound('The case');
  if (options.open && row.status === 'closed') throw caseClosed();
  if (options.action) {
    const allowed = new SqlParams([caseId]);
    const [ok] = await manager.query<unknown[]>(
      `SELECT 1 FROM collab_case k WHERE k.id = $1 AND ${caseWhere(actor, options.action, allowed)}`,
      allowed.values,
    );
    if (!ok) {
      throw forbidden(
        'Only the responsible user or a coordinator of the area may change this case',
      );
    }
  }
  return row;
}

/** A closed case takes nothing new: no entries, consents, members, units, messages, notices, disclosures. */
export const caseClosed = () =>
  conflict(
    'The case is closed: nothing new is recorded in it, shared from it or said in it, and no one joins it',
    'case-closed',
  );

/**
 * Whether user `u` (of unit `un`) may know that case `caseId` exists, as the policy's case
 * access says, from the user's side: a member, a user of its owning or a participating unit, or
 * a coordinator of its area. For choosing who may be told of a case (the policy itself guards
 * each read).
 */
export const userMayKnowCaseSql = (caseId: string) => `EXISTS (
  SELECT 1 FROM collab_case kk WHERE kk.id = ${caseId} AND (
    EXISTS (SELECT 1 FROM case_member cm WHERE cm.case_id = kk.id AND cm.user_id = u.id)
    OR kk.owning_unit_id = u.unit_id
    OR EXISTS (SELECT 1 FROM case_unit cu WHERE cu.case_id = kk.id AND cu.unit_id = u.unit_id)
    OR ('coordinator' = ANY(u.roles) AND (un.area_id = kk.area_id
        OR EXISTS (SELECT 1 FROM user_area ua WHERE ua.user_id = u.id AND ua.area_id = kk.area_id)))))`;

/** Links the person of a case to the agencies of the given units, so they can see the person. */
export async function linkPersonToUnits(
  manager: EntityManager,
  personId: string,
  unitIds: string[],
): Promise<void> {
  if (unitIds.length === 0) return;
  await manager.query(
    `INSERT INTO person_agency (person_id, agency, linked_by_unit_id)
     SELECT DISTINCT ON (u.agency) $1::uuid, u.agency, u.id FROM unit u WHERE u.id = ANY($2::uuid[])
     ON CONFLICT DO NOTHING`,
    [personId, unitIds],
  );
}

/** Cached abilities list the user's cases: a membership change bumps their version. */
export async function bumpAuthzVersion(manager: EntityManager, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await manager.query(
    'UPDATE app_user SET authz_version = authz_version + 1 WHERE id = ANY($1::uuid[])',
    [userIds],
  );
}
