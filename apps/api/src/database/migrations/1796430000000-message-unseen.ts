import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The messages a member's read mark passed while they were hidden from them: not "seen" by them,
 * and unread for them once they may see them (see `MessageUnseen`).
 */
export class MessageUnseen1796430000000 implements MigrationInterface {
  name = 'MessageUnseen1796430000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "message_unseen" ("case_id" uuid NOT NULL, "user_id" uuid NOT NULL, "seq" integer NOT NULL, CONSTRAINT "PK_56bdaaaf81ac9a3c5159e377332" PRIMARY KEY ("case_id", "user_id", "seq"))',
    );
    await queryRunner.query(
      'ALTER TABLE "message_unseen" ADD CONSTRAINT "FK_d39c4f3b212695c25b7c9825f0f" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "message_unseen" DROP CONSTRAINT "FK_d39c4f3b212695c25b7c9825f0f"',
    );
    await queryRunner.query('DROP TABLE "message_unseen"');
  }
}
