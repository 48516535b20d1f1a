import type { MeetingResponse, Page } from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { callMeeting, outboxEvents } from '../support/meetings.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('meetings', () => {
  let app: TestApp;
  let coordinator: ApiClient;
  let police: ApiClient;
  let school: ApiClient;
  let leisure: ApiClient;
  let ids: DemoIds;
  let policeId: string;
  let leisureId: string;

  beforeAll(async () => {
    app = await startTestApp();
    [coordinator, police, school, leisure] = await Promise.all([
      app.as('samordnare@demo.test'),
      app.as('polis@demo.test'),
      app.as('skola@demo.test'),
      app.as('fritid@demo.test'),
    ]);
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    policeId = await ids.userId('polis@demo.test');
    leisureId = await ids.userId('fritid@demo.test');
  });
  afterAll(() => app.close());

  const meet = (startsAt: string, endsAt: string, userIds: string[], extra = {}) =>
    callMeeting(coordinator, {
      areaId: ids.areaNorra,
      startsAt,
      endsAt,
      invitees: { userIds },
      ...extra,
    });

  it('is called with invitees, shown in Stockholm time, known only to those taking part', async () => {
    const created = await meet(
      '2026-05-04T13:00:00+02:00',
      '2026-05-04T14:30:00+02:00',
      [policeId],
      {
        place: 'Stadsdelskontoret Norra, rum 3',
        videoLink: 'https://meet.example.se/sspf-norra',
        invitees: { userIds: [policeId], unitIds: [ids.unit('Skolan Norra')] },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'sspf_working_group',
      status: 'scheduled',
      startsAt: '2026-05-04T11:00:00.000Z',
      endsAt: '2026-05-04T12:30:00.000Z',
      startsAtLocal: '2026-05-04T13:00:00+02:00',
      timeZone: 'Europe/Stockholm',
      organiserName: 'Sara Samordnare',
    });
    expect(created.body.invitees.map((invitee) => [invitee.name, invitee.response])).toEqual([
      ['Per Polis', 'pending'],
      ['Skolan Norra', 'pending'],
    ]);
    const id = created.body.id;
    expect((await police.get<MeetingResponse>(`/api/v1/meetings/${id}`)).status).toBe(200);
    // Invited through the unit.
    expect((await school.get<MeetingResponse>(`/api/v1/meetings/${id}`)).status).toBe(200);
    expectProblem(await leisure.get(`/api/v1/meetings/${id}`), 404);
    const listed = await leisure.get<Page<MeetingResponse>>('/api/v1/meetings?limit=200');
    expect(listed.body.items.map((meeting) => meeting.id)).not.toContain(id);
    const policeList = await police.get<Page<MeetingResponse>>(
      '/api/v1/meetings?from=2026-05-04T00:00:00%2B02:00&to=2026-05-05T00:00:00%2B02:00',
    );
    expect(policeList.body.items.map((meeting) => meeting.id)).toEqual([id]);
    expect(await outboxEvents(app, 'meeting.invited', id)).toEqual([
      expect.objectContaining({
        meetingId: id,
        userIds: [policeId],
        unitIds: [ids.unit('Skolan Norra')],
      }),
    ]);
  });

  it('refuses bad times with a clear 400 and records nothing', async () => {
    const before = (await coordinator.get<Page<MeetingResponse>>('/api/v1/meetings?limit=200')).body
      .items.length;
    const backwards = expectProblem(
      await meet('2026-06-01T10:00:00+02:00', '2026-06-01T09:00:00+02:00', []),
      400,
    );
    expect(reasonsFor(backwards, 'endsAt')).toEqual(['endsAt must be after startsAt']);
    const equal = expectProblem(
      await meet('2026-06-01T10:00:00+02:00', '2026-06-01T08:00:00Z', []),
      400,
    );
    expect(reasonsFor(equal, 'endsAt')).toEqual(['endsAt must be after startsAt']);
    const local = expectProblem(await meet('2026-06-01T10:00:00', '2026-06-01T11:00:00', []), 400);
    expect(reasonsFor(local, 'startsAt')[0]).toMatch(/with an offset/);
    expectProblem(await meet('2026-02-30T10:00:00+01:00', '2026-02-30T11:00:00+01:00', []), 400);
    const century = expectProblem(
      await meet('2026-06-01T10:00:00+02:00', '2126-06-01T10:00:00+02:00', []),
      400,
    );
    expect(reasonsFor(century, 'endsAt')).toEqual(['a meeting lasts at most 24 hours']);
    const farAway = expectProblem(
      await meet('9999-12-31T10:00:00Z', '9999-12-31T11:00:00Z', []),
      400,
    );
    expect(reasonsFor(farAway, 'startsAt')[0]).toMatch(/at most 5 years ahead/);
    expect(
      (await coordinator.get<Page<MeetingResponse>>('/api/v1/meetings?limit=200')).body.items
        .length,
    ).toBe(before);
  });

  it('reports invitees already booked, whatever offset the times come with; back-to-back is fine', async () => {
    const first = await meet('2026-05-11T10:00:00+02:00', '2026-05-11T11:00:00+02:00', [policeId]);
    expect(first.status).toBe(201);
    // 08:30Z is 10:30 in Stockholm: overlaps.
    const clash = expectProblem(
      await meet('2026-05-11T08:30:00Z', '2026-05-11T09:30:00Z', [policeId]),
      409,
    );
    expect(clash.type).toMatch(/schedule-conflict$/);
    expect(clash.detail).toContain('Per Polis is booked 2026-05-11 10:00–11:00 (Europe/Stockholm)');
    // 04:00 in New York (-04:00 in May) is 08:00Z, 10:00 in Stockholm: overlaps too.
    expectProblem(
      await meet('2026-05-11T04:00:00-04:00', '2026-05-11T04:30:00-04:00', [policeId]),
      409,
    );
    // 05:00-04:00 is 09:00Z = 11:00 Stockholm: starts as the first ends.
    const after = await meet('2026-05-11T05:00:00-04:00', '2026-05-11T06:00:00-04:00', [policeId]);
    expect(after.status).toBe(201);
    // Declining frees them (here for another organiser: the coordinator is still booked).
    const sig = await app.as('sig@demo.test');
    const other = () =>
      callMeeting(sig, {
        areaId: ids.areaNorra,
        startsAt: '2026-05-11T08:30:00Z',
        endsAt: '2026-05-11T08:45:00Z',
        invitees: { userIds: [policeId] },
      });
    expect(expectProblem(await other(), 409).detail).not.toContain('Sara Samordnare');
    await police.post(`/api/v1/meetings/${first.body.id}/rsvp`, { response: 'declined' });
    expect((await other()).status).toBe(201);
  });

  it('lets the organiser override a conflict with a reason, and records it', async () => {
    await meet('2026-05-12T09:00:00+02:00', '2026-05-12T10:00:00+02:00', [leisureId]);
    const overridden = await meet(
      '2026-05-12T09:30:00+02:00',
      '2026-05-12T10:30:00+02:00',
      [leisureId],
      {
        overrideConflicts: { reason: 'Fatima kommer bara första halvtimmen' },
      },
    );
    expect(overridden.status).toBe(201);
    expect(overridden.body.conflictOverrides).toEqual([
      expect.objectContaining({
        userIds: expect.arrayContaining([leisureId]),
        reason: 'Fatima kommer bara första halvtimmen',
        overriddenBy: await ids.userId('samordnare@demo.test'),
      }),
    ]);
    const audit = await app.running.dataSource.query<{ reason: string }[]>(
      "SELECT reason FROM audit_event WHERE action = 'meeting.conflict_override' AND record_id = $1",
      [overridden.body.id],
    );
    expect(audit).toEqual([{ reason: 'Fatima kommer bara första halvtimmen' }]);
  });

  it('counts a user who accepted for their invited unit as booked, and checks them on a reschedule', async () => {
    const sig = await app.as('sig@demo.test');
    const byUnit = await meet('2026-09-07T10:00:00+02:00', '2026-09-07T11:00:00+02:00', [], {
      invitees: { unitIds: [ids.unit('Polisen Norra')] },
    });
    expect(byUnit.status).toBe(201);
    const bySig = (startsAt: string, endsAt: string, userIds: string[]) =>
      callMeeting(sig, { areaId: ids.areaNorra, startsAt, endsAt, invitees: { userIds } });
    // Invited only through the unit, nobody has answered: the unit sends whom it chooses.
    const free = await bySig('2026-09-07T10:15:00+02:00', '2026-09-07T10:45:00+02:00', [policeId]);
    expect(free.status).toBe(201);
    await sig.post(`/api/v1/meetings/${free.body.id}/cancel`, { reason: 'Flyttas' });
    // Per answers for Polisen Norra: he is the one going, so he is booked.
    const answered = await police.post<MeetingResponse>(`/api/v1/meetings/${byUnit.body.id}/rsvp`, {
      response: 'accepted',
    });
    expect(answered.body.invitees[0]).toMatchObject({
      unitId: ids.unit('Polisen Norra'),
      response: 'accepted',
    });
    const clash = expectProblem(
      await bySig('2026-09-07T10:15:00+02:00', '2026-09-07T10:45:00+02:00', [policeId]),
      409,
    );
    expect(clash.detail).toContain('Per Polis is booked 2026-09-07 10:00–11:00 (Europe/Stockholm)');
    // A reschedule must suit whoever answered for their unit, too.
    const leisureByUnit = await meet('2026-09-08T10:00:00+02:00', '2026-09-08T11:00:00+02:00', [], {
      invitees: { unitIds: [ids.unit('Fritidsgården Norra')] },
    });
    await leisure.post(`/api/v1/meetings/${leisureByUnit.body.id}/rsvp`, { response: 'tentative' });
    expect(
      (await bySig('2026-09-09T13:00:00+02:00', '2026-09-09T14:00:00+02:00', [leisureId])).status,
    ).toBe(201);
    const moved = expectProblem(
      await coordinator.patch(`/api/v1/meetings/${leisureByUnit.body.id}`, {
        startsAt: '2026-09-09T13:30:00+02:00',
        endsAt: '2026-09-09T14:30:00+02:00',
      }),
      409,
    );
    expect(moved.detail).toContain('Fatima Fritidsledare is booked 2026-09-09 13:00–14:00');
  });

  describe('across the daylight-saving changes in Europe/Stockholm', () => {
    it('spring forward (2026-03-29): 01:30+01:00 to 03:30+02:00 is one hour, and overlaps 03:00–04:00 summer time', async () => {
      const night = await meet('2026-03-29T01:30:00+01:00', '2026-03-29T03:30:00+02:00', [
        policeId,
      ]);
      expect(night.status).toBe(201);
      expect(night.body).toMatchObject({
        startsAt: '2026-03-29T00:30:00.000Z',
        endsAt: '2026-03-29T01:30:00.000Z',
        startsAtLocal: '2026-03-29T01:30:00+01:00',
        endsAtLocal: '2026-03-29T03:30:00+02:00',
      });
      const clash = expectProblem(
        await meet('2026-03-29T03:00:00+02:00', '2026-03-29T04:00:00+02:00', [policeId]),
        409,
      );
      expect(clash.detail).toContain('2026-03-29 01:30–03:30 (Europe/Stockholm)');
      // 03:30 summer time is when the first ends.
      expect(
        (await meet('2026-03-29T03:30:00+02:00', '2026-03-29T04:30:00+02:00', [policeId])).status,
      ).toBe(201);
    });

    it('fall back (2026-10-25): the two 02:15–02:45 are different hours, told apart by the offset', async () => {
      const summer = await meet('2026-10-25T02:15:00+02:00', '2026-10-25T02:45:00+02:00', [
        policeId,
      ]);
      const winter = await meet('2026-10-25T02:15:00+01:00', '2026-10-25T02:45:00+01:00', [
        policeId,
      ]);
      expect([summer.status, winter.status]).toEqual([201, 201]);
      expect(winter.body.startsAt).toBe('2026-10-25T01:15:00.000Z');
      expect([summer.body.startsAtLocal, winter.body.startsAtLocal]).toEqual([
        '2026-10-25T02:15:00+02:00',
        '2026-10-25T02:15:00+01:00',
      ]);
      // 02:30 summer time to 02:30 winter time is one hour and overlaps both.
      const both = expectProblem(
        await meet('2026-10-25T02:30:00+02:00', '2026-10-25T02:30:00+01:00', [policeId]),
        409,
      );
      // Per Polis, and the organiser herself, in each of the two.
      expect(both.errors).toHaveLength(4);
      // The offsets tell the two 02:15–02:45 apart (the repeated hour is ambiguous without).
      expect(both.detail).toContain(
        'Per Polis is booked 2026-10-25 02:15+02:00–02:45+02:00 (Europe/Stockholm)',
      );
      expect(both.detail).toContain(
        'Per Polis is booked 2026-10-25 02:15+01:00–02:45+01:00 (Europe/Stockholm)',
      );
    });
  });

  it('takes answers from invitees only, and a reschedule resets them and tells everyone', async () => {
    const created = await meet(
      '2026-05-20T09:00:00+02:00',
      '2026-05-20T10:00:00+02:00',
      [policeId],
      {
        invitees: { userIds: [policeId], unitIds: [ids.unit('Skolan Norra')] },
      },
    );
    const id = created.body.id;
    const accepted = await police.post<MeetingResponse>(`/api/v1/meetings/${id}/rsvp`, {
      response: 'accepted',
    });
    expect(accepted.status).toBe(200);
    const unit = await school.post<MeetingResponse>(`/api/v1/meetings/${id}/rsvp`, {
      response: 'tentative',
    });
    expect(unit.body.invitees.map((invitee) => invitee.response)).toEqual([
      'accepted',
      'tentative',
    ]);
    expect(await outboxEvents(app, 'meeting.responded', id)).toEqual([
      { meetingId: id, inviteeId: accepted.body.invitees[0]!.id, response: 'accepted' },
      { meetingId: id, inviteeId: unit.body.invitees[1]!.id, response: 'tentative' },
    ]);
    expectProblem(await leisure.post(`/api/v1/meetings/${id}/rsvp`, { response: 'accepted' }), 404);
    expectProblem(await police.post(`/api/v1/meetings/${id}/rsvp`, { response: 'maybe' }), 400);
    // Invitees may not change the meeting.
    expectProblem(await police.patch(`/api/v1/meetings/${id}`, { title: 'Mitt möte' }), 403);

    const moved = await coordinator.patch<MeetingResponse>(`/api/v1/meetings/${id}`, {
      startsAt: '2026-05-21T09:00:00+02:00',
      endsAt: '2026-05-21T10:00:00+02:00',
      place: 'Polisstationen',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      startsAtLocal: '2026-05-21T09:00:00+02:00',
      place: 'Polisstationen',
    });
    expect(moved.body.invitees.map((invitee) => invitee.response)).toEqual(['pending', 'pending']);
    expect(await outboxEvents(app, 'meeting.changed', id)).toEqual([
      expect.objectContaining({
        meetingId: id,
        rescheduled: true,
        startsAt: '2026-05-21T07:00:00.000Z',
      }),
    ]);

    const cancelled = await coordinator.post<MeetingResponse>(`/api/v1/meetings/${id}/cancel`, {
      reason: 'Ny tid bokas senare',
    });
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Ny tid bokas senare',
    });
    expect(await outboxEvents(app, 'meeting.cancelled', id)).toHaveLength(1);
    expectProblem(await police.post(`/api/v1/meetings/${id}/rsvp`, { response: 'accepted' }), 409);
    // A cancelled meeting books no one.
    expect(
      (await meet('2026-05-21T09:00:00+02:00', '2026-05-21T10:00:00+02:00', [policeId])).status,
    ).toBe(201);
  });

  it('invites and uninvites; the uninvited lose sight of the meeting at once', async () => {
    const created = await meet('2026-05-25T13:00:00+02:00', '2026-05-25T14:00:00+02:00', []);
    const id = created.body.id;
    // Inviting no one is a 400, not a 200 that did nothing (found by a black-box probe).
    for (const body of [{}, { userIds: [] }, { userIds: [], unitIds: [] }]) {
      const none = expectProblem(
        await coordinator.post(`/api/v1/meetings/${id}/invitees`, body),
        400,
      );
      expect(reasonsFor(none, 'userIds')).toEqual([
        'name at least one user (userIds) or unit (unitIds) to invite',
      ]);
    }
    const invited = await coordinator.post<MeetingResponse>(`/api/v1/meetings/${id}/invitees`, {
      userIds: [leisureId],
    });
    expect(invited.status).toBe(201);
    expect((await leisure.get(`/api/v1/meetings/${id}`)).status).toBe(200);
    const inviteeId = invited.body.invitees[0]!.id;
    await coordinator.delete(`/api/v1/meetings/${id}/invitees/${inviteeId}`);
    expectProblem(await leisure.get(`/api/v1/meetings/${id}`), 404);
    expectProblem(await coordinator.delete(`/api/v1/meetings/${id}/invitees/${inviteeId}`), 404);
    expect(await outboxEvents(app, 'meeting.uninvited', id)).toEqual([
      { meetingId: id, userId: leisureId, unitId: null },
    ]);
  });

  it('stops naming a person whose identity becomes protected: what was written before is hidden, and kept in the audit', async () => {
    const siri = await school.post<{ id: string }>('/api/v1/people', {
      identityNumber: '20120404-2285',
      givenName: 'Siri',
      familyName: 'Dahlberg',
      address: 'Ekgatan 5, 123 45 Norrby',
    });
    expect(siri.status).toBe(201);
    // Written while naming her was allowed (she was not protected).
    const named = await meet('2027-02-01T10:00:00+01:00', '2027-02-01T11:00:00+01:00', [policeId], {
      title: 'Uppföljning Siri Dahlberg',
      place: 'Ekgatan 5',
    });
    expect(named.status).toBe(201);
    const other = await meet('2027-02-02T10:00:00+01:00', '2027-02-02T11:00:00+01:00', [policeId], {
      title: 'SSPF arbetsgrupp Norra',
      place: 'Biblioteket, Torget',
    });
    const item = await coordinator.post<{ id: string }>(
      `/api/v1/meetings/${named.body.id}/agenda`,
      { title: 'Dahlbergs skolgång' },
    );
    expect(item.status).toBe(201);

    const protect = await school.patch(`/api/v1/people/${siri.body.id}`, {
      protectionLevel: 'protected_registration',
    });
    expect(protect.status).toBe(200);
    const seen = await police.get<MeetingResponse>(`/api/v1/meetings/${named.body.id}`);
    expect(seen.body).toMatchObject({
      title: '[Dold: nämnde en person med skyddad identitet]',
      place: null,
    });
    const agenda = await police.get<Page<{ title: string }>>(
      `/api/v1/meetings/${named.body.id}/agenda`,
    );
    expect(agenda.body.items.map((entry) => entry.title)).toEqual([
      '[Dold: nämnde en person med skyddad identitet]',
    ]);
    // A meeting that never named her is left as it was.
    expect(
      (await police.get<MeetingResponse>(`/api/v1/meetings/${other.body.id}`)).body,
    ).toMatchObject({ title: 'SSPF arbetsgrupp Norra', place: 'Biblioteket, Torget' });
    // Nothing is lost: the texts are in the trail (not handed out), and the invitees are told.
    const [event] = await app.running.dataSource.query<{ details: string }[]>(
      "SELECT details FROM audit_event WHERE action = 'person.texts_hidden' AND person_id = $1",
      [siri.body.id],
    );
    expect(JSON.parse(event!.details)).toEqual({
      hidden: expect.arrayContaining([
        {
          recordType: 'Meeting',
          recordId: named.body.id,
          field: 'title',
          original: 'Uppföljning Siri Dahlberg',
        },
        { recordType: 'Meeting', recordId: named.body.id, field: 'place', original: 'Ekgatan 5' },
        {
          recordType: 'AgendaItem',
          recordId: item.body.id,
          field: 'title',
          original: 'Dahlbergs skolgång',
        },
      ]),
    });
    expect(await outboxEvents(app, 'meeting.changed', named.body.id)).toContainEqual({
      meetingId: named.body.id,
      changes: ['text'],
    });

    // Someone registered as protected after a meeting named them: hidden at registration.
    const before = await meet(
      '2027-02-03T10:00:00+01:00',
      '2027-02-03T11:00:00+01:00',
      [policeId],
      { title: 'Samtal om Tove Lindqvist' },
    );
    expect(before.status).toBe(201);
    const tove = await school.post('/api/v1/people', {
      identityNumber: '20130505-2381',
      givenName: 'Tove',
      familyName: 'Lindqvist',
      protectionLevel: 'flagged',
    });
    expect(tove.status).toBe(201);
    expect(
      (await police.get<MeetingResponse>(`/api/v1/meetings/${before.body.id}`)).body.title,
    ).toBe('[Dold: nämnde en person med skyddad identitet]');
  });
});
