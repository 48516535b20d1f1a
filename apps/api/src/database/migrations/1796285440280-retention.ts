import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Retention1796285440280 implements MigrationInterface {
  name = 'Retention1796285440280';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "legal_hold" ("case_id" uuid NOT NULL, "municipality_id" uuid NOT NULL, "reason" character varying(500) NOT NULL, "placed_by" uuid NOT NULL, "placed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3d40d2b2812b452c0429b01816" PRIMARY KEY ("case_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "retention_rule" ("municipality_id" uuid NOT NULL, "record_type" character varying(32) NOT NULL, "period" character varying(24) NOT NULL, "action" character varying(16) NOT NULL, "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4ae4eb7a8885b8ea103e5f5fe70" PRIMARY KEY ("municipality_id", "record_type"))',
    );
    await queryRunner.query(
      'ALTER TABLE "case_message" ADD "anonymised_at" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query(
      'ALTER TABLE "legal_hold" ADD CONSTRAINT "FK_a3d40d2b2812b452c0429b01816" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "retention_rule" ADD CONSTRAINT "FK_b24994f767ffad090f2ab11f50e" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "legal_hold"');
    await queryRunner.query('DROP TABLE "retention_rule"');
    await queryRunner.query('ALTER TABLE "case_message" DROP COLUMN "anonymised_at"');
    await queryRunner.query(
      'ALTER TABLE "legal_hold" DROP CONSTRAINT "FK_a3d40d2b2812b452c0429b01816"',
    );
    await queryRunner.query(
      'ALTER TABLE "retention_rule" DROP CONSTRAINT "FK_b24994f767ffad090f2ab11f50e"',
    );
  }
}
