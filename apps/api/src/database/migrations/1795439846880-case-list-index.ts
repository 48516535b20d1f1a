import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Newest-first case lists stop after one page instead of sorting every visible case. */
export class CaseListIndex1795439846880 implements MigrationInterface {
  name = 'CaseListIndex1795439846880';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "collab_case_recent_idx" ON "collab_case"  ("municipality_id", "created_at", "id") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."collab_case_recent_idx"');
  }
}
