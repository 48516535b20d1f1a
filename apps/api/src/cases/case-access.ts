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
  if (options.open && row.status === 'closed') {
    throw conflict(
      'The case is closed: nothing new is recorded in it and no one joins it',
      'case-closed',
    );
  }
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
