import type {
  AuditEventResponse,
  CaseResponse,
  NoticeResponse,
  Page,
  PersonResponse,
} from '@samverka/contracts';
import { NoticesService, OutboxRelay, personnummer } from '@samverka/api';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { connectSocket, eventually, record, type HubClient } from '../support/sockets.js';
import { addStaff } from '../support/users.js';
import { consentOfAll } from '../support/people.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A consent's scope: the police's observations to the school. */
const SCHOOL_OBSERVATIONS = { agencies: ['school'], categories: ['police_observation'] };

describe('police notices', () => {
  let app: TestApp;
  let police: ApiClient;
  let school: ApiClient;
  let leisure: ApiClient;
  let coordinator: ApiClient;
  let ids: DemoIds;
  let schoolSocket: HubClient;
  let leisureSocket: HubClient;
  let coordinatorSocket: HubClient;

  const areaNotice = (overrides: Record<string, unknown> = {}) =>
    police.post<NoticeResponse>('/api/v1/notices', {
      kind: 'area',
      title: 'Oro vid köpcentrum',
      body: 'Ungdomsgrupper samlas vid köpcentrumets entré efter 21 på fredagar.',
      areaIds: [ids.areaNorra],
      agencies: ['school'],
      ...overrides,
    });

  beforeAll(async () => {
    // Escalation after one second; the relay runs only when the test asks (a long interval).
    app = await startTestApp({ NOTICE_ESCALATION_SECONDS: '1', OUTBOX_RELAY_INTERVAL_MS: '60000' });
    [police, school, leisure, coordinator] = await Promise.all([
      app.as('polis@demo.test'),
      app.as('skola@demo.test'),
      app.as('fritid@demo.test'),
      app.as('samordnare@demo.test'),
    ]);
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    schoolSocket = await connectSocket(app.api.baseUrl, school.token);
    leisureSocket = await connectSocket(app.api.baseUrl, leisure.token);
    coordinatorSocket = await connectSocket(app.api.baseUrl, coordinator.token);
  });
  afterAll(async () => {
    for (const socket of [schoolSocket, leisureSocket, coordinatorSocket]) socket?.close();
    await app.close();
  });

  it('takes no harm assessment on an area notice, where it would be lost (found by a black-box probe)', async () => {
    const refused = expectProblem(
      await areaNotice({ harmAssessment: 'Ingen skada för pågående insatser' }),
      400,
    );
    expect(reasonsFor(refused, 'harmAssessment')).toHaveLength(1);
  });

  it('refuses an area notice that could identify someone, saying why, and stores nothing', async () => {
    const registered = await coordinator.post('/api/v1/people', {
      identityNumber: personnummer('2012-05-05', '123'),
      givenName: 'Åsa',
      familyName: 'Öberg',
    });
    expect(registered.status).toBe(201);
    const before = (await police.get<Page<NoticeResponse>>('/api/v1/notices')).body.items.length;
    const number = await areaNotice({ body: 'Pojken 20110314-2384 sågs vid centrum.' });
    expectProblem(number, 400);
    expect(JSON.stringify(number.body)).toMatch(/identity number/);
    const short = await areaNotice({ body: 'Pojken 1103142384 sågs vid centrum.' });
    expectProblem(short, 400);
    // A minus sign or a plus (found by a black-box probe) is a dash to a reader.
    for (const written of [
      '110314\u22122384',
      '20110314\u22122384',
      '110314+2384',
      '20110314+2384',
    ]) {
      const signed = await areaNotice({ body: `Pojken ${written} sågs vid centrum.` });
      expect({ written, problem: expectProblem(signed, 400).detail }).toEqual({
        written,
        problem: expect.stringMatching(/identity number/),
      });
    }
    const name = await areaNotice({ body: 'Elias Andersson sågs vid centrum med en okänd vuxen.' });
    expectProblem(name, 400);
    expect(JSON.stringify(name.body)).toMatch(/names a person in the register/);
    // However the name is written, and in whichever field.
    for (const written of [
      'Andersson, Elias sågs',
      'ELIAS  ANDERSSON sågs',
      'Elias\u00a0Andersson sågs',
      'Elias\u200bAndersson sågs',
      'Elias-Andersson sågs',
      'Sågs: elias anderssons cykel',
      // Letters that look the same: full-width, Cyrillic, Greek.
      'Ｅｌｉａｓ Ａｎｄｅｒｓｓｏｎ sågs',
      'Еliаs Аndеrssоn sågs',
      'Εlιαs Αndεrssοn sågs',
      // Numbers however their digits are written.
      'Pojken ２０１１０３１４-２３８４ sågs',
      'Pojken ٢٠١١٠٣١٤-٢٣٨٤ sågs',
      'Pojken 2O11O314-2384 sågs',
      'Pojken 110314 – 2384 sågs',
      // A protected person's family name is enough.
      'Familjen Lind sågs vid centrum',
      'Familjen Linds bil sågs vid centrum',
      'Lindska villan har klotter',
      // Spelled out in pieces, or written without its diacritics.
      'L i n d s bil sågs vid centrum',
      'L.i.n.d sågs vid centrum',
      'Li nd sågs vid centrum',
      'Asa Oberg sågs vid centrum',
      'ASA OBERG sågs vid centrum',
      'Åsa Oberg sågs vid centrum',
      // Characters that show as nothing, and numbers however grouped.
      'Iakttagelse Li\u200End',
      'Eli\u2066as Andersson sågs',
      'Pojken 2011 03 14 2384 sågs',
      'Pojken 2011.03.14.2384 sågs',
      'Pojken \u202E4832-41301102 sågs',
    ]) {
      const disguised = expectProblem(await areaNotice({ body: written }), 400);
      expect({ written, fields: disguised.errors?.map((error) => error.field) }).toEqual({
        written,
        fields: ['body'],
      });
    }
    const inTitle = expectProblem(await areaNotice({ title: 'Elias Andersson' }), 400);
    expect(inTitle.errors?.map((error) => error.field)).toEqual(['title']);
    const numberSpaced = await areaNotice({ body: 'Pojken 20110314\u00a02384 sågs.' });
    expectProblem(numberSpaced, 400);
    expect((await police.get<Page<NoticeResponse>>('/api/v1/notices')).body.items).toHaveLength(
      before,
    );
    // Numbers that together hold a register number's digits, but each on its own is not one.
    expect((await areaNotice({ body: 'Buss 1103 går 14:23 från hållplats 84.' })).status).toBe(201);
  });

  it('refuses an area notice that holds a register person’s reserve number, as it does a personnummer', async () => {
    for (const [identityNumber, givenName] of [
      ['55443322', 'Ture'],
      ['RES-2026-0042', 'Tyra'],
    ]) {
      const registered = await coordinator.post('/api/v1/people', {
        identityNumber,
        identityKind: 'reserve',
        givenName,
        familyName: 'Nummerlund',
        birthDate: '2012-03-03',
      });
      expect(registered.status).toBe(201);
    }
    const personnummerRefusal = expectProblem(
      await areaNotice({ body: 'Pojken 1103142384 sågs vid centrum.' }),
      400,
    );
    for (const body of [
      'Personen med reservnummer 55443322 syntes vid torget',
      'Reservnummer 5544 3322 syntes vid torget',
      'Reservnummer 55443322.',
      'Personen RES-2026-0042 syntes vid torget',
      'Personen res 2026 0042 syntes vid torget',
      'Personen RES-2O26-OO42 syntes vid torget',
      'Personen ＲＥＳ－２０２６－００４２ syntes vid torget',
    ]) {
      const refused = expectProblem(await areaNotice({ body }), 400);
      expect({ body, fields: refused.errors?.map((error) => error.field) }).toEqual({
        body,
        fields: ['body'],
      });
      expect({ body, detail: refused.detail }).toEqual({
        body,
        detail: expect.stringMatching(/may not identify anyone/),
      });
    }
    expect(personnummerRefusal.errors?.map((error) => error.field)).toEqual(['body']);
    // Another number that holds its digits, or the same digits within another number, is not it.
    for (const body of [
      'Ärende 155443322 vid torget',
      'Ärende 554433221 vid torget',
      'Ärende RES-2026-00421 vid torget',
      'Ärende 2026-0042 vid torget',
    ]) {
      expect({ body, status: (await areaNotice({ body })).status }).toEqual({ body, status: 201 });
    }
  });

  it('refuses an area notice naming a register person by one of their given names and one part of their family name, whoever they are', async () => {
    for (const person of [
      { givenName: 'Anna Maria', familyName: 'Svensson', birth: '2012-06-06' },
      { givenName: 'Lisa', familyName: 'Berg-Strand', birth: '2012-06-07' },
      {
        givenName: 'Karl Johan',
        familyName: 'Ek Holm',
        birth: '2012-06-08',
        protectionLevel: 'protected_registration',
      },
    ]) {
      const { birth, ...names } = person;
      const registered = await coordinator.post('/api/v1/people', {
        identityNumber: personnummer(birth, '234'),
        ...names,
      });
      expect(registered.status).toBe(201);
    }
    const refusals: unknown[] = [];
    for (const body of [
      'Anna Svensson sprejade vid torget',
      'Maria Svensson syntes',
      'Svensson, Anna syntes vid torget',
      'Maria Svenssons cykel stod vid torget',
      'Ánna Svensson syntes',
      'A n n a Svensson syntes',
      'Anna-Maria Svensson syntes',
      'Lisa Berg syntes',
      'Lisa Strand syntes',
      'Berg, Lisa syntes',
      // Someone with a protected identity: refused in the same words.
      'Karl Holm syntes',
      'Johan Ek syntes',
    ]) {
      const refused = expectProblem(await areaNotice({ body }), 400);
      expect({ body, fields: refused.errors?.map((error) => error.field) }).toEqual({
        body,
        fields: ['body'],
      });
      refusals.push({ detail: refused.detail, errors: refused.errors });
    }
    expect(new Set(refusals.map((refusal) => JSON.stringify(refusal))).size).toBe(1);
    expect(JSON.stringify(refusals[0])).not.toMatch(/protect/i);
    // Each a word of its own: not inside another word, nor one name beside another's.
    for (const body of [
      'Lisa Bergström syntes vid torget',
      'Marianne Svensson syntes vid torget',
      'Anna Svenssonberg syntes vid torget',
      'Kärlek vid torget',
      'Karl Eklund syntes vid torget',
      'Anna Berg syntes vid torget',
    ]) {
      expect({ body, status: (await areaNotice({ body })).status }).toEqual({ body, status: 201 });
    }
  });

  it('expires: in the future when posted, then gone for its recipients (the author keeps it)', async () => {
    const past = expectProblem(await areaNotice({ expiresAt: '2020-01-01T00:00:00Z' }), 400);
    expect(reasonsFor(past, 'expiresAt')).toEqual(['expiresAt must be in the future']);
    const local = expectProblem(await areaNotice({ expiresAt: '2030-01-01T12:00:00' }), 400);
    expect(reasonsFor(local, 'expiresAt')[0]).toMatch(/with an offset/);
    for (const expiresAt of [
      '2027-02-30T10:00:00Z',
      '2027-01-01T23:60:00Z',
      '2027-01-01T10:00:00+25:00',
    ]) {
      const impossible = expectProblem(await areaNotice({ expiresAt }), 400);
      expect(reasonsFor(impossible, 'expiresAt')).toEqual([
        'expiresAt must be a date and time that exists',
      ]);
    }
    const soon = await areaNotice({
      acknowledgementRequired: true,
      expiresAt: new Date(Date.now() + 1_500).toISOString(),
    });
    expect(soon.status).toBe(201);
    expect((await school.get(`/api/v1/notices/${soon.body.id}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expectProblem(await school.get(`/api/v1/notices/${soon.body.id}`), 404);
    const late = expectProblem(
      await school.post(`/api/v1/notices/${soon.body.id}/acknowledge`, {}),
      409,
    );
    expect(late.detail).toMatch(/expired/);
    expect((await police.get(`/api/v1/notices/${soon.body.id}`)).status).toBe(200);
  });

  it('lets only police liaisons post', async () => {
    const response = await school.post('/api/v1/notices', {
      kind: 'area',
      title: 'x',
      body: 'y',
      areaIds: [ids.areaNorra],
      agencies: ['school'],
    });
    expectProblem(response, 403);
  });

  it('reaches the chosen areas and agency types live and in their list, and nobody else', async () => {
    const live = record(schoolSocket, 'notice.created');
    const elsewhere = record(leisureSocket, 'notice.created');
    const posted = await areaNotice({ acknowledgementRequired: false });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({
      kind: 'area',
      recipients: expect.any(Number),
      acknowledged: 0,
    });
    await eventually(() => live.some((notice) => notice.id === posted.body.id));
    expect(live.find((notice) => notice.id === posted.body.id)).toMatchObject({
      title: 'Oro vid köpcentrum',
      acknowledgedAt: null,
    });
    const list = await school.get<Page<NoticeResponse>>('/api/v1/notices');
    expect(list.body.items.map((notice) => notice.id)).toContain(posted.body.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(elsewhere).toEqual([]);
    expectProblem(await leisure.get(`/api/v1/notices/${posted.body.id}`), 404);
    expect(
      (await leisure.get<Page<NoticeResponse>>('/api/v1/notices')).body.items.map((n) => n.id),
    ).not.toContain(posted.body.id);
    expectProblem(await leisure.post(`/api/v1/notices/${posted.body.id}/acknowledge`), 404);
  });

  it('records acknowledgements per recipient; the author sees how many', async () => {
    const posted = await areaNotice({ acknowledgementRequired: true });
    // It takes no body: fields sent with it are a mistake to be told of, and nothing is recorded.
    const withFields = expectProblem(
      await school.post(`/api/v1/notices/${posted.body.id}/acknowledge`, { comment: 'Sett' }),
      400,
    );
    expect(reasonsFor(withFields, 'comment')[0]).toMatch(/this request takes no body/);
    expect(
      (await school.get<NoticeResponse>(`/api/v1/notices/${posted.body.id}`)).body.acknowledgedAt,
    ).toBeNull();
    const ack = await school.post<NoticeResponse>(`/api/v1/notices/${posted.body.id}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgedAt).not.toBeNull();
    const again = await school.post<NoticeResponse>(
      `/api/v1/notices/${posted.body.id}/acknowledge`,
    );
    expect(again.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);
    const mine = await police.get<NoticeResponse>(`/api/v1/notices/${posted.body.id}`);
    expect(mine.body.acknowledged).toBe(1);
    expect(mine.body.recipients).toBeGreaterThanOrEqual(1);
  });

  it('escalates a notice left unacknowledged to the area coordinators, exactly once however many runners', async () => {
    const escalated = record(coordinatorSocket, 'notice.escalated');
    const posted = await areaNotice({ acknowledgementRequired: true, title: 'Kvittera' });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const relay = app.running.app.get(OutboxRelay);
    const notices = app.running.app.get(NoticesService);
    const counts = await Promise.all([
      notices.escalateOverdue(1),
      notices.escalateOverdue(1),
      relay.tick(),
      relay.tick(),
      notices.escalateOverdue(1),
    ]);
    await relay.tick();
    await eventually(() => escalated.some((event) => event.noticeId === posted.body.id));
    await relay.tick();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const events = escalated.filter((event) => event.noticeId === posted.body.id);
    expect(events).toHaveLength(1);
    // Of the recipients the author addressed; the coordinators told do not count themselves.
    expect(events[0]).toEqual({ noticeId: posted.body.id, unacknowledged: posted.body.recipients });
    expect(
      counts
        .slice(0, 2)
        .concat(counts[4])
        .reduce((a, b) => a + b, 0),
    ).toBeLessThanOrEqual(1);
    const [{ count }] = await app.running.dataSource.query<[{ count: number }]>(
      "SELECT count(*)::int AS count FROM outbox_event WHERE type = 'notice.escalated' AND aggregate_id = $1",
      [posted.body.id],
    );
    expect(count).toBe(1);
    // The coordinator can now read it; the author's counts are of the addressed recipients.
    expect((await coordinator.get(`/api/v1/notices/${posted.body.id}`)).status).toBe(200);
    const authorView = await police.get<NoticeResponse>(`/api/v1/notices/${posted.body.id}`);
    expect(authorView.body).toMatchObject({ recipients: posted.body.recipients, acknowledged: 0 });
  });

  describe('about a person', () => {
    let caseId: string;
    let elias: PersonResponse;

    beforeAll(async () => {
      elias = await personByNumber(coordinator, '20110314-2384');
      const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
        kind: 'sspf',
        personId: elias.id,
        areaId: ids.areaNorra,
        participatingUnitIds: [ids.unit('Polisen Norra')],
        memberUserIds: [await ids.userId('polis@demo.test')],
      });
      caseId = kase.body.id;
      police = await app.as('polis@demo.test');
    });

    const personNotice = (overrides: Record<string, unknown>) =>
      police.post<NoticeResponse>('/api/v1/notices', {
        kind: 'person',
        title: 'Iakttagelse',
        body: 'Elias Andersson sågs vid centrum sent på kvällen.',
        areaIds: [ids.areaNorra],
        agencies: ['social_services'],
        caseId,
        ...overrides,
      });

    it('needs a case and a legal basis that covers every receiver', async () => {
      expectProblem(await personNotice({ caseId: undefined, legalBasis: 'SoL 14:1' }), 400);
      expectProblem(await personNotice({ legalBasis: undefined }), 400);
      const consent = await personNotice({ legalBasis: 'consent' });
      expectProblem(consent, 409);
      expect(JSON.stringify(consent.body)).toMatch(/social_services/);
      const beyond = await personNotice({
        legalBasis: 'SoL 14:1',
        agencies: ['social_services', 'school'],
      });
      expectProblem(beyond, 409);
      expect(JSON.stringify(beyond.body)).toMatch(/does not cover: school/);
      expectProblem(await personNotice({ legalBasis: 'OSL 10:2', agencies: ['school'] }), 400);
      const ok = await personNotice({ legalBasis: 'SoL 14:1' });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ kind: 'person', caseId, legalBasis: 'SoL 14:1' });
      // Acknowledging it is in the young person's trail, as reading it is.
      const acknowledged = await coordinator.post(`/api/v1/notices/${ok.body.id}/acknowledge`);
      expect(acknowledged.status).toBeLessThan(300);
      const auditor = await app.as('revisor@demo.test');
      const trail = await auditor.get<Page<AuditEventResponse>>(
        `/api/v1/audit?personId=${elias.id}&action=notice.acknowledge&limit=200`,
      );
      expect(trail.body.items.map((event) => event.recordId)).toContain(ok.body.id);
    });

    it('reaches only those who may know its case, and only while they may', async () => {
      const admin = await app.as('admin@demo.test');
      const areas = await admin.get<{ items: { id: string; name: string }[] }>('/api/v1/areas');
      const sodra = areas.body.items.find((area) => area.name === 'Södra')!.id;
      await addStaff(admin, {
        email: 'skola.sodra@demo.test',
        displayName: 'Sonja Södra',
        roles: ['school_staff'],
        unitId: ids.unit('Skolan Södra'),
      });
      const sodraSchool = await app.as('skola.sodra@demo.test');
      const toSchools = () =>
        personNotice({
          legalBasis: 'OSL 10:2',
          agencies: ['school'],
          areaIds: [ids.areaNorra, sodra],
          harmAssessment: 'Nödvändigt för skolans arbete med eleven; ingen skada för insatser.',
        });
      // Neither school takes part in the case: the notice reaches no one.
      const first = await toSchools();
      expect(first.status).toBe(201);
      expect(first.body.recipients).toBe(0);
      for (const client of [school, sodraSchool]) {
        expectProblem(await client.get(`/api/v1/notices/${first.body.id}`), 404);
      }
      // Once the school of Norra takes part, it does; the school of Södra still does not.
      const path = `/api/v1/cases/${caseId}/units`;
      expect((await coordinator.post(path, { unitId: ids.unit('Skolan Norra') })).status).toBe(201);
      const second = await toSchools();
      expect(second.body.recipients).toBeGreaterThan(0);
      const received = await school.get<NoticeResponse>(`/api/v1/notices/${second.body.id}`);
      expect(received.status).toBe(200);
      // Its harm assessment is shown with it (found by a black-box probe: stored, never shown).
      expect(received.body.harmAssessment).toBe(
        'Nödvändigt för skolans arbete med eleven; ingen skada för insatser.',
      );
      expectProblem(await sodraSchool.get(`/api/v1/notices/${second.body.id}`), 404);
      // When it stops taking part, the notice is gone for it at once; the author keeps it.
      expect((await coordinator.delete(`${path}/${ids.unit('Skolan Norra')}`)).status).toBe(200);
      expectProblem(await school.get(`/api/v1/notices/${second.body.id}`), 404);
      const listed = await school.get<Page<NoticeResponse>>('/api/v1/notices?limit=200');
      expect(listed.body.items.map((notice) => notice.id)).not.toContain(second.body.id);
      expect((await police.get(`/api/v1/notices/${second.body.id}`)).status).toBe(200);
      // The school of Norra takes part again (the tests below count on it).
      expect((await coordinator.post(path, { unitId: ids.unit('Skolan Norra') })).status).toBe(201);
    });

    it('escalates only to coordinators of the agencies its basis reaches: no further than posting it could', async () => {
      const escalated = record(coordinatorSocket, 'notice.escalated');
      // The coordinator works in social services: a notice to the school only never reaches them.
      const toSchool = await personNotice({
        legalBasis: 'OSL 10:2',
        agencies: ['school'],
        harmAssessment: 'Nödvändigt för skolans arbete med eleven; ingen skada för insatser.',
        acknowledgementRequired: true,
      });
      expect(toSchool.status).toBe(201);
      const toSocial = await personNotice({
        legalBasis: 'SoL 14:1',
        acknowledgementRequired: true,
      });
      expect(toSocial.status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const relay = app.running.app.get(OutboxRelay);
      await app.running.app.get(NoticesService).escalateOverdue(1);
      await relay.tick();
      await eventually(() => escalated.some((event) => event.noticeId === toSocial.body.id));
      await relay.tick();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(escalated.map((event) => event.noticeId)).not.toContain(toSchool.body.id);
      expectProblem(await coordinator.get(`/api/v1/notices/${toSchool.body.id}`), 404);
      expect((await coordinator.get(`/api/v1/notices/${toSocial.body.id}`)).status).toBe(200);
    });

    it('on consent: gone for its recipients as soon as the consent is revoked; its author keeps it', async () => {
      const consentId = await consentOfAll(coordinator, caseId, elias, SCHOOL_OBSERVATIONS);
      const notice = await personNotice({
        legalBasis: 'consent',
        agencies: ['school'],
        acknowledgementRequired: true,
      });
      expect(notice.status).toBe(201);
      const id = notice.body.id;
      const listed = async (client: ApiClient) =>
        (await client.get<Page<NoticeResponse>>('/api/v1/notices?limit=200')).body.items.some(
          (item) => item.id === id,
        );
      expect((await school.get<NoticeResponse>(`/api/v1/notices/${id}`)).body).toMatchObject({
        id,
        legalBasis: 'consent',
      });
      // Its reads are audited with the consent it rests on, not the bare word (found by a
      // black-box probe).
      const [read] = await app.running.dataSource.query<{ legal_basis: string }[]>(
        "SELECT legal_basis FROM audit_event WHERE action = 'notice.read' AND record_id = $1",
        [id],
      );
      expect(read?.legal_basis).toBe(`OSL 12:2 samtycke ${consentId}`);
      expect(await listed(school)).toBe(true);

      const withdrawn = record(schoolSocket, 'notice.withdrawn');
      const revoked = await coordinator.post(`/api/v1/consents/${consentId}/revoke`, {
        partyPersonId: elias.id,
        reason: 'Vill inte längre',
      });
      expect(revoked.status).toBe(200);
      // Its recipients are told live that it no longer reaches them, and why.
      await app.running.app.get(OutboxRelay).tick();
      await eventually(() => withdrawn.some((event) => event.noticeId === id));
      expect(withdrawn.filter((event) => event.noticeId === id)).toEqual([
        { noticeId: id, reason: 'consent_revoked' },
      ]);
      expectProblem(await school.get(`/api/v1/notices/${id}`), 404);
      expect(await listed(school)).toBe(false);
      expectProblem(await school.post(`/api/v1/notices/${id}/acknowledge`), 404);
      expect((await police.get(`/api/v1/notices/${id}`)).status).toBe(200);
      expect(await listed(police)).toBe(true);
      // No one it reaches can acknowledge it now, so it is not escalated either.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await app.running.app.get(NoticesService).escalateOverdue(1);
      const [{ count }] = await app.running.dataSource.query<[{ count: number }]>(
        "SELECT count(*)::int AS count FROM outbox_event WHERE type = 'notice.escalated' AND aggregate_id = $1",
        [id],
      );
      expect(count).toBe(0);
      // A consent recorded later does not bring it back (found by a black-box probe): it rested
      // on the one revoked, and sharing again is the police's decision, a new notice.
      const later = await consentOfAll(coordinator, caseId, elias, SCHOOL_OBSERVATIONS);
      expectProblem(await school.get(`/api/v1/notices/${id}`), 404);
      expect(await listed(school)).toBe(false);
      const anew = await personNotice({ legalBasis: 'consent', agencies: ['school'] });
      expect((await school.get(`/api/v1/notices/${anew.body.id}`)).status).toBe(200);
      await coordinator.post(`/api/v1/consents/${later}/revoke`, {
        partyPersonId: elias.id,
      });
      // The new one is withdrawn; the old one is not told of again (found by a black-box probe:
      // every later revocation told of it once more).
      await app.running.app.get(OutboxRelay).tick();
      await eventually(() => withdrawn.some((event) => event.noticeId === anew.body.id));
      expect(withdrawn.filter((event) => event.noticeId === id)).toHaveLength(1);
      expect(withdrawn.filter((event) => event.noticeId === anew.body.id)).toHaveLength(1);
    });

    it('finds its statutory basis whatever the case or spacing of the code, as the catalogue does', async () => {
      const found = await personNotice({ legalBasis: 'sol  14:1' });
      expect(found.status).toBe(201);
      // Recorded and shown as the catalogue writes it (found by a black-box probe).
      expect(found.body.legalBasis).toBe('SoL 14:1');
    });

    it('records whom it was delivered to on its audit event (an area notice has no one to record)', async () => {
      const posted = await personNotice({ legalBasis: 'SoL 14:1' });
      expect(posted.status).toBe(201);
      expect(posted.body.recipients).toBeGreaterThan(0);
      const reached = await app.running.dataSource.query<{ user_id: string }[]>(
        'SELECT user_id FROM notice_recipient WHERE notice_id = $1 AND NOT by_escalation',
        [posted.body.id],
      );
      const auditEvent = async (id: string) => {
        const [event] = await app.running.dataSource.query<
          { person_id: string | null; details: Record<string, unknown> }[]
        >(
          "SELECT person_id, details::jsonb AS details FROM audit_event WHERE action = 'notice.create' AND record_id = $1",
          [id],
        );
        return event!;
      };
      const created = await auditEvent(posted.body.id);
      expect(created.person_id).toBe(elias.id);
      expect([...(created.details.deliveredTo as string[])].sort()).toEqual(
        reached.map((row) => row.user_id).sort(),
      );
      // The auditor reads them in the young person's trail.
      const auditor = await app.as('revisor@demo.test');
      const trail = await auditor.get<Page<AuditEventResponse>>(
        `/api/v1/audit?personId=${elias.id}&action=notice.create`,
      );
      const listed = trail.body.items.find((event) => event.recordId === posted.body.id);
      expect([...(listed!.recipientUserIds ?? [])].sort()).toEqual(
        reached.map((row) => row.user_id).sort(),
      );
      const area = await areaNotice({});
      expect(area.status).toBe(201);
      expect((await auditEvent(area.body.id)).details).not.toHaveProperty('deliveredTo');
    });

    it('carries no identity number but its young person’s, refused alike whether in the register or not', async () => {
      const refusal = expectProblem(
        await personNotice({ legalBasis: 'SoL 14:1', body: 'Sågs med Leo Karlsson.' }),
        400,
      );
      for (const body of [
        'Kalle syntes med 19991231-9994',
        'Kalle syntes med 991231-9994',
        'Kalle syntes med 1999 12 31 9994',
      ]) {
        for (const field of ['body', 'title']) {
          const refused = expectProblem(
            await personNotice({ legalBasis: 'SoL 14:1', [field]: body }),
            400,
          );
          expect({ body, field, detail: refused.detail, errors: refused.errors }).toEqual({
            body,
            field,
            detail: refusal.detail?.replace(/^body:/, `${field}:`),
            errors: [expect.objectContaining({ field })],
          });
        }
      }
      // The case's own young person's number may stand, as their name may.
      for (const body of [
        'Elias Andersson 20110314-2384 sågs vid centrum.',
        'Elias (110314-2384) sågs vid centrum.',
      ]) {
        const posted = await personNotice({ legalBasis: 'SoL 14:1', body });
        expect({ body, status: posted.status }).toEqual({ body, status: 201 });
      }
      // Beside another number, not.
      expectProblem(
        await personNotice({
          legalBasis: 'SoL 14:1',
          body: 'Elias 20110314-2384 sågs med 19991231-9994.',
        }),
        400,
      );
    });

    it('never names a protected identity, nor anyone but the case’s young person, and does not tell who is protected', async () => {
      const response = await personNotice({
        legalBasis: 'SoL 14:1',
        body: 'Sågs tillsammans med Alva Lind vid skolan.',
      });
      const refusal = expectProblem(response, 400);
      // The same refusal as for anyone else in the register: nothing tells of the protection.
      const other = await personNotice({
        legalBasis: 'SoL 14:1',
        body: 'Sågs tillsammans med Leo Karlsson vid skolan.',
      });
      expect(expectProblem(other, 400)).toMatchObject({
        detail: refusal.detail,
        errors: refusal.errors,
      });
      expect(JSON.stringify(response.body)).not.toMatch(/protect/i);
      expect(refusal.detail).toMatch(/names another person in the register/);
      const number = await personNotice({
        legalBasis: 'SoL 14:1',
        body: 'Sågs med 20100621-4827.',
      });
      expectProblem(number, 400);
      // Anyone else's number, in its short form or with look-alike digits.
      for (const body of ['Sågs med 080119-3533.', 'Sågs med 2OO8O119 3533.']) {
        const refused = expectProblem(await personNotice({ legalBasis: 'SoL 14:1', body }), 400);
        expect({ body, detail: refused.detail }).toEqual({ body, detail: refusal.detail });
      }
    });
  });
});
