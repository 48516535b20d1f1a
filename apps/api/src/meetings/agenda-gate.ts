import { HttpStatus } from '@nestjs/common';
import type { AgencyType } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import { Problem } from '../common/problems.js';

const AGENCY_NAMES: Record<AgencyType, string> = {
  school: 'school',
  social_services: 'social services',
  police: 'police',
  leisure: 'leisure',
  health: 'health (BUP)',
};

/**
 * The consent gate: 409 naming the agencies (and units) that some agenda item about a young person
 * would reach without a consent in force or a statutory basis (of `itemIds`, for `unitIds`: the
 * items just added, or the units just invited). Run after the change inside its transaction, so
 * the refused change rolls back with it.
 */
export async function assertAgendaCovered(
  manager: EntityManager,
  meetingId: string,
  itemIds?: string[],
  unitIds?: string[],
): Promise<void> {
  const rows = await manager.query<{ agency: AgencyType; unit_name: string; category: string }[]>(
    `SELECT DISTINCT u.agency, un.name AS unit_name, COALESCE(ai.category, 'general') AS category
     FROM meeting_uncovered($1, now()) u JOIN unit un ON un.id = u.unit_id
     -- No item: the meeting's own case, which a consent covers for 'general'.
     LEFT JOIN agenda_item ai ON ai.id = u.agenda_item_id
     WHERE ($2::uuid[] IS NULL OR u.agenda_item_id = ANY($2::uuid[]))
       AND ($3::uuid[] IS NULL OR u.unit_id = ANY($3::uuid[]))
     ORDER BY u.agency, un.name, category`,
    [meetingId, itemIds ?? null, unitIds ?? null],
  );
  if (rows.length === 0) return;
  const agencies = [...new Set(rows.map((row) => row.agency))];
  const named = agencies.map(
    (agency) =>
      `${AGENCY_NAMES[agency]} (${[
        ...new Set(rows.filter((row) => row.agency === agency).map((row) => row.unit_name)),
      ].join(', ')})`,
  );
  // What a consent would have to name: the agencies (or units) and the items' categories.
  const categories = [...new Set(rows.map((row) => row.category))].sort();
  throw new Problem(
    HttpStatus.CONFLICT,
    'consent-not-covering',
    'Conflict',
    `No consent in force or legal basis covers every invited agency for this young person and ${categories.length === 1 ? 'the category' : 'the categories'} ${categories.join(', ')}: not covered: ${named.join('; ')}. A consent in force must name each agency (or unit) and ${categories.length === 1 ? 'the category' : 'each category'}; or leave them out`,
    agencies.map((agency) => ({ field: `agencies.${agency}`, reasons: ['not covered'] })),
  );
}
