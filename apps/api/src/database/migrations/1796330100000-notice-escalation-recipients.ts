import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A notice's recipients reached by its escalation, told apart from those its author addressed. */
export class NoticeEscalationRecipients1796330100000 implements MigrationInterface {
  name = 'NoticeEscalationRecipients1796330100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "notice_recipient" ADD "by_escalation" boolean NOT NULL DEFAULT false',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "notice_recipient" DROP COLUMN "by_escalation"');
  }
}
