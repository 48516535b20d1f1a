import { pastConsentPending, TERMINAL_STATUSES } from '@samverka/contracts';
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
  if (kase.status === 'consent_pending' || pastConsentPending(kase.kind, kase.status)) {
    const [{ in_force }] = await manager.query<[{ in_force: boolean }]>(
      'SELECT EXISTS (SELECT 1 FROM consent c WHERE c.case_id = $1 AND consent_in_force(c.id, now())) AS in_force',
      [kase.id],
    );
    if (!in_force) {
      throw conflict(
        kase.status === 'consent_pending'
          ? `A ${kase.kind} case goes from consent_pending to ${to} only with a consent in force: record the consent first (no consent of this case is in force)`
          : `A ${kase.kind} case moves on only while a consent of it is in force, and none is (revoked or expired): record a new consent, or close the case${kase.kind === 'sspf' ? ' (or escalate it)' : ''}`,
        'consent-required',
      );
    }
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
