import type {
  AuditEventResponse,
  CaseResponse,
  ConsentResponse,
  EntryResponse,
  LegalBasisResponse,
  Page,
  PersonResponse,
} from '@samverka/contracts';
import { OutboxRelay, personnummer } from '@samverka/api';
import type { ApiClient } from '@samverka/testing';
import { randomUUID } from 'node:crypto';
import { DemoIds, personByNumber } from '../support/demo.js';
import {
  bornYearsAgo,
  NEXT_YEAR,
  recordConsent,
  registerInCustody,
  YEAR_AGO,
} from '../support/people.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('consent', () => {
  let app: TestApp;
  let coordinator: ApiClient;
  let school: ApiClient;
  let police: ApiClient;
  let auditor: ApiClient;
  let ids: DemoIds;
  let elias: PersonResponse;
  let caseId: string;

  /** Records, as `client`, a written consent of `parties` in case `kase`, valid this year. */
  const consentIn = (
    client: ApiClient,
    kase: string,
    parties: string[],
    overrides: Record<string, unknown> = {},
  ) =>
    recordConsent(client, kase, parties, {
      scope: { agencies: ['police', 'school'], categories: ['school_attendance', 'general'] },
      ...overrides,
    });
  const consent = (parties: string[], overrides: Record<string, unknown> = {}) =>
    consentIn(coordinator, caseId, parties, overrides);

  beforeAll(async () => {
    app = await startTestApp();
    [coordinator, school, police, auditor] = await Promise.all([
      app.as('samordnare@demo.test'),
      app.as('skola@demo.test'),
      app.as('polis@demo.test'),
      app.as('revisor@demo.test'),
    ]);
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    elias = await personByNumber(coordinator, '20110314-2384');
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: elias.id,
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Skolan Norra'), ids.unit('Polisen Norra')],
    });
    caseId = kase.body.id;
  });
  afterAll(() => app.close());

  const [anna, bo] = [0, 1];

  /** A young person born on `birthDate`, and an SSPF case about them with the named units. */
  const caseAbout = async (birthDate: string, serial: string, units: string[]) => {
    const person = await coordinator.post<PersonResponse>('/api/v1/people', {
      identityNumber: personnummer(birthDate, serial),
      givenName: 'Unga',
      familyName: 'Vuxen',
    });
    expect(person.status).toBe(201);
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: person.body.id,
      areaId: ids.areaNorra,
      participatingUnitIds: units.map((unit) => ids.unit(unit)),
    });
    expect(kase.status).toBe(201);
    return { person: person.body, kase: kase.body };
  };

  it('is in force only when every required party has consented, and says who is missing', async () => {
    const guardians = elias.guardians.map((guardian) => guardian.personId!);
    const one = await consent([guardians[anna]!]);
    expect(one.status).toBe(201);
    expect(one.body.inForce).toBe(false);
    // Elias is 15: his own consent is needed besides both guardians'.
    expect(one.body.notInForceReasons.sort()).toEqual(
      [
        'guardian Bo Andersson has not consented',
        'the young person Elias Andersson has not consented',
      ].sort(),
    );
    const two = await coordinator.post<ConsentResponse>(`/api/v1/consents/${one.body.id}/parties`, {
      personId: guardians[bo],
    });
    expect(two.body.notInForceReasons).toEqual([
      'the young person Elias Andersson has not consented',
    ]);
    const all = await coordinator.post<ConsentResponse>(`/api/v1/consents/${one.body.id}/parties`, {
      personId: elias.id,
    });
    expect(all.body).toMatchObject({ inForce: true, notInForceReasons: [] });
    expect(
      all.body.parties
        .map((party) => [party.name, party.role, party.required, party.givenAt !== null])
        .sort(),
    ).toEqual(
      [
        ['Anna Andersson', 'guardian', true, true],
        ['Bo Andersson', 'guardian', true, true],
        ['Elias Andersson', 'young_person', true, true],
      ].sort(),
    );
    // Reading the consent names the guardians: each read is in each guardian's own trail.
    const read = await school.get<ConsentResponse>(`/api/v1/consents/${one.body.id}`);
    expect(read.status).toBe(200);
    for (const guardian of guardians) {
      const trail = await auditor.get<Page<AuditEventResponse>>(
        `/api/v1/audit?personId=${guardian}&action=consent.read&limit=200`,
      );
      expect(trail.body.items).toContainEqual(
        expect.objectContaining({
          recordId: one.body.id,
          actorUserId: await ids.userId('skola@demo.test'),
        }),
      );
    }
  });

  it('tells the members once when a birthday makes a consent lapse (the young person’s own consent is now needed)', async () => {
    // Fifteen today in Stockholm: from today his own consent is needed, yesterday it was not.
    const [year, month, day] = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' })
      .format(new Date())
      .split('-');
    const birthDate = `${Number(year) - 15}-${month}-${day}`;
    const { young } = await registerInCustody(
      coordinator,
      { birthDate: '1979-04-04', serial: '238', givenName: 'Far', familyName: 'Födelsedag' },
      { birthDate, serial: '238', givenName: 'Ture', familyName: 'Födelsedag' },
    );
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: young.id,
      areaId: ids.areaNorra,
    });
    const byGuardian = await consentIn(coordinator, kase.body.id, [young.guardians[0]!.personId!]);
    expect(byGuardian.body).toMatchObject({ inForce: false });
    // As if the guardian had consented two days ago, when Ture was 14: in force until today.
    await app.running.dataSource.query(
      "UPDATE consent_party SET given_at = now() - interval '2 days' WHERE consent_id = $1",
      [byGuardian.body.id],
    );
    const relay = app.running.app.get(OutboxRelay);
    const lapses = async () =>
      (
        await app.running.dataSource.query<{ payload: Record<string, string> }[]>(
          "SELECT payload FROM outbox_event WHERE type = 'consent.lapsed' AND aggregate_id = $1",
          [kase.body.id],
        )
      ).map((row) => row.payload);
    await relay.announceConsentLapses();
    await relay.announceConsentLapses();
    expect(await lapses()).toEqual([{ caseId: kase.body.id, consentId: byGuardian.body.id }]);
  });

  it('follows the municipality’s consent age: below it, the guardians alone', async () => {
    const admin = await app.as('admin@demo.test');
    const guardians = elias.guardians.map((guardian) => guardian.personId!);
    const missingYouth = ['the young person Elias Andersson has not consented'];
    // Recorded while Elias (15) had to consent himself, without him: not in force ...
    const withoutHim = await consent(guardians);
    expect(withoutHim.body).toMatchObject({ inForce: false, notInForceReasons: missingYouth });
    await admin.patch('/api/v1/municipality/settings', { youthConsentAge: 16 });
    try {
      // ... and a later, higher consent age does not bring it into force: his consent was needed.
      const still = await coordinator.get<ConsentResponse>(
        `/api/v1/consents/${withoutHim.body.id}`,
      );
      expect(still.body).toMatchObject({ inForce: false, notInForceReasons: missingYouth });
      const parents = await consent(guardians);
      expect(parents.body).toMatchObject({ inForce: true });
      await admin.patch('/api/v1/municipality/settings', { youthConsentAge: 15 });
      // The requirement is evaluated at read time: the same consent is not in force any more.
      const again = await coordinator.get<ConsentResponse>(`/api/v1/consents/${parents.body.id}`);
      expect(again.body.notInForceReasons).toEqual(missingYouth);
      // It lapsed for good, as a revocation ends one: raising the age again brings it back no
      // more (its members were told it ended); the parties give a consent anew.
      await admin.patch('/api/v1/municipality/settings', { youthConsentAge: 16 });
      const lapsed = await coordinator.get<ConsentResponse>(`/api/v1/consents/${parents.body.id}`);
      expect(lapsed.body).toMatchObject({ inForce: false, notInForceReasons: missingYouth });
      expect((await consent(guardians)).body).toMatchObject({ inForce: true });
    } finally {
      await admin.patch('/api/v1/municipality/settings', { youthConsentAge: 15 });
    }
  });

  it('from 18 the young person alone consents; a child without a registered guardian cannot be consented for', async () => {
    const leo = await personByNumber(coordinator, '20080119-3533');
    const leoCase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: leo.id,
      areaId: ids.areaNorra,
    });
    const own = await coordinator.post<ConsentResponse>(
      `/api/v1/cases/${leoCase.body.id}/consents`,
      {
        parties: [{ personId: leo.id }],
        scope: { agencies: ['police'], categories: ['general'] },
        validFrom: YEAR_AGO,
        validUntil: NEXT_YEAR,
        method: 'verbal',
      },
    );
    expect(own.body).toMatchObject({
      inForce: true,
      parties: [expect.objectContaining({ role: 'young_person', required: true })],
    });

    // A guardian still on record is no party from 18: refused, and nothing recorded. (Guardians
    // are given to a child only; here a corrected number makes the child an adult who keeps them,
    // as growing up does.)
    const { guardian: mother, young: child } = await registerInCustody(
      coordinator,
      { birthDate: '1980-03-03', serial: '238', givenName: 'Mor', familyName: 'Vuxen' },
      { birthDate: bornYearsAgo(17), serial: '238', givenName: 'Myndig', familyName: 'Vuxen' },
    );
    const adult = (
      await coordinator.patch<PersonResponse>(`/api/v1/people/${child.id}`, {
        identityNumber: personnummer('2006-02-02', '238'),
      })
    ).body;
    expect(adult.guardians.map((guardian) => guardian.personId)).toEqual([mother.id]);
    const adultCase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: adult.id,
      areaId: ids.areaNorra,
    });
    const withGuardian = await coordinator.post(`/api/v1/cases/${adultCase.body.id}/consents`, {
      parties: [{ personId: adult.id }, { personId: mother.id }],
      scope: { agencies: ['police'], categories: ['general'] },
      validFrom: YEAR_AGO,
      validUntil: NEXT_YEAR,
      method: 'verbal',
    });
    expect(reasonsFor(expectProblem(withGuardian, 400), 'parties')).toEqual([
      `${mother.id} is a guardian, and from 18 the young person alone consents`,
    ]);
    const recorded = await coordinator.get<Page<ConsentResponse>>(
      `/api/v1/cases/${adultCase.body.id}/consents`,
    );
    expect(recorded.body).toEqual({ items: [], nextCursor: null });

    const orphan = await coordinator.post<PersonResponse>('/api/v1/people', {
      identityNumber: '20150505-2389',
      givenName: 'Ensam',
      familyName: 'Barn',
    });
    const orphanCase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: orphan.body.id,
      areaId: ids.areaNorra,
    });
    const none = await coordinator.post<ConsentResponse>(
      `/api/v1/cases/${orphanCase.body.id}/consents`,
      {
        parties: [{ personId: orphan.body.id }],
        scope: { agencies: ['school'], categories: ['general'] },
        validFrom: YEAR_AGO,
        validUntil: NEXT_YEAR,
        method: 'verbal',
      },
    );
    expect(none.body.inForce).toBe(false);
    expect(none.body.notInForceReasons).toEqual([
      'no guardian with custody is registered for the young person',
    ]);
  });

  it('refuses a statutory basis outside its age limit: OSL 10:18 a only for a person under 21', async () => {
    const discloseToPolice = async (birthDate: string, serial: string) => {
      const { kase } = await caseAbout(birthDate, serial, ['Polisen Norra']);
      const entry = await coordinator.post<EntryResponse>(`/api/v1/cases/${kase.id}/entries`, {
        category: 'social_assessment',
        body: 'Bedömning av risk',
      });
      expect(entry.status).toBe(201);
      const disclosure = await coordinator.post(`/api/v1/entries/${entry.body.id}/disclosures`, {
        receivers: [{ agency: 'police' }],
        basis: 'statutory',
        legalBasisCode: 'OSL 10:18 a',
        harmAssessment: 'Ingen skada för planerade eller pågående insatser.',
        reason: 'Risk för brott',
      });
      const read = await police.get(`/api/v1/entries/${entry.body.id}`);
      return { disclosure, read };
    };
    const bases = await coordinator.get<Page<LegalBasisResponse>>('/api/v1/legal-bases');
    expect(bases.body.items.find((basis) => basis.code === 'OSL 10:18 a')).toMatchObject({
      personUnderAge: 21,
    });

    const older = await discloseToPolice(bornYearsAgo(21, -10), '123'); // turned 21 ten days ago
    expectProblem(older.disclosure, 409);
    expect(older.disclosure.body).toMatchObject({
      detail: 'OSL 10:18 a applies only to a person under 21; the young person is 21 or older',
    });
    expect(older.read.status).toBe(404);

    const younger = await discloseToPolice(bornYearsAgo(21, 10), '124'); // 21 in ten days
    expect(younger.disclosure.status).toBe(201);
    expect(younger.read.status).toBe(200);
  });

  it('holds the duty to report (SoL 14:1) to children: no disclosure, concern report or notice on it about an adult', async () => {
    const bases = await coordinator.get<Page<LegalBasisResponse>>('/api/v1/legal-bases');
    expect(bases.body.items.find((basis) => basis.code === 'SoL 14:1')).toMatchObject({
      personUnderAge: 18,
    });
    const report = async (birthDate: string, serial: string) => {
      const { person, kase } = await caseAbout(birthDate, serial, [
        'Skolan Norra',
        'Polisen Norra',
      ]);
      const entry = await school.post<EntryResponse>(`/api/v1/cases/${kase.id}/entries`, {
        category: 'school_wellbeing',
        body: 'Oro för hemsituationen',
      });
      expect(entry.status).toBe(201);
      const disclosure = await school.post(`/api/v1/entries/${entry.body.id}/disclosures`, {
        receivers: [{ agency: 'social_services' }],
        basis: 'statutory',
        legalBasisCode: 'SoL 14:1',
        reason: 'Anmälningsskyldighet',
      });
      const concern = await school.post('/api/v1/concerns', {
        personId: person.id,
        areaId: ids.areaNorra,
        observation: 'Berättar om bråk hemma och att hen inte vågar gå hem efter skolan.',
        observedAt: new Date(Date.now() - 3_600_000).toISOString(),
        immediateDanger: false,
        guardiansInformed: 'no',
        reporterContact: 'kurator@skolan.test',
      });
      const notice = await police.post('/api/v1/notices', {
        kind: 'person',
        title: 'Iakttagelse',
        body: 'Sågs vid centrum sent på kvällen.',
        areaIds: [ids.areaNorra],
        agencies: ['social_services'],
        caseId: kase.id,
        legalBasis: 'SoL 14:1',
      });
      return { disclosure, concern, notice };
    };
    const adult = await report(bornYearsAgo(18, -10), '125'); // turned 18 ten days ago
    for (const refused of [adult.disclosure, adult.concern, adult.notice]) {
      expectProblem(refused, 409);
      expect(refused.body).toMatchObject({
        detail: 'SoL 14:1 applies only to a person under 18; the young person is 18 or older',
      });
    }
    const child = await report(bornYearsAgo(18, 10), '126'); // 18 in ten days
    expect([child.disclosure.status, child.concern.status, child.notice.status]).toEqual([
      201, 201, 201,
    ]);
  });

  it('keeps the young person’s birth date and guardians under a consent: changing them waits for its revocation', async () => {
    const { guardian, young } = await registerInCustody(
      coordinator,
      { birthDate: '1981-04-04', serial: '241', givenName: 'Vera', familyName: 'Vårdnad' },
      {
        birthDate: bornYearsAgo(12),
        serial: '241',
        givenName: 'Vilgot',
        familyName: 'Vårdnad',
      },
    );
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: young.id,
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Skolan Norra')],
    });
    // The child alone cannot consent at 12: not in force.
    const own = await coordinator.post<ConsentResponse>(`/api/v1/cases/${kase.body.id}/consents`, {
      parties: [{ personId: young.id }],
      scope: { agencies: ['school'], categories: ['general'] },
      validFrom: YEAR_AGO,
      validUntil: NEXT_YEAR,
      method: 'verbal',
    });
    expect(own.body.inForce).toBe(false);
    // Making the child an adult, or taking the guardian away, would bring it into force.
    const adult = expectProblem(
      await school.patch(`/api/v1/people/${young.id}`, {
        identityNumber: personnummer('1990-05-05', '241'),
      }),
      409,
    );
    expect(adult.detail).toMatch(/depends on their birth date and guardians/);
    expect(adult.detail).not.toContain(own.body.id);
    // A change refused for its own sake says so, and nothing of any consent.
    const stranger = expectProblem(
      await school.patch(`/api/v1/people/${young.id}`, {
        guardians: [{ personId: randomUUID(), custody: true }],
      }),
      400,
    );
    expect(reasonsFor(stranger, 'guardians')).toHaveLength(1);
    expect(JSON.stringify(stranger)).not.toMatch(/consent/i);
    expectProblem(await school.patch(`/api/v1/people/${young.id}`, { guardians: [] }), 409);
    expectProblem(
      await coordinator.patch(`/api/v1/people/${young.id}`, {
        guardians: [{ personId: guardian.id, custody: false }],
      }),
      409,
    );
    // The same guardians again, or other fields, change nothing the consent depends on.
    const same = await coordinator.patch<PersonResponse>(`/api/v1/people/${young.id}`, {
      guardians: [{ personId: guardian.id, custody: true }],
      address: 'Skolgatan 3',
    });
    expect(same.status).toBe(200);
    const reread = await coordinator.get<ConsentResponse>(`/api/v1/consents/${own.body.id}`);
    expect(reread.body.inForce).toBe(false);
    expect(
      (await coordinator.get<PersonResponse>(`/api/v1/people/${young.id}`)).body.birthDate,
    ).toBe(young.birthDate);
    // A consent from the guardian alone (enough at 12) is withdrawn by the guardian, not by the
    // child, who was neither asked nor needed.
    const byGuardian = await coordinator.post<ConsentResponse>(
      `/api/v1/cases/${kase.body.id}/consents`,
      {
        parties: [{ personId: guardian.id }],
        scope: { agencies: ['school'], categories: ['general'] },
        validFrom: YEAR_AGO,
        validUntil: NEXT_YEAR,
        method: 'written',
      },
    );
    expect(byGuardian.body.inForce).toBe(true);
    const notTheirs = expectProblem(
      await coordinator.post(`/api/v1/consents/${byGuardian.body.id}/revoke`, {
        partyPersonId: young.id,
      }),
      400,
    );
    expect(reasonsFor(notTheirs, 'partyPersonId')[0]).toMatch(/only a party who gave this consent/);
    expect(
      (
        await coordinator.post(`/api/v1/consents/${byGuardian.body.id}/revoke`, {
          partyPersonId: guardian.id,
        })
      ).status,
    ).toBe(200);
    // The guardian's consent and its withdrawal are in the guardian's own trail (found by a
    // black-box probe: only in the young person's).
    const trail = await (
      await app.as('revisor@demo.test')
    ).get<Page<AuditEventResponse>>(`/api/v1/audit?personId=${guardian.id}&limit=200`);
    expect(
      trail.body.items
        .filter((event) => event.recordId === byGuardian.body.id)
        .map((event) => event.action)
        .filter((action) => action !== 'consent.read')
        .sort(),
    ).toEqual(['consent.create', 'consent.revoke']);
    // Once it is revoked, the correction goes through.
    const revoked = await coordinator.post(`/api/v1/consents/${own.body.id}/revoke`, {
      partyPersonId: young.id,
    });
    expect(revoked.status).toBe(200);
    const moved = await coordinator.patch<PersonResponse>(`/api/v1/people/${young.id}`, {
      guardians: [{ personId: guardian.id, custody: false }],
    });
    expect(moved.status).toBe(200);
  });

  it('is not in force before or after its validity (checked at read time)', async () => {
    const everyone = [...elias.guardians.map((guardian) => guardian.personId!), elias.id];
    const future = await consent(everyone, {
      validFrom: NEXT_YEAR,
      validUntil: new Date(Date.now() + 400 * 86400_000).toISOString(),
    });
    expect(future.body.notInForceReasons[0]).toMatch(/^not valid until \d{4}-\d{2}-\d{2}$/);
    const past = await consent(everyone, {
      validFrom: YEAR_AGO,
      validUntil: new Date(Date.now() - 86400_000).toISOString(),
    });
    expect(past.body.notInForceReasons[0]).toMatch(/^expired on /);
    // The days named are Stockholm's: a validity from midnight there is not a day early.
    const year = new Date().getUTCFullYear() + 1;
    const midnight = await consent(everyone, {
      validFrom: `${year}-03-01T00:00:00+01:00`,
      validUntil: `${year}-06-01T00:00:00+02:00`,
    });
    expect(midnight.body.notInForceReasons).toEqual([`not valid until ${year}-03-01`]);
  });

  it('takes no further party once its case is closed', async () => {
    const [guardian] = elias.guardians;
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: elias.id,
      areaId: ids.areaNorra,
    });
    const partial = await consentIn(coordinator, kase.body.id, [guardian!.personId!, elias.id], {
      scope: { agencies: ['school'], categories: ['general'] },
    });
    expect(partial.body.inForce).toBe(false);
    const closed = await coordinator.patch(`/api/v1/cases/${kase.body.id}`, {
      status: 'closed',
      reason: 'Inget behov',
    });
    expect(closed.status).toBe(200);
    const added = await coordinator.post(`/api/v1/consents/${partial.body.id}/parties`, {
      personId: elias.guardians[1]!.personId,
    });
    expect(expectProblem(added, 409).type).toMatch(/case-closed$/);
    const after = await coordinator.get<ConsentResponse>(`/api/v1/consents/${partial.body.id}`);
    expect(after.body).toMatchObject({ inForce: false, parties: partial.body.parties });
  });

  it('names the parties of a protected young person by id only to those cleared for them', async () => {
    const socialWorker = await app.as('socialsekreterare@demo.test');
    const { guardian, young } = await registerInCustody(
      socialWorker,
      { birthDate: '1984-04-04', serial: '512', givenName: 'Gömd', familyName: 'Förälder' },
      {
        birthDate: bornYearsAgo(12),
        serial: '513',
        givenName: 'Gömt',
        familyName: 'Barn',
        protectionLevel: 'protected_registration',
      },
    );
    const kase = await socialWorker.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: young.id,
      areaId: ids.areaNorra,
      responsibleUserId: await ids.userId('sig@demo.test'),
      memberUserIds: [await ids.userId('skola@demo.test')],
    });
    expect(kase.status).toBe(201);
    const recorded = await consentIn(socialWorker, kase.body.id, [guardian.id], {
      scope: { agencies: ['school'], categories: ['general'] },
    });
    expect(recorded.status).toBe(201);
    const revoked = await socialWorker.post<ConsentResponse>(
      `/api/v1/consents/${recorded.body.id}/revoke`,
      { partyPersonId: guardian.id },
    );
    expect(revoked.body.revokedByPersonId).toBe(guardian.id);
    expect(revoked.body.parties.map((party) => party.personId)).toContain(guardian.id);

    const uncleared = await school.get<ConsentResponse>(`/api/v1/consents/${recorded.body.id}`);
    expect(uncleared.status).toBe(200);
    expect(uncleared.body.parties.length).toBeGreaterThan(0);
    expect(uncleared.body.parties.every((party) => party.personId === null)).toBe(true);
    expect(uncleared.body.revokedByPersonId).toBeNull();
    const listed = await school.get(`/api/v1/cases/${kase.body.id}/consents`);
    expect(JSON.stringify(listed.body)).not.toContain(guardian.id);
    // Nor can they tell a guardian from anyone else by recording or withdrawing consent: the
    // answer is the same for the guardian's id as for any other.
    const live = await consentIn(socialWorker, kase.body.id, [guardian.id], {
      scope: { agencies: ['school'], categories: ['school_attendance'] },
    });
    expect(live.status).toBe(201);
    const answers = async (personId: string) => {
      const recorded = await consentIn(school, kase.body.id, [personId], {
        scope: { agencies: ['school'], categories: ['general'] },
      });
      const added = await school.post(`/api/v1/consents/${live.body.id}/parties`, { personId });
      const withdrawn = await school.post(`/api/v1/consents/${live.body.id}/revoke`, {
        partyPersonId: personId,
      });
      return [recorded, added, withdrawn].map((response) => {
        const problem = expectProblem(response, 403);
        return { type: problem.type, detail: problem.detail };
      });
    };
    expect(await answers(guardian.id)).toEqual(await answers(elias.id));
    expect((await answers(guardian.id))[0]!.detail).toBe(
      'Only staff cleared for this young person record or withdraw consent on their behalf',
    );
    expect(
      (await socialWorker.get<ConsentResponse>(`/api/v1/consents/${live.body.id}`)).body,
    ).toMatchObject({ inForce: true, revokedAt: null });
  });

  it('rejects bad consents with clear errors and records nothing', async () => {
    const consents = () =>
      coordinator.get<Page<ConsentResponse>>(`/api/v1/cases/${caseId}/consents?limit=200`);
    const before = (await consents()).body.items.length;
    const stranger = (await personByNumber(coordinator, '20080119-3533')).id;
    const notParty = expectProblem(await consent([stranger]), 400);
    expect(reasonsFor(notParty, 'parties')[0]).toMatch(/neither the young person nor a guardian/);
    expect(
      reasonsFor(
        expectProblem(
          await consent([elias.id], { validUntil: YEAR_AGO, validFrom: NEXT_YEAR }),
          400,
        ),
        'validUntil',
      )[0],
    ).toMatch(/after/);
    const unknownCategory = expectProblem(
      await consent([elias.id], { scope: { agencies: ['police'], categories: ['horoscope'] } }),
      400,
    );
    expect(reasonsFor(unknownCategory, 'scope.categories')[0]).toMatch(/horoscope/);
    expectProblem(
      await consent([elias.id], { scope: { agencies: ['army'], categories: ['general'] } }),
      400,
    );
    const all = (await consents()).body.items;
    expect(all.length).toBe(before);
    // Page by page, newest first, the same consents once each.
    const walked: ConsentResponse[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: Page<ConsentResponse> = (
        await coordinator.get<Page<ConsentResponse>>(
          `/api/v1/cases/${caseId}/consents?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).body;
      walked.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(walked.map((consent) => consent.id)).toEqual(all.map((consent) => consent.id));
    expect(all.length).toBeGreaterThan(1);
  });

  describe('revocation', () => {
    let consentId: string;
    let entryId: string;

    beforeAll(async () => {
      const everyone = [...elias.guardians.map((guardian) => guardian.personId!), elias.id];
      consentId = (await consent(everyone)).body.id;
      const entry = await school.post<EntryResponse>(`/api/v1/cases/${caseId}/entries`, {
        category: 'school_attendance',
        body: 'revocation-token närvaro 60%',
      });
      entryId = entry.body.id;
      const disclosed = await school.post(`/api/v1/entries/${entryId}/disclosures`, {
        receivers: [{ agency: 'police' }],
        basis: 'consent',
        consentId,
        reason: 'Inför nätverksmöte',
      });
      expect(disclosed.status).toBe(201);
    });

    it('records a disclosure on one basis only: consent and a statute together is a 400', async () => {
      const statuteWithConsent = expectProblem(
        await school.post(`/api/v1/entries/${entryId}/disclosures`, {
          receivers: [{ agency: 'social_services' }],
          basis: 'statutory',
          legalBasisCode: 'SoL 14:1',
          consentId,
          reason: 'Anmälningsskyldighet',
        }),
        400,
      );
      expect(reasonsFor(statuteWithConsent, 'consentId')[0]).toMatch(/leave out consentId/);
      const consentWithStatute = expectProblem(
        await school.post(`/api/v1/entries/${entryId}/disclosures`, {
          receivers: [{ agency: 'police' }],
          basis: 'consent',
          consentId,
          legalBasisCode: 'SoL 14:1',
          reason: 'Inför nätverksmöte',
        }),
        400,
      );
      expect(reasonsFor(consentWithStatute, 'legalBasisCode')[0]).toMatch(
        /leave out legalBasisCode/,
      );
    });

    it('takes effect at once: the very next read by a recipient is refused, in reads, lists and search', async () => {
      const read = await police.get<EntryResponse>(`/api/v1/entries/${entryId}`);
      expect(read.body).toMatchObject({
        body: 'revocation-token närvaro 60%',
        access: `OSL 12:2 samtycke ${consentId}`,
      });
      const revoked = await coordinator.post<ConsentResponse>(
        `/api/v1/consents/${consentId}/revoke`,
        {
          partyPersonId: elias.guardians[bo]!.personId,
          reason: 'Pappan vill inte längre',
        },
      );
      expect(revoked.status).toBe(200);
      expect(revoked.body.notInForceReasons).toEqual([
        expect.stringMatching(/^revoked on .* by guardian Bo Andersson$/),
      ]);
      expectProblem(await police.get(`/api/v1/entries/${entryId}`), 404);
      expect(
        (await police.get<Page<EntryResponse>>(`/api/v1/cases/${caseId}/entries`)).body.items,
      ).toEqual([]);
      expect(
        (
          await police.post<Page<EntryResponse>>('/api/v1/entries/search', {
            text: 'revocation-token',
          })
        ).body.items,
      ).toEqual([]);
      // The author's agency keeps its own entry, and the record shows the disclosure no longer holds.
      expect((await school.get(`/api/v1/entries/${entryId}`)).status).toBe(200);
      const disclosures = await school.get<Page<{ basisHolds: boolean }>>(
        `/api/v1/entries/${entryId}/disclosures`,
      );
      expect(disclosures.body.items.map((disclosure) => disclosure.basisHolds)).toEqual([false]);
      expectProblem(
        await coordinator.post(`/api/v1/consents/${consentId}/revoke`, { partyPersonId: elias.id }),
        409,
      );
    });

    it('tells the case’s members (an event for the realtime hub)', async () => {
      const [event] = await app.running.dataSource.query<
        { type: string; payload: { consentId: string; notify: string[] } }[]
      >(
        "SELECT type, payload FROM outbox_event WHERE type = 'consent.revoked' AND payload->>'consentId' = $1",
        [consentId],
      );
      expect(event?.payload.notify).toContain(await ids.userId('samordnare@demo.test'));
    });

    it('shows the auditor who read the entry, when, and on which basis', async () => {
      const trail = await auditor.get<Page<AuditEventResponse>>(
        `/api/v1/audit?personId=${elias.id}&action=entry.read&limit=200`,
      );
      const policeReads = trail.body.items.filter(
        (event) => event.recordId === entryId && event.actorName === 'Per Polis',
      );
      expect(policeReads.length).toBeGreaterThan(0);
      expect(
        policeReads.every((event) => event.legalBasis === `OSL 12:2 samtycke ${consentId}`),
      ).toBe(true);
    });
  });

  it('leaves no window: once a revoke has returned, no concurrent or later read honours the consent', async () => {
    const everyone = [...elias.guardians.map((guardian) => guardian.personId!), elias.id];
    const id = (await consent(everyone)).body.id;
    const entry = await school.post<EntryResponse>(`/api/v1/cases/${caseId}/entries`, {
      category: 'general',
      body: 'race-token',
    });
    await school.post(`/api/v1/entries/${entry.body.id}/disclosures`, {
      receivers: [{ agency: 'police' }],
      basis: 'consent',
      consentId: id,
      reason: 'Samverkan',
    });
    let revokedAt = Infinity;
    const reads: { startedAt: number; status: number }[] = [];
    const reader = async () => {
      for (let i = 0; i < 15; i++) {
        const startedAt = performance.now();
        const response = await police.get(`/api/v1/entries/${entry.body.id}`);
        reads.push({ startedAt, status: response.status });
      }
    };
    const revoker = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const response = await coordinator.post(`/api/v1/consents/${id}/revoke`, {
        partyPersonId: elias.id,
      });
      expect(response.status).toBe(200);
      revokedAt = performance.now();
    };
    await Promise.all([reader(), reader(), revoker()]);
    const afterRevoke = reads.filter((read) => read.startedAt > revokedAt);
    expect(afterRevoke.length).toBeGreaterThan(0);
    expect(afterRevoke.every((read) => read.status === 404)).toBe(true);
    expect(reads.some((read) => read.status === 200)).toBe(true);
  });
});
