import { conflict } from '../common/problems.js';
import { ageOn } from '../plans/plan-rules.js';

/**
 * Why a statutory basis that applies only below an age (`underAge`; SoL 14:1: a child, OSL
 * 10:18 a: under 21) does not apply to this young person today, or null when it does. The age
 * itself is not told: it would help identify a person with a protected identity.
 */
function basisAgeProblem(
  code: string,
  underAge: number | null,
  birthDate: string | null,
  today: string,
): string | null {
  if (underAge === null) return null;
  if (!birthDate)
    return `${code} applies only to a person under ${underAge}, and the young person's date of birth is not known`;
  if (ageOn(birthDate, today) >= underAge)
    return `${code} applies only to a person under ${underAge}; the young person is ${underAge} or older`;
  return null;
}

/** The facts `BASIS_AGE_COLUMNS` reads: the basis's age limit, the birth date, today. */
export interface BasisAgeFacts {
  person_under_age: number | null;
  birth_date: string | null;
  today: string;
}

/** A 409 (of `problemType`) when the basis `code` does not apply to the young person at their age. */
export function assertWithinBasisAge(
  code: string,
  facts: BasisAgeFacts,
  problemType = 'basis-not-applicable',
): void {
  const problem = basisAgeProblem(code, facts.person_under_age, facts.birth_date, facts.today);
  if (problem) throw conflict(problem, problemType);
}

/** The SQL for `BasisAgeFacts`, beside a `legal_basis lb` and a `person p`. */
export const BASIS_AGE_COLUMNS = `lb.person_under_age, p.birth_date::text AS birth_date,
  (now() AT TIME ZONE 'Europe/Stockholm')::date::text AS today`;

/** A legal basis code as the catalogue compares codes: in lower case, without spaces. */
export const basisCodeKey = (code: string) =>
  `lower(regexp_replace(${code}, '[[:space:]]+', '', 'g'))`;

/**
 * `lb.code` is the code given in `param`, whatever its case or spacing: the catalogue keeps codes
 * unique that way ("osl 10:18 A" and "OSL 10:18a" are OSL 10:18 a).
 */
export const basisCodeIs = (param: string) => `${basisCodeKey('lb.code')} = ${basisCodeKey(param)}`;
