import type { EntityManager } from 'typeorm';
import { conflict } from '../common/problems.js';
import type { CaseRow } from './case-query.js';

/**
 * What a case's status claims must be so: past `consent_pending` (to consented, joint decision,
 * called) there is a consent in force for the case, and a SIP is `plan_agreed` only when its plan
 * is agreed. Closing is always possible. 409 with what is missing.
 */
export async function assertStatusPrerequisites(
  manager: EntityManager,
  kase: CaseRow,
  to: string,
): Promise<void> {
  if (to === 'closed') return;
  if (kase.status === 'consent_pending') {
    const [{ in_force }] = await manager.query<[{ in_force: boolean }]>(
      'SELECT EXISTS (SELECT 1 FROM consent c WHERE c.case_id = $1 AND consent_in_force(c.id, now())) AS in_force',
      [kase.id],
    );
    if (!in_force) {
      throw conflict(
        `A ${kase.kind} case goes from consent_pending to ${to} only with a consent in force: record the consent first (no consent of this case is in force)`,
        'consent-required',
      );
    }
  }
  if (kase.kind === 'sip' && to === 'plan_agreed') {
    const [plan] = await manager.query<{ status: string }[]>(
      'SELECT status FROM case_plan WHERE case_id = $1',
      [kase.id],
    );
    if (plan?.status !== 'agreed') {
      throw conflict(
        'A SIP case is plan_agreed only once its plan is agreed: agree the plan first (PATCH the case’s plan to status agreed)',
        'plan-not-agreed',
      );
    }
  }
}
