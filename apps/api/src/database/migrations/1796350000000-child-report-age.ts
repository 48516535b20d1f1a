import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The duty to report (SoL 14:1) is about a child: a person under 18. Municipalities seeded
 * before carry no age on it; one that set an age of its own keeps it.
 */
export class ChildReportAge1796350000000 implements MigrationInterface {
  name = 'ChildReportAge1796350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "legal_basis" SET "person_under_age" = 18 WHERE "code" = 'SoL 14:1' AND "person_under_age" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "legal_basis" SET "person_under_age" = NULL WHERE "code" = 'SoL 14:1' AND "person_under_age" = 18`,
    );
  }
}
