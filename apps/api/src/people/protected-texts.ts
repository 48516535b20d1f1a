import { applyFieldMasks, type AppAbility } from '@samverka/authz';
import type { ProtectionLevel } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { AuditEntry } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import {
  compactName,
  compactNameSql,
  digitsOf,
  holdsStreet,
  namesRegisterPerson,
} from '../common/identifying-text.js';

/** What a hidden text reads instead. */
export const HIDDEN_TEXT = '[Dold: nämnde en person med skyddad identitet]';

/** What a record's text reads for a viewer not cleared for the protected person it names. */
export const HIDDEN_FOR_VIEWER =
  '[Dold: nämner en person med skyddad identitet som du inte har behörighet för; nödåtkomst visar texten]';

/**
 * Text shared beyond the people cleared for a person that may have named them before their
 * identity was protected: meetings (invitations and calendar feeds carry them) and the reasons they
 * were booked over a conflict, agenda items, decisions and notes about no case, notices, and what
 * every member of a case reads: its conversation and its plan (goals, actions, reviews, others'
 * measures). For
 * each, its rows of the municipality and what a field that names the person becomes (`null`: left
 * out); `touch`: the row's `updated_at` moves too.
 */
const SHARED_TEXTS: {
  recordType: string;
  table: string;
  select: string;
  fields: Record<string, string | null>;
  touch?: boolean;
}[] = [
  {
    recordType: 'Meeting',
    table: 'meeting',
    select:
      'SELECT id, title, place, video_link, cancel_reason, (SELECT ck.person_id FROM collab_case ck WHERE ck.id = meeting.case_id) AS case_person FROM meeting WHERE municipality_id = $1',
    // A cancelled meeting still shows that a reason was given.
    fields: { title: HIDDEN_TEXT, place: null, video_link: null, cancel_reason: HIDDEN_TEXT },
  },
  {
    recordType: 'MeetingConflictOverride',
    table: 'meeting_conflict_override',
    select: `SELECT o.id, o.reason, o.meeting_id, (SELECT ck.person_id FROM collab_case ck WHERE ck.id = m.case_id) AS case_person FROM meeting_conflict_override o
             JOIN meeting m ON m.id = o.meeting_id WHERE m.municipality_id = $1`,
    fields: { reason: HIDDEN_TEXT },
  },
  {
    recordType: 'AgendaItem',
    table: 'agenda_item',
    select: `SELECT id, title, meeting_id, (SELECT ck.person_id FROM collab_case ck WHERE ck.id = agenda_item.case_id) AS case_person FROM agenda_item
             WHERE municipality_id = $1`,
    fields: { title: HIDDEN_TEXT },
  },
  {
    recordType: 'AgendaDecision',
    table: 'agenda_decision',
    select: `SELECT d.id, d.text, i.meeting_id, (SELECT ck.person_id FROM collab_case ck WHERE ck.id = i.case_id) AS case_person FROM agenda_decision d
             JOIN agenda_item i ON i.id = d.agenda_item_id WHERE i.municipality_id = $1`,
    fields: { text: HIDDEN_TEXT },
  },
  {
    recordType: 'AgendaNote',
    table: 'agenda_note',
    // A note about a case is a case entry, under the case's own rules.
    select: `SELECT n.id, n.body, i.meeting_id FROM agenda_note n
             JOIN agenda_item i ON i.id = n.agenda_item_id
             WHERE n.municipality_id = $1 AND n.entry_id IS NULL`,
    fields: { body: HIDDEN_TEXT },
  },
  {
    recordType: 'Notice',
    table: 'notice',
    select: `SELECT id, title, body, harm_assessment, (SELECT ck.person_id FROM collab_case ck WHERE ck.id = notice.case_id) AS case_person FROM notice WHERE municipality_id = $1`,
    fields: { title: HIDDEN_TEXT, body: HIDDEN_TEXT, harm_assessment: HIDDEN_TEXT },
  },
  {
    // A case's conversation: every member reads it, cleared or not. (Its case id goes by another
    // name: the plan's cases are told of their plan's change.)
    recordType: 'Message',
    table: 'case_message',
    select: `SELECT m.id, m.body, m.case_id AS message_case, k.person_id AS case_person FROM case_message m
             JOIN collab_case k ON k.id = m.case_id WHERE m.municipality_id = $1`,
    fields: { body: HIDDEN_TEXT },
  },
  {
    recordType: 'Plan',
    table: 'case_plan',
    select: `SELECT id, other_measures, case_id, (SELECT ck.person_id FROM collab_case ck WHERE ck.id = case_plan.case_id) AS case_person FROM case_plan
             WHERE municipality_id = $1`,
    fields: { other_measures: HIDDEN_TEXT },
  },
  {
    recordType: 'PlanGoal',
    table: 'plan_goal',
    select: `SELECT g.id, g.text, pl.case_id, (SELECT ck.person_id FROM collab_case ck WHERE ck.id = pl.case_id) AS case_person FROM plan_goal g
             JOIN case_plan pl ON pl.id = g.plan_id WHERE pl.municipality_id = $1`,
    fields: { text: HIDDEN_TEXT },
  },
  {
    recordType: 'PlanAction',
    table: 'plan_action',
    select: `SELECT id, what, case_id, (SELECT ck.person_id FROM collab_case ck WHERE ck.id = plan_action.case_id) AS case_person FROM plan_action
             WHERE municipality_id = $1`,
    fields: { what: HIDDEN_TEXT },
    touch: true,
  },
  {
    recordType: 'PlanReview',
    table: 'plan_review',
    select: `SELECT r.id, r.progress_note, pl.case_id, (SELECT ck.person_id FROM collab_case ck WHERE ck.id = pl.case_id) AS case_person FROM plan_review r
             JOIN case_plan pl ON pl.id = r.plan_id WHERE pl.municipality_id = $1`,
    fields: { progress_note: HIDDEN_TEXT },
  },
];

