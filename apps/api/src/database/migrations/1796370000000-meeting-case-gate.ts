import type { MigrationInterface, QueryRunner } from 'typeorm';

const ITEMS = `SELECT ai.id, mu.unit_id, mu.agency
    FROM agenda_item ai
    JOIN collab_case k ON k.id = ai.case_id
    CROSS JOIN meeting_units(p_meeting) mu
    WHERE ai.meeting_id = p_meeting AND mu.unit_id <> k.owning_unit_id
      AND NOT case_info_covers(ai.case_id, ai.category, ai.legal_basis_id, mu.agency, mu.unit_id, p_at)`;

const define = (
  body: string,
) => `CREATE OR REPLACE FUNCTION meeting_uncovered(p_meeting uuid, p_at timestamptz)
  RETURNS TABLE (agenda_item_id uuid, unit_id uuid, agency text) LANGUAGE sql STABLE AS $$
    ${body}
  $$`;

/**
 * A network, SIG or SIP meeting is about one young person: a unit taking part that has no part in
 * the meeting's case (not the unit holding it, not a participating unit) and no consent in force
 * or basis covering it for the case would learn of the case from the invitation. Such units are
 * now uncovered too (with no agenda item), so the gate refuses to invite them.
 */
export class MeetingCaseGate1796370000000 implements MigrationInterface {
  name = 'MeetingCaseGate1796370000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      define(`${ITEMS}
    UNION ALL
    SELECT NULL::uuid, mu.unit_id, mu.agency
    FROM meeting m
    JOIN collab_case k ON k.id = m.case_id
    CROSS JOIN meeting_units(p_meeting) mu
    WHERE m.id = p_meeting AND mu.unit_id <> k.owning_unit_id
      AND NOT EXISTS (SELECT 1 FROM case_unit cu WHERE cu.case_id = k.id AND cu.unit_id = mu.unit_id)
      AND NOT case_info_covers(k.id, 'general', NULL, mu.agency, mu.unit_id, p_at)`),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(define(ITEMS));
  }
}
