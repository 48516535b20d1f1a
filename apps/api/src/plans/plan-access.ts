import { accessibleWhere, PLAN_SQL_FIELDS } from '@samverka/authz';
import type { EntityManager } from 'typeorm';
import { findCase } from '../cases/case-access.js';
import type { CaseRow } from '../cases/case-query.js';
import type { Actor } from '../common/actor.js';
import { conflict, forbidden } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { consentsCoveringSql } from '../sharing/consent-basis.js';
import { assertSigEligible } from './sig-eligibility.js';

/** Whether the actor may read (or keep) the plan of case `k`, as SQL over `collab_case k`. */
export function planWhere(actor: Actor, action: 'read' | 'update', params: SqlParams): string {
  const tenant = `k.municipality_id = ${params.bind(actor.principal.municipalityId)}`;
  return `${tenant} AND ${accessibleWhere(actor.ability, action, 'Plan', PLAN_SQL_FIELDS, params.bind)}`;
}

/**
 * The legal basis on which the plan of case `k` (`LEFT JOIN case_plan pl`) reaches the actor, as
 * SQL text or NULL: none for the unit holding the case and the plan's keepers; for another unit,
 * the consents in force that name it or its agency (what the read rests on, for its audit event).
 */
export function planReaderBasisSql(actor: Actor, params: SqlParams): string {
  return `CASE WHEN k.owning_unit_id = ${params.bind(actor.principal.unitId)}::uuid
      OR (${planWhere(actor, 'update', params)}) THEN NULL
    ELSE ${consentsCoveringSql(actor, params, 'k.id')} END`;
}

/**
 * The case whose plan the actor keeps, locked (404 when they may not know the case, 403 when they
 * may not keep its plan). A SIG plan is kept only for an eligible young person.
 */
export async function keptCase(
  manager: EntityManager,
  actor: Actor,
  caseId: string,
): Promise<CaseRow> {
  const kase = await findCase(manager, actor, caseId, { lock: true });
  await assertKeepsPlan(manager, actor, caseId);
  if (kase.status === 'closed') throw conflict('The case is closed', 'case-closed');
  if (kase.kind === 'sig') await assertSigEligible(manager, kase);
  return kase;
}

/**
 * 403 unless the actor keeps the plan of the case (the policy's `update Plan`, which is also its
 * `create PlanAction`): the responsible user as coordinator or case holder, or a coordinator of
 * the area. Whatever changes a plan asks it, the minutes of a meeting included: running a meeting
 * is not keeping the plan of a case on its agenda.
 */
export async function assertKeepsPlan(
  manager: EntityManager,
  actor: Actor,
  caseId: string,
): Promise<void> {
  const params = new SqlParams([caseId]);
  const [ok] = await manager.query<unknown[]>(
    `SELECT 1 FROM collab_case k LEFT JOIN case_plan pl ON pl.case_id = k.id
     WHERE k.id = $1 AND ${planWhere(actor, 'update', params)}`,
    params.values,
  );
  if (!ok) throw forbidden('Only the responsible user or a coordinator of the area keeps the plan');
}
