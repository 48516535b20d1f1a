import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The people of a municipality with a protected identity, few among many: every case message is
 * checked against them before it is stored, which must not read the whole register.
 */
export class ProtectedPeopleIndex1796420000000 implements MigrationInterface {
  name = 'ProtectedPeopleIndex1796420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "person_protected_idx" ON "person"  ("municipality_id") WHERE protection_level <> \'none\'',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."person_protected_idx"');
  }
}
