import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  MAX_MEETING_REMINDER_MINUTES,
  MEETING_KIND_LABELS,
  type MeetingKind,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { stockholmLocal, stockholmSpan } from './meeting-time.js';
import { meetingReachesUserSql } from './meeting-query.js';

/** Meetings claimed per transaction. */
const BATCH = 200;

interface Candidate {
  id: string;
  municipality_id: string;
  kind: MeetingKind;
  starts_at: Date;
  ends_at: Date;
  person_id: string | null;
  offset_minutes: number;
}

/**
 * Reminders before a meeting, at each of the municipality's offsets (`meetingReminderMinutes`,
 * by default 24 h and 1 h), to the organiser and every invitee who has not declined: users
 * invited by name, and the active users of invited units (unless the unit declined, or the user
 * declined an invitation of their own). Each exactly once however many replicas run this at the
 * same time, as the deadline reminders of concern reports: a runner claims meetings with
 * `FOR UPDATE SKIP LOCKED`, and a reminder goes out only from the transaction whose insert of its
 * key (meeting, start, offset) into `meeting_reminder` succeeds. The start is part of the key, so
 * a rescheduled meeting gets fresh reminders and the old start's are never due again; a cancelled
 * meeting gets none. When several offsets have passed at once (a meeting called at short notice, a
 * runner that was down), only the nearest one is sent.
 */
@Injectable()
export class MeetingRemindersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Sends every meeting reminder due at `now`; returns how many reminders (not notifications). */
  async runDue(now: Date = new Date()): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.dataSource.transaction((manager) => this.batch(manager, now));
      sent += batch.sent;
      if (batch.claimed < BATCH || batch.sent === 0) return sent;
    }
  }

  private async batch(
    manager: EntityManager,
    now: Date,
  ): Promise<{ claimed: number; sent: number }> {
    const candidates = await manager.query<Candidate[]>(
      `SELECT m.id, m.municipality_id, m.kind, m.starts_at, m.ends_at, d.offset_minutes,
              (SELECT k.person_id FROM collab_case k WHERE k.id = m.case_id) AS person_id
       FROM meeting m
       JOIN municipal_settings s ON s.municipality_id = m.municipality_id
       CROSS JOIN LATERAL (
         SELECT min(o) AS offset_minutes FROM unnest(s.meeting_reminder_minutes) AS o
         WHERE m.starts_at - make_interval(mins => o) <= $1::timestamptz) d
       WHERE m.status = 'scheduled' AND m.starts_at > $1::timestamptz
         AND m.starts_at <= $1::timestamptz + make_interval(mins => $2::int)
         AND d.offset_minutes IS NOT NULL
         AND NOT EXISTS (
           SELECT 1 FROM meeting_reminder r WHERE r.meeting_id = m.id
             AND r.starts_at = m.starts_at AND r.offset_minutes = d.offset_minutes)
       ORDER BY m.starts_at, m.id
       LIMIT ${BATCH}
       FOR UPDATE OF m SKIP LOCKED`,
      [now, MAX_MEETING_REMINDER_MINUTES],
    );
    if (candidates.length === 0) return { claimed: 0, sent: 0 };
    const claimed = await manager.query<{ meeting_id: string }[]>(
      `INSERT INTO meeting_reminder (meeting_id, starts_at, offset_minutes)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[])
       ON CONFLICT DO NOTHING
       RETURNING meeting_id`,
      [
        candidates.map((c) => c.id),
        candidates.map((c) => c.starts_at),
        candidates.map((c) => c.offset_minutes),
      ],
    );
    const mine = new Set(claimed.map((row) => row.meeting_id));
    await this.tell(
      manager,
      candidates.filter((c) => mine.has(c.id)),
    );
    return { claimed: candidates.length, sent: claimed.length };
  }

  /** Notifications (each with its outbox event) and audit events for the claimed reminders. */
  private async tell(manager: EntityManager, reminders: Candidate[]): Promise<void> {
    if (reminders.length === 0) return;
    const recipients = await recipientsOf(
      manager,
      reminders.map((r) => r.id),
    );
    await this.notifications.notify(
      manager,
      reminders.flatMap((reminder) =>
        (recipients.get(reminder.id) ?? []).map((userId) => ({
          municipalityId: reminder.municipality_id,
          userId,
          kind: 'meeting.reminder' as const,
          // The kind and time only: a title may name a young person.
          title: `Påminnelse: ${MEETING_KIND_LABELS[reminder.kind]} ${stockholmSpan(reminder.starts_at, reminder.ends_at)}`,
          recordType: 'Meeting',
          recordId: reminder.id,
          details: {
            meetingId: reminder.id,
            startsAt: reminder.starts_at.toISOString(),
            startsAtLocal: stockholmLocal(reminder.starts_at),
            offsetMinutes: reminder.offset_minutes,
          },
        })),
      ),
    );
    const byMunicipality = new Map<string, Candidate[]>();
    for (const reminder of reminders) {
      const group = byMunicipality.get(reminder.municipality_id) ?? [];
      group.push(reminder);
      byMunicipality.set(reminder.municipality_id, group);
    }
    for (const [municipalityId, group] of byMunicipality) {
      await this.audit.record(
        manager,
        { municipalityId, actorUserId: null, actorUnitId: null, requestId: null },
        group.map((reminder) => ({
          action: 'meeting.reminder',
          recordType: 'Meeting',
          recordId: reminder.id,
          personId: reminder.person_id,
          details: {
            startsAt: reminder.starts_at.toISOString(),
            offsetMinutes: reminder.offset_minutes,
            recipients: (recipients.get(reminder.id) ?? []).length,
          },
        })),
      );
    }
  }
}

/**
 * Who is reminded of each meeting: the organiser; users invited by name who have not declined;
 * active users of invited units that have not declined, except those who declined by name.
 */
async function recipientsOf(
  manager: EntityManager,
  meetingIds: string[],
): Promise<Map<string, string[]>> {
  const rows = await manager.query<{ meeting_id: string; user_id: string }[]>(
    `SELECT DISTINCT r.meeting_id, r.user_id FROM (
       SELECT m.id AS meeting_id, m.organiser_id AS user_id FROM meeting m WHERE m.id = ANY($1::uuid[])
       UNION
       SELECT mi.meeting_id, mi.user_id FROM meeting_invitee mi
       WHERE mi.meeting_id = ANY($1::uuid[]) AND mi.user_id IS NOT NULL AND mi.response <> 'declined'
       UNION
       SELECT mi.meeting_id, au.id FROM meeting_invitee mi JOIN app_user au ON au.unit_id = mi.unit_id
       WHERE mi.meeting_id = ANY($1::uuid[]) AND mi.response <> 'declined'
         AND NOT EXISTS (SELECT 1 FROM meeting_invitee own WHERE own.meeting_id = mi.meeting_id
                           AND own.user_id = au.id AND own.response = 'declined')
     ) r JOIN app_user u ON u.id = r.user_id JOIN meeting m ON m.id = r.meeting_id
     WHERE ${meetingReachesUserSql}
     ORDER BY r.meeting_id, r.user_id`,
    [meetingIds],
  );
  const recipients = new Map<string, string[]>();
  for (const row of rows) {
    const list = recipients.get(row.meeting_id) ?? [];
    list.push(row.user_id);
    recipients.set(row.meeting_id, list);
  }
  return recipients;
}
