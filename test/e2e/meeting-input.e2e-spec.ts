import type { MeetingResponse, Page } from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { callMeeting, outboxEvents } from '../support/meetings.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Findings of a black-box probe about what meetings accept and how they answer. */
describe('meeting input', () => {
  let app: TestApp;
  let coordinator: ApiClient;
  let ids: DemoIds;
  let policeId: string;

  beforeAll(async () => {
    app = await startTestApp();
    coordinator = await app.as('samordnare@demo.test');
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    policeId = await ids.userId('polis@demo.test');
  });
  afterAll(() => app.close());

  const meet = (startsAt: string, endsAt: string, extra = {}) =>
    callMeeting(coordinator, { areaId: ids.areaNorra, startsAt, endsAt, ...extra });

  const count = async () =>
    (await coordinator.get<Page<MeetingResponse>>('/api/v1/meetings?limit=200')).body.items.length;

  it('invites no administrator or auditor (they could never read nor answer it), and changes nothing', async () => {
    const created = await meet('2026-11-02T10:00:00+01:00', '2026-11-02T11:00:00+01:00', {
      invitees: { userIds: [policeId] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    for (const email of ['revisor@demo.test', 'admin@demo.test']) {
      const userId = await ids.userId(email);
      for (const userIds of [[userId], [userId, await ids.userId('skola@demo.test')]]) {
        const refused = expectProblem(
          await coordinator.post(`/api/v1/meetings/${id}/invitees`, { userIds }),
          400,
        );
        expect(reasonsFor(refused, 'userIds')).toEqual([
          'administrators and auditors cannot be invited to a meeting: only staff who work with young people',
        ]);
      }
      const before = await count();
      const atCreation = expectProblem(
        await meet('2026-11-03T10:00:00+01:00', '2026-11-03T11:00:00+01:00', {
          invitees: { userIds: [policeId, userId] },
        }),
        400,
      );
      expect(reasonsFor(atCreation, 'invitees.userIds')[0]).toMatch(
        /administrators and auditors cannot be invited/,
      );
      expect(await count()).toBe(before);
    }
    const meeting = await coordinator.get<MeetingResponse>(`/api/v1/meetings/${id}`);
    expect(meeting.body.invitees.map((invitee) => invitee.name)).toEqual(['Per Polis']);
    expect(await outboxEvents(app, 'meeting.invited', id)).toHaveLength(1);
    // Staff are still invited as before, and the field named is where the list sits.
    const school = await coordinator.post<MeetingResponse>(`/api/v1/meetings/${id}/invitees`, {
      userIds: [await ids.userId('skola@demo.test')],
    });
    expect(school.status).toBe(201);
    const unknown = expectProblem(
      await coordinator.post(`/api/v1/meetings/${id}/invitees`, {
        userIds: ['00000000-0000-4000-8000-000000000000'],
      }),
      400,
    );
    expect(reasonsFor(unknown, 'userIds')).toEqual([
      'every invitee must be an active user of your municipality',
    ]);
  });

  it('refuses a list whose `to` is before its `from`, comparing instants', async () => {
    const backwards = expectProblem(
      await coordinator.get('/api/v1/meetings?from=2026-12-31T00:00:00Z&to=2026-12-01T00:00:00Z'),
      400,
    );
    expect(reasonsFor(backwards, 'to')).toEqual(['to must not be before from']);
    // 00:30+01:00 is 23:30Z, after 01:00+02:00 (23:00Z): in order, though it reads earlier.
    const created = await meet('2026-11-30T23:45:00+01:00', '2026-12-01T00:15:00+01:00');
    expect(created.status).toBe(201);
    const inOrder = await coordinator.get<Page<MeetingResponse>>(
      '/api/v1/meetings?from=2026-12-01T01:00:00%2B02:00&to=2026-12-01T00:30:00%2B01:00',
    );
    expect(inOrder.status).toBe(200);
    expect(inOrder.body.items.map((meeting) => meeting.id)).toEqual([created.body.id]);
    // The same instant twice: the meetings going on then.
    const same = await coordinator.get<Page<MeetingResponse>>(
      '/api/v1/meetings?from=2026-11-30T23:00:00Z&to=2026-12-01T00:00:00%2B01:00',
    );
    expect(same.status).toBe(200);
    expect(same.body.items.map((meeting) => meeting.id)).toEqual([created.body.id]);
  });

  it('tells the two 02:30s apart in a conflict on the night the clocks go back', async () => {
    // 02:30 summer time to 02:30 winter time on 2027-10-31: one hour.
    const first = await meet('2027-10-31T02:30:00+02:00', '2027-10-31T02:30:00+01:00');
    expect(first.status).toBe(201);
    const clash = expectProblem(
      await meet('2027-10-31T02:10:00+02:00', '2027-10-31T02:50:00+02:00'),
      409,
    );
    expect(clash.detail).toBe(
      'Invitees are already booked at that time: Sara Samordnare is booked 2027-10-31 02:30+02:00–02:30+01:00 (Europe/Stockholm). Send overrideConflicts with a reason to book anyway',
    );
    // A time told once needs no offset, that night too.
    const later = await meet('2027-10-31T04:00:00+01:00', '2027-10-31T05:00:00+01:00');
    expect(later.status).toBe(201);
    const plain = expectProblem(
      await meet('2027-10-31T04:30:00+01:00', '2027-10-31T05:30:00+01:00'),
      409,
    );
    expect(plain.detail).toContain(
      'Sara Samordnare is booked 2027-10-31 04:00–05:00 (Europe/Stockholm)',
    );
  });
});
