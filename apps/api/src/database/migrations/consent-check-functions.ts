/**
 * The read-time consent checks as the migrations create them: one boolean expression each,
 * written once, made into an SQL function (first) or PL/pgSQL with a cached generic plan (since
 * `ConsentChecksCachedPlans1796292900000`). The expressions must not change once released: a
 * changed check is a new constant and a new migration.
 */
export interface CheckFunction {
  signature: string;
  check: string;
}

/** A consent is in force: it exists and nothing is wrong with it at `p_at`. */
export const CONSENT_IN_FORCE: CheckFunction = {
  signature: 'consent_in_force(p_consent uuid, p_at timestamptz)',
  check: `EXISTS (SELECT 1 FROM consent WHERE id = p_consent)
           AND NOT EXISTS (SELECT 1 FROM consent_problems(p_consent, p_at))`,
};

/**
 * Whether information of a case in a category reaches a unit (of an agency) at a given time: a
 * statutory basis naming the agency, or a consent in force naming the agency or the unit and the
 * category.
 */
export const CASE_INFO_COVERS: CheckFunction = {
  signature: `case_info_covers(p_case uuid, p_category text, p_legal_basis uuid,
        p_agency text, p_unit uuid, p_at timestamptz)`,
  check: `EXISTS (SELECT 1 FROM legal_basis lb WHERE lb.id = p_legal_basis AND p_agency = ANY(lb.to_agencies))
            OR EXISTS (
              SELECT 1 FROM consent c
              WHERE c.case_id = p_case AND p_category = ANY(c.scope_categories)
                AND (p_agency = ANY(c.scope_agencies) OR p_unit = ANY(c.scope_unit_ids))
                AND consent_in_force(c.id, p_at))`,
};

/**
 * `CREATE [OR REPLACE] FUNCTION` for a check: `sql` (inlined only without sub-queries, so planned
 * per calling statement) or `plpgsql` (its plan cached per connection).
 */
export function createCheckFunction(
  { signature, check }: CheckFunction,
  language: 'sql' | 'plpgsql',
  replace = false,
): string {
  const create = replace ? 'CREATE OR REPLACE FUNCTION' : 'CREATE FUNCTION';
  return language === 'sql'
    ? `${create} ${signature}
      RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT ${check}
      $$`
    : `${create} ${signature}
      RETURNS boolean LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
      BEGIN
        RETURN ${check};
      END $$`;
}
