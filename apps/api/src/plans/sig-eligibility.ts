import type { SigEligibilityResponse } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { CaseRow } from '../cases/case-query.js';
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
