import {
  AuditService,
  createDataSource,
  MeetingRemindersService,
  NotificationsService,
  OutboxService,
} from '@samverka/api';
import {
  STAFF_ROLES,
  type MeetingResponse,
  type MunicipalityResponse,
  type NotificationResponse,
  type Page,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { DemoIds } from '../support/demo.js';
import { expectProblem } from '../support/expect.js';
import { callMeeting } from '../support/meetings.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const HOUR = 3600_000;
const MINUTE = 60_000;
const at = (start: Date, offsetMs: number) => new Date(start.getTime() + offsetMs);

describe('meeting reminders', () => {
  let app: TestApp;
  let admin: ApiClient;
  let coordinator: ApiClient;
  let police: ApiClient;
  let leisure: ApiClient;
  let ids: DemoIds;
  let coordinatorId: string;
  let policeId: string;
  let leisureId: string;
  let socialId: string;
  let sigId: string;
  let reminders: MeetingRemindersService;

  beforeAll(async () => {
    app = await startTestApp();
    [admin, coordinator, police, leisure] = await Promise.all([
      app.as('admin@demo.test'),
      app.as('samordnare@demo.test'),
      app.as('polis@demo.test'),
      app.as('fritid@demo.test'),
    ]);
    ids = await DemoIds.load(admin);
    coordinatorId = await ids.userId('samordnare@demo.test');
    policeId = await ids.userId('polis@demo.test');
    leisureId = await ids.userId('fritid@demo.test');
    socialId = await ids.userId('socialsekreterare@demo.test');
    sigId = await ids.userId('sig@demo.test');
    reminders = app.running.app.get(MeetingRemindersService);
  });
  afterAll(() => app.close());

  const meeting = async (startsAt: Date, invitees: { userIds?: string[]; unitIds?: string[] }) => {
    const response = await callMeeting(coordinator, {
      areaId: ids.areaNorra,
      title: 'Arbetsgrupp: Elias Andersson',
      startsAt: startsAt.toISOString(),
      endsAt: at(startsAt, HOUR).toISOString(),
      invitees,
    });
    expect(response.status).toBe(201);
    return response.body;
  };

  /** The reminders sent about a meeting: recipient, the start it reminded of, and the offset. */
  const sentFor = async (meetingId: string) =>
    app.running.dataSource.query<{ user_id: string; starts_at: string; offset: string }[]>(
      `SELECT user_id, details->>'startsAt' AS starts_at, details->>'offsetMinutes' AS offset
       FROM notification WHERE kind = 'meeting.reminder' AND record_id = $1
       ORDER BY details->>'startsAt', (details->>'offsetMinutes')::int DESC, user_id`,
      [meetingId],
    );

  /** The unit's active staff (an auditor or administrator placed in a unit is not reminded). */
  const usersOfUnit = async (unitId: string) =>
    (
      await app.running.dataSource.query<{ id: string }[]>(
        "SELECT id FROM app_user WHERE unit_id = $1 AND status = 'active' AND roles && $2::varchar[] ORDER BY id",
        [unitId, STAFF_ROLES],
      )
    ).map((row) => row.id);

  const recipients = (rows: { user_id: string }[]) =>
    [...new Set(rows.map((r) => r.user_id))].sort();

  it('reminds the organiser, named invitees and users of invited units 24 h and 1 h before, each once; a declined invitee gets none', async () => {
    const start = new Date('2031-03-10T10:00:00+01:00');
    const school = ids.unit('Skolan Norra');
    const created = await meeting(start, { userIds: [policeId, leisureId], unitIds: [school] });
    await leisure.post(`/api/v1/meetings/${created.id}/rsvp`, { response: 'declined' });
    const expected = [coordinatorId, policeId, ...(await usersOfUnit(school))].sort();
    expect(expected).not.toContain(leisureId);

    await reminders.runDue(at(start, -25 * HOUR));
    expect(await sentFor(created.id)).toEqual([]);
    expect(await reminders.runDue(at(start, -23 * HOUR))).toBe(1);
    expect(await reminders.runDue(at(start, -22 * HOUR))).toBe(0);
    const day = await sentFor(created.id);
    expect(recipients(day)).toEqual(expected);
    expect(day.every((row) => row.offset === '1440')).toBe(true);
    expect(day).toHaveLength(expected.length);

    expect(await reminders.runDue(at(start, -30 * MINUTE))).toBe(1);
    await reminders.runDue(at(start, -10 * MINUTE));
    await reminders.runDue(at(start, 5 * MINUTE));
    const all = await sentFor(created.id);
    expect(all.filter((row) => row.offset === '60').map((row) => row.user_id)).toEqual(
      [...expected].sort(),
    );
    expect(all).toHaveLength(2 * expected.length);

    // What the invitee sees: the kind and time, never the title; the outbox carries ids only.
    const page = await police.get<Page<NotificationResponse>>('/api/v1/me/notifications');
    const mine = page.body.items.filter((n) => n.recordId === created.id);
    expect(mine.map((n) => n.details.offsetMinutes)).toEqual([60, 1440]);
    expect(mine[0]).toMatchObject({
      kind: 'meeting.reminder',
      recordType: 'Meeting',
      title: 'Påminnelse: SSPF arbetsgrupp 2031-03-10 10:00–11:00 (Europe/Stockholm)',
      details: {
        meetingId: created.id,
        startsAt: start.toISOString(),
        startsAtLocal: '2031-03-10T10:00:00+01:00',
      },
    });
    expect(JSON.stringify(mine)).not.toContain('Elias');
    const events = await app.running.dataSource.query<{ payload: Record<string, unknown> }[]>(
      `SELECT o.payload FROM outbox_event o
       WHERE o.type = 'notification.created' AND o.topic = 'notification' AND o.payload->>'recordId' = $1`,
      [created.id],
    );
    expect(events).toHaveLength(2 * expected.length);
    for (const { payload } of events) {
      expect(Object.keys(payload).sort()).toEqual(['kind', 'notificationId', 'recordId']);
      expect(payload.kind).toBe('meeting.reminder');
    }
    const [audited] = await app.running.dataSource.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM audit_event WHERE action = 'meeting.reminder' AND record_id = $1",
      [created.id],
    );
    expect(audited!.n).toBe(2);
  });

  it('leaves out a unit that declined, and a unit’s user who declined an invitation by name', async () => {
    const start = new Date('2031-03-11T10:00:00+01:00');
    const school = ids.unit('Skolan Norra');
    const socialUnit = ids.unit('Socialtjänsten Norra');
    const created = await meeting(start, { userIds: [sigId], unitIds: [school, socialUnit] });
    const schoolClient = await app.as('skola@demo.test');
    await schoolClient.post(`/api/v1/meetings/${created.id}/rsvp`, { response: 'declined' });
    const sig = await app.as('sig@demo.test');
    expect(
      (await sig.post(`/api/v1/meetings/${created.id}/rsvp`, { response: 'declined' })).status,
    ).toBe(200);
    await reminders.runDue(at(start, -2 * HOUR));
    const sent = recipients(await sentFor(created.id));
    const expected = [coordinatorId, ...(await usersOfUnit(socialUnit))]
      .filter((id) => id !== sigId)
      .sort();
    expect(sent).toEqual([...new Set(expected)].sort());
    expect(sent).toContain(socialId);
    expect(sent).not.toContain(sigId);
    for (const userId of await usersOfUnit(school)) expect(sent).not.toContain(userId);
  });

  it('sends only the nearest reminder when several are due at once (a meeting at short notice)', async () => {
    const start = new Date('2031-03-12T10:00:00+01:00');
    const created = await meeting(start, { userIds: [policeId] });
    await reminders.runDue(at(start, -20 * MINUTE));
    await reminders.runDue(at(start, -10 * MINUTE));
    expect((await sentFor(created.id)).map((row) => `${row.user_id}:${row.offset}`)).toEqual(
      [coordinatorId, policeId].sort().map((id) => `${id}:60`),
    );
  });

  it('reminds of the new time after a reschedule, never of the old, and not at all once cancelled', async () => {
    const first = new Date('2031-03-13T10:00:00+01:00');
    const moved = new Date('2031-03-15T13:00:00+01:00');
    const created = await meeting(first, { userIds: [policeId] });
    await reminders.runDue(at(first, -23 * HOUR));
    const rescheduled = await coordinator.patch<MeetingResponse>(`/api/v1/meetings/${created.id}`, {
      startsAt: moved.toISOString(),
      endsAt: at(moved, HOUR).toISOString(),
    });
    expect(rescheduled.status).toBe(200);
    // The old start's hour-before point passes: nothing, the meeting is no longer then.
    expect(await reminders.runDue(at(first, -30 * MINUTE))).toBe(0);
    await reminders.runDue(at(moved, -23 * HOUR));
    await reminders.runDue(at(moved, -30 * MINUTE));
    const forPolice = (await sentFor(created.id))
      .filter((row) => row.user_id === policeId)
      .map((row) => `${row.starts_at}/${row.offset}`);
    expect(forPolice).toEqual([
      `${first.toISOString()}/1440`,
      `${moved.toISOString()}/1440`,
      `${moved.toISOString()}/60`,
    ]);

    const cancelled = await meeting(new Date('2031-03-14T10:00:00+01:00'), {
      userIds: [policeId],
    });
    const cancelledStart = new Date(cancelled.startsAt);
    await reminders.runDue(at(cancelledStart, -23 * HOUR));
    expect(await sentFor(cancelled.id)).toHaveLength(2);
    const done = await coordinator.post(`/api/v1/meetings/${cancelled.id}/cancel`, {
      reason: 'Sjukdom',
    });
    expect(done.status).toBe(200);
    await reminders.runDue(at(cancelledStart, -30 * MINUTE));
    expect(await sentFor(cancelled.id)).toHaveLength(2);
  });

  it('uses the municipality’s own offsets', async () => {
    const invalid = expectProblem(
      await admin.patch('/api/v1/municipality/settings', { meetingReminderMinutes: [60, 60] }),
      400,
    );
    expect(invalid.errors?.[0]?.field).toBe('meetingReminderMinutes');
    expectProblem(
      await admin.patch('/api/v1/municipality/settings', { meetingReminderMinutes: [1] }),
      400,
    );
    const updated = await admin.patch<MunicipalityResponse>('/api/v1/municipality/settings', {
      meetingReminderMinutes: [15, 2880],
    });
    expect(updated.body.settings.meetingReminderMinutes).toEqual([2880, 15]);
    try {
      const start = new Date('2031-03-20T10:00:00+01:00');
      const created = await meeting(start, { userIds: [policeId] });
      await reminders.runDue(at(start, -47 * HOUR));
      await reminders.runDue(at(start, -23 * HOUR));
      await reminders.runDue(at(start, -30 * MINUTE));
      await reminders.runDue(at(start, -10 * MINUTE));
      expect(
        (await sentFor(created.id))
          .filter((row) => row.user_id === policeId)
          .map((row) => row.offset),
      ).toEqual(['2880', '15']);
      // No offsets: no reminders.
      await admin.patch('/api/v1/municipality/settings', { meetingReminderMinutes: [] });
      const quiet = await meeting(new Date('2031-03-21T10:00:00+01:00'), { userIds: [policeId] });
      await reminders.runDue(new Date('2031-03-21T08:55:00+01:00'));
      expect(await sentFor(quiet.id)).toEqual([]);
    } finally {
      await admin.patch('/api/v1/municipality/settings', { meetingReminderMinutes: [1440, 60] });
    }
  });

  it('sends each reminder exactly once when two runners work at the same time', async () => {
    const day = new Date('2031-04-01T06:00:00Z');
    const created: MeetingResponse[] = [];
    for (let i = 0; i < 20; i += 1) {
      created.push(await meeting(at(day, i * HOUR), { userIds: [policeId, socialId] }));
    }
    const meetingIds = created.map((m) => m.id);
    const embedded = app.running.database.embedded;
    let second: DataSource = app.running.dataSource;
    if (!embedded) {
      second = await createDataSource({ url: app.running.database.url, poolMax: 4 }).initialize();
    }
    try {
      const other = new MeetingRemindersService(
        second,
        new AuditService(app.running.config, second),
        new NotificationsService(second, new OutboxService()),
      );
      // The day before: every one of the 20 has its 24-hour reminder due.
      const now = at(day, -4 * HOUR);
      const counts = await Promise.all([
        reminders.runDue(now),
        other.runDue(now),
        other.runDue(now),
        reminders.runDue(now),
      ]);
      expect(counts.reduce((sum, n) => sum + n, 0)).toBe(meetingIds.length);
      const [claimed] = await app.running.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM meeting_reminder WHERE meeting_id = ANY($1::uuid[])',
        [meetingIds],
      );
      expect(claimed!.n).toBe(meetingIds.length);
      const expected = [coordinatorId, policeId, socialId].sort();
      for (const meetingId of meetingIds) {
        expect({ meetingId, sent: (await sentFor(meetingId)).map((row) => row.user_id) }).toEqual({
          meetingId,
          sent: expected,
        });
      }
      const [events] = await app.running.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM outbox_event
         WHERE type = 'notification.created' AND payload->>'recordId' = ANY($1::text[])`,
        [meetingIds],
      );
      expect(events!.n).toBe(meetingIds.length * expected.length);
    } finally {
      if (!embedded) await second.destroy();
    }
  });

  it('runs on an interval in the app when configured', async () => {
    const ticking = await startTestApp({ REMINDER_INTERVAL_SECONDS: '1' });
    try {
      const organiser = await ticking.as('samordnare@demo.test');
      const invited = await ticking.as('polis@demo.test');
      const start = new Date(Date.now() + 30 * MINUTE);
      const created = await callMeeting(organiser, {
        areaId: ids.areaNorra,
        startsAt: start.toISOString(),
        endsAt: at(start, HOUR).toISOString(),
        invitees: { userIds: [policeId] },
      });
      expect(created.status).toBe(201);
      let reminded = false;
      for (let attempt = 0; attempt < 40 && !reminded; attempt += 1) {
        await sleep(250);
        const page = await invited.get<Page<NotificationResponse>>('/api/v1/me/notifications');
        reminded = page.body.items.some(
          (n) => n.recordId === created.body.id && n.kind === 'meeting.reminder',
        );
      }
      expect(reminded).toBe(true);
    } finally {
      await ticking.close();
    }
  });
});
