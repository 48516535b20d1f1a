import type {
  CalendarFeedResponse,
  CaseResponse,
  MyActionResponse,
  Page,
  MeetingResponse,
  PersonResponse,
} from '@samverka/contracts';
import { OutboxRelay } from '@samverka/api';
import type { ApiClient } from '@samverka/testing';
import ICAL from 'ical.js';
import { request as httpRequest } from 'node:http';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem } from '../support/expect.js';
import { callMeeting } from '../support/meetings.js';
import { connectSocket, eventually, record } from '../support/sockets.js';
import { consentOfAll } from '../support/people.js';
import { addStaff } from '../support/users.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Every identifying text of the demo's young people, protected or not. */
const PERSONAL = ['Alva', 'Lind', '20100621', '100621', '4827', 'Elias', 'Andersson', '2384'];
/** Text with its random ids taken out: a uuid may hold a digit run such as 4827 by chance. */
const withoutIds = (text: string) =>
  text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>');

interface ParsedEvent {
  uid: string;
  summary: string;
  start: string;
  end: string;
  location: string | null;
  url: string | null;
  description: string;
  status: string;
  text: string;
}

/** Parses a feed with a real iCalendar library; every property of every event, as text too. */
function parseFeed(text: string): ParsedEvent[] {
  const calendar = ICAL.Component.fromString(text);
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    const value = (name: string) => {
      const found = component.getFirstPropertyValue(name);
      return found === null || found === undefined ? null : String(found);
    };
    return {
      uid: event.uid,
      summary: event.summary,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      location: value('location'),
      url: value('url'),
      description: event.description,
      status: value('status') ?? '',
      text: component
        .getAllProperties()
        .map((property) => property.toICALString())
        .join('\n'),
    };
  });
}

