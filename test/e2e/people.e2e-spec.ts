import { personnummer } from '@samverka/api';
import {
  PROTECTED_LABEL,
  type AuditEventResponse,
  type CaseResponse,
  type ConsentResponse,
  type Page,
  type PersonResponse,
  type SigEligibilityResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds } from '../support/demo.js';
import { bornYearsAgo, registerInCustody } from '../support/people.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ELIAS = '20110314-2384';
const PROTECTED = '20100621-4827';

describe('the person register', () => {
  let app: TestApp;
  let school: ApiClient;
  let police: ApiClient;
  let leisure: ApiClient;
  let socialWorker: ApiClient;
  let admin: ApiClient;
  let auditor: ApiClient;

  /** Audit events about a person (their own trail, as an auditor reads it). */
  const trailFor = async (personId: string) =>
    (await auditor.get<Page<AuditEventResponse>>(`/api/v1/audit?personId=${personId}&limit=200`))
      .body.items;
  const userIdOf = async (client: ApiClient) =>
    (await client.get<{ user: { id: string } }>('/api/v1/me')).body.user.id;

  async function findOne(
    client: ApiClient,
    identityNumber: string,
  ): Promise<PersonResponse | undefined> {
    const page = await client.post<Page<PersonResponse>>('/api/v1/people/search', {
      identityNumber,
    });
    expect(page.status).toBe(200);
    return page.body.items[0];
  }

  beforeAll(async () => {
    app = await startTestApp();
    [school, police, leisure, socialWorker, admin, auditor] = await Promise.all([
      app.as('skola@demo.test'),
      app.as('polis@demo.test'),
      app.as('fritid@demo.test'),
      app.as('socialsekreterare@demo.test'),
      app.as('admin@demo.test'),
      app.as('revisor@demo.test'),
    ]);
  });
  afterAll(() => app.close());

  it('registers a person with guardians, derives the birth date, and reads them back', async () => {
    const guardian = await school.post<PersonResponse>('/api/v1/people', {
      identityNumber: '197501012384',
      givenName: 'Greta',
      familyName: 'Gren',
    });
    expect(guardian.status).toBe(201);
    const child = await school.post<PersonResponse>('/api/v1/people', {
      identityNumber: '130505-2381',
      givenName: 'Gustav',
      familyName: 'Gren',
      school: 'Norraskolan',
      gender: 'male',
      guardians: [{ personId: guardian.body.id, custody: true }],
    });
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({
      identityKind: 'personnummer',
      identityNumber: '20130505-2381',
      birthDate: '2013-05-05',
      masked: false,
      guardians: [{ personId: guardian.body.id, name: 'Greta Gren', custody: true }],
    });
    const read = await school.get<PersonResponse>(`/api/v1/people/${child.body.id}`);
    expect(read.body).toEqual(child.body);
  });

  it('assigns a reserve number when asked, and requires a birth date for it', async () => {
    expectProblem(
      await school.post('/api/v1/people', {
        identityKind: 'reserve',
        givenName: 'Utan',
        familyName: 'Nummer',
      }),
      400,
    );
    const created = await school.post<PersonResponse>('/api/v1/people', {
      identityKind: 'reserve',
      givenName: 'Utan',
      familyName: 'Nummer',
      birthDate: '2012-02-02',
    });
    expect(created.status).toBe(201);
    expect(created.body.identityNumber).toMatch(/^RES-\d{4}-[A-Z0-9]{6}$/);
  });

  it('refuses a reserve number that is a personnummer or samordningsnummer, and registers nothing', async () => {
    for (const identityNumber of [
      PROTECTED,
      '2010-06-21-4827',
      '201006214827',
      '701063-2391',
      'R20100621-4827',
    ]) {
      const problem = expectProblem(
        await school.post('/api/v1/people', {
          identityKind: 'reserve',
          identityNumber,
          givenName: 'Reserv',
          familyName: 'Dubblett',
          birthDate: '2010-06-21',
        }),
        400,
      );
      expect(reasonsFor(problem, 'identityNumber').join()).toMatch(
        /this holds a valid (personnummer|samordningsnummer): register the person with it/,
      );
    }
    const found = await school.post<Page<PersonResponse>>('/api/v1/people/search', {
      name: 'Reserv Dubblett',
    });
    expect(found.body.items).toEqual([]);
    // Nor can a person's number be corrected into one.
    const elias = (await findOne(school, ELIAS))!;
    const correction = expectProblem(
      await school.patch(`/api/v1/people/${elias.id}`, {
        identityKind: 'reserve',
        identityNumber: PROTECTED,
      }),
      400,
    );
    expect(reasonsFor(correction, 'identityNumber')).toHaveLength(1);
    expect(await findOne(school, ELIAS)).toEqual(elias);
    // A reserve number of the municipality's own making is taken as it is.
    const own = await school.post<PersonResponse>('/api/v1/people', {
      identityKind: 'reserve',
      identityNumber: 'RES-2010-0621',
      givenName: 'Reserv',
      familyName: 'Egen',
      birthDate: '2010-06-21',
    });
    expect(own.status).toBe(201);
    expect(own.body.identityNumber).toBe('RES-2010-0621');
  });

  it('gives guardians only to a person under 18, and only guardians of 18 or over', async () => {
    const register = (birthDate: string, serial: string, name: string, extra = {}) =>
      school.post<PersonResponse>('/api/v1/people', {
        identityNumber: personnummer(birthDate, serial),
        givenName: name,
        familyName: 'Ålder',
        ...extra,
      });
    const parent = await register(bornYearsAgo(45, -40), '917', 'Förälder');
    const child = await register(bornYearsAgo(12, -40), '917', 'Tolvåring');
    const adult = await register(bornYearsAgo(30, -40), '917', 'Vuxen');
    for (const created of [parent, child, adult]) expect(created.status).toBe(201);
    const refused = async (response: Promise<Parameters<typeof expectProblem>[0]>) =>
      reasonsFor(expectProblem(await response, 400), 'guardians');

    // A child as guardian, of an adult or of another child.
    expect(
      await refused(
        register(bornYearsAgo(9, -40), '917', 'Nioåring', {
          guardians: [{ personId: child.body.id, custody: true }],
        }),
      ),
    ).toEqual(['a guardian must be 18 or over']);
    expect(
      await refused(
        school.patch(`/api/v1/people/${parent.body.id}`, {
          guardians: [{ personId: child.body.id, custody: true }],
        }),
      ),
    ).toEqual([
      'guardians are for a person under 18; from 18 a person has none (send an empty list)',
    ]);
    // Guardians for an adult.
    expect(
      await refused(
        register(bornYearsAgo(19, -40), '917', 'Artonåring', {
          guardians: [{ personId: parent.body.id, custody: true }],
        }),
      ),
    ).toEqual([
      'guardians are for a person under 18; from 18 a person has none (send an empty list)',
    ]);
    expect(
      await refused(
        school.patch(`/api/v1/people/${adult.body.id}`, {
          guardians: [{ personId: parent.body.id, custody: false }],
        }),
      ),
    ).toEqual([
      'guardians are for a person under 18; from 18 a person has none (send an empty list)',
    ]);
    // Nothing changed, nor was anyone registered.
    for (const person of [parent.body, adult.body]) {
      expect((await school.get<PersonResponse>(`/api/v1/people/${person.id}`)).body).toEqual(
        person,
      );
    }
    const found = await school.post<Page<PersonResponse>>('/api/v1/people/search', {
      name: 'Ålder',
    });
    expect(found.body.items.map((person) => person.givenName).sort()).toEqual(
      ['Förälder', 'Tolvåring', 'Vuxen'].sort(),
    );

    // An adult guardian of a child: taken, and a change of guardians is a change of the person.
    const custody = await school.patch<PersonResponse>(`/api/v1/people/${child.body.id}`, {
      guardians: [{ personId: parent.body.id, custody: true }],
    });
    expect(custody.status).toBe(200);
    expect(custody.body.guardians).toEqual([
      { personId: parent.body.id, name: 'Förälder Ålder', custody: true },
    ]);
    expect(Date.parse(custody.body.updatedAt)).toBeGreaterThan(Date.parse(child.body.updatedAt));
    const none = await school.patch<PersonResponse>(`/api/v1/people/${child.body.id}`, {
      guardians: [],
    });
    expect(none.body.guardians).toEqual([]);
    expect(Date.parse(none.body.updatedAt)).toBeGreaterThan(Date.parse(custody.body.updatedAt));
    // The same guardians again change nothing.
    const same = await school.patch<PersonResponse>(`/api/v1/people/${child.body.id}`, {
      guardians: [],
    });
    expect(same.body).toEqual(none.body);
    // A guardian's number corrected into a child's is refused: it would leave a child with custody.
    await school.patch(`/api/v1/people/${child.body.id}`, {
      guardians: [{ personId: parent.body.id, custody: true }],
    });
    const younger = expectProblem(
      await school.patch(`/api/v1/people/${parent.body.id}`, {
        identityNumber: personnummer(bornYearsAgo(13), '918'),
      }),
      400,
    );
    expect(reasonsFor(younger, 'identityNumber')).toEqual([
      'this person has custody of a child, and a guardian must be 18 or over',
    ]);
    expect(
      (await school.get<PersonResponse>(`/api/v1/people/${parent.body.id}`)).body.birthDate,
    ).toBe(parent.body.birthDate);
    // A reserve number's birth date is a day that has been.
    for (const birthDate of ['2999-01-01', '1800-01-01']) {
      const unborn = expectProblem(
        await school.post('/api/v1/people', {
          identityKind: 'reserve',
          givenName: 'Ofödd',
          familyName: 'Reserv',
          birthDate,
        }),
        400,
      );
      expect(reasonsFor(unborn, 'birthDate')).toHaveLength(1);
    }
  });

  it('audits a read of each guardian a view names, in the guardian’s own trail', async () => {
    const policeId = await userIdOf(police);
    const guardianEvents = async (guardianId: string, requestId: string) =>
      (await trailFor(guardianId))
        .filter((event) => event.requestId === requestId)
        .map((event) => ({
          action: event.action,
          recordId: event.recordId,
          actorUserId: event.actorUserId,
        }));
    const found = await police.request<Page<PersonResponse>>(
      'POST',
      '/api/v1/people/search',
      { identityNumber: ELIAS },
      { 'x-request-id': 'guardian-search-1' },
    );
    const elias = found.body.items[0]!;
    expect(elias.guardians.map((guardian) => guardian.name).sort()).toEqual([
      'Anna Andersson',
      'Bo Andersson',
    ]);
    const read = await police.request('GET', `/api/v1/people/${elias.id}`, undefined, {
      'x-request-id': 'guardian-read-1',
    });
    expect(read.status).toBe(200);
    const listed = await police.request('GET', '/api/v1/people?limit=200', undefined, {
      'x-request-id': 'guardian-list-1',
    });
    expect(listed.status).toBe(200);
    const updated = await police.request(
      'PATCH',
      `/api/v1/people/${elias.id}`,
      { school: 'Norraskolan' },
      { 'x-request-id': 'guardian-update-1' },
    );
    expect(updated.status).toBe(200);
    for (const guardian of elias.guardians) {
      const by = (action: string) => [{ action, recordId: elias.id, actorUserId: policeId }];
      expect(await guardianEvents(guardian.personId!, 'guardian-search-1')).toEqual(
        by('person.search_result'),
      );
      expect(await guardianEvents(guardian.personId!, 'guardian-read-1')).toEqual(
        by('person.read'),
      );
      expect(await guardianEvents(guardian.personId!, 'guardian-list-1')).toEqual(
        by('person.list_result'),
      );
      expect(await guardianEvents(guardian.personId!, 'guardian-update-1')).toEqual(
        by('person.read'),
      );
    }
  });

  it('shows a person only to agencies that registered them, and links on a second registration', async () => {
    const nora = await findOne(school, '20120907-1248');
    expect(nora?.givenName).toBe('Nora');
    // Nora is known to school and leisure, not to the police.
    expect(await findOne(police, '20120907-1248')).toBeUndefined();
    expectProblem(await police.get(`/api/v1/people/${nora!.id}`), 404);
    expect(
      (await police.post<Page<PersonResponse>>('/api/v1/people/search', { name: 'Nora' })).body
        .items,
    ).toEqual([]);
    // Registering her needs her name as registered: the number alone links no one.
    const guess = expectProblem(
      await police.post('/api/v1/people', {
        identityNumber: '20120907-1248',
        givenName: 'Nora',
        familyName: 'Nilson',
      }),
      409,
    );
    expect(guess.detail).toMatch(/do not match/);
    expect(guess.detail).not.toContain(nora!.id);
    expectProblem(await police.get(`/api/v1/people/${nora!.id}`), 404);
    // With it (however it is cased or spaced) she is linked to the police, not registered twice.
    const linked = await police.post<PersonResponse>('/api/v1/people', {
      identityNumber: '20120907-1248',
      givenName: ' nora ',
      familyName: 'NILSSON',
    });
    expect(linked.status).toBe(201);
    expect(linked.headers.get('samverka-person-linked')).toBe('true');
    expect(linked.body.id).toBe(nora!.id);
    expect((await police.get(`/api/v1/people/${nora!.id}`)).status).toBe(200);
    // A second registration by the same agency is a conflict.
    expectProblem(
      await police.post('/api/v1/people', {
        identityNumber: '20120907-1248',
        givenName: 'Nora',
        familyName: 'N',
      }),
      409,
    );
  });

  it('searches by name prefix and by identity number in any accepted form', async () => {
    const byName = await school.post<Page<PersonResponse>>('/api/v1/people/search', {
      name: 'eli and',
    });
    expect(byName.body.items.map((person) => person.identityNumber)).toEqual([ELIAS]);
    for (const form of ['201103142384', '110314-2384', '20110314-2384']) {
      expect((await findOne(school, form))?.givenName).toBe('Elias');
    }
    expectProblem(await school.post('/api/v1/people/search', {}), 400);
    expectProblem(await school.post('/api/v1/people/search', { name: '   ' }), 400);
    expectProblem(await school.post('/api/v1/cases/search', { query: '  ' }), 400);
    expectProblem(
      await school.post('/api/v1/people/search', { name: 'Eli', identityNumber: ELIAS }),
      400,
    );
  });

  it('paginates lists with a cursor, with no gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: { body: Page<PersonResponse> } = await school.get<Page<PersonResponse>>(
        `/api/v1/people?limit=2${query}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((person) => person.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await school.get<Page<PersonResponse>>('/api/v1/people?limit=200');
    expect(seen).toEqual(all.body.items.map((person) => person.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('updates a person and refuses an identity number that belongs to someone else', async () => {
    const elias = (await findOne(school, ELIAS))!;
    const updated = await school.patch<PersonResponse>(`/api/v1/people/${elias.id}`, {
      address: 'Nygatan 2',
    });
    expect(updated.body.address).toBe('Nygatan 2');
    expectProblem(
      await school.patch(`/api/v1/people/${elias.id}`, { identityNumber: '20120907-1248' }),
      409,
    );
    expectProblem(
      await school.patch(`/api/v1/people/${elias.id}`, { birthDate: '2011-03-15' }),
      400,
    );
    expect((await school.get<PersonResponse>(`/api/v1/people/${elias.id}`)).body.birthDate).toBe(
      '2011-03-14',
    );
  });

  describe('protected identities', () => {
    it('masks name, number, birth date, address, school and guardians for an uncleared user', async () => {
      const socialView = (await findOne(socialWorker, PROTECTED))!;
      expect(socialView).toMatchObject({ givenName: 'Alva', familyName: 'Lind', masked: false });
      const masked = await school.get<PersonResponse>(`/api/v1/people/${socialView.id}`);
      expect(masked.status).toBe(200);
      expect(masked.body).toMatchObject({
        id: socialView.id,
        givenName: PROTECTED_LABEL,
        familyName: '',
        identityNumber: null,
        identityKind: null,
        birthDate: null,
        address: null,
        school: null,
        protectionLevel: null,
        guardians: [],
        masked: true,
      });
      expect(JSON.stringify(masked.body)).not.toMatch(/Alva|Lind|Södraskolan|2010-06-21|4827/);
    });

    it('never lets an uncleared user find them by name or number, or list them', async () => {
      expect(await findOne(school, PROTECTED)).toBeUndefined();
      const byName = await school.post<Page<PersonResponse>>('/api/v1/people/search', {
        name: 'Alva',
      });
      expect(byName.body.items).toEqual([]);
      const list = await school.get('/api/v1/people?limit=200');
      expect(JSON.stringify(list.body)).not.toMatch(/Alva|Lind|Skyddad identitet/);
    });

    it('never links an uncleared agency by registering them again, and the refusal does not tell why', async () => {
      const social = (await findOne(socialWorker, PROTECTED))!;
      const again = expectProblem(
        await police.post('/api/v1/people', {
          identityNumber: PROTECTED,
          givenName: 'Alva',
          familyName: 'Lind',
        }),
        409,
      );
      const wrongName = expectProblem(
        await police.post('/api/v1/people', {
          identityNumber: PROTECTED,
          givenName: 'Alma',
          familyName: 'Lind',
        }),
        409,
      );
      expect({ ...again, requestId: null }).toEqual({ ...wrongName, requestId: null });
      expect(JSON.stringify(again)).not.toMatch(new RegExp(`${social.id}|protect|skydd`, 'i'));
      expectProblem(await police.get(`/api/v1/people/${social.id}`), 404);
      expect(await findOne(police, PROTECTED)).toBeUndefined();
    });

    it('answers an uncleared user of an agency that knows them like any other, and audits the attempt against them', async () => {
      const alva = (await findOne(socialWorker, PROTECTED))!;
      const coordinator = await app.as('samordnare@demo.test');
      const attempt = async (client: ApiClient, givenName: string, familyName: string) => {
        const problem = expectProblem(
          await client.post('/api/v1/people', { identityNumber: PROTECTED, givenName, familyName }),
          409,
        );
        return { ...problem, requestId: null };
      };
      // The police know nothing of her; school and social services (the coordinator's agency)
      // registered her, and neither of these users is cleared for her.
      const before = await trailFor(alva.id);
      const unlinked = await attempt(police, 'Q', 'Q');
      expect(unlinked.detail).toMatch(/do not match/);
      for (const client of [school, coordinator]) {
        expect(await attempt(client, 'Q', 'Q')).toEqual(unlinked);
        expect(await attempt(client, 'Alva', 'Lind')).toEqual(unlinked);
      }
      expect(JSON.stringify(unlinked)).not.toContain(alva.id);
      // Each attempt to identify her is in her trail, by whom; nothing else changed.
      const refusals = (await trailFor(alva.id)).filter(
        (event) =>
          event.action === 'person.identify_refused' && !before.some((old) => old.id === event.id),
      );
      const [schoolId, coordinatorId, policeId] = await Promise.all(
        [school, coordinator, police].map(userIdOf),
      );
      expect(refusals.map((event) => event.actorUserId).sort()).toEqual(
        [schoolId, schoolId, coordinatorId, coordinatorId, policeId].sort(),
      );
      expect(refusals.every((event) => event.recordId === alva.id)).toBe(true);
      expect((await school.get<PersonResponse>(`/api/v1/people/${alva.id}`)).body.masked).toBe(
        true,
      );
      expectProblem(await police.get(`/api/v1/people/${alva.id}`), 404);
      // The user cleared for her is told where she is.
      const cleared = expectProblem(
        await socialWorker.post('/api/v1/people', {
          identityNumber: PROTECTED,
          givenName: 'Q',
          familyName: 'Q',
        }),
        409,
      );
      expect(cleared.detail).toContain(alva.id);
    });

    it('refuses an uncleared user changing them', async () => {
      const id = (await findOne(socialWorker, PROTECTED))!.id;
      expectProblem(await school.patch(`/api/v1/people/${id}`, { address: 'Ny adress' }), 403);
      expect((await socialWorker.get<PersonResponse>(`/api/v1/people/${id}`)).body.address).toBe(
        'Skyddad adress',
      );
    });

    it('masks a protected guardian inside a child’s record', async () => {
      const protectedParent = await socialWorker.post<PersonResponse>('/api/v1/people', {
        identityNumber: '19800202-2385',
        givenName: 'Hemlig',
        familyName: 'Förälder',
        protectionLevel: 'flagged',
      });
      expect(protectedParent.body.masked).toBe(false); // the registrar stays cleared
      const child = await socialWorker.post<PersonResponse>('/api/v1/people', {
        identityNumber: '20140404-2382',
        givenName: 'Barn',
        familyName: 'Förälder',
        guardians: [{ personId: protectedParent.body.id, custody: true }],
      });
      expect(child.body.guardians[0]).toEqual({
        personId: protectedParent.body.id,
        name: 'Hemlig Förälder',
        custody: true,
      });
      const colleague = await app.as('sig@demo.test');
      const seen = await colleague.request<PersonResponse>(
        'GET',
        `/api/v1/people/${child.body.id}`,
        undefined,
        { 'x-request-id': 'masked-guardian-1' },
      );
      expect(seen.body.masked).toBe(false);
      // No id either: it would tie together the children the protected parent has.
      expect(seen.body.guardians).toEqual([
        { personId: null, name: PROTECTED_LABEL, custody: true },
      ]);
      // Nothing of the parent was shown, so nothing is put in the parent's trail.
      const parentTrail = await trailFor(protectedParent.body.id);
      expect(parentTrail.filter((event) => event.requestId === 'masked-guardian-1')).toEqual([]);
      expect(parentTrail.length).toBeGreaterThan(0);
    });

    it('masks the guardians of a protected child in its consents, and the child’s age in SIG eligibility', async () => {
      const ids = await DemoIds.load(admin);
      const birthDate = `${new Date().getUTCFullYear() - 13}-01-15`;
      const { guardian, young: child } = await registerInCustody(
        socialWorker,
        { birthDate: '1985-05-05', serial: '238', givenName: 'Synlig', familyName: 'Mamma' },
        {
          birthDate,
          serial: '239',
          givenName: 'Dold',
          familyName: 'Dotter',
          protectionLevel: 'flagged',
        },
      );
      const kase = await socialWorker.post<CaseResponse>('/api/v1/cases', {
        kind: 'sig',
        personId: child.id,
        areaId: ids.areaNorra,
        responsibleUserId: await ids.userId('sig@demo.test'),
        memberUserIds: [await ids.userId('skola@demo.test')],
      });
      expect(kase.status).toBe(201);
      const consent = await socialWorker.post<ConsentResponse>(
        `/api/v1/cases/${kase.body.id}/consents`,
        {
          parties: [{ personId: guardian.id }],
          scope: { agencies: ['school'], categories: ['general'] },
          validFrom: new Date(Date.now() - 86400_000).toISOString(),
          validUntil: new Date(Date.now() + 86400_000).toISOString(),
          method: 'written',
        },
      );
      expect(consent.body.inForce).toBe(true);
      const revoked = await socialWorker.post(`/api/v1/consents/${consent.body.id}/revoke`, {
        partyPersonId: guardian.id,
        reason: 'Återkallat per telefon',
      });
      expect(revoked.status).toBe(200);

      const cleared = await socialWorker.get<ConsentResponse>(
        `/api/v1/consents/${consent.body.id}`,
      );
      expect(cleared.body.parties.map((party) => party.name)).toContain('Synlig Mamma');
      expect(cleared.body.notInForceReasons.join()).toContain('guardian Synlig Mamma');
      const uncleared = await school.get<ConsentResponse>(`/api/v1/consents/${consent.body.id}`);
      expect(uncleared.status).toBe(200);
      expect(uncleared.body.parties.map((party) => [party.name, party.role])).toEqual(
        expect.arrayContaining([[PROTECTED_LABEL, 'guardian']]),
      );
      expect(JSON.stringify(uncleared.body)).not.toMatch(/Synlig|Mamma|Dold|Dotter/);
      const listed = await school.get(`/api/v1/cases/${kase.body.id}/consents`);
      expect(JSON.stringify(listed.body)).not.toMatch(/Synlig|Mamma|Dold|Dotter/);

      const eligibility = (client: ApiClient) =>
        client.get<SigEligibilityResponse>(`/api/v1/cases/${kase.body.id}/sig-eligibility`);
      expect((await eligibility(socialWorker)).body).toMatchObject({ age: 13, withinRange: true });
      const masked = await eligibility(school);
      expect(masked.status).toBe(200);
      expect(masked.body).toMatchObject({ age: null, withinRange: null, eligible: true });
    });

    it('applies a clearance granted by an administrator at once, and its revocation too', async () => {
      const id = (await findOne(socialWorker, PROTECTED))!.id;
      const me = await school.get<{ user: { id: string } }>('/api/v1/me');
      const grant = await admin.post(`/api/v1/people/${id}/clearances`, {
        userId: me.body.user.id,
        reason: 'Mentor för eleven',
      });
      expect(grant.status).toBe(201);
      const cleared = await school.get<PersonResponse>(`/api/v1/people/${id}`);
      expect(cleared.body).toMatchObject({ givenName: 'Alva', familyName: 'Lind', masked: false });
      expect((await findOne(school, PROTECTED))?.id).toBe(id);

      expect(
        (await admin.delete(`/api/v1/people/${id}/clearances/${me.body.user.id}`)).status,
      ).toBe(204);
      expect((await school.get<PersonResponse>(`/api/v1/people/${id}`)).body.masked).toBe(true);
      expect(await findOne(school, PROTECTED)).toBeUndefined();
    });

    it('does not let administrators or auditors read the register', async () => {
      expectProblem(await admin.get('/api/v1/people'), 403);
      const auditor = await app.as('revisor@demo.test');
      expectProblem(await auditor.post('/api/v1/people/search', { name: 'Alva' }), 403);
      expectProblem(
        await leisure.post('/api/v1/people/00000000-0000-4000-8000-000000000000/clearances', {
          userId: '00000000-0000-4000-8000-000000000000',
          reason: 'try',
        }),
        403,
      );
    });
  });
});
