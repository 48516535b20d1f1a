import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type {
  AuditEventResponse,
  CaseResponse,
  ConsentResponse,
  ConversationSummary,
  MessageAck,
  MessageHistory,
  MessageResponse,
  NotificationResponse,
  Page,
  PersonResponse,
  TokenResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { AuditService, MessagesService, PrincipalService, verifyAuditChains } from '@samverka/api';
import { DemoIds, personByNumber } from '../support/demo.js';
import { TEST_SECRET } from '../support/environment.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { PASSWORD } from '../support/fixtures.js';
import {
  connectSocket,
  eventually,
  record,
  request,
  requestUnchecked,
  type HubClient,
} from '../support/sockets.js';
import { callMeeting } from '../support/meetings.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const YEAR_AGO = new Date(Date.now() - 365 * 86400_000).toISOString();
const NEXT_YEAR = new Date(Date.now() + 365 * 86400_000).toISOString();

const MEMBERS = {
  coordinator: 'samordnare@demo.test', // social services
  social: 'socialsekreterare@demo.test', // social services
  school: 'skola@demo.test',
  police: 'polis@demo.test',
  leisure: 'fritid@demo.test',
} as const;
type Member = keyof typeof MEMBERS;
const NAMES = Object.keys(MEMBERS) as Member[];

describe('realtime hub', () => {
  let app: TestApp;
  let clients: Record<Member, ApiClient>;
  let sockets: Record<Member, HubClient>;
  let received: Record<Member, MessageResponse[]>;
  let ids: DemoIds;
  let elias: PersonResponse;
  let caseId: string;
  let consentId: string;

  const send = (member: Member, body: string, category: string, clientId = randomUUID()) =>
    request(sockets[member], 'message.send', { caseId, clientId, body, category });

  const history = async (member: Member, after = 0) =>
    (
      await clients[member].get<MessageHistory>(
        `/api/v1/cases/${caseId}/messages?after=${after}&limit=200`,
      )
    ).body;

  /**
   * The member's notifications of changes of their access to a case (the relay writes them as it
   * sends the live event, so they are there once that has arrived).
   */
  const accessNotices = async (member: Member) => {
    return (
      await clients[member].get<Page<NotificationResponse>>('/api/v1/me/notifications?limit=200')
    ).body.items.filter((notification) => notification.kind === 'case.access_changed');
  };

  /** Sends one message and waits until every member the policy lets see it has it live. */
  const sendAndSettle = async (member: Member, body: string, category: string) => {
    const ack = await send(member, body, category);
    if (!ack.ok) throw new Error(ack.error.detail);
    // Settle: the sender's own copy arrives last or first; wait a beat for the others.
    await eventually(() => received[member].some((m) => m.id === ack.data.id), 5_000, 'own copy');
    await new Promise((resolve) => setTimeout(resolve, 150));
    return ack.data;
  };

  beforeAll(async () => {
    app = await startTestApp({ OUTBOX_RELAY_INTERVAL_MS: '30' });
    const entries = await Promise.all(
      NAMES.map(async (name) => [name, await app.as(MEMBERS[name])] as const),
    );
    clients = Object.fromEntries(entries) as Record<Member, ApiClient>;
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    elias = await personByNumber(clients.coordinator, '20110314-2384');
    const memberUserIds = await Promise.all(NAMES.map((name) => ids.userId(MEMBERS[name])));
    const kase = await clients.coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: elias.id,
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Skolan Norra'), ids.unit('Polisen Norra')],
      memberUserIds,
    });
    expect(kase.status).toBe(201);
    caseId = kase.body.id;
    // Consent: school may hear about school attendance; nobody else beyond their own agency.
    const consent = await clients.coordinator.post<ConsentResponse>(
      `/api/v1/cases/${caseId}/consents`,
      {
        parties: [
          ...elias.guardians.map((guardian) => ({ personId: guardian.personId })),
          { personId: elias.id },
        ],
        scope: { agencies: ['school'], categories: ['school_attendance'] },
        validFrom: YEAR_AGO,
        validUntil: NEXT_YEAR,
        method: 'written',
      },
    );
    expect(consent.body.inForce).toBe(true);
    consentId = consent.body.id;
    // Fresh tokens: the ability cached at login predates the membership (it is rebuilt anyway).
    const connected = await Promise.all(
      NAMES.map(
        async (name) => [name, await connectSocket(app.api.baseUrl, clients[name].token)] as const,
      ),
    );
    sockets = Object.fromEntries(connected) as Record<Member, HubClient>;
    received = Object.fromEntries(
      NAMES.map((name) => [name, record(sockets[name], 'message.created')]),
    ) as Record<Member, MessageResponse[]>;
  });

  afterAll(async () => {
    for (const socket of Object.values(sockets ?? {})) socket.close();
    await app.close();
  });

  describe('connection', () => {
    it('refuses a socket without a token, with a bad one, or from a foreign origin', async () => {
      await expect(connectSocket(app.api.baseUrl, undefined)).rejects.toThrow(/access token/);
      await expect(connectSocket(app.api.baseUrl, 'not-a-token')).rejects.toThrow(
        /invalid or has expired/,
      );
      await expect(
        connectSocket(app.api.baseUrl, clients.school.token, { origin: 'https://evil.example' }),
      ).rejects.toThrow();
    });

    it('refuses an expired token and closes a socket when its token expires', async () => {
      const claims = jwt.decode(clients.school.token!) as jwt.JwtPayload;
      const sign = (exp: number) =>
        jwt.sign({ ...claims, exp }, TEST_SECRET, { algorithm: 'HS256' });
      await expect(
        connectSocket(app.api.baseUrl, sign(Math.floor(Date.now() / 1000) - 5)),
      ).rejects.toThrow(/expired/);
      const socket = await connectSocket(app.api.baseUrl, sign(Math.floor(Date.now() / 1000) + 2));
      const ended = record(socket, 'session.ended');
      await eventually(() => socket.disconnected, 5_000, 'the socket to close at expiry');
      expect(ended).toEqual([{ reason: 'expired' }]);
    });

    it('closes the socket when the session signs out', async () => {
      const tokens = (
        await app.api.post<TokenResponse>('/api/v1/auth/login', {
          email: MEMBERS.leisure,
          password: PASSWORD,
        })
      ).body;
      const socket = await connectSocket(app.api.baseUrl, tokens.accessToken);
      const ended = record(socket, 'session.ended');
      await app.api.post('/api/v1/auth/logout', { refreshToken: tokens.refreshToken });
      await eventually(() => socket.disconnected, 5_000, 'the socket to close at logout');
      expect(ended).toEqual([{ reason: 'logout' }]);
    });
  });

  describe('live updates of meetings, plans and notifications', () => {
    it('tells invitees of an invitation, a change and a cancellation, and nobody else', async () => {
      const police = record(sockets.police, 'meeting.updated');
      const leisure = record(sockets.leisure, 'meeting.updated');
      const created = await callMeeting(clients.coordinator, {
        areaId: ids.areaNorra,
        startsAt: '2026-06-10T09:00:00+02:00',
        endsAt: '2026-06-10T10:00:00+02:00',
        invitees: { userIds: [await ids.userId(MEMBERS.police)] },
      });
      expect(created.status).toBe(201);
      const meetingId = created.body.id;
      await eventually(() => police.length >= 1, 5_000, 'the invitation');
      await clients.coordinator.patch(`/api/v1/meetings/${meetingId}`, {
        startsAt: '2026-06-10T13:00:00+02:00',
        endsAt: '2026-06-10T14:00:00+02:00',
      });
      await clients.coordinator.post(`/api/v1/meetings/${meetingId}/cancel`, { reason: 'Flyttas' });
      await eventually(() => police.length >= 3, 5_000, 'the change and the cancellation');
      expect(police.map((event) => event.change)).toEqual(['invited', 'changed', 'cancelled']);
      expect(police.every((event) => event.meetingId === meetingId)).toBe(true);
      expect(leisure).toEqual([]);
    });

    it('tells the case members when the plan changes', async () => {
      const social = record(sockets.social, 'plan.changed');
      const goal = await clients.coordinator.post(`/api/v1/cases/${caseId}/plan/goals`, {
        text: 'Regelbunden skolgång',
      });
      expect(goal.status).toBe(201);
      await eventually(() => social.length > 0, 5_000, 'plan.changed');
      expect(social[0]).toMatchObject({ caseId, change: expect.stringMatching(/^plan\./) });
    });
  });

  describe('case conversation', () => {
    it('delivers each message to exactly the members who may see it, live and in the history', async () => {
      const before = Object.fromEntries(NAMES.map((name) => [name, received[name].length]));
      const social = await sendAndSettle('coordinator', 'Bedömning pågår', 'social_assessment');
      const attendance = await sendAndSettle(
        'coordinator',
        'Frånvaro 40 % i oktober',
        'school_attendance',
      );
      const police = await sendAndSettle('police', 'Iakttagelse vid centrum', 'police_observation');
      const live = (name: Member) => received[name].slice(before[name]).map((m) => m.seq);
      expect(live('coordinator')).toEqual([social.seq, attendance.seq]);
      expect(live('social')).toEqual([social.seq, attendance.seq]);
      // School: its consent covers school attendance only.
      expect(live('school')).toEqual([attendance.seq]);
      expect(live('police')).toEqual([police.seq]);
      expect(live('leisure')).toEqual([]);
      // The auditor sees who each message reached: each of them received the young person's data.
      const auditor = await app.as('revisor@demo.test');
      const trail = await auditor.get<Page<AuditEventResponse>>(
        `/api/v1/audit?personId=${elias.id}&action=message.create&limit=200`,
      );
      const delivered = trail.body.items.find((event) => event.recordId === attendance.id);
      expect([...(delivered?.recipientUserIds ?? [])].sort()).toEqual(
        (
          await Promise.all(
            (['coordinator', 'social', 'school'] as const).map((name) => ids.userId(MEMBERS[name])),
          )
        ).sort(),
      );
      // The REST history shows each member the same messages as the sockets did.
      for (const name of NAMES) {
        const seen = (await history(name)).items.map((m) => m.seq);
        expect({ name, seen }).toEqual({ name, seen: received[name].map((m) => m.seq) });
      }
      // The school's read of social services' message is audited with the consent it relied on.
      const reads = await auditor.get<Page<AuditEventResponse>>(
        `/api/v1/audit?personId=${elias.id}&action=message.read&actorUserId=${await ids.userId(MEMBERS.school)}&limit=200`,
      );
      expect(
        reads.body.items
          .filter((event) => event.recordId === attendance.id)
          .map((event) => event.legalBasis),
      ).toEqual([`OSL 12:2 samtycke ${consentId}`]);
      // Page by page with the list convention's cursor: the same messages, each once.
      const paged: number[] = [];
      const cursors: string[] = [];
      let cursor: string | null = null;
      do {
        const page: MessageHistory = (
          await clients.coordinator.get<MessageHistory>(
            `/api/v1/cases/${caseId}/messages?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          )
        ).body;
        paged.push(...page.items.map((m) => m.seq));
        expect(page.nextAfter === null).toBe(page.nextCursor === null);
        cursor = page.nextCursor;
        if (cursor) cursors.push(cursor);
      } while (cursor);
      expect(paged).toEqual(received.coordinator.map((m) => m.seq));
      expect(cursors.length).toBeGreaterThan(0);
      const both = expectProblem(
        await clients.coordinator.get(
          `/api/v1/cases/${caseId}/messages?after=1&cursor=${cursors[0]}`,
        ),
        400,
      );
      expect(reasonsFor(both, 'cursor')).toEqual(['give either after or cursor, not both']);
      for (const after of ['2147483648', '1e308', '-1', 'x', '', '1.5']) {
        const far = expectProblem(
          await clients.coordinator.get(`/api/v1/cases/${caseId}/messages?after=${after}`),
          400,
        );
        expect(reasonsFor(far, 'after')).not.toEqual([]);
      }
      // A cursor made up to point past the 32-bit sequence numbers is refused the same way.
      const madeUp = Buffer.from(JSON.stringify([2 ** 40])).toString('base64url');
      expectProblem(
        await clients.coordinator.get(`/api/v1/cases/${caseId}/messages?cursor=${madeUp}`),
        400,
      );
    });

    it('acks with the server id and sequence; a resend with the same clientId is the same message', async () => {
      const clientId = randomUUID();
      const first = await send('school', 'Elias var här idag', 'school_attendance', clientId);
      const again = await send('school', 'Elias var här idag', 'school_attendance', clientId);
      expect(first.ok && again.ok).toBe(true);
      const [a, b] = [first, again].map((ack) => (ack as { data: MessageAck }).data);
      expect(b).toEqual({ ...a, created: false });
      expect(a!.created).toBe(true);
      await eventually(() => received.school.some((m) => m.id === a!.id));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(received.school.filter((m) => m.clientId === clientId)).toHaveLength(1);
      const rest = await clients.school.post<MessageAck>(`/api/v1/cases/${caseId}/messages`, {
        clientId,
        body: 'Elias var här idag',
        category: 'school_attendance',
      });
      expect(rest.body).toEqual({ ...a, created: false });
      // Another text (or category) under the same clientId is a mistake, not a resend: refused,
      // rather than answered with the first message while the new text is lost.
      const other = await send('school', 'Något helt annat', 'school_attendance', clientId);
      expect(other).toMatchObject({ ok: false, error: { status: 409 } });
      expect(!other.ok && other.error.detail).toMatch(/already used for a different message/);
      expectProblem(
        await clients.school.post(`/api/v1/cases/${caseId}/messages`, {
          clientId,
          body: 'Elias var här idag',
          category: 'general',
        }),
        409,
      );
    });

    it('stores concurrent sends together without gaps, and a resend racing its original is that message', async () => {
      const [{ last: before }] = await app.running.dataSource.query<[{ last: number }]>(
        'SELECT COALESCE((SELECT last_seq FROM case_conversation WHERE case_id = $1), 0) AS last',
        [caseId],
      );
      const senders: Member[] = ['coordinator', 'social', 'school'];
      const sends = Array.from({ length: 60 }, (_, i) => ({
        member: senders[i % senders.length]!,
        clientId: randomUUID(),
      }));
      // Every fifth send goes twice at once: the resend races the original.
      const racing = sends.filter((_, i) => i % 5 === 0);
      const acks = await Promise.all(
        [...sends, ...racing].map(({ member, clientId }) =>
          send(member, `Samtidigt ${clientId}`, 'general', clientId),
        ),
      );
      const data = acks.map((ack) => {
        if (!ack.ok) throw new Error(ack.error.detail);
        return ack.data;
      });
      const created = data.filter((ack) => ack.created);
      expect(created).toHaveLength(sends.length);
      // Sequence numbers: each once, one after another from where the conversation was.
      const seqs = created.map((ack) => ack.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(sends.map((_, i) => before + 1 + i));
      for (const { clientId } of racing) {
        const both = data.filter((ack) => ack.clientId === clientId);
        expect(both).toHaveLength(2);
        expect(new Set(both.map((ack) => `${ack.id} ${ack.seq}`)).size).toBe(1);
      }
      // They were stored in batches (group commit): several share one audit append. On a busy
      // machine one burst may happen to arrive spread out; a few more bursts show the batching.
      const largestBatch = async (ids: string[]) => {
        const [{ largest }] = await app.running.dataSource.query<[{ largest: number }]>(
          `SELECT max(n)::int AS largest FROM (
             SELECT count(*) AS n FROM audit_event
             WHERE action = 'message.create' AND record_id = ANY($1) GROUP BY shard, occurred_at) g`,
          [ids],
        );
        return largest;
      };
      const ids = created.map((ack) => ack.id);
      for (let burst = 0; burst < 3 && (await largestBatch(ids)) <= 1; burst += 1) {
        const more = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            send(senders[i % senders.length]!, `Skur ${burst} ${i}`, 'general'),
          ),
        );
        for (const ack of more) if (ack.ok) ids.push(ack.data.id);
      }
      expect(await largestBatch(ids)).toBeGreaterThan(1);
    });

    it('refuses bad input with a clear error and stores nothing', async () => {
      const before = (await history('coordinator')).items.length;
      // An event the hub does not know is answered, not met with silence (found by a probe).
      const unknown = await requestUnchecked(
        sockets.coordinator,
        'message.sned' as 'message.send',
        {
          caseId,
        },
      );
      expect(unknown).toEqual({
        ok: false,
        error: expect.objectContaining({
          status: 404,
          detail: expect.stringMatching(
            /^No such event: message\.sned; the events are message\.send/,
          ),
        }),
      });
      const bad = await send('coordinator', 'x', 'no_such_category');
      expect(bad).toMatchObject({ ok: false, error: { status: 400 } });
      expect(!bad.ok && bad.error.detail).toMatch(/unknown category/);
      const empty = await request(sockets.coordinator, 'message.send', {
        caseId,
        clientId: 'short',
        body: '',
        category: 'general',
      });
      // Each field is named, as in the REST API's problem details.
      expect(empty).toMatchObject({ ok: false, error: { status: 400 } });
      expect(!empty.ok && empty.error.errors?.map((error) => error.field)).toEqual([
        'clientId',
        'body',
      ]);
      for (const payload of ['text', ['a'], 42]) {
        const shapeless = await requestUnchecked(sockets.coordinator, 'message.send', payload);
        expect(shapeless).toMatchObject({
          ok: false,
          error: { status: 400, detail: 'The payload must be an object of the event’s fields' },
        });
      }
      // Keys that would set a prototype are unknown fields: an ack that names them.
      for (const raw of ['{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}']) {
        const polluted = await requestUnchecked(sockets.coordinator, 'messages.sync', {
          caseId,
          after: 0,
          ...(JSON.parse(raw) as object),
        });
        expect(polluted).toMatchObject({ ok: false, error: { status: 400 } });
        expect(!polluted.ok && polluted.error.detail).toMatch(
          /(__proto__|constructor) is not a known field/,
        );
        expect(!polluted.ok && polluted.error.errors?.map((error) => error.field)).toEqual([
          Object.keys(JSON.parse(raw) as object)[0],
        ]);
      }
      // A sequence number past the 32-bit ones is no sequence number.
      const far = await request(sockets.coordinator, 'messages.sync', { caseId, after: 2 ** 31 });
      expect(far).toMatchObject({ ok: false, error: { status: 400 } });
      expect(!far.ok && far.error.detail).toMatch(/after must not be greater than 2147483647/);
      const reply = await request(sockets.coordinator, 'message.send', {
        caseId,
        clientId: randomUUID(),
        body: 'Svar',
        category: 'general',
        replyToId: randomUUID(),
      });
      expect(reply).toMatchObject({ ok: false, error: { status: 400 } });
      expect(!reply.ok && reply.error.detail).toMatch(/replyToId/);
      expect(!reply.ok && reply.error.errors?.map((error) => error.field)).toEqual(['replyToId']);
      const rest = await clients.coordinator.post(`/api/v1/cases/${caseId}/messages`, {
        body: 'no client id',
      });
      expectProblem(rest, 400);
      expect((await history('coordinator')).items).toHaveLength(before);
    });

    it('gives a reconnecting client exactly what it missed: no gap, no duplicate', async () => {
      const last = received.school[received.school.length - 1]!.seq;
      sockets.school.close();
      const missed = [];
      for (const body of ['Närvaro måndag', 'Närvaro tisdag', 'Närvaro onsdag'])
        missed.push(await sendAndSettle('coordinator', body, 'school_attendance'));
      await sendAndSettle('coordinator', 'Inte för skolan', 'social_assessment');
      sockets.school = await connectSocket(app.api.baseUrl, clients.school.token);
      received.school = [...received.school];
      const live = record(sockets.school, 'message.created');
      const sync = await request(sockets.school, 'messages.sync', { caseId, after: last });
      expect(sync.ok).toBe(true);
      const caughtUp = (sync as { data: MessageHistory }).data.items.map((m) => m.seq);
      expect(caughtUp).toEqual(missed.map((m) => m.seq));
      const after = await sendAndSettle('coordinator', 'Närvaro torsdag', 'school_attendance');
      expect(live.map((m) => m.seq)).toEqual([after.seq]);
      const all = [...received.school.map((m) => m.seq), ...caughtUp, ...live.map((m) => m.seq)];
      expect(all).toEqual((await history('school')).items.map((m) => m.seq));
      received.school = (await history('school')).items;
      sockets.school.on('message.created', (m) => received.school.push(m));
    });

    it('keeps read receipts and unread counts per member', async () => {
      const seenBefore = record(sockets.coordinator, 'message.read');
      const policeTold = record(sockets.police, 'message.read');
      const schoolLast = received.school[received.school.length - 1]!.seq;
      const summary = async (member: Member) =>
        (
          await clients[member].get<Page<ConversationSummary>>('/api/v1/me/conversations')
        ).body.items.find((c) => c.caseId === caseId)!;
      expect((await summary('school')).unread).toBeGreaterThan(0);
      const read = await request(sockets.school, 'messages.read', { caseId, after: schoolLast });
      expect(read).toEqual({ ok: true, data: { seq: schoolLast } });
      expect(await summary('school')).toMatchObject({
        lastSeq: schoolLast,
        readSeq: schoolLast,
        unread: 0,
      });
      const schoolId = await ids.userId(MEMBERS.school);
      await eventually(() => seenBefore.some((event) => event.userId === schoolId));
      expect(seenBefore).toContainEqual({ caseId, userId: schoolId, seq: schoolLast });
      // Only members who may see that message are told it was read.
      const policeSees = (await history('police')).items.some((m) => m.seq === schoolLast);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(policeTold.some((event) => event.userId === schoolId)).toBe(policeSees);
      // Seen by school: exactly the messages school may see, none of those hidden from it.
      const schoolSees = new Set((await history('school')).items.map((m) => m.id));
      const seen = (await history('coordinator')).items.filter((m) => m.seq <= schoolLast);
      expect(seen.some((m) => !schoolSees.has(m.id))).toBe(true);
      for (const m of seen)
        expect([m.seq, m.seenBy.includes(schoolId)]).toEqual([m.seq, schoolSees.has(m.id)]);
      // Police has read nothing and sees only its own message, which is not unread to it.
      expect(await summary('police')).toMatchObject({ readSeq: 0, unread: 0 });
      // Marking beyond what one may see is refused without a hint of the hidden messages.
      const policeSeen = received.police[received.police.length - 1]!.seq;
      const beyond = await request(sockets.police, 'messages.read', { caseId, after: schoolLast });
      expect(beyond).toEqual({
        ok: false,
        error: expect.objectContaining({
          status: 400,
          detail: `after: you can mark read up to the last message you can see (${policeSeen})`,
        }),
      });
      // Marking up to a message hidden from police records (and tells) only as far as the last
      // message police may see before it: no one is told police read what it could not see.
      const policeSeqs = new Set((await history('police')).items.map((m) => m.seq));
      const hidden = (await history('coordinator')).items
        .map((m) => m.seq)
        .filter((seq) => seq < policeSeen && !policeSeqs.has(seq));
      expect(hidden.length).toBeGreaterThan(0);
      const target = hidden[hidden.length - 1]!;
      const expected = Math.max(0, ...[...policeSeqs].filter((seq) => seq <= target));
      const clamped = await request(sockets.police, 'messages.read', { caseId, after: target });
      expect(clamped).toEqual({ ok: true, data: { seq: expected } });
      const policeId = await ids.userId(MEMBERS.police);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(
        seenBefore.filter((event) => event.userId === policeId).map((event) => event.seq),
      ).not.toContain(target);
    });

    it('counts a message its read passed while hidden as not seen, and unread once it may be seen (found by a black-box probe)', async () => {
      const policeId = await ids.userId(MEMBERS.police);
      const summary = async () =>
        (
          await clients.police.get<Page<ConversationSummary>>('/api/v1/me/conversations')
        ).body.items.find((c) => c.caseId === caseId)!;
      // Police reads all it may see; the messages hidden from it below that are passed over.
      const policeLast = Math.max(...(await history('police')).items.map((m) => m.seq));
      expect(await request(sockets.police, 'messages.read', { caseId, after: policeLast })).toEqual(
        { ok: true, data: { seq: policeLast } },
      );
      const policeSeqs = new Set((await history('police')).items.map((m) => m.seq));
      const passed = (await history('coordinator')).items.filter(
        (m) => m.seq < policeLast && !policeSeqs.has(m.seq),
      );
      expect(passed.length).toBeGreaterThan(0);
      expect(await summary()).toMatchObject({ readSeq: policeLast, unread: 0 });
      // A consent lets police see them now: not seen by police, and unread to it.
      const consent = await clients.coordinator.post<ConsentResponse>(
        `/api/v1/cases/${caseId}/consents`,
        {
          parties: [
            ...elias.guardians.map((guardian) => ({ personId: guardian.personId })),
            { personId: elias.id },
          ],
          scope: { agencies: ['police'], categories: [...new Set(passed.map((m) => m.category))] },
          validFrom: YEAR_AGO,
          validUntil: NEXT_YEAR,
          method: 'written',
        },
      );
      expect(consent.body.inForce).toBe(true);
      const seenByPolice = async () =>
        (await history('coordinator')).items
          .filter((m) => passed.some((p) => p.id === m.id))
          .map((m) => m.seenBy.includes(policeId));
      expect(await seenByPolice()).toEqual(passed.map(() => false));
      // Unread: those, and what the consent shows it beyond its read.
      const visible = (await history('police')).items.filter((m) => m.authorUserId !== policeId);
      const beyond = visible.filter((m) => m.seq > policeLast).length;
      expect(await summary()).toMatchObject({
        readSeq: policeLast,
        unread: passed.length + beyond,
      });
      // Read again up to the same message, they are seen.
      expect(await request(sockets.police, 'messages.read', { caseId, after: policeLast })).toEqual(
        { ok: true, data: { seq: policeLast } },
      );
      expect(await seenByPolice()).toEqual(passed.map(() => true));
      expect(await summary()).toMatchObject({ readSeq: policeLast, unread: beyond });
      const told = record(sockets.school, 'case.access_changed');
      const revoked = await clients.coordinator.post(`/api/v1/consents/${consent.body.id}/revoke`, {
        partyPersonId: elias.guardians[0]!.personId,
        reason: 'Provet är klart',
      });
      expect(revoked.status).toBe(200);
      await eventually(() => told.some((change) => change.consentId === consent.body.id));
    });

    it('stops restricted traffic at once when the consent is revoked, says why, and shrinks the history', async () => {
      const changes = record(sockets.school, 'case.access_changed');
      const schoolBefore = received.school.length;
      expect((await history('school')).items.some((m) => m.authorAgency !== 'school')).toBe(true);
      // A consent never in force ends no one's access: its revocation tells no one of a change
      // (found by a black-box probe: every member was told, live, that access had changed).
      const partial = await clients.coordinator.post<ConsentResponse>(
        `/api/v1/cases/${caseId}/consents`,
        {
          parties: [{ personId: elias.guardians[0]!.personId }],
          scope: { agencies: ['school'], categories: ['general'] },
          validFrom: YEAR_AGO,
          validUntil: new Date(Date.now() + 86400_000).toISOString(),
          method: 'verbal',
        },
      );
      expect(partial.body.inForce).toBe(false);
      expect(
        (
          await clients.coordinator.post(`/api/v1/consents/${partial.body.id}/revoke`, {
            partyPersonId: elias.guardians[0]!.personId,
          })
        ).status,
      ).toBe(200);
      const revoked = await clients.coordinator.post(`/api/v1/consents/${consentId}/revoke`, {
        partyPersonId: elias.guardians[0]!.personId,
        reason: 'Vårdnadshavaren återkallar',
      });
      expect(revoked.status).toBe(200);
      // The very next message is not delivered, even before the event arrives.
      await sendAndSettle('coordinator', 'Närvaro fredag', 'school_attendance');
      expect(received.school.length).toBe(schoolBefore);
      await eventually(() => changes.length > 0, 5_000, 'case.access_changed');
      expect(changes[0]).toEqual({
        caseId,
        reason: 'consent_revoked',
        consentId,
        lostConversation: false,
      });
      expect(changes.map((change) => change.consentId)).toEqual([consentId]);
      const left = (await history('school')).items;
      expect(left.every((m) => m.authorAgency === 'school')).toBe(true);
      // Told in their notifications too, for whoever was offline (found by a black-box probe:
      // only the live event, which is at most once, said it).
      expect(await accessNotices('school')).toContainEqual(
        expect.objectContaining({
          recordType: 'Case',
          recordId: caseId,
          details: { reason: 'consent_revoked', consentId },
        }),
      );
      expect(
        (await accessNotices('school')).filter(
          (notice) => notice.details.consentId === partial.body.id,
        ),
      ).toEqual([]);
    });

    it('announces an expired consent to the members once, and stops its traffic', async () => {
      const changes = record(sockets.leisure, 'case.access_changed');
      const consent = await clients.coordinator.post<ConsentResponse>(
        `/api/v1/cases/${caseId}/consents`,
        {
          parties: [
            ...elias.guardians.map((guardian) => ({ personId: guardian.personId })),
            { personId: elias.id },
          ],
          scope: { agencies: ['leisure'], categories: ['leisure_participation'] },
          validFrom: YEAR_AGO,
          validUntil: new Date(Date.now() + 2_000).toISOString(),
          method: 'verbal',
        },
      );
      expect(consent.body.inForce).toBe(true);
      const before = received.leisure.length;
      await sendAndSettle('coordinator', 'Anmäld till fotbollen', 'leisure_participation');
      expect(received.leisure.length).toBe(before + 1);
      await eventually(() => changes.length > 0, 6_000, 'consent_expired');
      expect(changes).toEqual([
        { caseId, reason: 'consent_expired', consentId: consent.body.id, lostConversation: false },
      ]);
      await sendAndSettle('coordinator', 'Slutat på fotbollen', 'leisure_participation');
      expect(received.leisure.length).toBe(before + 1);
      expect(
        (await history('leisure')).items.some((m) => m.category === 'leisure_participation'),
      ).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(changes).toHaveLength(1);
    });

    it('tells the members when a lower youth consent age makes a consent lapse, and stops its traffic', async () => {
      const admin = await app.as('admin@demo.test');
      const changes = record(sockets.leisure, 'case.access_changed');
      // At 16, Elias (15) need not consent himself: his guardians' consent is in force.
      expect(
        (await admin.patch('/api/v1/municipality/settings', { youthConsentAge: 16 })).status,
      ).toBe(200);
      try {
        const consent = await clients.coordinator.post<ConsentResponse>(
          `/api/v1/cases/${caseId}/consents`,
          {
            parties: elias.guardians.map((guardian) => ({ personId: guardian.personId })),
            scope: { agencies: ['leisure'], categories: ['leisure_participation'] },
            validFrom: YEAR_AGO,
            validUntil: new Date(Date.now() + 86_400_000).toISOString(),
            method: 'written',
          },
        );
        expect(consent.body.inForce).toBe(true);
        const before = received.leisure.length;
        await sendAndSettle('coordinator', 'Tränar på tisdagar', 'leisure_participation');
        expect(received.leisure.length).toBe(before + 1);
        // Back at 15 his own consent is needed: the consent lapses, and leisure is told.
        expect(
          (await admin.patch('/api/v1/municipality/settings', { youthConsentAge: 15 })).status,
        ).toBe(200);
        await eventually(() => changes.length > 0, 5_000, 'consent_lapsed');
        expect(changes).toEqual([
          { caseId, reason: 'consent_lapsed', consentId: consent.body.id, lostConversation: false },
        ]);
        await sendAndSettle('coordinator', 'Slutat träna', 'leisure_participation');
        expect(received.leisure.length).toBe(before + 1);
      } finally {
        await admin.patch('/api/v1/municipality/settings', { youthConsentAge: 15 });
      }
    });

    it('removing a member stops their traffic and tells them', async () => {
      const changes = record(sockets.police, 'case.access_changed');
      const policeBefore = received.police.length;
      const policeId = await ids.userId(MEMBERS.police);
      const removed = await clients.coordinator.delete(
        `/api/v1/cases/${caseId}/members/${policeId}`,
      );
      expect(removed.status).toBe(200);
      await sendAndSettle('police', 'Efter borttagning', 'police_observation').catch(
        () => undefined,
      );
      const otherPolice = await sendAndSettle('coordinator', 'Till alla', 'general');
      expect(otherPolice.seq).toBeGreaterThan(0);
      expect(received.police.length).toBe(policeBefore);
      await eventually(() => changes.length > 0, 5_000, 'case.access_changed');
      expect(changes[0]).toEqual({ caseId, reason: 'member_removed', lostConversation: true });
      expect((await history('police')).items).toEqual([]);
      expect(await accessNotices('police')).toContainEqual(
        expect.objectContaining({ recordId: caseId, details: { reason: 'member_removed' } }),
      );
      const denied = await send('police', 'Får jag skriva?', 'police_observation');
      expect(denied).toMatchObject({ ok: false, error: { status: 403 } });
    });

    it('stores a send with its audit event in one statement: a chain another replica moved is left, nothing doubled', async () => {
      const { dataSource, config } = app.running;
      const eventsOf = (messageId: string) =>
        dataSource.query<{ municipality_id: string; shard: number; seq: string }[]>(
          `SELECT municipality_id, shard, seq FROM audit_event
           WHERE action = 'message.create' AND record_id = $1`,
          [messageId],
        );
      const first = await send('coordinator', 'Före', 'general');
      if (!first.ok) throw new Error(first.error.detail);
      const [event] = await eventsOf(first.data.id);
      expect(event!.shard).toBeGreaterThanOrEqual(1024); // a lock-free chain

      // Another replica (its own AuditService) appends to that chain, from the stored head.
      const [head] = await dataSource.query<{ shard: number; seq: string; head_hash: string }[]>(
        'SELECT shard, seq, head_hash FROM audit_chain WHERE municipality_id = $1 AND shard = $2',
        [event!.municipality_id, event!.shard],
      );
      const origin = {
        municipalityId: event!.municipality_id,
        actorUserId: null,
        actorUnitId: null,
        requestId: 'message-chain-other',
      };
      expect(
        await new AuditService(config, dataSource)['write'](
          dataSource.manager,
          event!.municipality_id,
          head!,
          [{ origin, entry: { action: 'person.read', recordType: 'Person', personId: elias.id } }],
        ),
      ).toBe(true);

      // This replica's head of that chain is stale: its next send is stored once all the same.
      const second = await send('coordinator', 'Efter', 'general');
      if (!second.ok) throw new Error(second.error.detail);
      expect(second.data.seq).toBe(first.data.seq + 1);
      const stored = await eventsOf(second.data.id);
      expect(stored).toHaveLength(1);
      if (stored[0]!.shard === event!.shard) {
        expect(BigInt(stored[0]!.seq)).toBeGreaterThan(BigInt(head!.seq) + 1n);
      }
      const [conversation] = await dataSource.query<{ last_seq: number }[]>(
        'SELECT last_seq FROM case_conversation WHERE case_id = $1',
        [caseId],
      );
      expect(conversation!.last_seq).toBe(second.data.seq);
      expect(await verifyAuditChains(dataSource)).toMatchObject({
        ok: true,
        firstBrokenLink: null,
      });
    });

    it('a batch with a clientId another replica took meanwhile is retried send by send: the others stored, no gap', async () => {
      const { dataSource } = app.running;
      const messages = app.running.app.get(MessagesService);
      const principal = await app.running.app
        .get(PrincipalService)
        .load(await ids.userId(MEMBERS.coordinator));
      const actor = { ...principal!, requestId: 'client-id-taken' };
      const taken = await send('coordinator', 'Redan lagrat', 'general');
      if (!taken.ok) throw new Error(taken.error.detail);
      // The checks as they were before the other replica stored that clientId (it was fresh).
      const request = (clientId: string) => ({
        clientId,
        body: `Parti ${clientId}`,
        category: 'general',
      });
      const checked = await messages['checkReply'](actor, caseId, request(randomUUID()));
      const batcher = messages['sendsOf'](checked!.municipality_id);
      const clientIds = [
        randomUUID(),
        randomUUID(),
        taken.data.clientId,
        randomUUID(),
        randomUUID(),
      ];
      const results = await Promise.allSettled(
        clientIds.map((clientId) =>
          batcher.submit({ actor, caseId, request: request(clientId), checked: checked! }),
        ),
      );
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      const refused = results[2] as PromiseRejectedResult;
      expect((refused.reason as Error).constructor.name).toBe('NotStored'); // answered as a resend
      const seqs = results
        .filter((result) => result.status === 'fulfilled')
        .map((result) => result.value.row.seq)
        .sort((a, b) => a - b);
      expect(seqs).toEqual([1, 2, 3, 4].map((n) => taken.data.seq + n));
      const [{ events }] = await dataSource.query<[{ events: number }]>(
        `SELECT count(*)::int AS events FROM audit_event
         WHERE action = 'message.create' AND actor_user_id = $1 AND record_id IN (
           SELECT id::text FROM case_message WHERE case_id = $2 AND seq > $3)`,
        [actor.principal.userId, caseId, taken.data.seq],
      );
      expect(events).toBe(4);
      expect(await verifyAuditChains(dataSource)).toMatchObject({
        ok: true,
        firstBrokenLink: null,
      });
    });
  });
});
