import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Meeting reminders sent (exactly once per meeting start and offset), and the offsets per municipality. */
export class MeetingReminders1796285365630 implements MigrationInterface {
  name = 'MeetingReminders1796285365630';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "meeting_reminder" ("meeting_id" uuid NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "offset_minutes" integer NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_320d8ca4c17693870b17e6df08a" PRIMARY KEY ("meeting_id", "starts_at", "offset_minutes"))',
    );
    await queryRunner.query(
      'ALTER TABLE "municipal_settings" ADD "meeting_reminder_minutes" integer array NOT NULL DEFAULT \'{1440,60}\'',
    );
    await queryRunner.query(
      'CREATE INDEX "meeting_upcoming_idx" ON "meeting"  ("starts_at") WHERE status = \'scheduled\'',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting_reminder" ADD CONSTRAINT "FK_74d3e4f221b95a032ac4ba67628" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."meeting_upcoming_idx"');
    await queryRunner.query(
      'ALTER TABLE "municipal_settings" DROP COLUMN "meeting_reminder_minutes"',
    );
    await queryRunner.query('DROP TABLE "meeting_reminder"');
  }
}
