import {
  AuditService,
  ConcernRemindersService,
  createDataSource,
  NotificationsService,
  OutboxService,
} from '@samverka/api';
import type { ConcernReportResponse, NotificationResponse, Page } from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { DemoIds, personByNumber } from '../support/demo.js';
import { addStaff } from '../support/users.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Noon in Stockholm, `days` calendar days from today (the runner counts Stockholm days). */
function stockholmNoon(days: number): Date {
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(
    new Date(),
  );
  const noon = new Date(`${today}T10:00:00Z`);
  noon.setUTCDate(noon.getUTCDate() + days);
  return noon;
}

describe('concern deadline reminders', () => {
  let app: TestApp;
  let school: ApiClient;
  let socialWorker: ApiClient;
  let ids: DemoIds;
  let eliasId: string;
  let reminders: ConcernRemindersService;
  let handlers: string[];

  const file = async () => {
    const response = await school.post<ConcernReportResponse>('/api/v1/concerns', {
      personId: eliasId,
      areaId: ids.areaNorra,
      observation: 'Elias har varit frånvarande i tre veckor och verkar rädd för att gå hem.',
      observedAt: new Date().toISOString(),
      immediateDanger: false,
      guardiansInformed: 'unknown',
      reporterContact: '08-123 45',
    });
    expect(response.status).toBe(201);
    return response.body.id;
  };

  /** The reminders sent for a report, as the notifications its recipients got. */
  const sentFor = async (reportId: string) =>
    app.running.dataSource.query<{ user_id: string; step: string; reminder: string }[]>(
      `SELECT user_id, details->>'step' AS step, details->>'reminder' AS reminder
       FROM notification WHERE kind = 'concern.reminder' AND record_id = $1
       ORDER BY details->>'step', details->>'reminder', user_id`,
      [reportId],
    );

  beforeAll(async () => {
    app = await startTestApp();
    [school, socialWorker] = await Promise.all([
      app.as('skola@demo.test'),
      app.as('socialsekreterare@demo.test'),
    ]);
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    eliasId = (await personByNumber(school, '20110314-2384')).id;
    reminders = app.running.app.get(ConcernRemindersService);
    handlers = [
      await ids.userId('socialsekreterare@demo.test'),
      await ids.userId('sig@demo.test'),
    ].sort();
  });
  afterAll(() => app.close());

  it('reminds the receiving unit’s social workers on the day of the protection assessment, once', async () => {
    const reportId = await file();
    expect(await reminders.runDue(stockholmNoon(-1))).toBe(0);
    expect(await reminders.runDue(stockholmNoon(0))).toBeGreaterThanOrEqual(1);
    expect(await sentFor(reportId)).toEqual(
      handlers.map((user_id) => ({ user_id, step: 'protection_assessment', reminder: 'due' })),
    );
    expect(await reminders.runDue(stockholmNoon(0))).toBe(0);
    expect(await sentFor(reportId)).toHaveLength(handlers.length);
    const page = await socialWorker.get<Page<NotificationResponse>>('/api/v1/me/notifications');
    const reminder = page.body.items.find(
      (n) => n.recordId === reportId && n.kind === 'concern.reminder',
    );
    expect(reminder).toMatchObject({
      title: expect.stringMatching(/^Skyddsbedömning: sista dag \d{4}-\d{2}-\d{2}$/),
      details: { step: 'protection_assessment', reminder: 'due' },
    });
  });

  it('reminds a handler only while they handle reports: not once their role is another', async () => {
    const admin = await app.as('admin@demo.test');
    const handlerId = await addStaff(admin, {
      email: 'handlaggare.byter@demo.test',
      displayName: 'Hanna Handläggare',
      roles: ['social_worker'],
      unitId: ids.unit('Socialtjänsten Norra'),
    });
    const reportId = await file();
    const assigned = await socialWorker.patch(`/api/v1/concerns/${reportId}`, {
      handlerUserId: handlerId,
    });
    expect(assigned.status).toBe(200);
    const demoted = await admin.patch(`/api/v1/users/${handlerId}/roles`, { roles: ['auditor'] });
    expect(demoted.status).toBe(200);
    await reminders.runDue(stockholmNoon(0));
    const sent = (await sentFor(reportId)).map((row) => row.user_id);
    expect(sent).toEqual(expect.arrayContaining(handlers));
    expect(sent).not.toContain(handlerId);
  });

  it('reminds before and at the preliminary-assessment deadline, each once, and again after an extension', async () => {
    const reportId = await file();
    await reminders.runDue(stockholmNoon(0));
    const moved = await socialWorker.patch(`/api/v1/concerns/${reportId}`, {
      status: 'preliminary_assessment',
    });
    expect(moved.status).toBe(200);
    const kinds = async () =>
      (await sentFor(reportId))
        .filter((row) => row.user_id === handlers[0])
        .map((row) => `${row.step}:${row.reminder}`);
    // 14 days from receipt; "before" from three days ahead.
    await reminders.runDue(stockholmNoon(10));
    expect(await kinds()).toEqual(['protection_assessment:due']);
    await reminders.runDue(stockholmNoon(11));
    await reminders.runDue(stockholmNoon(12));
    expect(await kinds()).toEqual(['preliminary_assessment:before', 'protection_assessment:due']);
    await reminders.runDue(stockholmNoon(14));
    await reminders.runDue(stockholmNoon(20));
    expect(await kinds()).toEqual([
      'preliminary_assessment:before',
      'preliminary_assessment:due',
      'protection_assessment:due',
    ]);

    // An investigation opened today runs four months; an extension is a new deadline to remind of.
    const opened = await socialWorker.patch<ConcernReportResponse>(`/api/v1/concerns/${reportId}`, {
      status: 'investigation',
    });
    // A new last day a month and a bit later (the first of the month after next).
    const later = new Date(`${opened.body.handling!.investigationDueDate!}T12:00:00Z`);
    later.setUTCDate(1);
    later.setUTCMonth(later.getUTCMonth() + 2);
    const newDue = later.toISOString().slice(0, 10);
    const extended = await socialWorker.post<ConcernReportResponse>(
      `/api/v1/concerns/${reportId}/extensions`,
      { newDueDate: newDue, reason: 'Väntar på utlåtande från BUP' },
    );
    expect(extended.status).toBe(201);
    const day = (offset: number) =>
      new Date(Date.parse(`${newDue}T10:00:00Z`) + offset * 86_400_000);
    await reminders.runDue(day(-14));
    await reminders.runDue(day(0));
    await reminders.runDue(day(1));
    expect((await kinds()).filter((kind) => kind.startsWith('investigation'))).toEqual([
      'investigation:before',
      'investigation:due',
    ]);
    const [row] = await app.running.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM concern_reminder WHERE report_id = $1 AND due_date = $2`,
      [reportId, newDue],
    );
    expect(row!.n).toBe(2);
  });

  it('sends each reminder exactly once when two runners work at the same time', async () => {
    const reportIds: string[] = [];
    for (let i = 0; i < 24; i += 1) reportIds.push(await file());
    // A second runner as another replica would have it: on a PostgreSQL server its own pool of
    // connections (real concurrency); on the embedded database (one session) the same pool.
    const embedded = app.running.database.embedded;
    let second: DataSource = app.running.dataSource;
    if (!embedded) {
      second = await createDataSource({ url: app.running.database.url, poolMax: 4 }).initialize();
    }
    try {
      const other = new ConcernRemindersService(
        second,
        new AuditService(app.running.config, second),
        new NotificationsService(second, new OutboxService()),
      );
      const now = stockholmNoon(0);
      const counts = await Promise.all([
        reminders.runDue(now),
        other.runDue(now),
        other.runDue(now),
        reminders.runDue(now),
      ]);
      const [claimed] = await app.running.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM concern_reminder WHERE report_id = ANY($1::uuid[])`,
        [reportIds],
      );
      expect(claimed!.n).toBe(reportIds.length);
      expect(counts.reduce((sum, n) => sum + n, 0)).toBe(reportIds.length);
      for (const reportId of reportIds) {
        expect({ reportId, sent: (await sentFor(reportId)).map((row) => row.user_id) }).toEqual({
          reportId,
          sent: handlers,
        });
      }
      const [audited] = await app.running.dataSource.query<{ n: number; reports: number }[]>(
        `SELECT count(*)::int AS n, count(DISTINCT record_id)::int AS reports FROM audit_event
         WHERE action = 'concern.reminder' AND record_id = ANY($1::text[])`,
        [reportIds],
      );
      expect(audited).toEqual({ n: reportIds.length, reports: reportIds.length });
      const [events] = await app.running.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM outbox_event o JOIN notification n
           ON n.id = (o.payload->>'notificationId')::uuid
         WHERE o.type = 'notification.created' AND n.kind = 'concern.reminder'
           AND n.record_id = ANY($1::uuid[])`,
        [reportIds],
      );
      expect(events!.n).toBe(reportIds.length * handlers.length);
    } finally {
      if (!embedded) await second.destroy();
    }
  });

  it('runs on an interval in the app when configured', async () => {
    const ticking = await startTestApp({ REMINDER_INTERVAL_SECONDS: '1' });
    try {
      const reporter = await ticking.as('skola@demo.test');
      const worker = await ticking.as('socialsekreterare@demo.test');
      const filed = await reporter.post<ConcernReportResponse>('/api/v1/concerns', {
        personId: eliasId,
        areaId: ids.areaNorra,
        observation: 'Elias berättar att han blivit hotad av äldre ungdomar vid fritidsgården.',
        observedAt: new Date().toISOString(),
        immediateDanger: true,
        guardiansInformed: 'yes',
        reporterContact: '08-123 45',
      });
      expect(filed.status).toBe(201);
      let reminded = false;
      for (let attempt = 0; attempt < 40 && !reminded; attempt += 1) {
        await sleep(250);
        const page = await worker.get<Page<NotificationResponse>>('/api/v1/me/notifications');
        reminded = page.body.items.some(
          (n) => n.recordId === filed.body.id && n.kind === 'concern.reminder',
        );
      }
      expect(reminded).toBe(true);
    } finally {
      await ticking.close();
    }
  });
});
