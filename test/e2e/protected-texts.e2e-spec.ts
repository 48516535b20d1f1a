import type {
  AuditEventResponse,
  CaseResponse,
  MeetingResponse,
  EntryResponse,
  MessageHistory,
  Page,
  PersonResponse,
  PlanActionResponse,
  PlanResponse,
} from '@samverka/contracts';
import { OutboxRelay, personnummer } from '@samverka/api';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { callMeeting, outboxEvents } from '../support/meetings.js';
import { bornYearsAgo, consentOfAll, registerInCustody } from '../support/people.js';
import { connectSocket, eventually, record, requestUnchecked } from '../support/sockets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const HIDDEN = '[Dold: nämnde en person med skyddad identitet]';

/**
 * Texts that reach people not cleared for a protected person: checked when written, and hidden
 * when someone they name becomes protected.
 */
describe('texts naming a protected person', () => {
  let app: TestApp;
  let coordinator: ApiClient;
  let police: ApiClient;
  let school: ApiClient;
  let social: ApiClient;
  let sig: ApiClient;
  let ids: DemoIds;
  let policeId: string;
  let coordinatorId: string;
  let socialId: string;
  let sigId: string;

  beforeAll(async () => {
    app = await startTestApp();
    [coordinator, police, school, social, sig] = await Promise.all([
      app.as('samordnare@demo.test'),
      app.as('polis@demo.test'),
      app.as('skola@demo.test'),
      app.as('socialsekreterare@demo.test'),
      app.as('sig@demo.test'),
    ]);
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    [policeId, coordinatorId, socialId, sigId] = await Promise.all([
      ids.userId('polis@demo.test'),
      ids.userId('samordnare@demo.test'),
      ids.userId('socialsekreterare@demo.test'),
      ids.userId('sig@demo.test'),
    ]);
  });
  afterAll(() => app.close());

  /** Registers a person (as the coordinator, for social services); fails unless created. */
  const register = async (
    givenName: string,
    familyName: string,
    birthDate: string,
    serial: string,
    address?: string,
  ) => {
    const created = await coordinator.post<PersonResponse>('/api/v1/people', {
      identityNumber: personnummer(birthDate, serial),
      givenName,
      familyName,
      address,
    });
    expect(created.status).toBe(201);
    return created.body;
  };
  const protect = async (person: PersonResponse) =>
    expect(
      (
        await coordinator.patch(`/api/v1/people/${person.id}`, {
          protectionLevel: 'protected_registration',
        })
      ).status,
    ).toBe(200);
  /** A meeting of the coordinator's with the police invited, at an hour of 2027-03-01. */
  const meetAt = (hour: number, extra: Record<string, unknown> = {}) =>
    callMeeting(coordinator, {
      areaId: ids.areaNorra,
      startsAt: `2027-03-01T${String(hour).padStart(2, '0')}:00:00+01:00`,
      endsAt: `2027-03-01T${String(hour + 1).padStart(2, '0')}:00:00+01:00`,
      invitees: { userIds: [policeId] },
      ...extra,
    });
  /** Writes an entry in a case (category general); fails unless created. */
  const writeEntry = async (client: ApiClient, caseId: string, body: string) => {
    const created = await client.post<EntryResponse>(`/api/v1/cases/${caseId}/entries`, {
      category: 'general',
      body,
    });
    expect(created.status).toBe(201);
    return created.body;
  };
  /** An entry's body as the client reads it. */
  const entryBody = async (client: ApiClient, entryId: string) =>
    (await client.get<EntryResponse>(`/api/v1/entries/${entryId}`)).body.body;
  /** The ids of the entries of a case that a search by `text` finds for the client. */
  const searchEntries = async (client: ApiClient, caseId: string, text: string) =>
    (
      await client.post<Page<EntryResponse>>('/api/v1/entries/search', { text, caseId })
    ).body.items.map((entry) => entry.id);
  /** A case of social services' about a person, with the unit's case holder responsible. */
  const socialCase = async (personId: string) => {
    const kase = await social.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId,
      areaId: ids.areaNorra,
      responsibleUserId: sigId,
    });
    expect(kase.status).toBe(201);
    return kase.body.id;
  };
  /**
   * A meeting at `startsAt` (an hour long) with an item about the case and the coordinator's note
   * on it; answers the notes' bodies as a client reads the minutes.
   */
  const noteOnCase = async (caseId: string, startsAt: string, body: string) => {
    const meeting = await callMeeting(coordinator, {
      areaId: ids.areaNorra,
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(),
      invitees: { userIds: [sigId, socialId] },
    });
    expect(meeting.status).toBe(201);
    const item = await coordinator.post<{ id: string }>(
      `/api/v1/meetings/${meeting.body.id}/agenda`,
      { title: 'Uppföljning', caseId },
    );
    expect(item.status).toBe(201);
    const note = await coordinator.post(`/api/v1/agenda-items/${item.body.id}/notes`, {
      category: 'general',
      body,
    });
    expect(note.status).toBe(201);
    return async (client: ApiClient) =>
      (
        await client.get<{ notes: { body: string }[] }>(
          `/api/v1/agenda-items/${item.body.id}/minutes`,
        )
      ).body.notes.map((entry) => entry.body);
  };
  const reasonProblem = (response: Parameters<typeof expectProblem>[0]) =>
    reasonsFor(expectProblem(response, 400), 'overrideConflicts.reason');
  /** The coordinator's message sent over the socket is refused with a 400 naming its body. */
  const expectSocketSendRefused = async (caseId: string, clientId: string, body: string) => {
    const socket = await connectSocket(app.api.baseUrl, coordinator.token);
    try {
      const ack = await requestUnchecked(socket, 'message.send', {
        caseId,
        clientId,
        body,
        category: 'general',
      });
      expect(ack).toMatchObject({ ok: false, error: { status: 400, errors: [{ field: 'body' }] } });
    } finally {
      socket.close();
    }
  };

  it('checks a conflict override’s reason like the meeting’s other text, and hides it when the person becomes protected', async () => {
    expect((await meetAt(8)).status).toBe(201);
    // Alva Lind (demo) is protected; a valid identity number is never meeting text.
    for (const reason of [
      'Alva Lind kommer, måste bokas nu',
      `Gäller ${personnummer('2011-05-05', '123')}`,
    ]) {
      const refused = await meetAt(8, { overrideConflicts: { reason } });
      expect({ reason, reasons: reasonProblem(refused) }).toEqual({
        reason,
        reasons: [expect.stringContaining('overrideConflicts.reason')],
      });
    }
    // Through a reschedule and an invitation over a conflict alike.
    const later = await meetAt(10);
    expect(later.status).toBe(201);
    expect(
      reasonProblem(
        await coordinator.patch(`/api/v1/meetings/${later.body.id}`, {
          startsAt: '2027-03-01T08:30:00+01:00',
          endsAt: '2027-03-01T09:30:00+01:00',
          overrideConflicts: { reason: 'Alva Linds mamma kan bara då' },
        }),
      ),
    ).toHaveLength(1);
    const alone = await callMeeting(coordinator, {
      areaId: ids.areaNorra,
      startsAt: '2027-03-01T08:00:00+01:00',
      endsAt: '2027-03-01T09:00:00+01:00',
      overrideConflicts: { reason: 'Krockar, men det går' },
    });
    expect(alone.status).toBe(201);
    expect(
      reasonProblem(
        await coordinator.post(`/api/v1/meetings/${alone.body.id}/invitees`, {
          userIds: [policeId],
          overrideConflicts: { reason: 'Alva Lind vill träffa polisen' },
        }),
      ),
    ).toHaveLength(1);
    // Nothing of the refused requests was kept.
    const unchanged = await coordinator.get<MeetingResponse>(`/api/v1/meetings/${later.body.id}`);
    expect(unchanged.body).toMatchObject({ startsAtLocal: '2027-03-01T10:00:00+01:00' });
    expect(unchanged.body.conflictOverrides).toEqual([]);

    // Written while naming her was allowed; hidden once she is protected.
    const asa = await register('Åsa', 'Öberg', '1980-02-03', '124', 'Storgatan 12, Norrby');
    const over = await meetAt(8, {
      overrideConflicts: { reason: 'Åsa Öberg kommer, Storgatan 12' },
    });
    expect(over.status).toBe(201);
    const shown = await police.get<MeetingResponse>(`/api/v1/meetings/${over.body.id}`);
    expect(shown.body.conflictOverrides.map((override) => override.reason)).toEqual([
      'Åsa Öberg kommer, Storgatan 12',
    ]);
    await protect(asa);
    const hidden = await police.get<MeetingResponse>(`/api/v1/meetings/${over.body.id}`);
    expect(hidden.body.conflictOverrides.map((override) => override.reason)).toEqual([HIDDEN]);
    const [event] = await app.running.dataSource.query<{ details: string }[]>(
      "SELECT details FROM audit_event WHERE action = 'person.texts_hidden' AND person_id = $1",
      [asa.id],
    );
    expect((JSON.parse(event!.details) as { hidden: unknown[] }).hidden).toContainEqual(
      expect.objectContaining({
        recordType: 'MeetingConflictOverride',
        field: 'reason',
        original: 'Åsa Öberg kommer, Storgatan 12',
      }),
    );
  });

  describe('a plan', () => {
    let wilma: PersonResponse;
    let caseId: string;
    const path = () => `/api/v1/cases/${caseId}/plan`;
    const action = (what: string) => ({
      what,
      responsibleUnitId: ids.unit('Skolan Norra'),
      dueDate: '2099-06-01',
    });

    beforeAll(async () => {
      ({ young: wilma } = await registerInCustody(
        coordinator,
        { birthDate: '1980-04-04', serial: '235', givenName: 'Vera', familyName: 'Westin' },
        { birthDate: bornYearsAgo(14), serial: '242', givenName: 'Wilma', familyName: 'Wester' },
      ));
      const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
        kind: 'sspf',
        personId: wilma.id,
        areaId: ids.areaNorra,
        participatingUnitIds: [ids.unit('Skolan Norra')],
      });
      expect(kase.status).toBe(201);
      caseId = kase.body.id;
      // The school reads the plan on a consent that names it.
      await consentOfAll(coordinator, caseId, wilma, {
        agencies: ['school'],
        categories: ['general'],
      });
    });

    it('takes no identity number and no protected person in its texts, the minutes’ actions included', async () => {
      const number = `Gäller ${personnummer('2011-05-05', '123')}`;
      for (const text of ['Alva Lind ska klara skolan', number]) {
        expect(
          reasonsFor(
            expectProblem(await coordinator.post(`${path()}/goals`, { text }), 400),
            'text',
          ),
        ).toHaveLength(1);
      }
      expect(
        reasonsFor(
          expectProblem(
            await coordinator.post(`${path()}/actions`, action('Skjuts för Alva Lind')),
            400,
          ),
          'what',
        ),
      ).toHaveLength(1);
      expect(
        reasonsFor(
          expectProblem(
            await coordinator.patch(path(), { otherMeasures: 'BUP träffar Alva Lind' }),
            400,
          ),
          'otherMeasures',
        ),
      ).toHaveLength(1);
      const goal = await coordinator.post<PlanResponse>(`${path()}/goals`, {
        text: 'Närvaro i skolan varje dag',
      });
      expect(goal.status).toBe(201);
      const goalId = goal.body.goals[0]!.id;
      expect(
        reasonsFor(
          expectProblem(
            await coordinator.post(`${path()}/reviews`, {
              progressNote: `Alva Lind har kommit i tid; ${number}`,
              goals: [{ goalId, attainment: 'partly_met' }],
            }),
            400,
          ),
          'progressNote',
        ),
      ).toHaveLength(1);
      // An action of a meeting's minutes lands in the plan: the same check.
      const meeting = await callMeeting(coordinator, {
        areaId: ids.areaNorra,
        startsAt: '2027-04-01T10:00:00+02:00',
        endsAt: '2027-04-01T11:00:00+02:00',
      });
      const item = await coordinator.post<{ id: string }>(
        `/api/v1/meetings/${meeting.body.id}/agenda`,
        { title: 'Skolnärvaro', caseId },
      );
      expect(item.status).toBe(201);
      expect(
        reasonsFor(
          expectProblem(
            await coordinator.post(
              `/api/v1/agenda-items/${item.body.id}/actions`,
              action('Polisen pratar med Alva Lind'),
            ),
            400,
          ),
          'what',
        ),
      ).toHaveLength(1);
      // The refusals changed nothing.
      const plan = await coordinator.get<PlanResponse>(path());
      expect(plan.body).toMatchObject({ otherMeasures: null, actions: [], reviews: [] });
      expect(plan.body.goals.map((entry) => entry.text)).toEqual(['Närvaro i skolan varje dag']);
    });

    it('hides what named the case’s young person once she is protected, from every member', async () => {
      // Naming her own young person is allowed while she is not protected.
      const goal = await coordinator.post<PlanResponse>(`${path()}/goals`, {
        text: 'Wilma Wester ska klara skolan',
      });
      expect(goal.status).toBe(201);
      const goalId = goal.body.goals.find((entry) => entry.text.startsWith('Wilma'))!.id;
      // Her given name alone: in her own case's plan it tells who is meant.
      const byGivenName = await coordinator.post<PlanResponse>(`${path()}/goals`, {
        text: 'Wilma tränar fotboll två gånger i veckan',
      });
      expect(byGivenName.status).toBe(201);
      const named = await coordinator.post<PlanActionResponse>(
        `${path()}/actions`,
        action('Mentor följer upp Wilma Westers närvaro'),
      );
      expect(named.status).toBe(201);
      const plain = await coordinator.post<PlanActionResponse>(
        `${path()}/actions`,
        action('Mentor ringer hem varje fredag'),
      );
      expect(
        (
          await coordinator.post(`${path()}/reviews`, {
            progressNote: 'Wilma Wester har kommit i tid',
            goals: [{ goalId, attainment: 'partly_met' }],
          })
        ).status,
      ).toBe(201);
      expect(
        (await coordinator.patch(path(), { otherMeasures: 'BUP träffar Wilma Wester' })).status,
      ).toBe(200);

      await protect(wilma);
      // A member of a unit taking part, not cleared for her.
      const plan = await school.get<PlanResponse>(path());
      expect(plan.status).toBe(200);
      expect(plan.body.goals.map((entry) => entry.text)).toEqual([
        'Närvaro i skolan varje dag',
        HIDDEN,
        HIDDEN,
      ]);
      expect(Object.fromEntries(plan.body.actions.map((entry) => [entry.id, entry.what]))).toEqual({
        [named.body.id]: HIDDEN,
        [plain.body.id]: 'Mentor ringer hem varje fredag',
      });
      expect(plan.body.reviews.map((review) => review.progressNote)).toEqual([HIDDEN]);
      expect(plan.body.otherMeasures).toBe(HIDDEN);
      expect(JSON.stringify(plan.body)).not.toMatch(/Wilma|Wester/);
      const kase = await school.get<CaseResponse>(`/api/v1/cases/${caseId}`);
      expect(JSON.stringify(kase.body)).not.toMatch(/Wilma|Wester/);
      // The members are told the plan changed.
      expect(await outboxEvents(app, 'plan.changed', caseId)).toContainEqual({
        caseId,
        change: 'plan.texts_hidden',
      });

      // Now protected, her own case's plan may not name her either, not even by her given name.
      expect(
        reasonsFor(
          expectProblem(
            await coordinator.post(`${path()}/goals`, { text: 'Wilma ska få läxhjälp' }),
            400,
          ),
          'text',
        ),
      ).toHaveLength(1);
      expect(
        reasonsFor(
          expectProblem(
            await coordinator.post(`${path()}/goals`, { text: 'Wilma ska få läxhjälp, Wester' }),
            400,
          ),
          'text',
        ),
      ).toHaveLength(1);
    });
  });

  it('hides what a case’s conversation said of its young person once she is protected, and takes no more of it, by REST or socket', async () => {
    const vera = await register('Vera', 'Vallin', bornYearsAgo(13), '251');
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: vera.id,
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Skolan Norra')],
    });
    expect(kase.status).toBe(201);
    const caseId = kase.body.id;
    // A member of the coordinator's agency (who reads all of its messages), not cleared for her.
    expect(
      (await coordinator.post(`/api/v1/cases/${caseId}/members`, { userId: sigId })).status,
    ).toBe(201);
    const send = (clientId: string, body: string) =>
      coordinator.post(`/api/v1/cases/${caseId}/messages`, {
        clientId,
        body,
        category: 'general',
      });
    const bodies = async () =>
      (await sig.get<MessageHistory>(`/api/v1/cases/${caseId}/messages`)).body.items.map(
        (message) => message.body,
      );
    // Naming her is allowed while she is not protected.
    expect((await send('vera-msg-1', 'Vera Vallin kom inte till skolan idag')).status).toBe(201);
    expect((await send('vera-msg-2', 'Vera har flyttat till sin moster')).status).toBe(201);
    expect((await send('vera-msg-3', 'Mötet flyttas till torsdag')).status).toBe(201);
    // Her school too, once it is hers to hide.
    expect(
      (await coordinator.patch(`/api/v1/people/${vera.id}`, { school: 'Lönnbackaskolan' })).status,
    ).toBe(200);
    expect((await send('vera-msg-school', 'Samtal på Lönnbackaskolan i morgon')).status).toBe(201);

    const sigSocket = await connectSocket(app.api.baseUrl, sig.token);
    const told = record(sigSocket, 'messages.hidden');
    await protect(vera);
    expect(await bodies()).toEqual([HIDDEN, HIDDEN, 'Mötet flyttas till torsdag', HIDDEN]);
    // Connected members are told to fetch the history again.
    await app.running.app.get(OutboxRelay).tick();
    await eventually(() => told.length > 0, 5_000, 'messages.hidden');
    expect(told).toEqual([{ caseId }]);
    sigSocket.close();
    const [hidden] = await app.running.dataSource.query<{ details: string }[]>(
      "SELECT details FROM audit_event WHERE action = 'person.texts_hidden' AND person_id = $1",
      [vera.id],
    );
    expect((JSON.parse(hidden!.details) as { hidden: unknown[] }).hidden).toContainEqual(
      expect.objectContaining({
        recordType: 'Message',
        field: 'body',
        original: 'Vera Vallin kom inte till skolan idag',
      }),
    );

    // Now protected: not by her given name, not by her family name; nothing is stored.
    expect(
      reasonsFor(expectProblem(await send('vera-msg-4', 'Vera ringde i morse'), 400), 'body'),
    ).toHaveLength(1);
    expect(
      reasonsFor(
        expectProblem(await send('vera-msg-5', 'Familjen Vallin hörde av sig'), 400),
        'body',
      ),
    ).toHaveLength(1);
    await expectSocketSendRefused(caseId, 'vera-msg-6', 'Vera mår bättre');
    expect(await bodies()).toEqual([HIDDEN, HIDDEN, 'Mötet flyttas till torsdag', HIDDEN]);
    expect((await send('vera-msg-7', 'Eleven mår bättre')).status).toBe(201);
  });

  it('audits against the person a refusal that told its sender a text names them, by REST and socket; other refusals are not', async () => {
    const wilma = await register('Wilma', 'Wirén', bornYearsAgo(14), '262', 'Videvägen 7');
    await protect(wilma);
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: (await register('Otto', 'Oskarsson', bornYearsAgo(14), '273')).id,
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Skolan Norra')],
    });
    expect(kase.status).toBe(201);
    const caseId = kase.body.id;
    const auditor = await app.as('revisor@demo.test');
    const trail = async () =>
      (
        await auditor.get<Page<AuditEventResponse>>(
          `/api/v1/audit?personId=${wilma.id}&action=person.named_in_refused_text&limit=200`,
        )
      ).body.items.map((event) => ({ actor: event.actorUserId, details: event.details }));
    expect(await trail()).toEqual([]);

    // A message naming her family name, by REST; her street address, by socket; an area notice
    // naming her: each is refused, and each refusal is in her trail with who sent it and where.
    expect(
      reasonsFor(
        expectProblem(
          await coordinator.post(`/api/v1/cases/${caseId}/messages`, {
            clientId: 'wilma-msg-1',
            body: 'Familjen Wirén har hört av sig',
            category: 'general',
          }),
          400,
        ),
        'body',
      ),
    ).toHaveLength(1);
    await expectSocketSendRefused(caseId, 'wilma-msg-2', 'Hembesök på Videvägen 7 i morgon');
    expectProblem(
      await police.post('/api/v1/notices', {
        kind: 'area',
        title: 'Oro vid skolan',
        body: 'Wilma Wirén har setts vid köpcentrumet sent på kvällarna.',
        areaIds: [ids.areaNorra],
        agencies: ['school'],
      }),
      400,
    );
    expect(await trail()).toEqual(
      expect.arrayContaining([
        { actor: coordinatorId, details: { fields: ['body'] } },
        { actor: policeId, details: { fields: ['body'] } },
      ]),
    );
    expect(await trail()).toHaveLength(3);

    // A refusal that names no one (a number that only looks like an identity number) is not.
    const refusals = async () =>
      Number(
        (
          await app.running.dataSource.query<[{ count: string }]>(
            "SELECT count(*) FROM audit_event WHERE action = 'person.named_in_refused_text'",
          )
        )[0].count,
      );
    const before = await refusals();
    expectProblem(
      await police.post('/api/v1/notices', {
        kind: 'area',
        title: 'Oro vid skolan',
        body: `Ring ${personnummer('1990-01-01', '123')} om ni ser något.`,
        areaIds: [ids.areaNorra],
        agencies: ['school'],
      }),
      400,
    );
    expect(await refusals()).toBe(before);
  });

  it('reads words joined by any punctuation mark or symbol as words: Alva+Lind, @Lind, ?who=Lind', async () => {
    // Alva Lind (demo) is protected: her name however joined, and her family name alone.
    for (const title of ['Möte Alva+Lind', 'Läget för Alva&Lind', 'Möte @Lind', 'Lind·samtal']) {
      reasonsFor(expectProblem(await meetAt(19, { title }), 400), 'title');
    }
    reasonsFor(
      expectProblem(await meetAt(19, { videoLink: 'https://meet.example.se/room?who=Lind' }), 400),
      'videoLink',
    );
    reasonsFor(
      expectProblem(
        await police.post('/api/v1/notices', {
          kind: 'area',
          title: 'Bråk med Alva+Lind',
          body: 'Ökad närvaro kvällstid.',
          areaIds: [ids.areaNorra],
          agencies: ['school'],
        }),
        400,
      ),
      'title',
    );
    // Words that only contain a name's letters are still words of their own ("Lindström").
    expect((await meetAt(19, { title: 'Möte på Lindström+skolan' })).status).toBe(201);
  });

  it('hides what named a person by one given name and a part of the family name once protected', async () => {
    const lisa = await register('Lisa Maria', 'Berg-Strand', '1979-05-06', '127');
    const titled = await meetAt(13, { title: 'Samtal med Maria Berg om grannskapet' });
    expect(titled.status).toBe(201);
    const other = await meetAt(15, { title: 'Samtal med Maria Bergström' });
    expect(other.status).toBe(201);
    await protect(lisa);
    const title = async (id: string) =>
      (await police.get<MeetingResponse>(`/api/v1/meetings/${id}`)).body.title;
    expect(await title(titled.body.id)).toBe(HIDDEN);
    // Another person's name that only begins like hers stays.
    expect(await title(other.body.id)).toBe('Samtal med Maria Bergström');
  });

  it('shows an entry naming a protected young person only to those cleared for her, and no uncleared search by her name finds her case', async () => {
    const alva = await personByNumber(social, '20100621-4827');
    const caseId = await socialCase(alva.id);
    const write = (body: string) => writeEntry(social, caseId, body);
    const search = (client: ApiClient, text: string) => searchEntries(client, caseId, text);
    const named = await write('Alva har flyttat till sin moster på landet');
    const plain = await write('Eleven har flyttat, ny skola från måndag');
    // The case holder of the same unit reads the unit's entries, but is not cleared for her.
    const listed = await sig.get<Page<EntryResponse>>(`/api/v1/cases/${caseId}/entries`);
    expect(Object.fromEntries(listed.body.items.map((entry) => [entry.id, entry.body]))).toEqual({
      [named.id]: expect.stringMatching(/^\[Dold: /),
      [plain.id]: plain.body,
    });
    expect(await entryBody(sig, named.id)).toMatch(/^\[Dold: /);
    expect(await entryBody(social, named.id)).toBe(named.body);
    expect(await search(sig, 'Alva')).toEqual([]);
    expect(await search(sig, 'flyttat')).toEqual([plain.id, named.id]);
    expect(await search(social, 'Alva')).toEqual([named.id]);

    // Her street address is her identity too: an entry giving it reads as hidden to the uncleared,
    // and no uncleared search by a piece of it finds her case.
    expect(
      (await social.patch(`/api/v1/people/${alva.id}`, { address: 'Hemliga vägen 7, Norrby' }))
        .status,
    ).toBe(200);
    const visit = await write('Hembesök på Hemliga vägen 7 i dag, bra samtal');
    expect(await entryBody(sig, visit.id)).toMatch(/^\[Dold: /);
    expect(await entryBody(social, visit.id)).toBe(visit.body);
    expect(await search(sig, 'Hemliga')).toEqual([]);
    expect(await search(sig, 'samtal')).toEqual([visit.id]);
    expect(await search(social, 'Hemliga')).toEqual([visit.id]);

    // A minutes note about her case is its entry: shown as entries are.
    const notes = await noteOnCase(
      caseId,
      '2027-04-05T09:00:00+02:00',
      'Alva mår bättre sedan flytten',
    );
    expect(await notes(sig)).toEqual([expect.stringMatching(/^\[Dold: /)]);
    expect(await notes(social)).toEqual(['Alva mår bättre sedan flytten']);
  });

  it('hides an entry of another case that names a protected person from readers not cleared for her, in reads, lists, minutes and search, and its uncleared author in the trail', async () => {
    const alva = await personByNumber(social, '20100621-4827');
    const elias = await personByNumber(social, '20110314-2384');
    const familyName = alva.familyName;
    const fullName = `${alva.givenName} ${alva.familyName}`;
    const caseId = await socialCase(elias.id);
    const search = (client: ApiClient, text: string) => searchEntries(client, caseId, text);
    const byName = await writeEntry(social, caseId, `Elias umgås med ${fullName} efter skolan`);
    const byNumber = await writeEntry(
      social,
      caseId,
      'Elias umgås med flickan 100621−4827 efter skolan',
    );
    const plain = await writeEntry(social, caseId, 'Elias umgås med nya vänner efter skolan');
    const listed = await sig.get<Page<EntryResponse>>(`/api/v1/cases/${caseId}/entries`);
    expect(Object.fromEntries(listed.body.items.map((entry) => [entry.id, entry.body]))).toEqual({
      [byName.id]: expect.stringMatching(/^\[Dold: /),
      [byNumber.id]: expect.stringMatching(/^\[Dold: /),
      [plain.id]: plain.body,
    });
    expect(await entryBody(sig, byName.id)).toMatch(/^\[Dold: /);
    expect(await entryBody(social, byName.id)).toBe(byName.body);
    // A search by her name, a piece of it or her number finds nothing for the uncleared.
    for (const text of [familyName, familyName.slice(0, 4), '4827', fullName]) {
      expect({ text, found: await search(sig, text) }).toEqual({ text, found: [] });
    }
    expect((await search(sig, 'Elias umgås')).sort()).toEqual(
      [byName.id, byNumber.id, plain.id].sort(),
    );
    expect(await search(social, familyName)).toEqual([byName.id]);

    // Written by someone not cleared for her: hidden from its author too (it names her), and her
    // trail shows that it may name her.
    const own = await writeEntry(sig, caseId, `Pratade med ${familyName}s mamma i telefon`);
    expect(own.body).toMatch(/^\[Dold: /);
    expect(await entryBody(sig, own.id)).toMatch(/^\[Dold: /);
    expect(await entryBody(social, own.id)).toBe(`Pratade med ${familyName}s mamma i telefon`);
    const auditor = await app.as('revisor@demo.test');
    const trail = await auditor.get<Page<AuditEventResponse>>(
      `/api/v1/audit?personId=${alva.id}&action=person.named_in_text&limit=200`,
    );
    expect(
      trail.body.items.map((event) => [event.recordId, event.actorUserId, event.details]),
    ).toEqual([[own.id, sigId, { fields: ['body'] }]]);

    // A minutes note about the case is its entry: shown as entries are.
    const notes = await noteOnCase(
      caseId,
      '2027-04-12T09:00:00+02:00',
      `Elias har slutat träffa ${fullName}`,
    );
    expect(await notes(sig)).toEqual([expect.stringMatching(/^\[Dold: /)]);
    expect(await notes(social)).toEqual([`Elias har slutat träffa ${fullName}`]);
  });

  it('hides a protected young person’s school in her own case’s texts from the uncleared, and takes no message naming it', async () => {
    const tove = await register('Tove', 'Tall', bornYearsAgo(14), '917');
    expect(
      (await coordinator.patch(`/api/v1/people/${tove.id}`, { school: 'Hemliga skolan' })).status,
    ).toBe(200);
    await protect(tove);
    const open = async (personId: string) => {
      const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
        kind: 'sspf',
        personId,
        areaId: ids.areaNorra,
      });
      expect(kase.status).toBe(201);
      // A member of the coordinator's agency, not cleared for her.
      expect(
        (await coordinator.post(`/api/v1/cases/${kase.body.id}/members`, { userId: sigId })).status,
      ).toBe(201);
      return kase.body.id;
    };
    const write = (caseId: string, body: string) => writeEntry(coordinator, caseId, body);
    const own = await open(tove.id);
    const told = await write(own, 'Hon har börjat på Hemliga skolan i Norrby');
    expect(await entryBody(sig, told.id)).toMatch(/^\[Dold: /);
    expect(await entryBody(coordinator, told.id)).toBe('Hon har börjat på Hemliga skolan i Norrby');
    const message = await coordinator.post(`/api/v1/cases/${own}/messages`, {
      clientId: 'tove-school-1',
      body: 'Hon går numera på Hemliga skolan',
      category: 'general',
    });
    expect(reasonsFor(expectProblem(message, 400), 'body')).toHaveLength(1);
    // Elsewhere a school's name is only a school: another case's entry naming it stands.
    const other = await open((await register('Tor', 'Ek', bornYearsAgo(14), '928')).id);
    const plain = await write(other, 'Eleven går på Hemliga skolan');
    expect(await entryBody(sig, plain.id)).toBe('Eleven går på Hemliga skolan');
  });

  it('refuses an agenda item whose title names its case’s protected young person, even by her given name (found by a black-box probe)', async () => {
    const ella = await register('Ella', 'Ekvall', bornYearsAgo(13), '939');
    await protect(ella);
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: ella.id,
      areaId: ids.areaNorra,
    });
    expect(kase.status).toBe(201);
    // A working group about no case, with an item about hers.
    const meeting = await callMeeting(coordinator, {
      areaId: ids.areaNorra,
      startsAt: '2027-06-07T09:00:00+02:00',
      endsAt: '2027-06-07T10:00:00+02:00',
    });
    expect(meeting.status).toBe(201);
    const item = (title: string) =>
      coordinator.post(`/api/v1/meetings/${meeting.body.id}/agenda`, {
        title,
        caseId: kase.body.id,
      });
    for (const title of ['Om Ella', 'Ellas skolgång']) {
      expect({
        title,
        reasons: reasonsFor(expectProblem(await item(title), 400), 'title'),
      }).toEqual({ title, reasons: [expect.stringMatching(/may not be named in a meeting/)] });
    }
    expect((await item('Uppföljning av ärendet')).status).toBe(201);
  });

  it('takes a street address ending in a number as that number only, when writing and when hiding', async () => {
    const nils = await register('Nils', 'Nord', '1975-04-05', '131', 'Kvarngatan 12, Norrby');
    const lisa = await register('Lisa', 'Lund', '1977-06-07', '144', 'Lövvägen 3');
    const sara = await register('Sara', 'Stam', '1979-08-09', '159', 'Sjövägen 5+7');
    const titled = async (title: string, hour: number) => {
      const created = await callMeeting(coordinator, {
        areaId: ids.areaNorra,
        startsAt: `2027-05-03T${String(hour).padStart(2, '0')}:00:00+02:00`,
        endsAt: `2027-05-03T${String(hour).padStart(2, '0')}:30:00+02:00`,
        title,
      });
      expect({ title, status: created.status }).toEqual({ title, status: 201 });
      return created.body.id;
    };
    const written = {
      'Kvarngatan 120 trafik': await titled('Kvarngatan 120 trafik', 8),
      'Lövvägen 33 trafik': await titled('Lövvägen 33 trafik', 9),
      'Kvarngatan 12 trafik': await titled('Kvarngatan 12 trafik', 10),
      'Lövvägen 3, trafik': await titled('Lövvägen 3, trafik', 11),
      'Sjövägen 5+7': await titled('Sjövägen 5+7', 12),
    };
    for (const person of [nils, lisa, sara]) await protect(person);
    const seen = await Promise.all(
      Object.values(written).map(
        async (id) => (await coordinator.get<MeetingResponse>(`/api/v1/meetings/${id}`)).body.title,
      ),
    );
    expect(Object.fromEntries(Object.keys(written).map((text, i) => [text, seen[i]]))).toEqual({
      'Kvarngatan 120 trafik': 'Kvarngatan 120 trafik',
      'Lövvägen 33 trafik': 'Lövvägen 33 trafik',
      'Kvarngatan 12 trafik': HIDDEN,
      'Lövvägen 3, trafik': HIDDEN,
      'Sjövägen 5+7': HIDDEN,
    });
    // Written now, the same judgement.
    const check = async (title: string) =>
      (
        await callMeeting(coordinator, {
          areaId: ids.areaNorra,
          startsAt: '2027-05-04T08:00:00+02:00',
          endsAt: '2027-05-04T08:30:00+02:00',
          title,
          overrideConflicts: { reason: 'Flera möten samma tid' },
        })
      ).status;
    expect({
      'Kvarngatan 120': await check('Kvarngatan 120'),
      'Lövvägen 33': await check('Lövvägen 33'),
      'Kvarngatan 12': await check('Kvarngatan 12'),
      'Kvarngatan 12B': await check('Kvarngatan 12B'),
      'Lövvägen 3.': await check('Lövvägen 3.'),
      'Sjövägen 5+7': await check('Sjövägen 5+7'),
      'Sjövägen 5+70': await check('Sjövägen 5+70'),
    }).toEqual({
      'Kvarngatan 120': 201,
      'Lövvägen 33': 201,
      'Kvarngatan 12': 400,
      'Kvarngatan 12B': 400,
      'Lövvägen 3.': 400,
      'Sjövägen 5+7': 400,
      'Sjövägen 5+70': 201,
    });
  });

  it('leaves a hidden cancel reason showing that a reason was given', async () => {
    const per = await register('Per', 'Palm', '1982-10-11', '165');
    const meeting = await meetAt(14);
    expect(meeting.status).toBe(201);
    const cancelled = await coordinator.post<MeetingResponse>(
      `/api/v1/meetings/${meeting.body.id}/cancel`,
      { reason: 'Per Palm är sjuk' },
    );
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Per Palm är sjuk' });
    await protect(per);
    expect(
      (await police.get<MeetingResponse>(`/api/v1/meetings/${meeting.body.id}`)).body,
    ).toMatchObject({ status: 'cancelled', cancelReason: HIDDEN });
  });

  it('lets a plan keeper who owns an action change all of it, and the owner who keeps nothing only its progress', async () => {
    const young = await register('Ture', 'Tall', bornYearsAgo(15), '178');
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: young.id,
      areaId: ids.areaNorra,
      responsibleUserId: sigId,
    });
    expect(kase.status).toBe(201);
    const owned = async (responsibleUserId: string) => {
      const created = await coordinator.post<PlanActionResponse>(
        `/api/v1/cases/${kase.body.id}/plan/actions`,
        {
          what: 'Samtal med familjen',
          responsibleUnitId: ids.unit('Socialtjänsten Norra'),
          responsibleUserId,
          dueDate: '2099-03-01',
        },
      );
      expect(created.status).toBe(201);
      return created.body.id;
    };
    // The case's responsible user, and a coordinator of its area, each owning an action.
    for (const [keeper, userId] of [
      [sig, sigId],
      [coordinator, coordinatorId],
    ] as const) {
      const id = await owned(userId);
      const changed = await keeper.patch<PlanActionResponse>(`/api/v1/plan-actions/${id}`, {
        dueDate: '2099-04-01',
        provider: 'municipality',
        status: 'in_progress',
      });
      expect({ userId, status: changed.status, body: changed.body }).toMatchObject({
        userId,
        status: 200,
        body: { dueDate: '2099-04-01', provider: 'municipality', status: 'in_progress' },
      });
    }
    // An owner who keeps nothing of the plan reports progress only.
    const id = await owned(socialId);
    expectProblem(await social.patch(`/api/v1/plan-actions/${id}`, { dueDate: '2099-04-01' }), 403);
    expect((await social.patch(`/api/v1/plan-actions/${id}`, { status: 'done' })).status).toBe(200);
  });
});
