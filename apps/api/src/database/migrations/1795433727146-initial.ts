import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The foundation: organisation, accounts, sessions, the person register and the audit trail. */
export class Initial1795433727146 implements MigrationInterface {
  name = 'Initial1795433727146';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "audit_chain" ("municipality_id" uuid NOT NULL, "shard" smallint NOT NULL, "seq" bigint NOT NULL, "head_hash" character(64) NOT NULL, CONSTRAINT "PK_34ef23b759cc2cfe16e911529ab" PRIMARY KEY ("municipality_id", "shard"))',
    );
    await queryRunner.query(
      'CREATE TABLE "audit_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "shard" smallint NOT NULL, "seq" bigint NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "action" character varying(80) NOT NULL, "actor_user_id" uuid, "actor_unit_id" uuid, "record_type" character varying(40), "record_id" character varying(64), "person_id" uuid, "request_id" character varying(64), "legal_basis" character varying(200), "reason" character varying(500), "details" text, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "audit_event_actor_idx" ON "audit_event"  ("municipality_id", "actor_user_id", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "audit_event_person_idx" ON "audit_event"  ("municipality_id", "person_id", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "audit_event_chain_key" ON "audit_event"  ("municipality_id", "shard", "seq") ',
    );
    await queryRunner.query(
      'CREATE TABLE "municipality" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(160) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_2b5ccf3ba4eff316a528f74c08a" UNIQUE ("name"), CONSTRAINT "PK_281ad341f20df7c41b83a182e2a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "area" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "name" character varying(120) NOT NULL, CONSTRAINT "PK_39d5e4de490139d6535d75f42ff" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "area_municipality_name_key" ON "area"  ("municipality_id", "name") ',
    );
    await queryRunner.query(
      'CREATE TABLE "unit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "area_id" uuid NOT NULL, "name" character varying(160) NOT NULL, "agency" character varying(32) NOT NULL, CONSTRAINT "unit_agency_check" CHECK (agency IN (\'school\', \'social_services\', \'police\', \'leisure\', \'health\')), CONSTRAINT "PK_4252c4be609041e559f0c80f58a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "unit_area_idx" ON "unit"  ("area_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "unit_municipality_name_key" ON "unit"  ("municipality_id", "name") ',
    );
    await queryRunner.query(
      'CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "email" character varying(254) NOT NULL, "display_name" character varying(160) NOT NULL, "password_hash" character varying(255), "roles" character varying(32) array NOT NULL, "status" character varying(16) NOT NULL DEFAULT \'active\', "failed_login_count" integer NOT NULL DEFAULT \'0\', "locked_until" TIMESTAMP WITH TIME ZONE, "authz_version" integer NOT NULL DEFAULT \'1\', "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "app_user_status_check" CHECK (status IN (\'active\', \'disabled\')), CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "app_user_municipality_idx" ON "app_user"  ("municipality_id") ',
    );
    await queryRunner.query('CREATE INDEX "app_user_unit_idx" ON "app_user"  ("unit_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"  ("email") ');
    await queryRunner.query(
      'CREATE TABLE "auth_session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "method" character varying(32) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(64), CONSTRAINT "PK_19354ed146424a728c1112a8cbf" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "auth_session_user_idx" ON "auth_session"  ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "login_throttle" ("key" character varying(300) NOT NULL, "hits" integer NOT NULL, "window_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_14c03bac82292a8310c54cb98d0" PRIMARY KEY ("key"))',
    );
    await queryRunner.query(
      'CREATE TABLE "refresh_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b575dd3c21fb0831013c909e7fe" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "refresh_token_session_idx" ON "refresh_token"  ("session_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "refresh_token_hash_key" ON "refresh_token"  ("token_hash") ',
    );
    await queryRunner.query(
      'CREATE TABLE "municipal_settings" ("municipality_id" uuid NOT NULL, "youth_consent_age" smallint NOT NULL DEFAULT \'15\', "sig_min_age" smallint NOT NULL DEFAULT \'12\', "sig_max_age" smallint NOT NULL DEFAULT \'20\', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f0f251be9f985af328a1929a565" PRIMARY KEY ("municipality_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "person" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "identity_kind" character varying(20) NOT NULL, "identity_number" character varying(32) NOT NULL, "given_name" character varying(100) NOT NULL, "family_name" character varying(100) NOT NULL, "birth_date" date, "gender" character varying(16), "address" character varying(300), "school" character varying(200), "protection_level" character varying(32) NOT NULL DEFAULT \'none\', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "person_identity_kind_check" CHECK (identity_kind IN (\'personnummer\', \'samordningsnummer\', \'reserve\')), CONSTRAINT "person_protection_level_check" CHECK (protection_level IN (\'none\', \'flagged\', \'protected_registration\', \'assumed_identity\')), CONSTRAINT "PK_5fdaf670315c4b7e70cce85daa3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "person_identity_key" ON "person"  ("municipality_id", "identity_number") ',
    );
    await queryRunner.query(
      'CREATE TABLE "person_agency" ("person_id" uuid NOT NULL, "agency" character varying(32) NOT NULL, "linked_by_unit_id" uuid, "linked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_880731ea56c9d7f83c94ffb2cf9" PRIMARY KEY ("person_id", "agency"))',
    );
    await queryRunner.query(
      'CREATE INDEX "person_agency_agency_idx" ON "person_agency"  ("agency", "person_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "person_clearance" ("person_id" uuid NOT NULL, "user_id" uuid NOT NULL, "granted_by" uuid NOT NULL, "granted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "reason" character varying(500) NOT NULL, CONSTRAINT "PK_5604f3084ca13cdf74ecf507a00" PRIMARY KEY ("person_id", "user_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "person_clearance_user_idx" ON "person_clearance"  ("user_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "person_guardian" ("child_id" uuid NOT NULL, "guardian_id" uuid NOT NULL, "custody" boolean NOT NULL DEFAULT true, CONSTRAINT "PK_92bbce8b9951a3f2cb2e5ab7ac9" PRIMARY KEY ("child_id", "guardian_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "person_guardian_guardian_idx" ON "person_guardian"  ("guardian_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "user_area" ("user_id" uuid NOT NULL, "area_id" uuid NOT NULL, CONSTRAINT "PK_c411d7fad72449385adc6543945" PRIMARY KEY ("user_id", "area_id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "area" ADD CONSTRAINT "FK_2f89d7ae890dc87559376b061ee" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "unit" ADD CONSTRAINT "FK_6489a605d7c84cb3fe1759d7242" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "unit" ADD CONSTRAINT "FK_c9e695277c133f20a1184b4a281" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "app_user" ADD CONSTRAINT "FK_6cecf0f20a41280d83a2cbb7390" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "app_user" ADD CONSTRAINT "FK_055c5291f4320e6e092162ae36c" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "auth_session" ADD CONSTRAINT "FK_b8783d517fab10672700a39cb49" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "refresh_token" ADD CONSTRAINT "FK_7643a722ca45fb721be1c63dc0c" FOREIGN KEY ("session_id") REFERENCES "auth_session"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "municipal_settings" ADD CONSTRAINT "FK_f0f251be9f985af328a1929a565" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "person" ADD CONSTRAINT "FK_4724b4139bddb77c5775fa82e73" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "person_agency" ADD CONSTRAINT "FK_5f757a2653aef12089aec466c4a" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "person_clearance" ADD CONSTRAINT "FK_d5609c062b909f2377a2b25cd22" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "person_clearance" ADD CONSTRAINT "FK_bced33865f5b93745e93b551cbc" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "person_guardian" ADD CONSTRAINT "FK_119bbc403d22f223a77a90830e4" FOREIGN KEY ("child_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "person_guardian" ADD CONSTRAINT "FK_e038aaa57fd6f2fced0e9fca6c2" FOREIGN KEY ("guardian_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "user_area" ADD CONSTRAINT "FK_a94db8c790489778deeb91aadcc" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "user_area" ADD CONSTRAINT "FK_611e6fb47556054bf0a30068001" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    // The audit trail is append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.
    await queryRunner.query(`CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON "audit_event"
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await queryRunner.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event"
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
    await queryRunner.query('REVOKE UPDATE, DELETE, TRUNCATE ON "audit_event" FROM PUBLIC');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER audit_event_no_truncate ON "audit_event"');
    await queryRunner.query('DROP TRIGGER audit_event_no_change ON "audit_event"');
    await queryRunner.query('DROP FUNCTION audit_event_append_only()');
    await queryRunner.query('DROP TABLE "audit_chain"');
    await queryRunner.query('DROP TABLE "audit_event"');
    await queryRunner.query('DROP INDEX "public"."audit_event_actor_idx"');
    await queryRunner.query('DROP INDEX "public"."audit_event_person_idx"');
    await queryRunner.query('DROP INDEX "public"."audit_event_chain_key"');
    await queryRunner.query('DROP TABLE "municipality"');
    await queryRunner.query('DROP TABLE "area"');
    await queryRunner.query('DROP INDEX "public"."area_municipality_name_key"');
    await queryRunner.query('DROP TABLE "unit"');
    await queryRunner.query('DROP INDEX "public"."unit_area_idx"');
    await queryRunner.query('DROP INDEX "public"."unit_municipality_name_key"');
    await queryRunner.query('DROP TABLE "app_user"');
    await queryRunner.query('DROP INDEX "public"."app_user_municipality_idx"');
    await queryRunner.query('DROP INDEX "public"."app_user_unit_idx"');
    await queryRunner.query('DROP INDEX "public"."app_user_email_key"');
    await queryRunner.query('DROP TABLE "auth_session"');
    await queryRunner.query('DROP INDEX "public"."auth_session_user_idx"');
    await queryRunner.query('DROP TABLE "login_throttle"');
    await queryRunner.query('DROP TABLE "refresh_token"');
    await queryRunner.query('DROP INDEX "public"."refresh_token_session_idx"');
    await queryRunner.query('DROP INDEX "public"."refresh_token_hash_key"');
    await queryRunner.query('DROP TABLE "municipal_settings"');
    await queryRunner.query('DROP TABLE "person"');
    await queryRunner.query('DROP INDEX "public"."person_identity_key"');
    await queryRunner.query('DROP TABLE "person_agency"');
    await queryRunner.query('DROP INDEX "public"."person_agency_agency_idx"');
    await queryRunner.query('DROP TABLE "person_clearance"');
    await queryRunner.query('DROP INDEX "public"."person_clearance_user_idx"');
    await queryRunner.query('DROP TABLE "person_guardian"');
    await queryRunner.query('DROP INDEX "public"."person_guardian_guardian_idx"');
    await queryRunner.query('DROP TABLE "user_area"');
    await queryRunner.query('ALTER TABLE "area" DROP CONSTRAINT "FK_2f89d7ae890dc87559376b061ee"');
    await queryRunner.query('ALTER TABLE "unit" DROP CONSTRAINT "FK_6489a605d7c84cb3fe1759d7242"');
    await queryRunner.query('ALTER TABLE "unit" DROP CONSTRAINT "FK_c9e695277c133f20a1184b4a281"');
    await queryRunner.query(
      'ALTER TABLE "app_user" DROP CONSTRAINT "FK_6cecf0f20a41280d83a2cbb7390"',
    );
    await queryRunner.query(
      'ALTER TABLE "app_user" DROP CONSTRAINT "FK_055c5291f4320e6e092162ae36c"',
    );
    await queryRunner.query(
      'ALTER TABLE "auth_session" DROP CONSTRAINT "FK_b8783d517fab10672700a39cb49"',
    );
    await queryRunner.query(
      'ALTER TABLE "refresh_token" DROP CONSTRAINT "FK_7643a722ca45fb721be1c63dc0c"',
    );
    await queryRunner.query(
      'ALTER TABLE "municipal_settings" DROP CONSTRAINT "FK_f0f251be9f985af328a1929a565"',
    );
    await queryRunner.query(
      'ALTER TABLE "person" DROP CONSTRAINT "FK_4724b4139bddb77c5775fa82e73"',
    );
    await queryRunner.query(
      'ALTER TABLE "person_agency" DROP CONSTRAINT "FK_5f757a2653aef12089aec466c4a"',
    );
    await queryRunner.query(
      'ALTER TABLE "person_clearance" DROP CONSTRAINT "FK_d5609c062b909f2377a2b25cd22"',
    );
    await queryRunner.query(
      'ALTER TABLE "person_clearance" DROP CONSTRAINT "FK_bced33865f5b93745e93b551cbc"',
    );
    await queryRunner.query(
      'ALTER TABLE "person_guardian" DROP CONSTRAINT "FK_119bbc403d22f223a77a90830e4"',
    );
    await queryRunner.query(
      'ALTER TABLE "person_guardian" DROP CONSTRAINT "FK_e038aaa57fd6f2fced0e9fca6c2"',
    );
    await queryRunner.query(
      'ALTER TABLE "user_area" DROP CONSTRAINT "FK_a94db8c790489778deeb91aadcc"',
    );
    await queryRunner.query(
      'ALTER TABLE "user_area" DROP CONSTRAINT "FK_611e6fb47556054bf0a30068001"',
    );
  }
}
