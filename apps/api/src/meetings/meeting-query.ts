import {
  accessibleWhere,
  caseOpenToUnitSql,
  MEETING_SQL_FIELDS,
  type Action,
} from '@samverka/authz';
import {
  MEETING_TIME_ZONE,
  STAFF_ROLES,
  type AgencyType,
  type MeetingKind,
  type MeetingResponse,
  type MeetingStatus,
  type RsvpResponse,
} from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { forbidden, notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { stockholmLocal } from './meeting-time.js';

export const MEETING_COLUMNS = `m.id, m.municipality_id, m.kind, m.title, m.area_id, m.case_id, m.status, m.cancel_reason,
  m.starts_at, m.ends_at, m.place, m.video_link, m.organiser_id, m.created_at, m.updated_at,
  (SELECT k.person_id FROM collab_case k WHERE k.id = m.case_id) AS person_id`;

export interface MeetingRow {
  id: string;
  municipality_id: string;
  kind: MeetingKind;
  title: string;
  area_id: string;
  case_id: string | null;
  status: MeetingStatus;
  cancel_reason: string | null;
  starts_at: Date;
  ends_at: Date;
  place: string | null;
  video_link: string | null;
  organiser_id: string;
  created_at: Date;
  updated_at: Date;
  /** The young person of the meeting's case, for the audit trail (never shown). */
  person_id: string | null;
}

/** The meetings (`meeting m`) the actor may `action`, always within their municipality. */
export function meetingWhere(actor: Actor, action: Action, params: SqlParams): string {
  const tenant = `m.municipality_id = ${params.bind(actor.principal.municipalityId)}`;
  return `${tenant} AND ${accessibleWhere(actor.ability, action, 'Meeting', MEETING_SQL_FIELDS, params.bind)}`;
}

const STAFF = `ARRAY[${STAFF_ROLES.map((role) => `'${role}'`).join(', ')}]::varchar[]`;

/**
 * Whether meeting `m` reaches user `u` (`app_user u`) where no request's ability is at hand (the
 * calendar feed, reminders, live events), by the policy's rule: an active staff user of its
 * municipality who organises it, or who is invited (by name or through their unit) while its case,
 * if it has one, is open to their unit.
 */
export const meetingReachesUserSql = `(u.status = 'active' AND u.roles && ${STAFF}
  AND u.municipality_id = m.municipality_id
  AND (m.organiser_id = u.id OR (
    EXISTS (SELECT 1 FROM meeting_invitee ri WHERE ri.meeting_id = m.id AND (ri.user_id = u.id OR ri.unit_id = u.unit_id))
    AND (m.case_id IS NULL OR ${caseOpenToUnitSql('m.case_id', 'u.unit_id')}))))`;

/**
 * One meeting the actor may know exists (404 otherwise), locked when `lock` is set; with an
 * `action` beyond reading, a visible meeting the actor may not do that to is a 403.
 */
export async function findMeeting(
  manager: EntityManager,
  actor: Actor,
  meetingId: string,
  options: { lock?: boolean; action?: 'update' | 'respond' } = {},
): Promise<MeetingRow> {
  const params = new SqlParams([meetingId]);
  const [row] = await manager.query<MeetingRow[]>(
    `SELECT ${MEETING_COLUMNS} FROM meeting m WHERE m.id = $1 AND ${meetingWhere(actor, 'read', params)}
     ${options.lock ? 'FOR UPDATE OF m' : ''}`,
    params.values,
  );
  if (!row) throw notFound('The meeting');
  if (options.action) {
    const allowed = new SqlParams([meetingId]);
    const [ok] = await manager.query<unknown[]>(
      `SELECT 1 FROM meeting m WHERE m.id = $1 AND ${meetingWhere(actor, options.action, allowed)}`,
      allowed.values,
    );
    if (!ok) {
      throw forbidden(
        options.action === 'respond'
          ? 'Only invitees answer an invitation'
          : 'Only the organiser or a coordinator of the area may change this meeting',
      );
    }
  }
  return row;
}

interface InviteeJson {
  id: string;
  user_id: string | null;
  unit_id: string | null;
  name: string;
  agency: AgencyType;
  response: RsvpResponse;
  responded_at: string | null;
}

interface OverrideJson {
  user_ids: string[];
  reason: string;
  overridden_by: string;
  overridden_at: string;
}

/** A meeting row with what its view shows, gathered by the same statement. */
export interface MeetingViewRow extends MeetingRow {
  organiser_name: string;
  invitees: InviteeJson[];
  overrides: OverrideJson[];
  notices: { agenda_item_id: string; hidden_from: AgencyType[] }[];
}

/**
 * Columns of `meeting m` for `MeetingViewRow`. Agenda items hidden from invited agencies (after a
 * revoked or expired consent) are listed for those who run the meeting only.
 */
export function meetingViewColumns(actor: Actor, params: SqlParams): string {
  const runs = accessibleWhere(actor.ability, 'update', 'Meeting', MEETING_SQL_FIELDS, params.bind);
  return `${MEETING_COLUMNS},
  (SELECT au.display_name FROM app_user au WHERE au.id = m.organiser_id) AS organiser_name,
  (SELECT COALESCE(json_agg(json_build_object('id', mi.id, 'user_id', mi.user_id, 'unit_id', mi.unit_id,
     'name', COALESCE(au.display_name, un.name), 'agency', COALESCE(aun.agency, un.agency),
     'response', mi.response, 'responded_at', mi.responded_at)
     ORDER BY mi.user_id IS NULL, COALESCE(au.display_name, un.name), mi.id), '[]')
   FROM meeting_invitee mi LEFT JOIN app_user au ON au.id = mi.user_id LEFT JOIN unit aun ON aun.id = au.unit_id
   LEFT JOIN unit un ON un.id = mi.unit_id WHERE mi.meeting_id = m.id) AS invitees,
  (SELECT COALESCE(json_agg(json_build_object('user_ids', o.user_ids, 'reason', o.reason,
     'overridden_by', o.overridden_by, 'overridden_at', o.overridden_at) ORDER BY o.overridden_at), '[]')
   FROM meeting_conflict_override o WHERE o.meeting_id = m.id) AS overrides,
  CASE WHEN ${runs} THEN (
    SELECT COALESCE(json_agg(json_build_object('agenda_item_id', x.agenda_item_id, 'hidden_from', x.agencies)
      ORDER BY x.agenda_item_id), '[]')
    FROM (SELECT u.agenda_item_id, array_agg(DISTINCT u.agency ORDER BY u.agency) AS agencies
          FROM meeting_uncovered(m.id, now()) u WHERE u.agenda_item_id IS NOT NULL
          GROUP BY u.agenda_item_id) x
  ) ELSE '[]' END AS notices`;
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

export function presentMeeting(row: MeetingViewRow): MeetingResponse {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    areaId: row.area_id,
    caseId: row.case_id,
    status: row.status,
    cancelReason: row.cancel_reason,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    startsAtLocal: stockholmLocal(row.starts_at),
    endsAtLocal: stockholmLocal(row.ends_at),
    timeZone: MEETING_TIME_ZONE,
    place: row.place,
    videoLink: row.video_link,
    organiserId: row.organiser_id,
    organiserName: row.organiser_name,
    invitees: row.invitees.map((invitee) => ({
      id: invitee.id,
      userId: invitee.user_id,
      unitId: invitee.unit_id,
      name: invitee.name,
      agency: invitee.agency,
      response: invitee.response,
      respondedAt: iso(invitee.responded_at),
    })),
    conflictOverrides: row.overrides.map((override) => ({
      userIds: override.user_ids,
      reason: override.reason,
      overriddenBy: override.overridden_by,
      overriddenAt: iso(override.overridden_at)!,
    })),
    agendaNotices: row.notices.map((notice) => ({
      agendaItemId: notice.agenda_item_id,
      hiddenFrom: notice.hidden_from,
    })),
    hiddenItems: row.notices.length,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
