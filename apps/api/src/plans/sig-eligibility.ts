import type { CaseStatus, SigEligibilityResponse } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { CaseRow } from '../cases/case-query.js';
import { conflict } from '../common/problems.js';
import { ageOn, withinSigRange } from './plan-rules.js';

/** The young person's age today (Stockholm), the municipality's range and any recorded exception. */
export async function sigEligibility(
  manager: EntityManager,
  kase: CaseRow,
): Promise<SigEligibilityResponse> {
  const [row] = await manager.query<
    {
      birth_date: string | null;
      today: string;
      sig_min_age: number;
      sig_max_age: number;
      justification: string | null;
      decided_by: string | null;
    }[]
  >(
    `SELECT p.birth_date::text AS birth_date, (now() AT TIME ZONE 'Europe/Stockholm')::date::text AS today,
            s.sig_min_age, s.sig_max_age, x.justification, x.decided_by
     FROM person p JOIN municipal_settings s ON s.municipality_id = $2
     LEFT JOIN LATERAL (SELECT e.justification, e.decided_by FROM sig_age_exception e WHERE e.case_id = $3
                        ORDER BY e.decided_at DESC LIMIT 1) x ON true
     WHERE p.id = $1`,
    [kase.person_id, kase.municipality_id, kase.id],
  );
  const age = row!.birth_date ? ageOn(row!.birth_date, row!.today) : null;
  const withinRange = withinSigRange(age, row!.sig_min_age, row!.sig_max_age);
  return {
    caseId: kase.id,
    age,
    minAge: row!.sig_min_age,
    maxAge: row!.sig_max_age,
    withinRange,
    eligible: withinRange || row!.justification !== null,
    exceptionJustification: row!.justification,
    exceptionDecidedBy: row!.decided_by,
  };
}

/** The statuses a SIG case reaches (past the eligibility step, short of closing) only when eligible. */
const SIG_ELIGIBLE_ONLY: ReadonlySet<CaseStatus> = new Set<CaseStatus>([
  'consent_pending',
  'joint_decision',
  'group_formed',
  'action_plan',
  'active',
  'review',
]);

export const sigNeedsEligibility = (status: string): boolean =>
  SIG_ELIGIBLE_ONLY.has(status as CaseStatus);

/** 409 `sig-not-eligible` unless the young person is in the age range or an exception is recorded. */
export async function assertSigEligible(manager: EntityManager, kase: CaseRow): Promise<void> {
  const eligibility = await sigEligibility(manager, kase);
  if (!eligibility.eligible) {
    throw conflict(
      `The young person (${eligibility.age ?? 'age unknown'}) is outside the SIG age range ${eligibility.minAge}–${eligibility.maxAge}: social services must record a justified exception first`,
      'sig-not-eligible',
    );
  }
}
