import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CASE_INFO_COVERS, createCheckFunction } from './consent-check-functions.js';

/** Meetings, agendas and minutes, calendar feeds, plans, SIG eligibility and assessments. */
export class MeetingsAndPlans1796282976862 implements MigrationInterface {
  name = 'MeetingsAndPlans1796282976862';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "meeting" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "kind" character varying(24) NOT NULL, "title" character varying(200) NOT NULL, "area_id" uuid NOT NULL, "case_id" uuid, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "place" character varying(300), "video_link" character varying(500), "organiser_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT \'scheduled\', "cancel_reason" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "meeting_kind_check" CHECK (kind IN (\'sspf_working_group\', \'network\', \'sig\', \'sip\', \'area\')), CONSTRAINT "meeting_time_check" CHECK (ends_at > starts_at), CONSTRAINT "PK_dccaf9e4c0e39067d82ccc7bb83" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "meeting_case_idx" ON "meeting"  ("case_id") ');
    await queryRunner.query('CREATE INDEX "meeting_organiser_idx" ON "meeting"  ("organiser_id") ');
    await queryRunner.query(
      'CREATE INDEX "meeting_time_idx" ON "meeting"  ("municipality_id", "starts_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "agenda_item" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "meeting_id" uuid NOT NULL, "position" integer NOT NULL, "title" character varying(200) NOT NULL, "case_id" uuid, "category" character varying(40) NOT NULL, "legal_basis_id" uuid, "harm_assessment" text, "added_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_413623e61232799619c2e0a1d42" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "agenda_item_case_idx" ON "agenda_item"  ("case_id") ');
    await queryRunner.query(
      'CREATE INDEX "agenda_item_meeting_idx" ON "agenda_item"  ("meeting_id", "position") ',
    );
    await queryRunner.query(
      'CREATE TABLE "agenda_note" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "agenda_item_id" uuid NOT NULL, "entry_id" uuid, "category" character varying(40) NOT NULL, "body" text, "author_user_id" uuid NOT NULL, "author_agency" character varying(32) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9bb2a2ecf0a6dbc55bc7671a521" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "agenda_note_item_idx" ON "agenda_note"  ("agenda_item_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "agenda_decision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agenda_item_id" uuid NOT NULL, "text" text NOT NULL, "decided_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ce0a6a2b8145fd1f6357a520e35" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "agenda_decision_item_idx" ON "agenda_decision"  ("agenda_item_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "calendar_feed" ("user_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_29b8f216ae4f5fdd5bcc8de8112" PRIMARY KEY ("user_id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "calendar_feed_token_key" ON "calendar_feed"  ("token_hash") ',
    );
    await queryRunner.query(
      'CREATE TABLE "meeting_conflict_override" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "meeting_id" uuid NOT NULL, "user_ids" uuid array NOT NULL, "reason" character varying(500) NOT NULL, "overridden_by" uuid NOT NULL, "overridden_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5aa93ab317714f295ef901a6eb4" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "meeting_invitee" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "meeting_id" uuid NOT NULL, "user_id" uuid, "unit_id" uuid, "response" character varying(16) NOT NULL DEFAULT \'pending\', "responded_by" uuid, "responded_at" TIMESTAMP WITH TIME ZONE, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "meeting_invitee_one_check" CHECK ((user_id IS NULL) <> (unit_id IS NULL)), CONSTRAINT "PK_e24acce90bb02a11e75648f151b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "meeting_invitee_user_idx" ON "meeting_invitee"  ("user_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "meeting_invitee_unit_idx" ON "meeting_invitee"  ("unit_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "meeting_invitee_unit_key" ON "meeting_invitee"  ("meeting_id", "unit_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "meeting_invitee_user_key" ON "meeting_invitee"  ("meeting_id", "user_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "case_plan" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "case_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT \'draft\', "follow_up_date" date, "overall_responsible_user_id" uuid, "other_measures" text, "agreed_at" TIMESTAMP WITH TIME ZONE, "agreed_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "REL_c1003b11494c5e2879012903f2" UNIQUE ("case_id"), CONSTRAINT "PK_c031c0fddbc6c916dec0a6b3b72" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "case_plan_case_key" ON "case_plan"  ("case_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "plan_goal" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "plan_id" uuid NOT NULL, "text" text NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a16a9956edffd8fe39929149145" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "plan_goal_plan_idx" ON "plan_goal"  ("plan_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "plan_review" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "plan_id" uuid NOT NULL, "progress_note" text NOT NULL, "goal_attainment" jsonb NOT NULL, "assessment_id" uuid, "next_follow_up" date, "reviewed_by" uuid NOT NULL, "reviewed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ffc8f8e5fadf93689577d0d7051" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "plan_review_plan_idx" ON "plan_review"  ("plan_id", "reviewed_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "plan_action" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "plan_id" uuid NOT NULL, "case_id" uuid NOT NULL, "goal_id" uuid, "what" text NOT NULL, "responsible_unit_id" uuid NOT NULL, "responsible_user_id" uuid, "due_date" date NOT NULL, "status" character varying(16) NOT NULL DEFAULT \'open\', "provider" character varying(16), "agenda_item_id" uuid, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7fe1efec53657bd0385369ad6e6" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "plan_action_owner_idx" ON "plan_action"  ("responsible_user_id", "status", "due_date") ',
    );
    await queryRunner.query(
      'CREATE INDEX "plan_action_plan_idx" ON "plan_action"  ("plan_id", "due_date") ',
    );
    await queryRunner.query(
      'CREATE TABLE "sig_age_exception" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "justification" text NOT NULL, "decided_by" uuid NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3d1ac320a3bfb2624249b6a87e2" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "sig_age_exception_case_idx" ON "sig_age_exception"  ("case_id", "decided_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "risk_factor_item" ("municipality_id" uuid NOT NULL, "code" character varying(40) NOT NULL, "label" character varying(200) NOT NULL, "kind" character varying(16) NOT NULL, "max_score" smallint NOT NULL, "position" smallint NOT NULL, CONSTRAINT "PK_d722c278212cb7fd914f8c6b0e4" PRIMARY KEY ("municipality_id", "code"))',
    );
    await queryRunner.query(
      'CREATE TABLE "risk_assessment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "case_id" uuid NOT NULL, "assessed_on" date NOT NULL, "scores" jsonb NOT NULL, "risk_score" integer NOT NULL, "protective_score" integer NOT NULL, "note" text, "assessed_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_864a35a16fcb683df546ac6134e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "risk_assessment_case_idx" ON "risk_assessment"  ("case_id", "assessed_on") ',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting" ADD CONSTRAINT "FK_b005a1a7c22fceca38497c4ff3c" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting" ADD CONSTRAINT "FK_7e442d99adce59df4214bc92060" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting" ADD CONSTRAINT "FK_907b6149727e31c360879976309" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting" ADD CONSTRAINT "FK_22ea11312e8ad65b1092d54c10a" FOREIGN KEY ("organiser_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "agenda_item" ADD CONSTRAINT "FK_4d88141b534e8aad85bb583eb3b" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "agenda_item" ADD CONSTRAINT "FK_f58ac531b39844ce46502be87bc" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "agenda_item" ADD CONSTRAINT "FK_ee984fae144d164bb887d6e3a5d" FOREIGN KEY ("legal_basis_id") REFERENCES "legal_basis"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "agenda_note" ADD CONSTRAINT "FK_60fab56b90a1db247cedfddf9eb" FOREIGN KEY ("agenda_item_id") REFERENCES "agenda_item"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "agenda_note" ADD CONSTRAINT "FK_2e36cdd7282ae475934438909ef" FOREIGN KEY ("entry_id") REFERENCES "case_entry"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "agenda_decision" ADD CONSTRAINT "FK_2fc035170d847bf250d9a2c15e4" FOREIGN KEY ("agenda_item_id") REFERENCES "agenda_item"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "calendar_feed" ADD CONSTRAINT "FK_29b8f216ae4f5fdd5bcc8de8112" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting_conflict_override" ADD CONSTRAINT "FK_161f551314fabce83f46eda8d0b" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting_invitee" ADD CONSTRAINT "FK_a49661a8b716afb26846f5d43a5" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting_invitee" ADD CONSTRAINT "FK_938066b523f1ae3ede9cd4e4a6f" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting_invitee" ADD CONSTRAINT "FK_80425d5d723f70546c4e4fd762d" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_plan" ADD CONSTRAINT "FK_c1003b11494c5e2879012903f24" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_plan" ADD CONSTRAINT "FK_37e0f20b001299f443ad085765e" FOREIGN KEY ("overall_responsible_user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_goal" ADD CONSTRAINT "FK_7b5e435848ff93a6a4b0f2268c6" FOREIGN KEY ("plan_id") REFERENCES "case_plan"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_review" ADD CONSTRAINT "FK_9f6cfccdb3975dbd87d2e363b0e" FOREIGN KEY ("plan_id") REFERENCES "case_plan"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_action" ADD CONSTRAINT "FK_285df8feb2922da120d9070a150" FOREIGN KEY ("plan_id") REFERENCES "case_plan"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_action" ADD CONSTRAINT "FK_9f3cddc9ef5d65bfaa104f8b2bc" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_action" ADD CONSTRAINT "FK_3f960e73dd5c337bb6994762746" FOREIGN KEY ("goal_id") REFERENCES "plan_goal"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_action" ADD CONSTRAINT "FK_a53d7353c30f8bc4085def85db6" FOREIGN KEY ("responsible_unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_action" ADD CONSTRAINT "FK_0e293c5a710069f5ee5fa679435" FOREIGN KEY ("responsible_user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "sig_age_exception" ADD CONSTRAINT "FK_cc9ef0c9fb876d12746de7802e1" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "risk_factor_item" ADD CONSTRAINT "FK_8dfd6e94c10eb64ac10b6f91802" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "risk_assessment" ADD CONSTRAINT "FK_0dd393f81f13df6d619bbe51a35" FOREIGN KEY ("case_id") REFERENCES "collab_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    // Whether information of a case in a category reaches a unit (of an agency) at a given time:
    // a statutory basis naming the agency, or a consent in force naming the agency or the unit and
    // the category. Evaluated at read time, so a revocation applies to the very next read.
    await queryRunner.query(createCheckFunction(CASE_INFO_COVERS, 'sql'));
    // The units taking part in a meeting: the organiser's, the invited users' and the invited units.
    await queryRunner.query(`CREATE FUNCTION meeting_units(p_meeting uuid)
      RETURNS TABLE (unit_id uuid, agency text) LANGUAGE sql STABLE AS $$
        SELECT u.id, u.agency FROM meeting m JOIN app_user au ON au.id = m.organiser_id
          JOIN unit u ON u.id = au.unit_id WHERE m.id = p_meeting
        UNION
        SELECT u.id, u.agency FROM meeting_invitee mi JOIN app_user au ON au.id = mi.user_id
          JOIN unit u ON u.id = au.unit_id WHERE mi.meeting_id = p_meeting
        UNION
        SELECT u.id, u.agency FROM meeting_invitee mi JOIN unit u ON u.id = mi.unit_id
          WHERE mi.meeting_id = p_meeting
      $$`);
    // Agenda items about a young person that some taking-part unit (outside the agency holding the
    // case) may not see at a given time. Empty when every item reaches everyone invited.
    await queryRunner.query(`CREATE FUNCTION meeting_uncovered(p_meeting uuid, p_at timestamptz)
      RETURNS TABLE (agenda_item_id uuid, unit_id uuid, agency text) LANGUAGE sql STABLE AS $$
        SELECT ai.id, mu.unit_id, mu.agency
        FROM agenda_item ai
        JOIN collab_case k ON k.id = ai.case_id
        JOIN unit ou ON ou.id = k.owning_unit_id
        CROSS JOIN meeting_units(p_meeting) mu
        WHERE ai.meeting_id = p_meeting AND mu.agency <> ou.agency
          AND NOT case_info_covers(ai.case_id, ai.category, ai.legal_basis_id, mu.agency, mu.unit_id, p_at)
      $$`);
    // A revoked consent hides agenda items from agencies at once (at read time); the organisers of
    // the meetings concerned are told through the outbox, in the transaction of the revocation.
    await queryRunner.query(`CREATE FUNCTION consent_revoked_agenda_notice() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO outbox_event (municipality_id, topic, aggregate_id, type, payload)
        SELECT m.municipality_id, 'meeting', m.id, 'agenda.hidden',
               jsonb_build_object('meetingId', m.id, 'organiserId', m.organiser_id, 'caseId', NEW.case_id,
                                  'consentId', NEW.id, 'items', hidden.items)
        FROM meeting m
        CROSS JOIN LATERAL (
          SELECT jsonb_agg(jsonb_build_object('agendaItemId', h.agenda_item_id, 'hiddenFrom', h.agencies)) AS items
          FROM (
            SELECT u.agenda_item_id, jsonb_agg(DISTINCT u.agency) AS agencies
            FROM meeting_uncovered(m.id, now()) u JOIN agenda_item ai ON ai.id = u.agenda_item_id
            WHERE ai.case_id = NEW.case_id GROUP BY u.agenda_item_id
          ) h
        ) hidden
        WHERE m.status = 'scheduled' AND hidden.items IS NOT NULL
          AND EXISTS (SELECT 1 FROM agenda_item ai WHERE ai.meeting_id = m.id AND ai.case_id = NEW.case_id);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER consent_revoked_agenda_notice AFTER UPDATE OF revoked_at ON consent
      FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
      EXECUTE FUNCTION consent_revoked_agenda_notice()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER consent_revoked_agenda_notice ON consent');
    await queryRunner.query('DROP FUNCTION consent_revoked_agenda_notice()');
    await queryRunner.query('DROP FUNCTION meeting_uncovered(uuid, timestamptz)');
    await queryRunner.query('DROP FUNCTION meeting_units(uuid)');
    await queryRunner.query(
      'DROP FUNCTION case_info_covers(uuid, text, uuid, text, uuid, timestamptz)',
    );
    await queryRunner.query('DROP TABLE "meeting"');
    await queryRunner.query('DROP INDEX "public"."meeting_case_idx"');
    await queryRunner.query('DROP INDEX "public"."meeting_organiser_idx"');
    await queryRunner.query('DROP INDEX "public"."meeting_time_idx"');
    await queryRunner.query('DROP TABLE "agenda_item"');
    await queryRunner.query('DROP INDEX "public"."agenda_item_case_idx"');
    await queryRunner.query('DROP INDEX "public"."agenda_item_meeting_idx"');
    await queryRunner.query('DROP TABLE "agenda_note"');
    await queryRunner.query('DROP INDEX "public"."agenda_note_item_idx"');
    await queryRunner.query('DROP TABLE "agenda_decision"');
    await queryRunner.query('DROP INDEX "public"."agenda_decision_item_idx"');
    await queryRunner.query('DROP TABLE "calendar_feed"');
    await queryRunner.query('DROP INDEX "public"."calendar_feed_token_key"');
    await queryRunner.query('DROP TABLE "meeting_conflict_override"');
    await queryRunner.query('DROP TABLE "meeting_invitee"');
    await queryRunner.query('DROP INDEX "public"."meeting_invitee_user_idx"');
    await queryRunner.query('DROP INDEX "public"."meeting_invitee_unit_idx"');
    await queryRunner.query('DROP INDEX "public"."meeting_invitee_unit_key"');
    await queryRunner.query('DROP INDEX "public"."meeting_invitee_user_key"');
    await queryRunner.query('DROP TABLE "case_plan"');
    await queryRunner.query('DROP INDEX "public"."case_plan_case_key"');
    await queryRunner.query('DROP TABLE "plan_goal"');
    await queryRunner.query('DROP INDEX "public"."plan_goal_plan_idx"');
    await queryRunner.query('DROP TABLE "plan_review"');
    await queryRunner.query('DROP INDEX "public"."plan_review_plan_idx"');
    await queryRunner.query('DROP TABLE "plan_action"');
    await queryRunner.query('DROP INDEX "public"."plan_action_owner_idx"');
    await queryRunner.query('DROP INDEX "public"."plan_action_plan_idx"');
    await queryRunner.query('DROP TABLE "sig_age_exception"');
    await queryRunner.query('DROP INDEX "public"."sig_age_exception_case_idx"');
    await queryRunner.query('DROP TABLE "risk_factor_item"');
    await queryRunner.query('DROP TABLE "risk_assessment"');
    await queryRunner.query('DROP INDEX "public"."risk_assessment_case_idx"');
    await queryRunner.query(
      'ALTER TABLE "meeting" DROP CONSTRAINT "FK_b005a1a7c22fceca38497c4ff3c"',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting" DROP CONSTRAINT "FK_7e442d99adce59df4214bc92060"',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting" DROP CONSTRAINT "FK_907b6149727e31c360879976309"',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting" DROP CONSTRAINT "FK_22ea11312e8ad65b1092d54c10a"',
    );
    await queryRunner.query(
      'ALTER TABLE "agenda_item" DROP CONSTRAINT "FK_4d88141b534e8aad85bb583eb3b"',
    );
    await queryRunner.query(
      'ALTER TABLE "agenda_item" DROP CONSTRAINT "FK_f58ac531b39844ce46502be87bc"',
    );
    await queryRunner.query(
      'ALTER TABLE "agenda_item" DROP CONSTRAINT "FK_ee984fae144d164bb887d6e3a5d"',
    );
    await queryRunner.query(
      'ALTER TABLE "agenda_note" DROP CONSTRAINT "FK_60fab56b90a1db247cedfddf9eb"',
    );
    await queryRunner.query(
      'ALTER TABLE "agenda_note" DROP CONSTRAINT "FK_2e36cdd7282ae475934438909ef"',
    );
    await queryRunner.query(
      'ALTER TABLE "agenda_decision" DROP CONSTRAINT "FK_2fc035170d847bf250d9a2c15e4"',
    );
    await queryRunner.query(
      'ALTER TABLE "calendar_feed" DROP CONSTRAINT "FK_29b8f216ae4f5fdd5bcc8de8112"',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting_conflict_override" DROP CONSTRAINT "FK_161f551314fabce83f46eda8d0b"',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting_invitee" DROP CONSTRAINT "FK_a49661a8b716afb26846f5d43a5"',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting_invitee" DROP CONSTRAINT "FK_938066b523f1ae3ede9cd4e4a6f"',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting_invitee" DROP CONSTRAINT "FK_80425d5d723f70546c4e4fd762d"',
    );
    await queryRunner.query(
      'ALTER TABLE "case_plan" DROP CONSTRAINT "FK_c1003b11494c5e2879012903f24"',
    );
    await queryRunner.query(
      'ALTER TABLE "case_plan" DROP CONSTRAINT "FK_37e0f20b001299f443ad085765e"',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_goal" DROP CONSTRAINT "FK_7b5e435848ff93a6a4b0f2268c6"',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_review" DROP CONSTRAINT "FK_9f6cfccdb3975dbd87d2e363b0e"',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_action" DROP CONSTRAINT "FK_285df8feb2922da120d9070a150"',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_action" DROP CONSTRAINT "FK_9f3cddc9ef5d65bfaa104f8b2bc"',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_action" DROP CONSTRAINT "FK_3f960e73dd5c337bb6994762746"',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_action" DROP CONSTRAINT "FK_a53d7353c30f8bc4085def85db6"',
    );
    await queryRunner.query(
      'ALTER TABLE "plan_action" DROP CONSTRAINT "FK_0e293c5a710069f5ee5fa679435"',
    );
    await queryRunner.query(
      'ALTER TABLE "sig_age_exception" DROP CONSTRAINT "FK_cc9ef0c9fb876d12746de7802e1"',
    );
    await queryRunner.query(
      'ALTER TABLE "risk_factor_item" DROP CONSTRAINT "FK_8dfd6e94c10eb64ac10b6f91802"',
    );
    await queryRunner.query(
      'ALTER TABLE "risk_assessment" DROP CONSTRAINT "FK_0dd393f81f13df6d619bbe51a35"',
    );
  }
}
