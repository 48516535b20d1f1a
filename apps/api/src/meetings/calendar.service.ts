import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  MEETING_KIND_LABELS,
  type CalendarFeedResponse,
  type MeetingKind,
} from '@samverka/contracts';
import ical, { ICalEventStatus } from 'ical-generator';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { looksLikeIdentityNumber, namesRegisterPerson } from '../common/identifying-text.js';
import { notFound } from '../common/problems.js';
import { meetingReachesUserSql } from './meeting-query.js';

/** The most recent meetings a feed carries (newest first). */
const FEED_SIZE = 500;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

interface FeedRow {
  id: string;
  kind: MeetingKind;
  status: string;
  starts_at: Date;
  ends_at: Date;
  place: string | null;
  video_link: string | null;
  updated_at: Date;
}

/**
 * Whether user `u` takes part in meeting `m` (which reaches them, `meetingReachesUserSql`): they
 * organise it, or they are invited and have not declined — by name, or through their unit while
 * neither the unit declined nor they declined an invitation of their own. The rule reminders use
 * (`recipientsOf` in meeting-reminders.service.ts); booking conflicts likewise treat a decline as
 * not taking part. A declined meeting is left out of the feed rather than sent as CANCELLED: a
 * subscribed calendar drops an event that leaves the feed (and brings it back if the answer
 * changes), while STATUS:CANCELLED would say the meeting itself was called off, which it was not.
 */
const takesPartSql = `(m.organiser_id = u.id OR EXISTS (
    SELECT 1 FROM meeting_invitee ti WHERE ti.meeting_id = m.id AND ti.response <> 'declined'
      AND (ti.user_id = u.id OR (ti.unit_id = u.unit_id AND NOT EXISTS (
        SELECT 1 FROM meeting_invitee own WHERE own.meeting_id = m.id AND own.user_id = u.id
          AND own.response = 'declined')))))`;

/**
 * Which of a meeting's texts (place, video link) may go into a feed, which is read outside
 * Samverka: none that carries an identity number or names anyone in the register (given and
 * family name together, a register number, or a protected person's family name or street address),
 * by the same word-aware rules that check a meeting's text when it is written (`checkMeetingText`
 * refuses these at an area-level meeting). The register changes after a meeting is written, so
 * the feed checks again; an ordinary place ("Biblioteket, Torget") or link passes. Each distinct
 * text is checked once per feed.
 */
function feedTextCheck(
  manager: EntityManager,
  municipalityId: string,
): (text: string | null) => Promise<string | null> {
  const checked = new Map<string, Promise<boolean>>();
  return async (text) => {
    if (text === null) return null;
    let fits = checked.get(text);
    if (fits === undefined) {
      fits = looksLikeIdentityNumber(text)
        ? Promise.resolve(false)
        : namesRegisterPerson(manager, municipalityId, text).then((names) => !names);
      checked.set(text, fits);
    }
    return (await fits) ? text : null;
  };
}

/**
 * Ends a user's feed address for good (only its hash is kept, so it cannot come back); answers
 * whether there was one. Revoking it and disabling the account both end it.
 */
export async function endCalendarFeed(manager: EntityManager, userId: string): Promise<boolean> {
  const removed = await manager.query<unknown[]>(
    'WITH removed AS (DELETE FROM calendar_feed WHERE user_id = $1 RETURNING user_id) SELECT * FROM removed',
    [userId],
  );
  return removed.length > 0;
}

/**
 * Per-user secret iCalendar feeds. Events carry the meeting's kind, time, place and a link, never
 * its title or agenda: nothing that could name a young person reaches a calendar. A feed holds the
 * meetings the user takes part in (organises, or is invited to by name or through their unit and
 * has not declined), not every meeting a coordinator may open in their area: a calendar says
 * where you are expected, and an address that leaks should give away as little as possible.
 */
@Injectable()
export class CalendarService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** A new secret address (any previous one stops working); only its hash is kept. */
  create(actor: Actor, baseUrl: string): Promise<CalendarFeedResponse> {
    return this.dataSource.transaction(async (manager) => {
      const token = randomBytes(32).toString('base64url');
      const [row] = await manager.query<{ created_at: Date }[]>(
        `INSERT INTO calendar_feed (user_id, token_hash) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()
         RETURNING created_at`,
        [actor.principal.userId, hash(token)],
      );
      await this.audit.record(manager, actor, [
        { action: 'calendar_feed.create', recordType: 'User', recordId: actor.principal.userId },
      ]);
      return {
        url: `${baseUrl}/api/v1/calendar/${token}.ics`,
        createdAt: row!.created_at.toISOString(),
      };
    });
  }

  revoke(actor: Actor): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await endCalendarFeed(manager, actor.principal.userId)))
        throw notFound('Your calendar feed');
      await this.audit.record(manager, actor, [
        { action: 'calendar_feed.revoke', recordType: 'User', recordId: actor.principal.userId },
      ]);
    });
  }

  /** The feed behind a secret address: 404 for an unknown, revoked or disabled user's address. */
  async feed(token: string, baseUrl: string): Promise<string> {
    if (!TOKEN.test(token)) throw notFound('The calendar');
    const manager = this.dataSource.manager;
    const [owner] = await manager.query<
      { user_id: string; municipality_id: string; unit_id: string }[]
    >(
      `SELECT u.id AS user_id, u.municipality_id, u.unit_id FROM calendar_feed f JOIN app_user u ON u.id = f.user_id
       WHERE f.token_hash = $1 AND u.status = 'active'`,
      [hash(token)],
    );
    if (!owner) throw notFound('The calendar');
    const rows = await manager.query<FeedRow[]>(
      `SELECT m.id, m.kind, m.status, m.starts_at, m.ends_at, m.updated_at, m.place, m.video_link
       FROM meeting m JOIN app_user u ON u.id = $2
       WHERE m.municipality_id = $1 AND ${meetingReachesUserSql} AND ${takesPartSql}
       ORDER BY m.starts_at DESC, m.id LIMIT ${FEED_SIZE}`,
      [owner.municipality_id, owner.user_id],
    );
    const fitting = feedTextCheck(manager, owner.municipality_id);
    for (const row of rows) {
      row.place = await fitting(row.place);
      row.video_link = await fitting(row.video_link);
    }
    await this.audit.recordAccess(
      manager,
      {
        municipalityId: owner.municipality_id,
        actorUserId: owner.user_id,
        actorUnitId: owner.unit_id,
        requestId: null,
      },
      [
        {
          action: 'calendar_feed.read',
          recordType: 'User',
          recordId: owner.user_id,
          details: { events: rows.length },
        },
      ],
    );
    const calendar = ical({
      name: 'Samverka',
      prodId: { company: 'Samverka', product: 'meetings', language: 'SV' },
    });
    for (const row of rows) {
      const link = `${baseUrl}/meetings/${row.id}`;
      calendar.createEvent({
        id: row.id,
        start: row.starts_at,
        end: row.ends_at,
        stamp: row.updated_at,
        summary: MEETING_KIND_LABELS[row.kind],
        location: row.place ?? row.video_link ?? null,
        url: row.video_link ?? link,
        description: `Öppna mötet i Samverka: ${link}`,
        status: row.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      });
    }
    return calendar.toString();
  }
}
