import type { MigrationInterface, QueryRunner } from 'typeorm';
import { seedCatalog } from '../seed-catalog.js';
import { CONSENT_IN_FORCE, createCheckFunction } from './consent-check-functions.js';

/** Cases, consent, entries and disclosures, with the read-time consent check. */
export class CasesAndSharing1795436054090 implements MigrationInterface {
  name = 'CasesAndSharing1795436054090';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "collab_case" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "kind" character varying(8) NOT NULL, "status" character varying(40) NOT NULL, "area_id" uuid NOT NULL, "person_id" uuid NOT NULL, "owning_unit_id" uuid NOT NULL, "responsible_user_id" uuid NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "collab_case_kind_check" CHECK (kind IN (\'sspf\', \'sig\', \'sip\')), CONSTRAINT "PK_204bcd15dea6cf9fa04e45eeda0" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "collab_case_person_idx" ON "collab_case"  ("person_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "collab_case_owning_unit_idx" ON "collab_case"  ("owning_unit_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "collab_case_area_idx" ON "collab_case"  ("municipality_id", "area_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "case_member" ("case_id" uuid NOT NULL, "user_id" uuid NOT NULL, "added_by" uuid NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e64cc3d251bc826e6d879b58d94" PRIMARY KEY ("case_id", "user_id"))',
    );
    await queryRunner.query('CREATE INDEX "case_member_user_idx" ON "case_member"  ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "case_status_change" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "from_status" character varying(40), "to_status" character varying(40) NOT NULL, "reason" character varying(500), "changed_by" uuid NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8a2ab5b6c9091e1686e0f309e5b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "case_status_change_case_idx" ON "case_status_change"  ("case_id", "changed_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "case_unit" ("case_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "added_by" uuid NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_732d2cf314228b7316a6e013ba8" PRIMARY KEY ("case_id", "unit_id"))',
    );
    await queryRunner.query('CREATE INDEX "case_unit_unit_idx" ON "case_unit"  ("unit_id") ');
    await queryRunner.query(
      'CREATE TABLE "information_category" ("municipality_id" uuid NOT NULL, "code" character varying(40) NOT NULL, "label" character varying(120) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7d5bd976881762abe9b9898d731" PRIMARY KEY ("municipality_id", "code"))',
    );
    await queryRunner.query(
      'CREATE TABLE "legal_basis" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "code" character varying(60) NOT NULL, "title" character varying(200) NOT NULL, "citation" text NOT NULL, "from_agencies" character varying(32) array NOT NULL, "to_agencies" character varying(32) array NOT NULL, "requires_harm_assessment" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_055be854685d9f10c43d1e2d4a7" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "legal_basis_code_key" ON "legal_basis"  ("municipality_id", "code") ',
    );
    await queryRunner.query(
      'CREATE TABLE "outbox_event" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "municipality_id" uuid NOT NULL, "topic" character varying(40) NOT NULL, "aggregate_id" uuid NOT NULL, "type" character varying(80) NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cc0c9e40998e45ecfc5e313429d" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "outbox_event_created_idx" ON "outbox_event"  ("created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "case_entry" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "case_id" uuid NOT NULL, "author_user_id" uuid NOT NULL, "author_unit_id" uuid NOT NULL, "author_agency" character varying(32) NOT NULL, "category" character varying(40) NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2264e07583fc659a744ccf84cdb" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "case_entry_case_idx" ON "case_entry"  ("case_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "consent" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "case_id" uuid NOT NULL, "scope_agencies" character varying(32) array NOT NULL, "scope_unit_ids" uuid array NOT NULL, "scope_categories" character varying(40) array NOT NULL, "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL, "valid_until" TIMESTAMP WITH TIME ZONE NOT NULL, "method" character varying(16) NOT NULL, "attachment_ref" character varying(300), "recorded_by" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by_person_id" uuid, "revoke_recorded_by" uuid, "revoke_reason" character varying(500), CONSTRAINT "PK_9115e8d6b082d4fc46d56134d29" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "consent_case_idx" ON "consent"  ("case_id") ');
    await queryRunner.query(
      'CREATE TABLE "consent_party" ("consent_id" uuid NOT NULL, "person_id" uuid NOT NULL, "given_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_by" uuid NOT NULL, CONSTRAINT "PK_d04dc7f82f07ce9f9828524be6f" PRIMARY KEY ("consent_id", "person_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "disclosure" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "entry_id" uuid NOT NULL, "case_id" uuid NOT NULL, "from_agency" character varying(32) NOT NULL, "to_agency" character varying(32) NOT NULL, "to_unit_id" uuid, "basis_kind" character varying(16) NOT NULL, "consent_id" uuid, "legal_basis_id" uuid, "harm_assessment" text, "reason" character varying(1000) NOT NULL, "decided_by" uuid NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b8eace3be471f4a07b7fce9f4d6" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "disclosure_consent_idx" ON "disclosure"  ("consent_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "disclosure_receiver_idx" ON "disclosure"  ("entry_id", "to_agency") ',
    );
    await queryRunner.query(
      'ALTER TABLE "collab_case" ADD CONSTRAINT "FK_1ecd70682fc66f3fd302342cbc6" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "collab_case" ADD CONSTRAINT "FK_8fc0d9f21dab3e975ab1d4dab7a" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "collab_case" ADD CONSTRAINT "FK_6988f9d86ecbfd61180e12085fd" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "collab_case" ADD CONSTRAINT "FK_694c9ca189ea08a89daa787790d" FOREIGN KEY ("owning_unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "collab_case" ADD CONSTRAINT "FK_06e815c225b903c7e62748ee517" FOREIGN KEY ("responsible_user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_member" ADD CONSTRAINT "FK_e4c26097a0e5f78bb3d9a8b7d2b" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_member" ADD CONSTRAINT "FK_f925be2bae95e3638871b72aa3a" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_status_change" ADD CONSTRAINT "FK_d05bd1be5f18d0fb4a95a56d2b5" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_unit" ADD CONSTRAINT "FK_2c286acfc579fd9a9368003b187" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_unit" ADD CONSTRAINT "FK_340072ecf87322b55b803862565" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "information_category" ADD CONSTRAINT "FK_86944656410f9cd7dbc9def5b42" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "legal_basis" ADD CONSTRAINT "FK_a5f8f9bf960d318faadb8e822a9" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_entry" ADD CONSTRAINT "FK_1c6227c086d83d2203c0f71bf9f" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "consent" ADD CONSTRAINT "FK_c8a28bde616b7ce1aaf7a7e819e" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "consent_party" ADD CONSTRAINT "FK_0b799bc7916af110e2da61f9346" FOREIGN KEY ("consent_id") REFERENCES "consent"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "consent_party" ADD CONSTRAINT "FK_f4043ca9ad50bd336ec3bb1843f" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "disclosure" ADD CONSTRAINT "FK_7827d5c44fa13cad33013ca81cc" FOREIGN KEY ("entry_id") REFERENCES "case_entry"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "disclosure" ADD CONSTRAINT "FK_d74ff4a30e020fc1d73ba8daf64" FOREIGN KEY ("consent_id") REFERENCES "consent"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "disclosure" ADD CONSTRAINT "FK_3c70512ba1be8a65be0900d55b4" FOREIGN KEY ("legal_basis_id") REFERENCES "legal_basis"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    // Who must have consented for a consent to be in force at a given time: the guardians with
    // custody while the young person is under 18; the young person from the municipality's consent
    // age; from 18 the young person alone. Ages in Europe/Stockholm calendar days.
    await queryRunner.query(`CREATE FUNCTION consent_required_parties(p_consent uuid, p_at timestamptz)
      RETURNS TABLE (person_id uuid, role text)
      LANGUAGE sql STABLE AS $$
        WITH c AS (
          SELECT y.id AS youth_id, y.birth_date, s.youth_consent_age,
                 (p_at AT TIME ZONE 'Europe/Stockholm')::date AS today
          FROM consent c
          JOIN collab_case k ON k.id = c.case_id
          JOIN person y ON y.id = k.person_id
          JOIN municipal_settings s ON s.municipality_id = k.municipality_id
          WHERE c.id = p_consent
        )
        SELECT c.youth_id, 'young_person' FROM c
        WHERE c.birth_date IS NULL
           OR c.birth_date <= c.today - make_interval(years => LEAST(c.youth_consent_age, 18))
        UNION ALL
        SELECT g.guardian_id, 'guardian' FROM c
        JOIN person_guardian g ON g.child_id = c.youth_id AND g.custody
        WHERE c.birth_date IS NULL OR c.birth_date > c.today - interval '18 years'
      $$`);
    // Why a consent is not in force at a given time (no rows: it is in force). Computed at read
    // time, so expiry needs no job. A revocation counts from the moment it is committed, whatever
    // the reader's clock: no reader honours a consent after its revocation has returned.
    await queryRunner.query(`CREATE FUNCTION consent_problems(p_consent uuid, p_at timestamptz)
      RETURNS TABLE (problem text, person_id uuid, role text, at timestamptz)
      LANGUAGE sql STABLE AS $$
        WITH c AS (
          SELECT c.id, c.revoked_at, c.revoked_by_person_id, c.valid_from, c.valid_until,
                 y.id AS youth_id, y.birth_date, (p_at AT TIME ZONE 'Europe/Stockholm')::date AS today
          FROM consent c
          JOIN collab_case k ON k.id = c.case_id
          JOIN person y ON y.id = k.person_id
          WHERE c.id = p_consent
        )
        SELECT 'revoked', c.revoked_by_person_id, NULL, c.revoked_at FROM c WHERE c.revoked_at IS NOT NULL
        UNION ALL
        SELECT 'not_yet_valid', NULL, NULL, c.valid_from FROM c WHERE c.valid_from > p_at
        UNION ALL
        SELECT 'expired', NULL, NULL, c.valid_until FROM c WHERE c.valid_until <= p_at
        UNION ALL
        SELECT 'no_guardian', NULL, NULL, NULL FROM c
          WHERE (c.birth_date IS NULL OR c.birth_date > c.today - interval '18 years')
            AND NOT EXISTS (SELECT 1 FROM person_guardian g WHERE g.child_id = c.youth_id AND g.custody)
        UNION ALL
        SELECT 'missing_party', r.person_id, r.role, NULL FROM consent_required_parties(p_consent, p_at) r
          WHERE NOT EXISTS (
            SELECT 1 FROM consent_party cp
            WHERE cp.consent_id = p_consent AND cp.person_id = r.person_id AND cp.given_at <= p_at)
      $$`);
    await queryRunner.query(createCheckFunction(CONSENT_IN_FORCE, 'sql'));
    // Municipalities that exist already get the starting catalogues too.
    const municipalities = (await queryRunner.query('SELECT id FROM municipality')) as {
      id: string;
    }[];
    for (const municipality of municipalities)
      await seedCatalog(queryRunner.manager, municipality.id);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION consent_in_force(uuid, timestamptz)');
    await queryRunner.query('DROP FUNCTION consent_problems(uuid, timestamptz)');
    await queryRunner.query('DROP FUNCTION consent_required_parties(uuid, timestamptz)');
    await queryRunner.query('DROP TABLE "collab_case"');
    await queryRunner.query('DROP INDEX "public"."collab_case_person_idx"');
    await queryRunner.query('DROP INDEX "public"."collab_case_owning_unit_idx"');
    await queryRunner.query('DROP INDEX "public"."collab_case_area_idx"');
    await queryRunner.query('DROP TABLE "case_member"');
    await queryRunner.query('DROP INDEX "public"."case_member_user_idx"');
    await queryRunner.query('DROP TABLE "case_status_change"');
    await queryRunner.query('DROP INDEX "public"."case_status_change_case_idx"');
    await queryRunner.query('DROP TABLE "case_unit"');
    await queryRunner.query('DROP INDEX "public"."case_unit_unit_idx"');
    await queryRunner.query('DROP TABLE "information_category"');
    await queryRunner.query('DROP TABLE "legal_basis"');
    await queryRunner.query('DROP INDEX "public"."legal_basis_code_key"');
    await queryRunner.query('DROP TABLE "outbox_event"');
    await queryRunner.query('DROP INDEX "public"."outbox_event_created_idx"');
    await queryRunner.query('DROP TABLE "case_entry"');
    await queryRunner.query('DROP INDEX "public"."case_entry_case_idx"');
    await queryRunner.query('DROP TABLE "consent"');
    await queryRunner.query('DROP INDEX "public"."consent_case_idx"');
    await queryRunner.query('DROP TABLE "consent_party"');
    await queryRunner.query('DROP TABLE "disclosure"');
    await queryRunner.query('DROP INDEX "public"."disclosure_consent_idx"');
    await queryRunner.query('DROP INDEX "public"."disclosure_receiver_idx"');
    await queryRunner.query(
      'ALTER TABLE "collab_case" DROP CONSTRAINT "FK_1ecd70682fc66f3fd302342cbc6"',
    );
    await queryRunner.query(
      'ALTER TABLE "collab_case" DROP CONSTRAINT "FK_8fc0d9f21dab3e975ab1d4dab7a"',
    );
    await queryRunner.query(
      'ALTER TABLE "collab_case" DROP CONSTRAINT "FK_6988f9d86ecbfd61180e12085fd"',
    );
    await queryRunner.query(
      'ALTER TABLE "collab_case" DROP CONSTRAINT "FK_694c9ca189ea08a89daa787790d"',
    );
    await queryRunner.query(
      'ALTER TABLE "collab_case" DROP CONSTRAINT "FK_06e815c225b903c7e62748ee517"',
    );
    await queryRunner.query(
      'ALTER TABLE "case_member" DROP CONSTRAINT "FK_e4c26097a0e5f78bb3d9a8b7d2b"',
    );
    await queryRunner.query(
      'ALTER TABLE "case_member" DROP CONSTRAINT "FK_f925be2bae95e3638871b72aa3a"',
    );
    await queryRunner.query(
      'ALTER TABLE "case_status_change" DROP CONSTRAINT "FK_d05bd1be5f18d0fb4a95a56d2b5"',
    );
    await queryRunner.query(
      'ALTER TABLE "case_unit" DROP CONSTRAINT "FK_2c286acfc579fd9a9368003b187"',
    );
    await queryRunner.query(
      'ALTER TABLE "case_unit" DROP CONSTRAINT "FK_340072ecf87322b55b803862565"',
    );
    await queryRunner.query(
      'ALTER TABLE "information_category" DROP CONSTRAINT "FK_86944656410f9cd7dbc9def5b42"',
    );
    await queryRunner.query(
      'ALTER TABLE "legal_basis" DROP CONSTRAINT "FK_a5f8f9bf960d318faadb8e822a9"',
    );
    await queryRunner.query(
      'ALTER TABLE "case_entry" DROP CONSTRAINT "FK_1c6227c086d83d2203c0f71bf9f"',
    );
    await queryRunner.query(
      'ALTER TABLE "consent" DROP CONSTRAINT "FK_c8a28bde616b7ce1aaf7a7e819e"',
    );
    await queryRunner.query(
      'ALTER TABLE "consent_party" DROP CONSTRAINT "FK_0b799bc7916af110e2da61f9346"',
    );
    await queryRunner.query(
      'ALTER TABLE "consent_party" DROP CONSTRAINT "FK_f4043ca9ad50bd336ec3bb1843f"',
    );
    await queryRunner.query(
      'ALTER TABLE "disclosure" DROP CONSTRAINT "FK_7827d5c44fa13cad33013ca81cc"',
    );
    await queryRunner.query(
      'ALTER TABLE "disclosure" DROP CONSTRAINT "FK_d74ff4a30e020fc1d73ba8daf64"',
    );
    await queryRunner.query(
      'ALTER TABLE "disclosure" DROP CONSTRAINT "FK_3c70512ba1be8a65be0900d55b4"',
    );
  }
}
