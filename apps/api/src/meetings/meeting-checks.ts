import {
  MEETING_CASE_KIND,
  parseIdentityNumber,
  type MeetingInviteesInput,
  type MeetingKind,
} from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import { findCase } from '../cases/case-access.js';
import type { CaseRow } from '../cases/case-query.js';
import type { Actor } from '../common/actor.js';
import { conflict, fieldError } from '../common/problems.js';

/** `endsAt` after `startsAt`, both real instants. */
export function checkTimes(startsAt: Date, endsAt: Date): void {
  if (Number.isNaN(startsAt.getTime())) throw fieldError('startsAt', 'startsAt is not a real time');
  if (Number.isNaN(endsAt.getTime())) throw fieldError('endsAt', 'endsAt is not a real time');
  if (endsAt <= startsAt) throw fieldError('endsAt', 'endsAt must be after startsAt');
}

/** The case of a network, SIG or SIP meeting, of the matching kind; none for the others. */
export async function checkMeetingCase(
  manager: EntityManager,
  actor: Actor,
  kind: MeetingKind,
  caseId: string | undefined,
): Promise<CaseRow | null> {
  const caseKind = MEETING_CASE_KIND[kind];
  if (!caseId) return null;
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
  if (kase.status === 'closed') throw conflict('The case is closed', 'case-closed');
  return kase;
}

/** The users' and units' rows; 400 unless all are active users / units of the municipality. */
export async function checkInvitees(
  manager: EntityManager,
  municipalityId: string,
  invitees: MeetingInviteesInput | undefined,
): Promise<{ userIds: string[]; unitIds: string[] }> {
  const userIds = invitees?.userIds ?? [];
  const unitIds = invitees?.unitIds ?? [];
  if (userIds.length > 0) {
    const [{ count }] = await manager.query<[{ count: number }]>(
      "SELECT count(*)::int AS count FROM app_user WHERE id = ANY($1::uuid[]) AND municipality_id = $2 AND status = 'active'",
      [userIds, municipalityId],
    );
    if (count !== userIds.length)
      throw fieldError(
        'invitees.userIds',
        'every invitee must be an active user of your municipality',
      );
  }
  if (unitIds.length > 0) {
    const [{ count }] = await manager.query<[{ count: number }]>(
      'SELECT count(*)::int AS count FROM unit WHERE id = ANY($1::uuid[]) AND municipality_id = $2',
      [unitIds, municipalityId],
    );
    if (count !== unitIds.length)
      throw fieldError(
        'invitees.unitIds',
        'every invited unit must be a unit of your municipality',
      );
  }
  return { userIds, unitIds };
}

const NUMBER_LIKE = /\d{6}(\d{2})?[-+ ]?\d{4}/g;

/** 400 when text (e.g. of an area-level meeting) carries a Swedish identity number. */
export function refuseIdentityNumbers(field: string, text: string | undefined): void {
  for (const match of text?.match(NUMBER_LIKE) ?? []) {
    if (parseIdentityNumber(match).ok) {
      throw fieldError(field, `${field} must not contain an identity number`);
    }
  }
}
