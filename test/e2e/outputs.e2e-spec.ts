import { personnummer } from '@samverka/api';
import type {
  CalendarFeedResponse,
  CaseResponse,
  ConcernReportResponse,
  MeetingResponse,
  NotificationResponse,
  Page,
  ProblemDetails,
  ProtectionLevel,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import ICAL from 'ical.js';
import { randomUUID } from 'node:crypto';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { callMeeting } from '../support/meetings.js';
import { connectSocket, request } from '../support/sockets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addStaff } from '../support/users.js';

/** The events of a feed by uid, with the properties these tests look at. */
async function feedEvents(
  url: string,
): Promise<Record<string, { location: string | null; url: string | null; status: string }>> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const calendar = ICAL.Component.fromString(await response.text());
  return Object.fromEntries(
    calendar.getAllSubcomponents('vevent').map((component) => {
      const value = (name: string) => {
        const found = component.getFirstPropertyValue(name);
        return found === null || found === undefined ? null : String(found);
      };
      return [
        new ICAL.Event(component).uid,
        { location: value('location'), url: value('url'), status: value('status') ?? '' },
      ];
    }),
  );
}

/**
 * What users read back from the hub's outputs: the calendar feed (declined meetings, places),
 * retention rules, notifications and read receipts over the socket.
 */