/** A person's name parts, street and number as the text checks read them (`compactName`). */
export interface PersonNames {
  id: string;
  /** Each given name and the whole of them. */
  given: string[];
  /** Each part of the family name and the whole of it. */
  family: string[];
  street: string;
  /** Their school, as names are compared ('' for none): in their own case's text it tells where they are. */
  school: string;
  /** The last ten digits of the number, or a reserve number's own digits. */
  digits: string;
  protectionLevel: ProtectionLevel;
}

/** The names of the people `where` (over `person p`) selects. */
export async function personNames(
  manager: EntityManager,
  where: string,
  params: unknown[],
): Promise<PersonNames[]> {
  const rows = await manager.query<
    {
      id: string;
      given_name: string;
      family_name: string;
      street: string;
      school: string;
      digits: string;
      identity_kind: string;
      protection_level: ProtectionLevel;
    }[]
  >(
    `SELECT p.id, p.given_name, p.family_name, p.identity_kind, p.protection_level,
            ${compactNameSql("split_part(COALESCE(p.address, ''), ',', 1)")} AS street,
            ${compactNameSql("COALESCE(p.school, '')")} AS school,
            regexp_replace(p.identity_number, '[^0-9]', '', 'g') AS digits
     FROM person p WHERE ${where}`,
    params,
  );
  const partsOf = (name: string) =>
    [name, ...name.split(/[\s-]+/)].map(compactName).filter((part) => part.length > 1);
  return rows.map((row) => ({
    id: row.id,
    given: partsOf(row.given_name),
    family: partsOf(row.family_name),
    street: row.street,
    school: row.school,
    digits: row.identity_kind === 'reserve' ? row.digits : row.digits.slice(-10),
    protectionLevel: row.protection_level,
  }));
}

/**
 * Of a municipality's people, those whose identity the viewer may not see: not cleared for them
 * (nor on emergency access), as the policy masks a person.
 */
export function hiddenFrom(
  ability: AppAbility,
  municipalityId: string,
  people: readonly PersonNames[],
): PersonNames[] {
  return people.filter(
    (person) =>
      applyFieldMasks(ability, 'Person', {
        id: person.id,
        municipalityId,
        protectionLevel: person.protectionLevel,
        givenName: '',
      }).masked,
  );
}

