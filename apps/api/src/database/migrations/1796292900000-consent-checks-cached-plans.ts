import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  CASE_INFO_COVERS,
  CONSENT_IN_FORCE,
  createCheckFunction,
} from './consent-check-functions.js';

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
    await queryRunner.query(createCheckFunction(CONSENT_IN_FORCE, 'plpgsql', true));
    await queryRunner.query(createCheckFunction(CASE_INFO_COVERS, 'plpgsql', true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(createCheckFunction(CONSENT_IN_FORCE, 'sql', true));
    await queryRunner.query(createCheckFunction(CASE_INFO_COVERS, 'sql', true));
  }
}
