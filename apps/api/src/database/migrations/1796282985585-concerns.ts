import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Concern reports with their deadlines, extensions and reminders; notifications to users. */
export class Concerns1796282985585 implements MigrationInterface {
  name = 'Concerns1796282985585';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "concern_report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "area_id" uuid NOT NULL, "receiving_unit_id" uuid NOT NULL, "person_id" uuid NOT NULL, "reporter_user_id" uuid NOT NULL, "reporter_unit_id" uuid NOT NULL, "reporter_agency" character varying(32) NOT NULL, "observation" text NOT NULL, "observed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "immediate_danger" boolean NOT NULL, "guardians_informed" character varying(8) NOT NULL, "reporter_contact" character varying(200) NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "received_on" date NOT NULL, "status" character varying(40) NOT NULL, "handler_user_id" uuid, "deadline_step" character varying(32), "deadline_due" date, "protection_assessed_at" TIMESTAMP WITH TIME ZONE, "preliminary_due" date NOT NULL, "preliminary_decided_at" TIMESTAMP WITH TIME ZONE, "investigation_opened_at" TIMESTAMP WITH TIME ZONE, "investigation_due" date, "investigation_original_due" date, "closed_at" TIMESTAMP WITH TIME ZONE, "follow_up_due" date, "follow_up_started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "case_id" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_161eed285d8a0d40a95d7856a6f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "concern_report_person_idx" ON "concern_report"  ("person_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "concern_report_deadline_idx" ON "concern_report"  ("deadline_due") WHERE deadline_due IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "concern_report_received_idx" ON "concern_report"  ("municipality_id", "received_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "concern_report_unit_idx" ON "concern_report"  ("receiving_unit_id", "received_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "concern_report_reporter_idx" ON "concern_report"  ("municipality_id", "reporter_user_id", "received_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "concern_status_change" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "report_id" uuid NOT NULL, "from_status" character varying(40), "to_status" character varying(40) NOT NULL, "reason" character varying(1000), "changed_by" uuid NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_057632a4fef3855ca8a04f39fc0" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "concern_status_change_report_idx" ON "concern_status_change"  ("report_id", "changed_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "concern_extension" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "report_id" uuid NOT NULL, "previous_due" date NOT NULL, "new_due" date NOT NULL, "reason" character varying(1000) NOT NULL, "decided_by" uuid NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2b68f3196e4d8ba07192be80769" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "concern_extension_report_idx" ON "concern_extension"  ("report_id", "decided_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "concern_reminder" ("report_id" uuid NOT NULL, "step" character varying(32) NOT NULL, "kind" character varying(8) NOT NULL, "due_date" date NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_40339a8d4d38b39ca03e007c5e8" PRIMARY KEY ("report_id", "step", "kind", "due_date"))',
    );
    await queryRunner.query(
      'CREATE TABLE "notification" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "user_id" uuid NOT NULL, "kind" character varying(40) NOT NULL, "title" character varying(200) NOT NULL, "record_type" character varying(40) NOT NULL, "record_id" uuid NOT NULL, "details" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_705b6c7cdf9b2c2ff7ac7872cb7" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "notification_user_idx" ON "notification"  ("user_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "concern_report" ADD CONSTRAINT "FK_7ba28fafe71af9c15a8b22584c4" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "concern_report" ADD CONSTRAINT "FK_d8d34c345025f3d7fd3cfe632e0" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "concern_report" ADD CONSTRAINT "FK_f122f8e4c1ea5a2bc5724992514" FOREIGN KEY ("receiving_unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "concern_report" ADD CONSTRAINT "FK_bc5fc90a8a5bbceabbae8758f94" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "concern_report" ADD CONSTRAINT "FK_0a16edcbdfb9e8838e41552e68c" FOREIGN KEY ("reporter_user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "concern_report" ADD CONSTRAINT "FK_8379860845142a6e51bbd1528e3" FOREIGN KEY ("handler_user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "concern_report" ADD CONSTRAINT "FK_9830ef7286cf207ebce0a5d727e" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "concern_status_change" ADD CONSTRAINT "FK_2ac20a70d4a137d74aa493cb0f3" FOREIGN KEY ("report_id") REFERENCES "concern_report"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "concern_extension" ADD CONSTRAINT "FK_6a00b0bf79d3f108f662d0bd66e" FOREIGN KEY ("report_id") REFERENCES "concern_report"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "concern_reminder" ADD CONSTRAINT "FK_756380aff3ec37fe202606953d3" FOREIGN KEY ("report_id") REFERENCES "concern_report"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "notification" ADD CONSTRAINT "FK_928b7aa1754e08e1ed7052cb9d8" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "notification"');
    await queryRunner.query('DROP TABLE "concern_reminder"');
    await queryRunner.query('DROP TABLE "concern_extension"');
    await queryRunner.query('DROP TABLE "concern_status_change"');
    await queryRunner.query('DROP TABLE "concern_report"');
  }
}