/**
 * A text as a viewer reads it: one that may name a protected person the viewer may not see
 * (`hidden`, from `hiddenFrom`; in the text of their own case, `ownId`, their given name alone
 * too) reads as {@link HIDDEN_FOR_VIEWER}, whichever case or record it was written in, and
 * whoever wrote it (an uncleared author too: that they tried is in the person's trail).
 */
export function textFor(
  text: string,
  ownId: string | null,
  hidden: readonly PersonNames[],
): string {
  return mayNameAny(text, hidden, ownId) ? HIDDEN_FOR_VIEWER : text;
}

/**
 * Whether a text may name one of the people: a part of their family name, their street or their
 * number as it reads (in their own case's text — `ownId` — a given name too). A cheap test that
 * errs towards yes; the text checks (`namesRegisterPerson`) decide.
 */
export function mayNameAny(
  text: string,
  people: readonly PersonNames[],
  ownId: string | null = null,
): boolean {
  if (people.length === 0) return false;
  const compact = compactName(text);
  const digits = digitsOf(text).replace(/ /g, '');
  return people.some(
    (person) =>
      (person.id === ownId &&
        (person.given.some((part) => compact.includes(part)) ||
          (person.school.length > 3 && compact.includes(person.school)))) ||
      person.family.some((part) => compact.includes(part)) ||
      (person.street.length > 3 && holdsStreet(compact, person.street)) ||
      (person.digits.length >= 4 && digits.includes(person.digits)),
  );
}

/**
 * Whether a search for `text` may find what names the person: it may name them (`mayNameAny`), or
 * it is a piece of their name or street ("Hemliga" of "Hemliga vägen 7", "Lin" of "Lind") or of
 * their number (four digits or more), which a search matches inside the text that names them.
 */
export function searchMayFind(text: string, person: PersonNames): boolean {
  const compact = compactName(text);
  const digits = digitsOf(text).replace(/ /g, '');
  return (
    mayNameAny(text, [person], person.id) ||
    (compact.length >= 3 &&
      [...person.given, ...person.family, person.street].some((part) => part.includes(compact))) ||
    (digits.length >= 4 && person.digits.includes(digits))
  );
}

/** Which version of a municipality's protected people there is (over the partial index). */
export const protectedVersionSql = (municipalityId: string) =>
  `(SELECT count(*) || ':' || COALESCE(max(pp.updated_at)::text, '') FROM person pp
    WHERE pp.municipality_id = ${municipalityId} AND pp.protection_level <> 'none')`;

/**
 * The names of each municipality's people with a protected identity, kept while their version
 * (how many, and the latest change to one: `protectedVersionSql`) stays the same.
 */
export class ProtectedPeople {
  private readonly byMunicipality = new Map<string, { version: string; people: PersonNames[] }>();
  private readonly hiddenByAbility = new WeakMap<
    AppAbility,
    { version: string; hidden: PersonNames[] }
  >();

  async of(manager: EntityManager, municipalityId: string, version: string) {
    const known = this.byMunicipality.get(municipalityId);
    if (known?.version === version) return known.people;
    const people = await personNames(
      manager,
      "p.municipality_id = $1 AND p.protection_level <> 'none'",
      [municipalityId],
    );
    this.byMunicipality.set(municipalityId, { version, people });
    return people;
  }

  /**
   * Those of the actor's municipality the actor may not see (`hiddenFrom`), at the version of
   * them a statement read (`protectedVersionSql`; read now when not given).
   */
  async hiddenFrom(manager: EntityManager, actor: Actor, version?: string) {
    const municipalityId = actor.principal.municipalityId;
    if (version === undefined) {
      [{ version }] = await manager.query<[{ version: string }]>(
        `SELECT ${protectedVersionSql('$1::uuid')} AS version`,
        [municipalityId],
      );
    }
    // Kept per ability (a user's, cached until their access changes) and version of the people.
    const known = this.hiddenByAbility.get(actor.ability);
    if (known?.version === version) return known.hidden;
    const hidden = hiddenFrom(
      actor.ability,
      municipalityId,
      await this.of(manager, municipalityId, version),
    );
    this.hiddenByAbility.set(actor.ability, { version, hidden });
    return hidden;
  }
}

