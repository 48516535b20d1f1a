import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A legal basis may apply only below an age (OSL 10:18 a: a person under 21). */
export class LegalBasisAge1796330000000 implements MigrationInterface {
  name = 'LegalBasisAge1796330000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "legal_basis" ADD "person_under_age" smallint');
    await queryRunner.query(
      `UPDATE "legal_basis" SET "person_under_age" = 21 WHERE "code" = 'OSL 10:18 a'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "legal_basis" DROP COLUMN "person_under_age"');
  }
}
