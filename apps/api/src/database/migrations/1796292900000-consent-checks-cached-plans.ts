import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The consent checks as PL/pgSQL with one cached generic plan per session. As SQL functions they
 * could not be inlined (their bodies hold sub-queries), so PostgreSQL planned their whole body —
 * `consent_problems` and `consent_required_parties` inlined, some 2 ms — once per statement that
 * called them: every read of a disclosed entry, every message sent. PL/pgSQL keeps the plan for
 * the connection; the checks themselves (index lookups on the consent, case, person, guardians
 * and parties) are unchanged, so they answer exactly as before.
 */
export class ConsentChecksCachedPlans1796292900000 implements MigrationInterface {
  name = 'ConsentChecksCachedPlans1796292900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION consent_in_force(p_consent uuid, p_at timestamptz)
      RETURNS boolean LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
      BEGIN
        RETURN EXISTS (SELECT 1 FROM consent WHERE id = p_consent)
           AND NOT EXISTS (SELECT 1 FROM consent_problems(p_consent, p_at));
      END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION case_info_covers(p_case uuid, p_category text,
        p_legal_basis uuid, p_agency text, p_unit uuid, p_at timestamptz)
      RETURNS boolean LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
      BEGIN
        RETURN EXISTS (SELECT 1 FROM legal_basis lb WHERE lb.id = p_legal_basis AND p_agency = ANY(lb.to_agencies))
            OR EXISTS (
              SELECT 1 FROM consent c
              WHERE c.case_id = p_case AND p_category = ANY(c.scope_categories)
                AND (p_agency = ANY(c.scope_agencies) OR p_unit = ANY(c.scope_unit_ids))
                AND consent_in_force(c.id, p_at));
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION consent_in_force(p_consent uuid, p_at timestamptz)
      RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT EXISTS (SELECT 1 FROM consent WHERE id = p_consent)
           AND NOT EXISTS (SELECT 1 FROM consent_problems(p_consent, p_at))
      $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION case_info_covers(p_case uuid, p_category text,
        p_legal_basis uuid, p_agency text, p_unit uuid, p_at timestamptz)
      RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT EXISTS (SELECT 1 FROM legal_basis lb WHERE lb.id = p_legal_basis AND p_agency = ANY(lb.to_agencies))
            OR EXISTS (
              SELECT 1 FROM consent c
              WHERE c.case_id = p_case AND p_category = ANY(c.scope_categories)
                AND (p_agency = ANY(c.scope_agencies) OR p_unit = ANY(c.scope_unit_ids))
                AND consent_in_force(c.id, p_at))
      $$`);
  }
}