interface Hidden {
  recordType: string;
  recordId: string;
  field: string;
  original: string;
}

/**
 * When a person's identity becomes protected, what was written about them before, while naming
 * them was allowed, must stop naming them too (a protected person never appears in meeting
 * invitations, calendar exports or notices): every shared text that names them — as the text
 * checks at writing would now refuse it — is replaced by {@link HIDDEN_TEXT} (places and links left
 * out). Nothing is lost: the original texts are kept in the audit event this returns (`details`,
 * which the audit API does not hand out). Answers the event (if anything was hidden), the
 * meetings whose text changed, for their invitees to be told, and the cases whose plan changed.
 */
export async function hideTextsNaming(
  manager: EntityManager,
  municipalityId: string,
  personId: string,
): Promise<{
  audit: AuditEntry[];
  meetingIds: string[];
  caseIds: string[];
  conversationCaseIds: string[];
}> {
  const [person] = await personNames(manager, 'p.id = $1', [personId]);
  if (!person) return { audit: [], meetingIds: [], caseIds: [], conversationCaseIds: [] };
  // Whatever names the person holds a part of their family name, their street or number as it
  // reads (in the text of their own case, a given name too: the case tells who is meant): a
  // cheap test first, then the same check the texts were written under, for this person alone.
  const mayName = (text: string, ownCase: boolean) =>
    mayNameAny(text, [person], ownCase ? person.id : null);
  const hidden: Hidden[] = [];
  const meetingIds = new Set<string>();
  const caseIds = new Set<string>();
  const conversationCaseIds = new Set<string>();
  for (const source of SHARED_TEXTS) {
    const rows = await manager.query<Record<string, string | null>[]>(source.select, [
      municipalityId,
    ]);
    for (const row of rows) {
      const changes: [string, string | null][] = [];
      for (const [field, replacement] of Object.entries(source.fields)) {
        const text = row[field];
        const ownCase = row.case_person === personId;
        if (!text || text === HIDDEN_TEXT || !mayName(text, ownCase)) continue;
        const options = { only: personId, except: ownCase ? personId : null };
        if (!(await namesRegisterPerson(manager, municipalityId, text, options))) continue;
        changes.push([field, replacement]);
        hidden.push({ recordType: source.recordType, recordId: row.id!, field, original: text });
      }
      if (changes.length === 0) continue;
      const set = changes.map(([field], i) => `${field} = $${i + 2}`);
      if (source.touch) set.push('updated_at = now()');
      await manager.query(`UPDATE ${source.table} SET ${set.join(', ')} WHERE id = $1`, [
        row.id,
        ...changes.map(([, replacement]) => replacement),
      ]);
      const meetingId = source.recordType === 'Meeting' ? row.id : row.meeting_id;
      if (meetingId) meetingIds.add(meetingId);
      if (row.case_id) caseIds.add(row.case_id);
      if (row.message_case) conversationCaseIds.add(row.message_case);
    }
  }
  if (meetingIds.size > 0) {
    await manager.query('UPDATE meeting SET updated_at = now() WHERE id = ANY($1::uuid[])', [
      [...meetingIds],
    ]);
  }
  if (caseIds.size > 0) {
    await manager.query('UPDATE case_plan SET updated_at = now() WHERE case_id = ANY($1::uuid[])', [
      [...caseIds],
    ]);
  }
  return {
    audit:
      hidden.length === 0
        ? []
        : [
            {
              action: 'person.texts_hidden',
              recordType: 'Person',
              recordId: personId,
              personId,
              details: { hidden },
            },
          ],
    meetingIds: [...meetingIds],
    caseIds: [...caseIds],
    conversationCaseIds: [...conversationCaseIds],
  };
}
