import { allowedTransitions, pastConsentPending, TERMINAL_STATUSES } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import { conflict } from '../common/problems.js';
import type { CaseRow } from './case-query.js';

/**
 * What a case's status claims must be so. From `consent_pending` on, the case moves on only while a
 * consent of it is in force (SSPF, SIG and SIP work rests on consent: once every consent is revoked
 * or has expired it can only be closed, or an SSPF case escalated); a SIG case comes to its joint
 * decision only with social services and the police taking part; a SIP is `plan_agreed` only when
 * its plan is agreed. Closing is always possible. 409 with what is missing.
 */
export async function assertStatusPrerequisites(
  manager: EntityManager,
  kase: CaseRow,
  to: string,
): Promise<void> {
  if (TERMINAL_STATUSES.includes(to)) return;
  if (await waitsForConsent(manager, kase)) {
    // Only the ends the workflow offers from here are named (an SSPF case escalates only from
    // plan_active or follow_up).
    const escalate = allowedTransitions(kase.kind, kase.status).includes('escalated');
    throw conflict(
      kase.status === 'consent_pending'
        ? `A ${kase.kind} case goes from consent_pending to ${to} only with a consent in force: record the consent first (no consent of this case is in force)`
        : `A ${kase.kind} case moves on only while a consent of it is in force, and none is (revoked or expired): record a new consent, or close the case${escalate ? ' (or escalate it)' : ''}`,
      'consent-required',
    );
  }
  if (kase.kind === 'sig' && to === 'joint_decision') {
    const [{ agencies }] = await manager.query<[{ agencies: string[] }]>(
      `SELECT COALESCE(array_agg(DISTINCT u.agency), '{}') AS agencies FROM unit u
       WHERE u.id = $2 OR u.id IN (SELECT cu.unit_id FROM case_unit cu WHERE cu.case_id = $1)`,
      [kase.id, kase.owning_unit_id],
    );
    const missing = (['social_services', 'police'] as const).filter(
      (agency) => !agencies.includes(agency),
    );
    if (missing.length > 0) {
      throw conflict(
        `A SIG case's joint decision is made by social services and the police together: add a unit of ${missing.join(' and ')} to the case first`,
        'joint-decision-parties',
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

/**
 * Whether the case is at or past `consent_pending` with no consent of it in force: then it may
 * only end (be closed, or an SSPF case escalated where its workflow allows).
 */
async function waitsForConsent(manager: EntityManager, kase: CaseRow): Promise<boolean> {
  if (kase.status !== 'consent_pending' && !pastConsentPending(kase.kind, kase.status))
    return false;
  const [{ in_force }] = await manager.query<[{ in_force: boolean }]>(
    'SELECT EXISTS (SELECT 1 FROM consent c WHERE c.case_id = $1 AND consent_in_force(c.id, now())) AS in_force',
    [kase.id],
  );
  return !in_force;
}

/**
 * The moves open from the case's status now, for a 409 `invalid-transition`: the workflow's next
 * statuses, and while no consent is in force only the ends among them, so that no move named
 * there is refused for want of consent ("allowed: closed (network_meeting once a consent of the
 * case is in force)").
 */
export async function describeOpenMoves(manager: EntityManager, kase: CaseRow): Promise<string> {
  const allowed = allowedTransitions(kase.kind, kase.status);
  if (allowed.length === 0) return 'allowed: none (the case is finished)';
  if (!(await waitsForConsent(manager, kase))) return `allowed: ${allowed.join(', ')}`;
  const ends = allowed.filter((status) => TERMINAL_STATUSES.includes(status));
  const later = allowed.filter((status) => !TERMINAL_STATUSES.includes(status));
  return `allowed: ${ends.join(', ')}${later.length > 0 ? ` (${later.join(', ')} once a consent of the case is in force; none is)` : ''}`;
}
