import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Realtime1796282696066 implements MigrationInterface {
  name = 'Realtime1796282696066';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "case_conversation" ("case_id" uuid NOT NULL, "last_seq" integer NOT NULL DEFAULT \'0\', CONSTRAINT "PK_ce39f03ace5efe0b926977b1ac6" PRIMARY KEY ("case_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "case_message" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "case_id" uuid NOT NULL, "seq" integer NOT NULL, "client_id" character varying(64) NOT NULL, "author_user_id" uuid NOT NULL, "author_unit_id" uuid NOT NULL, "author_agency" character varying(32) NOT NULL, "category" character varying(40) NOT NULL, "body" text NOT NULL, "reply_to_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fbd91c2b28954afd51a74408053" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "case_message_client_key" ON "case_message"  ("author_user_id", "client_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "case_message_seq_key" ON "case_message"  ("case_id", "seq") ',
    );
    await queryRunner.query(
      'CREATE TABLE "message_read" ("case_id" uuid NOT NULL, "user_id" uuid NOT NULL, "seq" integer NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_474f5cbb443123afad0012ae7a7" PRIMARY KEY ("case_id", "user_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "notice" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "title" character varying(200) NOT NULL, "body" text NOT NULL, "area_ids" uuid array NOT NULL, "agencies" character varying(32) array NOT NULL, "case_id" uuid, "legal_basis" character varying(40), "harm_assessment" text, "author_user_id" uuid NOT NULL, "author_unit_id" uuid NOT NULL, "ack_required" boolean NOT NULL DEFAULT false, "expires_at" TIMESTAMP WITH TIME ZONE, "escalated_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_705062b14410ff1a04998f86d72" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "notice_escalation_idx" ON "notice"  ("created_at") WHERE ack_required AND escalated_at IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "notice_recipient" ("notice_id" uuid NOT NULL, "user_id" uuid NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_65a04ea49663f9c4dbf0b944dae" PRIMARY KEY ("notice_id", "user_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "notice_recipient_user_idx" ON "notice_recipient"  ("user_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "outbox_event" ADD "dispatched_at" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query(
      'ALTER TABLE "consent" ADD "expiry_announced_at" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query(
      'CREATE INDEX "outbox_event_pending_idx" ON "outbox_event"  ("id") WHERE dispatched_at IS NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "case_conversation" ADD CONSTRAINT "FK_ce39f03ace5efe0b926977b1ac6" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_message" ADD CONSTRAINT "FK_7125ccedea6435b137ac7299dfb" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "message_read" ADD CONSTRAINT "FK_fa059b817a6a59f50c3afd67203" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "notice_recipient" ADD CONSTRAINT "FK_e6c365278493e274e7985756c2c" FOREIGN KEY ("notice_id") REFERENCES "notice"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "case_conversation"');
    await queryRunner.query('DROP TABLE "case_message"');
    await queryRunner.query('DROP INDEX "public"."case_message_client_key"');
    await queryRunner.query('DROP INDEX "public"."case_message_seq_key"');
    await queryRunner.query('DROP TABLE "message_read"');
    await queryRunner.query('DROP TABLE "notice"');
    await queryRunner.query('DROP INDEX "public"."notice_escalation_idx"');
    await queryRunner.query('DROP TABLE "notice_recipient"');
    await queryRunner.query('DROP INDEX "public"."notice_recipient_user_idx"');
    await queryRunner.query('ALTER TABLE "outbox_event" DROP COLUMN "dispatched_at"');
    await queryRunner.query('ALTER TABLE "consent" DROP COLUMN "expiry_announced_at"');
    await queryRunner.query('DROP INDEX "public"."outbox_event_pending_idx"');
    await queryRunner.query(
      'ALTER TABLE "case_conversation" DROP CONSTRAINT "FK_ce39f03ace5efe0b926977b1ac6"',
    );
    await queryRunner.query(
      'ALTER TABLE "case_message" DROP CONSTRAINT "FK_7125ccedea6435b137ac7299dfb"',
    );
    await queryRunner.query(
      'ALTER TABLE "message_read" DROP CONSTRAINT "FK_fa059b817a6a59f50c3afd67203"',
    );
    await queryRunner.query(
      'ALTER TABLE "notice_recipient" DROP CONSTRAINT "FK_e6c365278493e274e7985756c2c"',
    );
  }
}
