import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A notice about a person given on consent rests on the consents in force when it was posted
 * (`consent_ids`), as a disclosure rests on its consent: when they end it is withdrawn, and a
 * consent recorded later does not bring it back (the police decide to share anew). Notices posted
 * before rest on the consents of their case recorded by then.
 */
export class NoticeConsents1796440000000 implements MigrationInterface {
  name = 'NoticeConsents1796440000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "notice" ADD "consent_ids" uuid array');
    await queryRunner.query(
      'ALTER TABLE "notice_recipient" ADD "withdrawn_told_at" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query(
      `UPDATE "notice" n SET "consent_ids" = ARRAY(
         SELECT c.id FROM consent c WHERE c.case_id = n.case_id AND c.recorded_at <= n.created_at)
       WHERE n.legal_basis = 'consent'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "notice_recipient" DROP COLUMN "withdrawn_told_at"');
    await queryRunner.query('ALTER TABLE "notice" DROP COLUMN "consent_ids"');
  }
}
