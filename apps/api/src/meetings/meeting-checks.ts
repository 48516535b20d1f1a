import {
  MEETING_CASE_KIND,
  STAFF_ROLES,
  type MeetingInviteesInput,
  type MeetingKind,
} from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import { caseClosed, findCase } from '../cases/case-access.js';
import type { CaseRow } from '../cases/case-query.js';
import type { Actor } from '../common/actor.js';
import { namesRegisterPerson, refuseIdentityNumbers } from '../common/identifying-text.js';
import { fieldError, namesPersonError } from '../common/problems.js';

/** `endsAt` after `startsAt`, both real instants. */
export function checkTimes(startsAt: Date, endsAt: Date): void {
  if (Number.isNaN(startsAt.getTime())) throw fieldError('startsAt', 'startsAt is not a real time');
  if (Number.isNaN(endsAt.getTime())) throw fieldError('endsAt', 'endsAt is not a real time');
  if (endsAt <= startsAt) throw fieldError('endsAt', 'endsAt must be after startsAt');
  // A meeting is a day's business at most, and booked within a planning horizon: a mistyped
  // year would otherwise book its invitees for a century.
  if (endsAt.getTime() - startsAt.getTime() > MAX_LENGTH_MS)
    throw fieldError('endsAt', 'a meeting lasts at most 24 hours');
  const horizon = new Date();
  horizon.setUTCFullYear(horizon.getUTCFullYear() + HORIZON_YEARS);
  if (startsAt > horizon)
    throw fieldError('startsAt', `a meeting is booked at most ${HORIZON_YEARS} years ahead`);
}

const MAX_LENGTH_MS = 24 * 3600_000;
const HORIZON_YEARS = 5;

/** The case of a network, SIG or SIP meeting, of the matching kind; none for the others. */
export async function checkMeetingCase(
  manager: EntityManager,
  actor: Actor,
  kind: MeetingKind,
  caseId: string | undefined,
  areaId: string,
): Promise<CaseRow | null> {
  const caseKind = MEETING_CASE_KIND[kind];
  if (!caseId) {
    if (caseKind === null) return null;
    throw fieldError(
      'caseId',
      `a ${kind} meeting is about one young person: name its ${caseKind} case`,
    );
  }
  if (caseKind === null) {
    throw fieldError(
      'caseId',
      kind === 'area'
        ? 'an area-level meeting is about places and groups, never one young person'
        : 'a working-group meeting takes its young people as agenda items, not as the meeting’s case',
    );
  }
  const kase = await findCase(manager, actor, caseId);
  if (kase.kind !== caseKind) {
    throw fieldError(
      'caseId',
      `a ${kind} meeting needs a ${caseKind} case, not a ${kase.kind} case`,
    );
  }
  if (kase.status === 'closed') throw caseClosed();
  // Filed under the case's own area: that area's coordinators, and no other's, know of it.
  if (kase.area_id !== areaId) {
    throw fieldError('areaId', 'a meeting about a case belongs to the case’s area');
  }
  return kase;
}

/**
 * The users' and units' rows; 400 unless all are active users / units of the municipality, and
 * every user invited by name works with young people: administrators and auditors never take part
 * in a meeting (they could neither read nor answer it). `prefix` is where the lists sit in the
 * request (`invitees.` when calling a meeting, nothing when inviting to one), for the field named.
 */
export async function checkInvitees(
  manager: EntityManager,
  municipalityId: string,
  invitees: MeetingInviteesInput | undefined,
  prefix = 'invitees.',
): Promise<{ userIds: string[]; unitIds: string[] }> {
  const userIds = invitees?.userIds ?? [];
  const unitIds = invitees?.unitIds ?? [];
  if (userIds.length > 0) {
    const rows = await manager.query<{ staff: boolean }[]>(
      `SELECT roles && $3::varchar[] AS staff FROM app_user
       WHERE id = ANY($1::uuid[]) AND municipality_id = $2 AND status = 'active'`,
      [userIds, municipalityId, STAFF_ROLES],
    );
    if (rows.length !== userIds.length)
      throw fieldError(
        `${prefix}userIds`,
        'every invitee must be an active user of your municipality',
      );
    if (rows.some((row) => !row.staff))
      throw fieldError(
        `${prefix}userIds`,
        'administrators and auditors cannot be invited to a meeting: only staff who work with young people',
      );
  }
  if (unitIds.length > 0) {
    const [{ count }] = await manager.query<[{ count: number }]>(
      'SELECT count(*)::int AS count FROM unit WHERE id = ANY($1::uuid[]) AND municipality_id = $2',
      [unitIds, municipalityId],
    );
    if (count !== unitIds.length)
      throw fieldError(
        `${prefix}unitIds`,
        'every invited unit must be a unit of your municipality',
      );
  }
  return { userIds, unitIds };
}

/**
 * What a meeting's own text (title, place, video link, cancel reason, the reason it was booked
 * over a conflict, an agenda item's title) may say about people; it reaches every invitee, their
 * calendars and notifications. Never an identity number; at an area-level meeting no one of the
 * person register; at any other no one with a protected identity (invitees are not all cleared),
 * and, at a meeting about a protected young person's case (`casePersonId`), not their given name
 * either. A 400 names the field.
 */
export async function checkMeetingText(
  manager: EntityManager,
  municipalityId: string,
  kind: MeetingKind,
  fields: Record<string, string | null | undefined>,
  casePersonId: string | null = null,
): Promise<void> {
  for (const [field, text] of Object.entries(fields)) {
    if (!text) continue;
    refuseIdentityNumbers(field, text);
    const area = kind === 'area';
    const options = { onlyProtected: !area, except: area ? null : casePersonId };
    const named = await namesRegisterPerson(manager, municipalityId, text, options);
    if (named) {
      throw namesPersonError(
        field,
        area
          ? `an area-level meeting takes nothing that identifies a person: ${field} names a person in the register`
          : `${field} names a person who may not be named in a meeting`,
        named,
      );
    }
  }
}
