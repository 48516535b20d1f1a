import type { MigrationInterface, QueryRunner } from 'typeorm';

const uncovered = (
  holder: string,
) => `CREATE OR REPLACE FUNCTION meeting_uncovered(p_meeting uuid, p_at timestamptz)
  RETURNS TABLE (agenda_item_id uuid, unit_id uuid, agency text) LANGUAGE sql STABLE AS $$
    SELECT ai.id, mu.unit_id, mu.agency
    FROM agenda_item ai
    JOIN collab_case k ON k.id = ai.case_id
    JOIN unit ou ON ou.id = k.owning_unit_id
    CROSS JOIN meeting_units(p_meeting) mu
    WHERE ai.meeting_id = p_meeting AND ${holder}
      AND NOT case_info_covers(ai.case_id, ai.category, ai.legal_basis_id, mu.agency, mu.unit_id, p_at)
  $$`;

/**
 * An agenda item about a young person reaches, without a consent or a statutory basis, only the
 * unit that holds the case (it knows the case), no longer every unit of that agency: another
 * social-services office invited to the meeting needs a basis like anyone else.
 */
export class AgendaOwnerUnit1796360000000 implements MigrationInterface {
  name = 'AgendaOwnerUnit1796360000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(uncovered('mu.unit_id <> k.owning_unit_id'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(uncovered('mu.agency <> ou.agency'));
  }
}
