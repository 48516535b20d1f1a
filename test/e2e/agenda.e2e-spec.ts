import type {
  AgendaItemResponse,
  AuditEventResponse,
  CaseResponse,
  ConsentResponse,
  MeetingResponse,
  MinutesResponse,
  Page,
  PersonResponse,
  PlanActionResponse,
} from '@samverka/contracts';
import { personnummer } from '@samverka/api';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { callMeeting, outboxEvents } from '../support/meetings.js';
import { addStaff } from '../support/users.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const YEAR_AGO = new Date(Date.now() - 365 * 86400_000).toISOString();
const NEXT_YEAR = new Date(Date.now() + 365 * 86400_000).toISOString();

describe('agenda gated by consent, and minutes', () => {
  let app: TestApp;
  let coordinator: ApiClient;
  let police: ApiClient;
  let school: ApiClient;
  let leisure: ApiClient;
  let ids: DemoIds;
  let elias: PersonResponse;
  let caseId: string;
  let consentId: string;
  let meetingId: string;
  let itemId: string;
  let userIds: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp();
    [coordinator, police, school, leisure] = await Promise.all([
      app.as('samordnare@demo.test'),
      app.as('polis@demo.test'),
      app.as('skola@demo.test'),
      app.as('fritid@demo.test'),
    ]);
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    userIds = Object.fromEntries(
      await Promise.all(
        ['polis', 'skola', 'fritid'].map(async (name) => [
          name,
          await ids.userId(`${name}@demo.test`),
        ]),
      ),
    ) as Record<string, string>;
    elias = await personByNumber(coordinator, '20110314-2384');
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: elias.id,
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Skolan Norra'), ids.unit('Polisen Norra')],
    });
    caseId = kase.body.id;
    const consent = await coordinator.post<ConsentResponse>(`/api/v1/cases/${caseId}/consents`, {
      parties: [...elias.guardians.map((guardian) => guardian.personId), elias.id].map(
        (personId) => ({ personId }),
      ),
      scope: { agencies: ['police', 'school'], categories: ['general', 'school_attendance'] },
      validFrom: YEAR_AGO,
      validUntil: NEXT_YEAR,
      method: 'written',
    });
    expect(consent.body.inForce).toBe(true);
    consentId = consent.body.id;
    const meeting = await callMeeting(coordinator, {
      areaId: ids.areaNorra,
      startsAt: '2026-09-07T13:00:00+02:00',
      endsAt: '2026-09-07T15:00:00+02:00',
      invitees: { userIds: [userIds.polis, userIds.skola, userIds.fritid] },
    });
    meetingId = meeting.body.id;
  });
  afterAll(() => app.close());

  /** The items the client sees (one page holds them all). */
  const agenda = async (client: ApiClient) => {
    const page = await client.get<Page<AgendaItemResponse>>(`/api/v1/meetings/${meetingId}/agenda`);
    expect(page.body.nextCursor).toBeNull();
    return page.body.items;
  };

  it('refuses an item about a young person when an invited agency is not covered, naming it', async () => {
    const refused = expectProblem(
      await coordinator.post(`/api/v1/meetings/${meetingId}/agenda`, {
        title: 'Elias: skolnärvaro',
        caseId,
      }),
      409,
    );
    expect(refused.type).toMatch(/consent-not-covering$/);
    expect(refused.detail).toContain('not covered: leisure (Fritidsgården Norra)');
    expect(refused.detail).not.toMatch(/police|school/);
    // A category the consent does not name is not covered for anyone outside social services.
    const category = expectProblem(
      await coordinator.post(`/api/v1/meetings/${meetingId}/agenda`, {
        title: 'Elias: hälsa',
        caseId,
        category: 'health',
      }),
      409,
    );
    expect(category.detail).toMatch(/leisure.*police.*school/);
    // It says what a consent would have to name: the category as well as the agencies.
    expect(category.detail).toContain('the category health');
    expect(await agenda(coordinator)).toEqual([]);
  });

  it('accepts it once every invited agency is covered, and then refuses to invite an uncovered one', async () => {
    const meeting = await coordinator.get<MeetingResponse>(`/api/v1/meetings/${meetingId}`);
    const leisureInvite = meeting.body.invitees.find(
      (invitee) => invitee.userId === userIds.fritid,
    )!;
    await coordinator.delete(`/api/v1/meetings/${meetingId}/invitees/${leisureInvite.id}`);
    const added = await coordinator.post<AgendaItemResponse>(
      `/api/v1/meetings/${meetingId}/agenda`,
      {
        title: 'Elias: skolnärvaro',
        caseId,
      },
    );
    expect(added.status).toBe(201);
    itemId = added.body.id;
    expect(added.body).toMatchObject({ position: 1, category: 'general', caseId });
    for (const client of [police, school]) {
      const seen = await agenda(client);
      expect(seen.map((item) => [item.title, item.person?.name])).toEqual([
        ['Elias: skolnärvaro', 'Elias Andersson'],
      ]);
    }
    // The school takes part in the case, but reads the item on the consent (without it, it would
    // not): its read is audited with that basis (found by a black-box probe: it was null).
    const trail = await (
      await app.as('revisor@demo.test')
    ).get<Page<AuditEventResponse>>(
      `/api/v1/audit?personId=${elias.id}&action=agenda.read&actorUserId=${userIds.skola}&limit=200`,
    );
    expect(trail.body.items.map((event) => event.legalBasis)).toEqual([
      `OSL 12:2 samtycke ${consentId}`,
    ]);
    const refused = expectProblem(
      await coordinator.post(`/api/v1/meetings/${meetingId}/invitees`, {
        userIds: [userIds.fritid],
      }),
      409,
    );
    expect(refused.detail).toContain('leisure (Fritidsgården Norra)');
    expectProblem(await leisure.get(`/api/v1/meetings/${meetingId}`), 404);
    // Another office of the agency that holds the case is not the unit that holds it: it needs a
    // basis too (it neither knows the case nor is covered by the consent).
    const admin = await app.as('admin@demo.test');
    const sodraSocial = await addStaff(admin, {
      email: 'soc.sodra@demo.test',
      displayName: 'Sixten Södra',
      roles: ['social_worker'],
      unitId: ids.unit('Socialtjänsten Södra'),
    });
    const otherOffice = expectProblem(
      await coordinator.post(`/api/v1/meetings/${meetingId}/invitees`, {
        userIds: [sodraSocial],
      }),
      409,
    );
    expect(otherOffice.detail).toContain('social services (Socialtjänsten Södra)');
    // The unit holding the case sees its items as ever.
    expect((await agenda(coordinator)).map((item) => item.caseId)).toContain(caseId);
  });

  it('keeps minutes: notes follow the rules of case entries, decisions and actions reach the plan', async () => {
    const noted = await coordinator.post<MinutesResponse>(`/api/v1/agenda-items/${itemId}/notes`, {
      category: 'general',
      body: 'Socialtjänsten har haft samtal med familjen.',
    });
    expect(noted.status).toBe(201);
    const entryId = noted.body.notes[0]!.entryId!;
    expect(entryId).toEqual(expect.any(String));
    const decided = await coordinator.post<MinutesResponse>(
      `/api/v1/agenda-items/${itemId}/decisions`,
      { text: 'Skolan och polisen tar fram en åtagandeplan.' },
    );
    expect(decided.body.decisions.map((decision) => decision.text)).toEqual([
      'Skolan och polisen tar fram en åtagandeplan.',
    ]);
    const action = await coordinator.post<PlanActionResponse>(
      `/api/v1/agenda-items/${itemId}/actions`,
      {
        what: 'Närvarotrappa steg 2',
        responsibleUnitId: ids.unit('Skolan Norra'),
        responsibleUserId: userIds.skola,
        dueDate: '2027-10-01',
      },
    );
    expect(action.status).toBe(201);
    expect(action.body).toMatchObject({ caseId, agendaItemId: itemId, status: 'open' });

    // The note is social services' entry: not disclosed to the police, so not in their minutes.
    const policeMinutes = await police.get<MinutesResponse>(
      `/api/v1/agenda-items/${itemId}/minutes`,
    );
    expect(policeMinutes.body.notes).toEqual([]);
    expect(policeMinutes.body.decisions).toHaveLength(1);
    expect(policeMinutes.body.actionIds).toEqual([action.body.id]);
    const own = await coordinator.get<MinutesResponse>(`/api/v1/agenda-items/${itemId}/minutes`);
    expect(own.body.notes.map((note) => note.body)).toEqual([
      'Socialtjänsten har haft samtal med familjen.',
    ]);
    // Disclosed on the consent, the police read it too.
    await coordinator.post(`/api/v1/entries/${entryId}/disclosures`, {
      receivers: [{ agency: 'police' }],
      basis: 'consent',
      consentId,
      reason: 'Underlag till SSPF-mötet',
    });
    const after = await police.get<MinutesResponse>(`/api/v1/agenda-items/${itemId}/minutes`);
    expect(after.body.notes.map((note) => note.entryId)).toEqual([entryId]);
    // That read of another agency's entry is audited with the basis it relied on, as every read is.
    const trail = await (
      await app.as('revisor@demo.test')
    ).get<Page<AuditEventResponse>>(
      `/api/v1/audit?personId=${elias.id}&action=entry.read&actorUserId=${userIds.polis}&limit=200`,
    );
    expect(
      trail.body.items.filter((event) => event.recordId === entryId).map((e) => e.legalBasis),
    ).toEqual([`OSL 12:2 samtycke ${consentId}`]);
    // Invitees do not keep the minutes.
    expectProblem(
      await police.post(`/api/v1/agenda-items/${itemId}/decisions`, { text: 'Polisen bestämmer' }),
      403,
    );
  });

  it('hides the item from the agencies as soon as the consent is revoked, and tells the organiser', async () => {
    const revoked = await coordinator.post(`/api/v1/consents/${consentId}/revoke`, {
      partyPersonId: elias.guardians[0]!.personId,
    });
    expect(revoked.status).toBe(200);
    expect(await agenda(police)).toEqual([]);
    expect(await agenda(school)).toEqual([]);
    expectProblem(await police.get(`/api/v1/agenda-items/${itemId}/minutes`), 404);
    // Social services hold the case: the organiser still sees the item, and is told.
    expect((await agenda(coordinator)).map((item) => item.id)).toEqual([itemId]);
    const meeting = await coordinator.get<MeetingResponse>(`/api/v1/meetings/${meetingId}`);
    expect(meeting.body.hiddenItems).toBe(1);
    expect(meeting.body.agendaNotices).toEqual([
      { agendaItemId: itemId, hiddenFrom: ['police', 'school'] },
    ]);
    // Invitees are not told what they cannot see.
    const policeView = await police.get<MeetingResponse>(`/api/v1/meetings/${meetingId}`);
    expect(policeView.body).toMatchObject({ hiddenItems: 0, agendaNotices: [] });
    const events = await outboxEvents(app, 'agenda.hidden', meetingId);
    expect(events).toEqual([
      expect.objectContaining({
        meetingId,
        caseId,
        consentId,
        items: [{ agendaItemId: itemId, hiddenFrom: ['police', 'school'] }],
      }),
    ]);
    expect(JSON.stringify(events)).not.toMatch(/Elias|Andersson|2384/);
    // The meeting goes on: a colleague of the unit holding the case can still be invited (only
    // the newly invited are judged), and an uncovered agency still cannot.
    const colleague = await ids.userId('sig@demo.test');
    expect(
      (await coordinator.post(`/api/v1/meetings/${meetingId}/invitees`, { userIds: [colleague] }))
        .status,
    ).toBe(201);
    const leisureAgain = expectProblem(
      await coordinator.post(`/api/v1/meetings/${meetingId}/invitees`, {
        userIds: [userIds.fritid],
      }),
      409,
    );
    expect(leisureAgain.detail).toContain('leisure');
    expect(leisureAgain.detail).not.toContain('police');
  });

  it('accepts an item on a statutory basis for the agencies it names', async () => {
    const leo = await personByNumber(coordinator, '20080119-3533');
    const leoCase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: leo.id,
      areaId: ids.areaNorra,
    });
    const meeting = await callMeeting(coordinator, {
      areaId: ids.areaNorra,
      startsAt: '2026-09-08T10:00:00+02:00',
      endsAt: '2026-09-08T11:00:00+02:00',
      invitees: { userIds: [userIds.polis] },
    });
    const item = (extra: Record<string, unknown>) =>
      coordinator.post<AgendaItemResponse>(`/api/v1/meetings/${meeting.body.id}/agenda`, {
        title: 'Leo: oro för brott',
        caseId: leoCase.body.id,
        legalBasisCode: 'OSL 10:18 a',
        ...extra,
      });
    const noHarm = expectProblem(await item({}), 400);
    expect(reasonsFor(noHarm, 'harmAssessment')[0]).toMatch(/harm assessment/);
    const added = await item({ harmAssessment: 'Uppgiften skadar inte pågående insatser.' });
    expect(added.status).toBe(201);
    expect(added.body.legalBasisCode).toBe('OSL 10:18 a');
    expect(
      (await police.get<Page<AgendaItemResponse>>(`/api/v1/meetings/${meeting.body.id}/agenda`))
        .body.items,
    ).toHaveLength(1);
    // The police's read is audited with the basis it rests on (found by a black-box probe).
    const auditor = await app.as('revisor@demo.test');
    const trail = await auditor.get<Page<AuditEventResponse>>(
      `/api/v1/audit?personId=${leo.id}&action=agenda.read&actorUserId=${userIds.polis}&limit=200`,
    );
    expect(trail.body.items.map((event) => [event.recordId, event.legalBasis])).toEqual([
      [added.body.id, 'OSL 10:18 a'],
    ]);
    // The basis reaches the police only: inviting the school is refused.
    const refused = expectProblem(
      await coordinator.post(`/api/v1/meetings/${meeting.body.id}/invitees`, {
        userIds: [userIds.skola],
      }),
      409,
    );
    expect(refused.detail).toContain('school (Skolan Norra)');
  });

  it('takes no item that identifies a person in an area-level meeting', async () => {
    const area = await callMeeting(coordinator, {
      kind: 'area',
      title: 'Lägesbild Norra',
      areaId: ids.areaNorra,
      startsAt: '2026-09-09T10:00:00+02:00',
      endsAt: '2026-09-09T11:00:00+02:00',
      invitees: { unitIds: [ids.unit('Polisen Norra'), ids.unit('Fritidsgården Norra')] },
    });
    expect(area.status).toBe(201);
    const add = (body: Record<string, unknown>) =>
      coordinator.post<AgendaItemResponse>(`/api/v1/meetings/${area.body.id}/agenda`, body);
    expect(
      reasonsFor(expectProblem(await add({ title: 'Elias', caseId }), 400), 'caseId'),
    ).toHaveLength(1);
    // However a name or number is written.
    for (const title of [
      'Oro kring Elias Andersson vid torget',
      'Om Andersson, Elias',
      'Om Elias  Andersson',
      'Uppgifter om 20110314-2384',
      'Uppgifter om 2O11O314 2384',
    ]) {
      expect({ title, status: (await add({ title })).status }).toEqual({ title, status: 400 });
    }
    const place = await add({ title: 'Otrygghet vid torget kvällstid' });
    expect(place.status).toBe(201);
    expect(place.body.person).toBeNull();
    expect(
      (
        await leisure.get<Page<AgendaItemResponse>>(`/api/v1/meetings/${area.body.id}/agenda`)
      ).body.items.map((item) => item.title),
    ).toEqual(['Otrygghet vid torget kvällstid']);
    // Nor may an area-level meeting be about a case.
    expectProblem(
      await callMeeting(coordinator, {
        kind: 'area',
        areaId: ids.areaNorra,
        caseId,
        startsAt: '2026-09-10T10:00:00+02:00',
        endsAt: '2026-09-10T11:00:00+02:00',
      }),
      400,
    );
    // Nor in the meeting's own title, place or a cancel reason.
    for (const named of [
      { title: 'Oro kring Elias Andersson' },
      { place: 'Hos Elias Andersson' },
      { videoLink: 'https://meet.example.se/elias-andersson' },
      { title: 'Möte 2011\u200b0314-2384' },
      { place: 'Rum 2011 03 14 2384' },
      { videoLink: 'https://meet.example.se/j/%32%30%31%31%30%33%31%34-%32%33%38%34' },
    ]) {
      const refused = await callMeeting(coordinator, {
        kind: 'area',
        areaId: ids.areaNorra,
        startsAt: '2026-09-11T10:00:00+02:00',
        endsAt: '2026-09-11T11:00:00+02:00',
        ...named,
      });
      expect({ named, status: refused.status }).toEqual({ named, status: 400 });
    }
    const cancel = expectProblem(
      await coordinator.post(`/api/v1/meetings/${area.body.id}/cancel`, {
        reason: 'Elias Andersson har flyttat',
      }),
      400,
    );
    expect(reasonsFor(cancel, 'reason')[0]).toMatch(/names a person in the register/);
    // Nor in its minutes: a decision, or a note on an item about no one, reaches every invitee.
    const decision = expectProblem(
      await coordinator.post(`/api/v1/agenda-items/${place.body.id}/decisions`, {
        text: 'Beslut: Elias Andersson (20110314-2384) följs upp',
      }),
      400,
    );
    expect(reasonsFor(decision, 'text')).toHaveLength(1);
    const note = expectProblem(
      await coordinator.post(`/api/v1/agenda-items/${place.body.id}/notes`, {
        category: 'general',
        body: 'Elias Andersson sågs vid torget',
      }),
      400,
    );
    expect(reasonsFor(note, 'body')).toHaveLength(1);
    const minutes = await coordinator.get<MinutesResponse>(
      `/api/v1/agenda-items/${place.body.id}/minutes`,
    );
    expect(minutes.body).toMatchObject({ notes: [], decisions: [] });
    expect(
      (
        await coordinator.post(`/api/v1/agenda-items/${place.body.id}/decisions`, {
          text: 'Fler vuxna vid torget på fredagar',
        })
      ).status,
    ).toBe(201);
  });

  it('keeps a protected person’s street address out of a meeting’s own text and minutes', async () => {
    const social = await app.as('socialsekreterare@demo.test');
    const hidden = await social.post<PersonResponse>('/api/v1/people', {
      identityNumber: personnummer('2012-02-02', '517'),
      givenName: 'Vera',
      familyName: 'Qvist',
      address: 'Tallstigen 12, Norrby',
      protectionLevel: 'protected_registration',
    });
    expect(hidden.status).toBe(201);
    const meeting = {
      areaId: ids.areaNorra,
      startsAt: '2026-09-12T10:00:00+02:00',
      endsAt: '2026-09-12T11:00:00+02:00',
    };
    for (const place of ['Tallstigen 12, Norrby', 'tallstigen 12', 'Hembesök Tallstigen  12']) {
      const refused = await callMeeting(coordinator, { ...meeting, place });
      expect({ place, status: refused.status }).toEqual({ place, status: 400 });
    }
    const held = await callMeeting(coordinator, { ...meeting, place: 'Tallstigen 14' });
    expect(held.status).toBe(201);
    const item = await coordinator.post<AgendaItemResponse>(
      `/api/v1/meetings/${held.body.id}/agenda`,
      { title: 'Trygghet i området' },
    );
    const refused = await coordinator.post(`/api/v1/agenda-items/${item.body.id}/decisions`, {
      text: 'Polisen åker förbi Tallstigen 12 kvällstid',
    });
    expect(reasonsFor(expectProblem(refused, 400), 'text')).toHaveLength(1);
  });

  it('keeps a network meeting to its case: it needs one, in the case’s own area, and a closed case takes no new items or minutes', async () => {
    const network = (body: Record<string, unknown>) =>
      callMeeting(coordinator, {
        kind: 'network',
        startsAt: '2026-09-14T10:00:00+02:00',
        endsAt: '2026-09-14T11:00:00+02:00',
        ...body,
      });
    expect(
      reasonsFor(expectProblem(await network({ areaId: ids.areaNorra }), 400), 'caseId'),
    ).toHaveLength(1);
    const areas = await coordinator.get<Page<{ id: string; name: string }>>('/api/v1/areas');
    const sodra = areas.body.items.find((area) => area.name === 'Södra')!.id;
    expect(
      reasonsFor(expectProblem(await network({ areaId: sodra, caseId }), 400), 'areaId'),
    ).toHaveLength(1);
    // A harm assessment goes with a legal basis; alone it would be dropped.
    const lone = expectProblem(
      await coordinator.post(`/api/v1/meetings/${meetingId}/agenda`, {
        title: 'Utan ärende',
        harmAssessment: 'Ingen skada för pågående insatser.',
      }),
      400,
    );
    expect(reasonsFor(lone, 'harmAssessment')).toHaveLength(1);
    // A network meeting tells its invitees of its case: only units taking part in the case, or
    // covered for it, may be invited (the leisure centre is neither; the school takes part).
    const outsider = expectProblem(
      await network({
        areaId: ids.areaNorra,
        caseId,
        invitees: { userIds: [userIds.fritid] },
      }),
      409,
    );
    expect(outsider.detail).toContain('leisure (Fritidsgården Norra)');
    const insider = await network({
      areaId: ids.areaNorra,
      caseId,
      startsAt: '2026-09-16T10:00:00+02:00',
      endsAt: '2026-09-16T11:00:00+02:00',
      invitees: { userIds: [userIds.skola] },
    });
    expect(insider.status).toBe(201);
    // A closed case: no new item about it, no note or action on the items it has.
    const other = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: elias.id,
      areaId: ids.areaNorra,
    });
    // (A meeting of the coordinator's own, so that no invited agency needs a basis.)
    const own = await callMeeting(coordinator, {
      areaId: ids.areaNorra,
      startsAt: '2026-09-15T10:00:00+02:00',
      endsAt: '2026-09-15T11:00:00+02:00',
    });
    const item = await coordinator.post<AgendaItemResponse>(
      `/api/v1/meetings/${own.body.id}/agenda`,
      {
        title: 'Uppföljning',
        caseId: other.body.id,
      },
    );
    expect(item.status).toBe(201);
    const closed = await coordinator.patch(`/api/v1/cases/${other.body.id}`, {
      status: 'closed',
      reason: 'Inget behov',
    });
    expect(closed.status).toBe(200);
    for (const refused of [
      await coordinator.post(`/api/v1/meetings/${own.body.id}/agenda`, {
        title: 'Igen',
        caseId: other.body.id,
      }),
      await coordinator.post(`/api/v1/agenda-items/${item.body.id}/notes`, {
        body: 'Anteckning efteråt',
        category: 'general',
      }),
    ]) {
      expect(expectProblem(refused, 409).detail).toMatch(/The case is closed/);
    }
  });
});