describe('calendar feed', () => {
  let app: TestApp;
  let social: ApiClient;
  let coordinator: ApiClient;
  let police: ApiClient;
  let ids: DemoIds;
  let policeId: string;
  let protectedMeeting: MeetingResponse;
  let eliasMeeting: MeetingResponse;
  let cancelled: MeetingResponse;

  const fetchFeed = async (url: string) => {
    const response = await fetch(url);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };

  beforeAll(async () => {
    app = await startTestApp();
    [social, coordinator, police] = await Promise.all([
      app.as('socialsekreterare@demo.test'),
      app.as('samordnare@demo.test'),
      app.as('polis@demo.test'),
    ]);
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    policeId = await ids.userId('polis@demo.test');
    // Alva Lind has a protected identity; the social worker is cleared for her.
    const alva: PersonResponse = await personByNumber(social, '20100621-4827');
    const alvaCase = await social.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: alva.id,
      areaId: ids.areaNorra,
      responsibleUserId: await ids.userId('samordnare@demo.test'),
      // The police take part in her case, so they may be invited to its network meeting.
      participatingUnitIds: [ids.unit('Polisen Norra')],
    });
    expect(alvaCase.status).toBe(201);
    const aboutAlva = {
      kind: 'network',
      title: 'Nätverksmöte',
      caseId: alvaCase.body.id,
      areaId: ids.areaNorra,
      startsAt: '2026-10-25T02:30:00+01:00',
      endsAt: '2026-10-25T03:30:00+01:00',
      place: 'Familjens hem',
      invitees: { userIds: [policeId] },
    };
    // Her name or number in the meeting's own text would reach invitees who are not cleared.
    for (const named of [
      { title: 'Nätverksmöte Alva Lind' },
      { title: 'Nätverksmöte 20100621-4827' },
      { place: 'Hemma hos Alva Lind' },
      { videoLink: 'https://meet.example.se/alva-lind' },
    ]) {
      const refused = await social.post('/api/v1/meetings', { ...aboutAlva, ...named });
      expect({ named, status: refused.status }).toEqual({ named, status: 400 });
    }
    const created = await callMeeting(social, aboutAlva);
    expect(created.status).toBe(201);
    protectedMeeting = created.body;
    eliasMeeting = (
      await callMeeting(coordinator, {
        title: 'Arbetsgrupp: Elias Andersson',
        areaId: ids.areaNorra,
        startsAt: '2026-03-29T03:00:00+02:00',
        endsAt: '2026-03-29T04:00:00+02:00',
        place: 'Stadsdelskontoret Norra',
        videoLink: 'https://meet.example.se/norra',
        invitees: { unitIds: [ids.unit('Polisen Norra')] },
      })
    ).body;
    cancelled = (
      await callMeeting(coordinator, {
        title: 'Inställt',
        areaId: ids.areaNorra,
        startsAt: '2026-04-01T10:00:00+02:00',
        endsAt: '2026-04-01T11:00:00+02:00',
        invitees: { userIds: [policeId] },
      })
    ).body;
    await coordinator.post(`/api/v1/meetings/${cancelled.id}/cancel`, { reason: 'Sjukdom' });
  });
  afterAll(() => app.close());

  it('carries kind, time, place and link of the user’s meetings, and nothing that names a young person', async () => {
    const created = await police.post<CalendarFeedResponse>('/api/v1/me/calendar-feed');
    expect(created.status).toBe(201);
    const feed = await fetchFeed(created.body.url);
    expect(feed.status).toBe(200);
    expect(feed.type).toContain('text/calendar');
    const events = parseFeed(feed.text);
    const byId = Object.fromEntries(events.map((event) => [event.uid, event]));
    expect(Object.keys(byId).sort()).toEqual(
      [protectedMeeting.id, eliasMeeting.id, cancelled.id].sort(),
    );
    expect(byId[protectedMeeting.id]).toMatchObject({
      summary: 'SSPF nätverksmöte',
      start: '2026-10-25T01:30:00.000Z',
      end: '2026-10-25T02:30:00.000Z',
      location: 'Familjens hem',
      status: 'CONFIRMED',
    });
    expect(byId[eliasMeeting.id]).toMatchObject({
      summary: 'SSPF arbetsgrupp',
      start: '2026-03-29T01:00:00.000Z',
      end: '2026-03-29T02:00:00.000Z',
      location: 'Stadsdelskontoret Norra',
      url: 'https://meet.example.se/norra',
    });
    expect(byId[eliasMeeting.id]!.description).toContain(`/meetings/${eliasMeeting.id}`);
    expect(byId[cancelled.id]!.status).toBe('CANCELLED');
    // No name, identity number, title or address in any field of any event, nor anywhere in the feed.
    for (const event of events) {
      for (const text of PERSONAL)
        expect({ uid: event.uid, text: withoutIds(event.text) }).not.toEqual(
          expect.objectContaining({ text: expect.stringContaining(text) }),
        );
    }
    for (const text of [...PERSONAL, 'Skyddad', 'Nätverksmöte Alva', 'Arbetsgrupp: ']) {
      expect(withoutIds(feed.text)).not.toContain(text);
    }
  });

  it('shows other users only their own meetings', async () => {
    const leisure = await app.as('fritid@demo.test');
    const feed = await fetchFeed(
      (await leisure.post<CalendarFeedResponse>('/api/v1/me/calendar-feed')).body.url,
    );
    expect(parseFeed(feed.text)).toEqual([]);
  });

  it('gives a coordinator the meetings they take part in, not every meeting of their area', async () => {
    // The coordinator may open the social worker's network meeting (it is in her area)…
    expect((await coordinator.get(`/api/v1/meetings/${protectedMeeting.id}`)).status).toBe(200);
    // …but her calendar holds only what she organises or is invited to.
    const feed = await fetchFeed(
      (await coordinator.post<CalendarFeedResponse>('/api/v1/me/calendar-feed')).body.url,
    );
    expect(
      parseFeed(feed.text)
        .map((event) => event.uid)
        .sort(),
    ).toEqual([eliasMeeting.id, cancelled.id].sort());
  });

  it('is revocable: a new address retires the old one, and revoking it ends it', async () => {
    const first = (await police.post<CalendarFeedResponse>('/api/v1/me/calendar-feed')).body.url;
    const second = (await police.post<CalendarFeedResponse>('/api/v1/me/calendar-feed')).body.url;
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(second)).status).toBe(200);
    expect((await police.delete('/api/v1/me/calendar-feed')).status).toBe(204);
    expect((await fetchFeed(second)).status).toBe(404);
    expectProblem(await police.delete('/api/v1/me/calendar-feed'), 404);
    expectProblem(await app.api.get('/api/v1/calendar/not-a-token.ics'), 404);
    // Only its hash is stored.
    const token = second.split('/').pop()!.replace('.ics', '');
    const stored = await app.running.dataSource.query<unknown[]>(
      'SELECT 1 FROM calendar_feed WHERE token_hash = $1',
      [token],
    );
    expect(stored).toEqual([]);
  });

  it('reaches an invited unit only while the meeting’s case is open to it, and only staff', async () => {
    const admin = await app.as('admin@demo.test');
    const leisureUnit = ids.unit('Fritidsgården Norra');
    const leisureId = await addStaff(admin, {
      email: 'fritid.kalender@demo.test',
      displayName: 'Fritid Kalender',
      roles: ['leisure_staff'],
      unitId: leisureUnit,
    });
    const leisure = await app.as('fritid.kalender@demo.test');
    const elias = await personByNumber(coordinator, '20110314-2384');
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: elias.id,
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Polisen Norra')],
    });
    const action = (unitId: string, userId?: string) =>
      coordinator.post<{ id: string }>(`/api/v1/cases/${kase.body.id}/plan/actions`, {
        what: 'Kvällsaktivitet på fritidsgården',
        responsibleUnitId: unitId,
        ...(userId ? { responsibleUserId: userId } : {}),
        dueDate: '2027-03-01',
      });
    // Before any consent, leisure has no part in the case: no action of its plan for them.
    expect(expectProblem(await action(leisureUnit), 409).type).toMatch(/consent-not-covering$/);
    const consentId = await consentOfAll(coordinator, kase.body.id, elias, {
      agencies: ['leisure'],
      categories: ['general'],
    });
    const meeting = await callMeeting(coordinator, {
      kind: 'network',
      title: 'Nätverksmöte',
      caseId: kase.body.id,
      areaId: ids.areaNorra,
      startsAt: '2027-02-02T10:00:00+01:00',
      endsAt: '2027-02-02T11:00:00+01:00',
      invitees: { unitIds: [leisureUnit] },
    });
    expect(meeting.status).toBe(201);
    const owned = await action(leisureUnit, leisureId);
    expect(owned.status).toBe(201);
    const feed = await leisure.post<CalendarFeedResponse>('/api/v1/me/calendar-feed');
    const inFeed = async () =>
      parseFeed((await fetchFeed(feed.body.url)).text).map((event) => event.uid);
    const listed = async () =>
      (await leisure.get<Page<MeetingResponse>>('/api/v1/meetings?limit=100')).body.items.map(
        (item) => item.id,
      );
    const myActions = async () =>
      (await leisure.get<Page<MyActionResponse>>('/api/v1/me/actions')).body.items.map(
        (item) => item.id,
      );
    expect(await inFeed()).toContain(meeting.body.id);
    expect(await listed()).toContain(meeting.body.id);
    expect((await leisure.get(`/api/v1/meetings/${meeting.body.id}`)).status).toBe(200);
    expect(await myActions()).toContain(owned.body.id);
    const accepted = await leisure.post(`/api/v1/meetings/${meeting.body.id}/rsvp`, {
      response: 'accepted',
    });
    expect(accepted.status).toBe(200);

    const socket = await connectSocket(app.api.baseUrl, leisure.token);
    const updates = record(socket, 'meeting.updated');
    const revoked = await coordinator.post(`/api/v1/consents/${consentId}/revoke`, {
      partyPersonId: elias.guardians[0]!.personId,
    });
    expect(revoked.status).toBe(200);
    // Told live, as an explicit uninvitation would tell them.
    await app.running.app.get(OutboxRelay).tick();
    await eventually(() => updates.length > 0, 5_000, 'meeting.updated');
    expect(updates).toContainEqual({ meetingId: meeting.body.id, change: 'uninvited' });
    socket.close();
    // The very next reads: the meeting and the action are gone for leisure, everywhere.
    expectProblem(await leisure.get(`/api/v1/meetings/${meeting.body.id}`), 404);
    expectProblem(
      await leisure.post(`/api/v1/meetings/${meeting.body.id}/rsvp`, { response: 'accepted' }),
      404,
    );
    expect(await listed()).not.toContain(meeting.body.id);
    expect(await inFeed()).not.toContain(meeting.body.id);
    expect(await myActions()).not.toContain(owned.body.id);
    expect(expectProblem(await action(leisureUnit), 409).type).toMatch(/consent-not-covering$/);
    // Nor does it book them any longer: another meeting at that time is not a conflict.
    const sameTime = await callMeeting(await app.as('sig@demo.test'), {
      areaId: ids.areaNorra,
      startsAt: '2027-02-02T10:30:00+01:00',
      endsAt: '2027-02-02T11:30:00+01:00',
      invitees: { userIds: [leisureId] },
    });
    expect(sameTime.status).toBe(201);
    // The police take part in the case: they keep what they are given.
    expect((await action(ids.unit('Polisen Norra'))).status).toBe(201);

    // A meeting without a case reaches staff only: one who becomes an auditor loses it.
    const general = await callMeeting(coordinator, {
      areaId: ids.areaNorra,
      startsAt: '2027-02-03T10:00:00+01:00',
      endsAt: '2027-02-03T11:00:00+01:00',
      invitees: { unitIds: [leisureUnit] },
    });
    expect(await inFeed()).toContain(general.body.id);
    const demoted = await admin.patch(`/api/v1/users/${leisureId}/roles`, { roles: ['auditor'] });
    expect(demoted.status).toBe(200);
    expect(await inFeed()).not.toContain(general.body.id);
  });
});

describe('calendar feed behind a configured public address', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ PUBLIC_URL: 'https://samverka.example.se/' });
  });
  afterAll(() => app.close());

  it('links to the configured address, whatever Host the request names', async () => {
    const police = await app.as('polis@demo.test');
    const { port } = new URL(police.baseUrl);
    const token = police.token!;
    const body = await new Promise<string>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/me/calendar-feed',
          headers: { host: 'evil.example', authorization: `Bearer ${token}` },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(text));
        },
      );
      request.on('error', reject);
      request.end();
    });
    const { url } = JSON.parse(body) as CalendarFeedResponse;
    expect(url).toMatch(/^https:\/\/samverka\.example\.se\/api\/v1\/calendar\/[^/]+\.ics$/);
  });
});