describe('outputs', () => {
  let app: TestApp;
  let coordinator: ApiClient;
  let police: ApiClient;
  let leisure: ApiClient;
  let social: ApiClient;
  let ids: DemoIds;
  let policeId: string;
  let leisureId: string;
  let leisureUnit: string;

  const feedOf = async (client: ApiClient) =>
    (await client.post<CalendarFeedResponse>('/api/v1/me/calendar-feed')).body.url;

  const register = async (
    givenName: string,
    familyName: string,
    serial: string,
    protectionLevel: ProtectionLevel = 'none',
  ) => {
    const created = await social.post('/api/v1/people', {
      identityNumber: personnummer('1985-04-12', serial),
      givenName,
      familyName,
      protectionLevel,
    });
    expect(created.status).toBe(201);
  };

  beforeAll(async () => {
    app = await startTestApp();
    [coordinator, police, leisure, social] = await Promise.all([
      app.as('samordnare@demo.test'),
      app.as('polis@demo.test'),
      app.as('fritid@demo.test'),
      app.as('socialsekreterare@demo.test'),
    ]);
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    policeId = await ids.userId('polis@demo.test');
    leisureId = await ids.userId('fritid@demo.test');
    leisureUnit = ids.unit('Fritidsgården Norra');
  });
  afterAll(() => app.close());

  describe('calendar feed', () => {
    it('leaves out the meetings the user, or the unit they were invited through, declined', async () => {
      const otherLeisure = await (async () => {
        await addStaff(await app.as('admin@demo.test'), {
          email: 'fritid.kollega@demo.test',
          displayName: 'Fritid Kollega',
          roles: ['leisure_staff'],
          unitId: leisureUnit,
        });
        return app.as('fritid.kollega@demo.test');
      })();
      // The police by name, leisure through its unit.
      const byNameAndUnit = await callMeeting(coordinator, {
        areaId: ids.areaNorra,
        startsAt: '2027-05-03T09:00:00+02:00',
        endsAt: '2027-05-03T10:00:00+02:00',
        place: 'Stadsdelskontoret Norra',
        invitees: { userIds: [policeId], unitIds: [leisureUnit] },
      });
      expect(byNameAndUnit.status).toBe(201);
      // Leisure by name and through its unit: a user who declines by name is not sent by the unit.
      const leisureTwice = await callMeeting(coordinator, {
        areaId: ids.areaNorra,
        startsAt: '2027-05-04T09:00:00+02:00',
        endsAt: '2027-05-04T10:00:00+02:00',
        invitees: { userIds: [leisureId], unitIds: [leisureUnit] },
      });
      expect(leisureTwice.status).toBe(201);
      const [first, second] = [byNameAndUnit.body.id, leisureTwice.body.id];
      const feeds = {
        police: await feedOf(police),
        leisure: await feedOf(leisure),
        otherLeisure: await feedOf(otherLeisure),
        coordinator: await feedOf(coordinator),
      };
      const holds = async (feed: string) => Object.keys(await feedEvents(feed)).sort();
      const respond = async (client: ApiClient, meetingId: string, response: string) => {
        const answered = await client.post<MeetingResponse>(`/api/v1/meetings/${meetingId}/rsvp`, {
          response,
        });
        expect(answered.status).toBe(200);
      };
      expect(await holds(feeds.police)).toEqual([first]);
      expect(await holds(feeds.leisure)).toEqual([first, second].sort());
      expect(await holds(feeds.otherLeisure)).toEqual([first, second].sort());

      // Declined by name: gone from the police's calendar, still in everyone else's.
      await respond(police, first, 'declined');
      expect(await holds(feeds.police)).toEqual([]);
      expect(await holds(feeds.leisure)).toEqual([first, second].sort());
      expect(await holds(feeds.coordinator)).toEqual([first, second].sort());
      // An answer changed back brings it back.
      await respond(police, first, 'accepted');
      expect(await holds(feeds.police)).toEqual([first]);

      // Declined for the invited unit: gone for every user of the unit.
      await respond(leisure, first, 'declined');
      expect(await holds(feeds.leisure)).toEqual([second]);
      expect(await holds(feeds.otherLeisure)).toEqual([second]);
      // Declined by name where the unit is invited too: gone for that user only.
      await respond(leisure, second, 'declined');
      expect(await holds(feeds.leisure)).toEqual([]);
      expect(await holds(feeds.otherLeisure)).toEqual([second]);
      // The organiser keeps both, and a cancelled meeting stays, marked cancelled.
      expect(await holds(feeds.coordinator)).toEqual([first, second].sort());
      await coordinator.post(`/api/v1/meetings/${second}/cancel`, { reason: 'Sjukdom' });
      expect((await feedEvents(feeds.otherLeisure))[second]!.status).toBe('CANCELLED');
    });

    it('carries ordinary places and links, and leaves out a place that names someone in the register', async () => {
      // "Ek" is the family name of a protected person: "Biblioteket" is not her name.
      await register('Mira', 'Ek', '318', 'flagged');
      const meeting = (body: Record<string, unknown>, day: number) =>
        callMeeting(coordinator, {
          areaId: ids.areaNorra,
          startsAt: `2027-06-${day}T09:00:00+02:00`,
          endsAt: `2027-06-${day}T10:00:00+02:00`,
          invitees: { userIds: [policeId] },
          ...body,
        });
      const library = await meeting(
        { place: 'Biblioteket, Torget', videoLink: 'https://meet.example.se/j/8412345678' },
        10,
      );
      expect(library.status).toBe(201);
      // Places that name no one when written, and someone registered since.
      const protectedName = await meeting({ place: 'Villa Hemligsson' }, 11);
      const fullName = await meeting({ place: 'Hos Tove Tallberg' }, 14);
      expect([protectedName.status, fullName.status]).toEqual([201, 201]);
      await register('Hedda', 'Hemligsson', '326', 'flagged');
      await register('Tove', 'Tallberg', '334');

      const events = await feedEvents(await feedOf(police));
      expect(events[library.body.id]).toMatchObject({
        location: 'Biblioteket, Torget',
        url: 'https://meet.example.se/j/8412345678',
      });
      expect(events[protectedName.body.id]).toMatchObject({ location: null });
      expect(events[fullName.body.id]).toMatchObject({ location: null });
    });
  });

  it('refuses an unknown kind of retention rule with a 400 naming recordType and the kinds there are', async () => {
    const admin = await app.as('admin@demo.test');
    for (const refused of [
      await admin.request('PUT', '/api/v1/retention/rules/person', {
        period: 'P1D',
        action: 'delete',
      }),
      await admin.delete('/api/v1/retention/rules/person'),
    ]) {
      const problem: ProblemDetails = expectProblem(refused, 400);
      expect(problem.errors?.map((error) => error.field)).toEqual(['recordType']);
      expect(reasonsFor(problem, 'recordType')[0]).toBe(
        'recordType must be one of the following values: closed_case, case_message, notice, concern_not_opened, concern_investigated',
      );
      expect(problem.detail).toContain('recordType');
    }
  });

  it('lists only read notifications for unread=false, only unread ones for unread=true', async () => {
    const school = await app.as('skola@demo.test');
    const elias = await personByNumber(school, '20110314-2384');
    const file = async () => {
      const filed = await school.post<ConcernReportResponse>('/api/v1/concerns', {
        personId: elias.id,
        areaId: ids.areaNorra,
        observation:
          'Elias kom till skolan med blåmärken på armarna och sa att han inte vill gå hem.',
        observedAt: new Date(Date.now() - 3_600_000).toISOString(),
        immediateDanger: false,
        guardiansInformed: 'no',
        reporterContact: 'kurator@skolan.test',
      });
      expect(filed.status).toBe(201);
      return filed.body.id;
    };
    const [readReport, unreadReport] = [await file(), await file()];
    const list = async (query: string) =>
      (await school.get<Page<NotificationResponse>>(`/api/v1/me/notifications?limit=200${query}`))
        .body.items;
    const receipt = (await list('')).find((n) => n.recordId === readReport)!;
    expect(
      (await school.patch(`/api/v1/me/notifications/${receipt.id}`, { read: true })).status,
    ).toBe(200);

    const read = await list('&unread=false');
    expect(read.map((n) => n.recordId)).toContain(readReport);
    expect(read.map((n) => n.recordId)).not.toContain(unreadReport);
    expect(read.every((n) => n.readAt !== null)).toBe(true);
    const unread = await list('&unread=true');
    expect(unread.map((n) => n.recordId)).toContain(unreadReport);
    expect(unread.map((n) => n.recordId)).not.toContain(readReport);
    expect(unread.every((n) => n.readAt === null)).toBe(true);
    const all = (await list('')).map((n) => n.recordId);
    expect(all).toEqual(expect.arrayContaining([readReport, unreadReport]));

    // The OpenAPI document says what the parameter does.
    const document = await app.api.get<{
      paths: Record<string, { get: { parameters: { name: string; description?: string }[] } }>;
    }>('/api/docs-json');
    const parameters = document.body.paths['/api/v1/me/notifications']!.get.parameters.filter(
      (candidate) => candidate.name === 'unread',
    );
    expect(parameters).toHaveLength(1);
    expect(parameters[0]!.description).toMatch(/`false`: only read ones/);
  });

  it('names `after`, the field the client sent, when messages.read goes past what it may see', async () => {
    const elias = await personByNumber(coordinator, '20110314-2384');
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: elias.id,
      areaId: ids.areaNorra,
      memberUserIds: [await ids.userId('samordnare@demo.test')],
    });
    expect(kase.status).toBe(201);
    const caseId = kase.body.id;
    const client = await app.as('samordnare@demo.test');
    const sent = await client.post<{ seq: number }>(`/api/v1/cases/${caseId}/messages`, {
      clientId: randomUUID(),
      body: 'Första meddelandet',
      category: 'general',
    });
    expect(sent.status).toBe(201);
    const last = sent.body.seq;
    const reason = `you can mark read up to the last message you can see (${last})`;
    const socket = await connectSocket(app.api.baseUrl, client.token);
    try {
      const beyond = await request(socket, 'messages.read', { caseId, after: 99 });
      expect(beyond).toEqual({
        ok: false,
        error: expect.objectContaining({
          status: 400,
          detail: `after: ${reason}`,
          errors: [{ field: 'after', reasons: [reason] }],
        }),
      });
      // Within what one may see it is marked, as before.
      expect(await request(socket, 'messages.read', { caseId, after: last })).toEqual({
        ok: true,
        data: { seq: last },
      });
    } finally {
      socket.close();
    }
    // The REST call, whose body names `seq`, still names `seq`.
    const rest = expectProblem(
      await client.post(`/api/v1/cases/${caseId}/messages/read`, { seq: 99 }),
      400,
    );
    expect(rest.errors?.map((error) => error.field)).toEqual(['seq']);
  });
});
