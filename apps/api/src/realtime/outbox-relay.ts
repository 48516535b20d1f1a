import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SIG_RECORD_CATEGORY } from '@samverka/authz';
import {
  STAFF_ROLES,
  type AccessChangeReason,
  type MeetingChange,
  type SessionEnded,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { NoticesService } from '../notices/notices.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { RealtimeService } from './realtime.service.js';
import { meetingReachesUserSql } from '../meetings/meeting-query.js';

interface OutboxRow {
  id: string;
  type: string;
  aggregate_id: string;
  /** Ids and codes; `members` (the users a unit removal took out of the case) is a list. */
  payload: Record<string, string> & { members?: string[] };
  fresh: boolean;
}

/** Meeting events and what invitees are told happened. */
const MEETING_EVENT_CHANGES: Record<string, MeetingChange> = {
  'meeting.invited': 'invited',
  'meeting.changed': 'changed',
  'meeting.cancelled': 'cancelled',
  'meeting.responded': 'responded',
  'agenda.added': 'agenda',
  'agenda.minutes': 'agenda',
};

/** Events older than this when first seen are marked relayed without reaching sockets. */
const STALE_AFTER_SECONDS = 300;
const BATCH = 200;

/**
 * Relays outbox events to sockets, each exactly once across replicas (rows claimed with
 * `FOR UPDATE SKIP LOCKED`; the emit goes through the socket.io adapter to every replica). Each
 * tick also announces consents that have expired since the last one and escalates notices left
 * unacknowledged — both claimed by a single UPDATE, so only one replica does each.
 */
/** How often lapses by birthdays are looked for. */
const LAPSE_CHECK_MS = 60_000;

/** Why a consent stopped holding, as the members of its case are told. */
const CONSENT_ENDED: Record<string, AccessChangeReason> = {
  'consent.revoked': 'consent_revoked',
  'consent.expired': 'consent_expired',
  'consent.lapsed': 'consent_lapsed',
};

/** What a notification of a change of access says (no names: the case is in its record id). */
const ACCESS_CHANGE_TITLES: Record<AccessChangeReason, string> = {
  consent_revoked:
    'Ett samtycke i ett ärende har återkallats: det som delades på det når inte längre dem det täckte',
  consent_expired:
    'Ett samtycke i ett ärende har gått ut: det som delades på det når inte längre dem det täckte',
  consent_lapsed:
    'Ett samtycke i ett ärende gäller inte längre (den unges eget samtycke behövs nu): det som delades på det når inte längre dem det täckte',
  member_removed: 'Du är inte längre medlem i ett ärende',
  unit_removed: 'Din enhet deltar inte längre i ett ärende',
};

@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  /** When consent lapses by birthdays were last looked for (once a minute is enough: days matter). */
  private lapsesCheckedAt = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly realtime: RealtimeService,
    private readonly notices: NoticesService,
    private readonly notifications: NotificationsService,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn(`Outbox relay tick failed: ${String(error)}`))
        .finally(() => this.schedule());
    }, this.config.realtime.relayIntervalMs);
    this.timer.unref();
  }

  /** One round: expiries, lapses (once a minute), escalations, then the waiting events. Public for tests. */
  async tick(): Promise<number> {
    await this.announceExpiredConsents();
    if (Date.now() - this.lapsesCheckedAt >= LAPSE_CHECK_MS) {
      this.lapsesCheckedAt = Date.now();
      await this.announceConsentLapses();
    }
    await this.notices.escalateOverdue(this.config.realtime.noticeEscalationSeconds);
    return this.dataSource.transaction(async (manager) => {
      const events = await manager.query<OutboxRow[]>(
        `SELECT id, type, aggregate_id, payload,
                created_at > now() - make_interval(secs => $2) AS fresh
         FROM outbox_event WHERE dispatched_at IS NULL ORDER BY id LIMIT $1
         FOR UPDATE SKIP LOCKED`,
        [BATCH, STALE_AFTER_SECONDS],
      );
      if (events.length === 0) return 0;
      for (const event of events) {
        await this.notifyAccessChange(manager, event);
        if (event.fresh) await this.relay(manager, event);
      }
      await manager.query('UPDATE outbox_event SET dispatched_at = now() WHERE id = ANY($1)', [
        events.map((event) => event.id),
      ]);
      return events.length;
    });
  }

  /**
   * Tells the members of a case whose consent lapsed because the young person had a birthday: from
   * the age their own consent is needed (the lower of the consent's recorded age and today's
   * setting), or from 18 (the young person alone), a consent without them stops being in force at
   * read time; this announces it (`consent.lapsed`) once, on the birthday or the day after, for a
   * consent in force the day before. Public for tests.
   */
  async announceConsentLapses(): Promise<void> {
    await this.dataSource.query(
      `WITH lapsed AS (
         UPDATE consent c SET lapse_announced_on = t.today
         FROM collab_case k, person y, municipal_settings s,
              (SELECT (now() AT TIME ZONE 'Europe/Stockholm')::date AS today) t
         WHERE k.id = c.case_id AND y.id = k.person_id AND s.municipality_id = k.municipality_id
           AND c.revoked_at IS NULL AND c.valid_until > now()
           AND c.lapse_announced_on IS DISTINCT FROM t.today AND y.birth_date IS NOT NULL
           AND (y.birth_date + make_interval(years => LEAST(c.youth_consent_age, s.youth_consent_age, 18))
                  BETWEEN t.today - 1 AND t.today
                OR y.birth_date + interval '18 years' BETWEEN t.today - 1 AND t.today)
           AND consent_in_force(c.id, now() - interval '1 day') AND NOT consent_in_force(c.id, now())
         RETURNING c.id, c.case_id, c.municipality_id)
       INSERT INTO outbox_event (municipality_id, topic, aggregate_id, type, payload)
       SELECT municipality_id, 'case', case_id, 'consent.lapsed',
              jsonb_build_object('caseId', case_id, 'consentId', id)
       FROM lapsed`,
    );
  }

  private async announceExpiredConsents(): Promise<void> {
    await this.dataSource.query(
      `WITH expired AS (
         UPDATE consent SET expiry_announced_at = now()
         WHERE expiry_announced_at IS NULL AND revoked_at IS NULL AND valid_until <= now()
           AND valid_until > now() - interval '1 day'
         RETURNING id, case_id, municipality_id)
       INSERT INTO outbox_event (municipality_id, topic, aggregate_id, type, payload)
       SELECT municipality_id, 'case', case_id, 'consent.expired',
              jsonb_build_object('caseId', case_id, 'consentId', id)
       FROM expired`,
    );
  }

  private async relay(manager: EntityManager, event: OutboxRow): Promise<void> {
    const { payload } = event;
    switch (event.type) {
      case 'consent.revoked':
      case 'consent.expired':
      case 'consent.lapsed':
        if (payload.wasInForce === 'false') return; // it ended no one's access
        await this.meetingsLost(manager, payload.caseId!);
        await this.notices.relayLost(manager, payload.caseId!, CONSENT_ENDED[event.type]!);
        return this.accessChanged(
          await this.told(manager, event),
          payload.caseId!,
          CONSENT_ENDED[event.type]!,
          false,
          payload.consentId,
        );
      case 'case.member.remove':
        this.realtime.leaveCase([payload.userId!], payload.caseId!);
        await this.notices.relayLost(manager, payload.caseId!, 'member_removed', [payload.userId!]);
        return this.accessChanged([payload.userId!], payload.caseId!, 'member_removed', true);
      case 'case.member.add':
        this.realtime.joinCase([payload.userId!], payload.caseId!);
        return;
      case 'case.created':
        this.realtime.joinCase(await this.members(manager, payload.caseId!), payload.caseId!);
        return;
      case 'case.unit.remove': {
        // Its staff left the case with the unit (events from before that named no members).
        const members = payload.members ?? [];
        this.realtime.leaveCase(members, payload.caseId!);
        await this.meetingsLost(manager, payload.caseId!);
        await this.notices.relayLost(manager, payload.caseId!, 'unit_removed');
        return this.accessChanged(
          await this.told(manager, event),
          payload.caseId!,
          'unit_removed',
          true,
        );
      }
      case 'session.ended':
        this.realtime.end(
          { sessionId: payload.sessionId! },
          payload.reason as SessionEnded['reason'],
        );
        return;
      case 'meeting.invited':
      case 'meeting.changed':
      case 'meeting.cancelled':
      case 'meeting.responded':
      case 'agenda.added':
      case 'agenda.minutes': {
        const change = MEETING_EVENT_CHANGES[event.type]!;
        this.realtime.toUsers(
          await this.meetingAudience(manager, payload.meetingId!),
          'meeting.updated',
          {
            meetingId: payload.meetingId!,
            change,
          },
        );
        return;
      }
      case 'meeting.uninvited': {
        const removed = await manager.query<{ id: string }[]>(
          "SELECT id FROM app_user WHERE id = $1 OR (unit_id = $2 AND status = 'active')",
          [payload.userId ?? null, payload.unitId ?? null],
        );
        this.realtime.toUsers(
          removed.map((row) => row.id),
          'meeting.updated',
          { meetingId: payload.meetingId!, change: 'uninvited' },
        );
        return;
      }
      case 'agenda.hidden':
        this.realtime.toUsers([payload.organiserId!], 'meeting.updated', {
          meetingId: payload.meetingId!,
          change: 'agenda_hidden',
        });
        return;
      case 'plan.changed': {
        // A new risk assessment tells that one exists: only to those who may read it.
        const recipients =
          payload.change === 'sig.assessment'
            ? await this.sigRecordReaders(manager, payload.caseId!)
            : await this.planReaders(manager, payload.caseId!);
        this.realtime.toUsers(recipients, 'plan.changed', {
          caseId: payload.caseId!,
          change: payload.change!,
        });
        return;
      }
      case 'messages.hidden':
        this.realtime.toUsers(await this.members(manager, payload.caseId!), 'messages.hidden', {
          caseId: payload.caseId!,
        });
        return;
      case 'notification.created':
        this.realtime.toUsers([event.aggregate_id], 'notification.created', {
          notificationId: payload.notificationId!,
          kind: payload.kind!,
        });
        return;
      case 'notice.escalated':
        await this.notices.relayEscalation(manager, payload.noticeId!);
        return;
      default:
        return;
    }
  }

  /**
   * Tells the users whose access to a case an event ended or narrowed (a consent revoked, expired
   * or lapsed: the case's members; a member or unit removed: those who left) in their
   * notifications too, so that someone offline when it happened learns it (the live event is at
   * most once). Ids and a reason only. Written for every event, fresh or not, in the relay's
   * transaction: each event is relayed once across replicas, so each is told once.
   */
  private async notifyAccessChange(manager: EntityManager, event: OutboxRow): Promise<void> {
    const { payload } = event;
    const reason =
      CONSENT_ENDED[event.type] ??
      (event.type === 'case.member.remove'
        ? 'member_removed'
        : event.type === 'case.unit.remove'
          ? 'unit_removed'
          : undefined);
    if (!reason || !payload.caseId || payload.wasInForce === 'false') return;
    const users = await this.told(manager, event);
    if (users.length === 0) return;
    const [kase] = await manager.query<{ municipality_id: string }[]>(
      'SELECT municipality_id FROM collab_case WHERE id = $1',
      [payload.caseId],
    );
    if (!kase) return;
    await this.notifications.notify(
      manager,
      users.map((userId) => ({
        municipalityId: kase.municipality_id,
        userId,
        kind: 'case.access_changed',
        title: ACCESS_CHANGE_TITLES[reason],
        recordType: 'Case',
        recordId: payload.caseId!,
        details: { reason, ...(payload.consentId ? { consentId: payload.consentId } : {}) },
      })),
    );
  }

  /**
   * Whom an access change is told to: for a consent that ended, the case's members and the staff
   * of the units holding it or taking part (what was shared on it may have reached any of them);
   * for a member removed, that member; for a unit removed, its staff (members or not: the case
   * left them with the unit).
   */
  private async told(manager: EntityManager, event: OutboxRow): Promise<string[]> {
    const { payload } = event;
    if (event.type === 'case.member.remove') return [payload.userId!];
    const rows = CONSENT_ENDED[event.type]
      ? await manager.query<{ user_id: string }[]>(
          `SELECT cm.user_id FROM case_member cm WHERE cm.case_id = $1
           UNION
           SELECT u.id FROM app_user u JOIN collab_case k ON k.id = $1
           WHERE u.status = 'active' AND (u.unit_id = k.owning_unit_id
             OR EXISTS (SELECT 1 FROM case_unit cu WHERE cu.case_id = k.id AND cu.unit_id = u.unit_id))
             AND u.roles && $2::varchar[]`,
          [payload.caseId, STAFF_ROLES],
        )
      : await manager.query<{ user_id: string }[]>(
          `SELECT unnest($1::uuid[]) AS user_id
           UNION
           SELECT id FROM app_user WHERE unit_id = $2 AND status = 'active' AND roles && $3::varchar[]`,
          [payload.members ?? [], payload.unitId ?? null, STAFF_ROLES],
        );
    return rows.map((row) => row.user_id);
  }

  private accessChanged(
    userIds: string[],
    caseId: string,
    reason: AccessChangeReason,
    lostConversation: boolean,
    consentId?: string,
  ): void {
    this.realtime.toUsers(userIds, 'case.access_changed', {
      caseId,
      reason,
      lostConversation,
      ...(consentId ? { consentId } : {}),
    });
  }

  /**
   * Tells the invitees of the case's scheduled meetings whom a meeting no longer reaches (its case
   * closed to their unit: a consent revoked or expired, a unit removed) that they are uninvited,
   * as an explicit uninvitation would.
   */
  private async meetingsLost(manager: EntityManager, caseId: string): Promise<void> {
    const rows = await manager.query<{ meeting_id: string; user_ids: string[] }[]>(
      `SELECT m.id AS meeting_id, array_agg(DISTINCT u.id) AS user_ids
       FROM meeting m JOIN meeting_invitee i ON i.meeting_id = m.id
       JOIN app_user u ON u.id = i.user_id OR (i.unit_id IS NOT NULL AND u.unit_id = i.unit_id)
       WHERE m.case_id = $1 AND m.status = 'scheduled' AND u.status = 'active'
         AND u.roles && $2::varchar[] AND NOT ${meetingReachesUserSql}
       GROUP BY m.id`,
      [caseId, STAFF_ROLES],
    );
    for (const row of rows) {
      this.realtime.toUsers(row.user_ids, 'meeting.updated', {
        meetingId: row.meeting_id,
        change: 'uninvited',
      });
    }
  }

  /** The organiser and the users invited by name or through their unit whom the meeting reaches. */
  private async meetingAudience(manager: EntityManager, meetingId: string): Promise<string[]> {
    const rows = await manager.query<{ user_id: string }[]>(
      `SELECT u.id AS user_id FROM meeting m JOIN app_user u ON u.id IN (
         SELECT m.organiser_id UNION SELECT i.user_id FROM meeting_invitee i WHERE i.meeting_id = m.id
         UNION SELECT au.id FROM meeting_invitee i JOIN app_user au ON au.unit_id = i.unit_id
               WHERE i.meeting_id = m.id)
       WHERE m.id = $1 AND ${meetingReachesUserSql}`,
      [meetingId],
    );
    return rows.map((row) => row.user_id);
  }

  /**
   * The members of the case who may read social services' SIG records of it now, as the policy's
   * `read RiskAssessment` says: social services, or another agency while a consent in force
   * covers it (or the member's unit) for `social_assessment` (`coveredUnits`).
   */
  private async sigRecordReaders(manager: EntityManager, caseId: string): Promise<string[]> {
    const rows = await manager.query<{ user_id: string }[]>(
      `SELECT cm.user_id FROM case_member cm
       JOIN app_user u ON u.id = cm.user_id JOIN unit un ON un.id = u.unit_id
       WHERE cm.case_id = $1 AND (un.agency = 'social_services'
         OR case_info_covers(cm.case_id, $2, NULL, un.agency, un.id, now()))`,
      [caseId, SIG_RECORD_CATEGORY],
    );
    return rows.map((row) => row.user_id);
  }

  /**
   * The members who read the case's plan now (the policy's `read Plan`): of the unit holding the
   * case, its responsible user, the coordinators of its area, and those whose unit or agency a
   * consent in force on the case names.
   */
  private async planReaders(manager: EntityManager, caseId: string): Promise<string[]> {
    const rows = await manager.query<{ user_id: string }[]>(
      `SELECT cm.user_id FROM case_member cm
       JOIN app_user u ON u.id = cm.user_id JOIN unit un ON un.id = u.unit_id
       JOIN collab_case k ON k.id = cm.case_id
       WHERE cm.case_id = $1 AND (un.id = k.owning_unit_id OR u.id = k.responsible_user_id
         OR ('coordinator' = ANY(u.roles) AND (un.area_id = k.area_id
           OR EXISTS (SELECT 1 FROM user_area ua WHERE ua.user_id = u.id AND ua.area_id = k.area_id)))
         OR EXISTS (SELECT 1 FROM consent c WHERE c.case_id = k.id
           AND (un.agency = ANY(c.scope_agencies) OR un.id = ANY(c.scope_unit_ids))
           AND consent_in_force(c.id, now())))`,
      [caseId],
    );
    return rows.map((row) => row.user_id);
  }

  private async members(manager: EntityManager, caseId: string): Promise<string[]> {
    const rows = await manager.query<{ user_id: string }[]>(
      'SELECT user_id FROM case_member WHERE case_id = $1',
      [caseId],
    );
    return rows.map((row) => row.user_id);
  }
}
