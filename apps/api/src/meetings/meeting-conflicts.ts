import { HttpStatus } from '@nestjs/common';
import type { MeetingConflict } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import { Problem } from '../common/problems.js';
import { meetingReachesUserSql } from './meeting-query.js';
import { stockholmSpan } from './meeting-time.js';

/**
 * Users already booked in another scheduled meeting overlapping [startsAt, endsAt): organising it,
 * invited by name and not declined, or having accepted (or tentatively accepted) an invitation of
 * their unit for it — the user who answers for an invited unit is the one who goes. (The other
 * users of an invited unit are not booked: the unit sends whom it chooses.) Instants are compared,
 * so offsets and daylight-saving changes do not matter; back-to-back meetings do not overlap.
 * Only meetings that still reach the user count (one whose case a revoked consent closed to
 * their unit no longer books them: they could not even decline it).
 */
export async function findConflicts(
  manager: EntityManager,
  municipalityId: string,
  userIds: string[],
  startsAt: Date,
  endsAt: Date,
  exceptMeetingId: string | null,
): Promise<MeetingConflict[]> {
  if (userIds.length === 0) return [];
  const rows = await manager.query<
    { user_id: string; name: string; starts_at: Date; ends_at: Date }[]
  >(
    `SELECT DISTINCT u.id AS user_id, u.display_name AS name, m.starts_at, m.ends_at
     FROM meeting m JOIN app_user u ON u.id = ANY($1::uuid[])
     WHERE m.municipality_id = $2 AND m.status = 'scheduled' AND m.id IS DISTINCT FROM $3::uuid
       AND tstzrange(m.starts_at, m.ends_at) && tstzrange($4::timestamptz, $5::timestamptz)
       AND (m.organiser_id = u.id OR EXISTS (
         SELECT 1 FROM meeting_invitee mi WHERE mi.meeting_id = m.id
           AND ((mi.user_id = u.id AND mi.response <> 'declined')
             OR (mi.unit_id IS NOT NULL AND mi.responded_by = u.id
                 AND mi.response IN ('accepted', 'tentative')))))
       AND ${meetingReachesUserSql}
     ORDER BY m.starts_at, u.display_name`,
    [userIds, municipalityId, exceptMeetingId, startsAt, endsAt],
  );
  return rows.map((row) => ({
    userId: row.user_id,
    name: row.name,
    busyFrom: row.starts_at.toISOString(),
    busyUntil: row.ends_at.toISOString(),
  }));
}

/** 409 listing who is busy when; the organiser may resend with `overrideConflicts`. */
export function conflictProblem(conflicts: MeetingConflict[]): Problem {
  const lines = conflicts.map(
    (conflict) =>
      `${conflict.name} is booked ${stockholmSpan(new Date(conflict.busyFrom), new Date(conflict.busyUntil))}`,
  );
  return new Problem(
    HttpStatus.CONFLICT,
    'schedule-conflict',
    'Conflict',
    `Invitees are already booked at that time: ${lines.join('; ')}. Send overrideConflicts with a reason to book anyway`,
    conflicts.map((conflict, index) => ({
      field: `conflicts.${conflict.userId}`,
      reasons: [lines[index]!],
    })),
  );
}

/**
 * Who a meeting's new time must suit: its organiser, the users invited by name, and the users who
 * accepted (or tentatively accepted) for their invited unit.
 */
export async function attendeesOf(
  manager: EntityManager,
  meetingId: string,
  organiserId: string,
): Promise<string[]> {
  const rows = await manager.query<{ user_id: string }[]>(
    `SELECT user_id FROM meeting_invitee WHERE meeting_id = $1 AND user_id IS NOT NULL
     UNION
     SELECT responded_by FROM meeting_invitee WHERE meeting_id = $1 AND unit_id IS NOT NULL
       AND responded_by IS NOT NULL AND response IN ('accepted', 'tentative')`,
    [meetingId],
  );
  return [...new Set([organiserId, ...rows.map((row) => row.user_id)])];
}
