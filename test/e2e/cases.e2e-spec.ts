import type {
  CaseResponse,
  CaseStatusChangeResponse,
  MeResponse,
  NotificationResponse,
  Page,
} from '@samverka/contracts';
import { OutboxRelay } from '@samverka/api';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addStaff } from '../support/users.js';

describe('cases', () => {
  let app: TestApp;
  let coordinator: ApiClient;
  let school: ApiClient;
  let police: ApiClient;
  let leisure: ApiClient;
  let socialWorker: ApiClient;
  let caseHolder: ApiClient;
  let auditor: ApiClient;
  let ids: DemoIds;
  let eliasId: string;

  beforeAll(async () => {
    app = await startTestApp();
    [coordinator, school, police, leisure, socialWorker, caseHolder, auditor] = await Promise.all([
      app.as('samordnare@demo.test'),
      app.as('skola@demo.test'),
      app.as('polis@demo.test'),
      app.as('fritid@demo.test'),
      app.as('socialsekreterare@demo.test'),
      app.as('sig@demo.test'),
      app.as('revisor@demo.test'),
    ]);
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    eliasId = (await personByNumber(coordinator, '20110314-2384')).id;
  });
  afterAll(() => app.close());

  const open = async (client: ApiClient, body: Record<string, unknown>) => {
    const response = await client.post<CaseResponse>('/api/v1/cases', body);
    expect(response.status).toBe(201);
    return response.body;
  };

  it('opens a case in its workflow’s first status, with the creator responsible and a member', async () => {
    const created = await open(coordinator, {
      kind: 'sspf',
      personId: eliasId,
      areaId: ids.areaNorra,
    });
    expect(created).toMatchObject({
      kind: 'sspf',
      status: 'concern_raised',
      allowedTransitions: ['screening', 'closed'],
      person: { id: eliasId, name: 'Elias Andersson', masked: false },
      owningUnit: { name: 'Socialtjänsten Norra', agency: 'social_services' },
      participatingUnits: [],
    });
    expect(created.members).toEqual([
      expect.objectContaining({ displayName: 'Sara Samordnare', role: 'responsible' }),
    ]);
    expect((await coordinator.get<CaseResponse>(`/api/v1/cases/${created.id}`)).body).toEqual(
      created,
    );
  });

  it('keeps a responsible user in a role that runs cases: the role goes once someone else holds the case', async () => {
    const admin = await app.as('admin@demo.test');
    const userId = await addStaff(admin, {
      email: 'ansvarig@demo.test',
      displayName: 'Ansvarig Ann',
      roles: ['coordinator'],
      unitId: ids.unit('Socialtjänsten Norra'),
    });
    const kase = await open(coordinator, {
      kind: 'sspf',
      personId: eliasId,
      areaId: ids.areaNorra,
      responsibleUserId: userId,
    });
    const responsible = await app.as('ansvarig@demo.test');
    const move = (status: string) =>
      responsible.patch(`/api/v1/cases/${kase.id}`, { status, reason: 'Bedömt' });
    expect((await move('screening')).status).toBe(200);
    const demote = () => admin.patch(`/api/v1/users/${userId}/roles`, { roles: ['social_worker'] });
    // Not while they hold an open case (found by a black-box probe: it was left with a
    // responsible user who could not run it).
    expect(expectProblem(await demote(), 409).detail).toMatch(/responsible for 1 open case/);
    const handedOver = await coordinator.patch(`/api/v1/cases/${kase.id}`, {
      responsibleUserId: await ids.userId('samordnare@demo.test'),
    });
    expect(handedOver.status).toBe(200);
    expect((await demote()).status).toBe(200);
  });

  it('follows only the allowed transitions; a wrong one is a 409 that names the allowed ones', async () => {
    const sig = await open(caseHolder, { kind: 'sig', personId: eliasId, areaId: ids.areaNorra });
    expect(sig.status).toBe('referral');
    const wrong = expectProblem(
      await caseHolder.patch(`/api/v1/cases/${sig.id}`, { status: 'active' }),
      409,
    );
    expect(wrong.detail).toMatch(/cannot go from referral to active; allowed: eligibility, closed/);
    expectProblem(
      await caseHolder.patch(`/api/v1/cases/${sig.id}`, { status: 'plan_active' }),
      400,
    );
    const move = async (status: string) => {
      const moved = await caseHolder.patch<CaseResponse>(`/api/v1/cases/${sig.id}`, { status });
      expect({ status: moved.status, to: moved.body.status }).toEqual({ status: 200, to: status });
    };
    await move('eligibility');
    await move('consent_pending');
    // The joint decision needs the consent: not before it is in force.
    const early = expectProblem(
      await caseHolder.patch(`/api/v1/cases/${sig.id}`, { status: 'joint_decision' }),
      409,
    );
    expect(early.detail).toMatch(/only with a consent in force/);
    const elias = await personByNumber(coordinator, '20110314-2384');
    const consent = await caseHolder.post<{ id: string; inForce: boolean }>(
      `/api/v1/cases/${sig.id}/consents`,
      {
        parties: [elias.id, ...elias.guardians.map((guardian) => guardian.personId)].map(
          (personId) => ({ personId }),
        ),
        scope: { agencies: ['police'], categories: ['general'] },
        validFrom: new Date(Date.now() - 86400_000).toISOString(),
        validUntil: new Date(Date.now() + 86400_000).toISOString(),
        method: 'written',
      },
    );
    expect(consent.body.inForce).toBe(true);
    // The joint decision is social services' and the police's: not without the police taking part.
    const alone = expectProblem(
      await caseHolder.patch(`/api/v1/cases/${sig.id}`, { status: 'joint_decision' }),
      409,
    );
    expect(alone.type).toMatch(/joint-decision-parties$/);
    expect(alone.detail).toMatch(/add a unit of police/);
    expect(
      (
        await caseHolder.post(`/api/v1/cases/${sig.id}/units`, {
          unitId: ids.unit('Polisen Norra'),
        })
      ).status,
    ).toBe(201);
    for (const status of [
      'joint_decision',
      'group_formed',
      'action_plan',
      'active',
      'review',
      'active',
    ]) {
      await move(status);
    }
    // (The police leave again: later tests expect them not to know this case.)
    expect(
      (await caseHolder.delete(`/api/v1/cases/${sig.id}/units/${ids.unit('Polisen Norra')}`))
        .status,
    ).toBe(200);
    // Once its consent is revoked, the case only closes.
    const revoked = await caseHolder.post(`/api/v1/consents/${consent.body.id}/revoke`, {
      partyPersonId: elias.id,
    });
    expect(revoked.status).toBe(200);
    const unconsented = expectProblem(
      await caseHolder.patch(`/api/v1/cases/${sig.id}`, { status: 'review' }),
      409,
    );
    expect(unconsented.type).toMatch(/consent-required$/);
    expect(unconsented.detail).toMatch(/only while a consent of it is in force/);
    const problem = expectProblem(
      await caseHolder.patch(`/api/v1/cases/${sig.id}`, { status: 'closed' }),
      400,
    );
    expect(reasonsFor(problem, 'reason')[0]).toMatch(/reason/);
    const closed = await caseHolder.patch<CaseResponse>(`/api/v1/cases/${sig.id}`, {
      status: 'closed',
      reason: 'Målen uppnådda',
    });
    expect(closed.body).toMatchObject({ status: 'closed', allowedTransitions: [] });
    expect(
      expectProblem(await caseHolder.patch(`/api/v1/cases/${sig.id}`, { status: 'active' }), 409)
        .detail,
    ).toMatch(/allowed: none/);
  });

  it('shows its moves; the reasons to those who read its plan', async () => {
    // Found by a black-box probe: the reasons every move asked for could never be read back.
    const kase = await open(coordinator, {
      kind: 'sspf',
      personId: eliasId,
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Skolan Norra')],
    });
    const closed = await coordinator.patch(`/api/v1/cases/${kase.id}`, {
      status: 'closed',
      reason: 'Vårdnadshavarna avböjde samverkan',
    });
    expect(closed.status).toBe(200);
    const history = async (client: ApiClient) => {
      const page = await client.get<Page<CaseStatusChangeResponse>>(
        `/api/v1/cases/${kase.id}/history`,
      );
      expect(page.status).toBe(200);
      return page.body.items.map((change) => [change.fromStatus, change.toStatus, change.reason]);
    };
    expect(await history(coordinator)).toEqual([
      [null, 'concern_raised', null],
      ['concern_raised', 'closed', 'Vårdnadshavarna avböjde samverkan'],
    ]);
    // The school takes part but no consent names it: the moves, not why.
    expect(await history(school)).toEqual([
      [null, 'concern_raised', null],
      ['concern_raised', 'closed', null],
    ]);
    expectProblem(await police.get(`/api/v1/cases/${kase.id}/history`), 404);
  });

  it('records nothing new in a closed case, and lets no one join it', async () => {
    const kase = await open(coordinator, {
      kind: 'sspf',
      personId: eliasId,
      areaId: ids.areaNorra,
    });
    const path = `/api/v1/cases/${kase.id}`;
    const entry = await coordinator.post<{ id: string }>(`${path}/entries`, {
      category: 'general',
      body: 'Före stängning',
    });
    expect(entry.status).toBe(201);
    const closed = await coordinator.patch(path, { status: 'closed', reason: 'Inget behov' });
    expect(closed.status).toBe(200);
    const refusals = [
      await coordinator.post(`${path}/messages`, {
        clientId: 'efter-stangning-1',
        body: 'Efteråt',
        category: 'general',
      }),
      await coordinator.post(`/api/v1/entries/${entry.body.id}/disclosures`, {
        receivers: [{ agency: 'police' }],
        basis: 'statutory',
        legalBasisCode: 'OSL 10:2',
        harmAssessment: 'Nödvändigt för verksamheten; ingen skada för insatser.',
        reason: 'Efteråt',
      }),
      await coordinator.post(`${path}/entries`, { category: 'general', body: 'Efteråt' }),
      await coordinator.post(`${path}/consents`, {
        parties: [{ personId: eliasId }],
        scope: { agencies: ['school'], categories: ['general'] },
        validFrom: new Date().toISOString(),
        validUntil: new Date(Date.now() + 86400_000).toISOString(),
        method: 'verbal',
      }),
      await coordinator.post(`${path}/members`, { userId: await ids.userId('fritid@demo.test') }),
      await coordinator.post(`${path}/units`, { unitId: ids.unit('Polisen Norra') }),
      // A new responsible user would join it too.
      await coordinator.patch(path, { responsibleUserId: await ids.userId('sig@demo.test') }),
    ];
    for (const refused of refusals) {
      expect(expectProblem(refused, 409).detail).toMatch(/The case is closed/);
    }
    const after = await coordinator.get<CaseResponse>(path);
    expect(after.body.members).toHaveLength(kase.members.length);
    expect((await coordinator.get<Page<unknown>>(`${path}/entries`)).body.items).toHaveLength(1);
    expect((await coordinator.get<Page<unknown>>(`${path}/messages`)).body.items).toEqual([]);
  });

  it('filters by a status that exists, and refuses one that does not', async () => {
    const screening = await coordinator.get<Page<CaseResponse>>(
      '/api/v1/cases?status=concern_raised',
    );
    expect(screening.status).toBe(200);
    expect(screening.body.items.every((kase) => kase.status === 'concern_raised')).toBe(true);
    // "My" cases: those I am responsible for, or a member of (found by a black-box probe).
    const me = (await coordinator.get<MeResponse>('/api/v1/me')).body.user.id;
    for (const filter of ['responsibleUserId', 'memberUserId']) {
      const mine = await coordinator.get<Page<CaseResponse>>(
        `/api/v1/cases?${filter}=${me}&limit=200`,
      );
      expect(mine.status).toBe(200);
      expect(mine.body.items.length).toBeGreaterThan(0);
      expect(
        mine.body.items.every((kase) =>
          filter === 'responsibleUserId'
            ? kase.responsibleUserId === me
            : kase.members.some((member) => member.userId === me),
        ),
      ).toBe(true);
    }
    const bogus = expectProblem(await coordinator.get('/api/v1/cases?status=bogus'), 400);
    // A move to a status the workflow does not have lists those it has.
    const [anyCase] = (await coordinator.get<Page<CaseResponse>>('/api/v1/cases?kind=sspf')).body
      .items;
    const notAStatus = expectProblem(
      await coordinator.patch(`/api/v1/cases/${anyCase!.id}`, { status: 'review' }),
      400,
    );
    expect(reasonsFor(notAStatus, 'status')[0]).toMatch(
      /not a status of a sspf case \(.*plan_active/,
    );
    expect(reasonsFor(bogus, 'status')).not.toEqual([]);
    expectProblem(
      await coordinator.post('/api/v1/cases/search', { query: 'Elias', status: 'bogus' }),
      400,
    );
  });

  it('requires a coordinator or case holder as responsible, and a person the creator can see', async () => {
    const asWorker = expectProblem(
      await socialWorker.post('/api/v1/cases', {
        kind: 'sig',
        personId: eliasId,
        areaId: ids.areaNorra,
      }),
      400,
    );
    expect(reasonsFor(asWorker, 'responsibleUserId')[0]).toMatch(/coordinator or case holder/);
    // It says why a field they did not send is named: their role holds no cases.
    expect(reasonsFor(asWorker, 'responsibleUserId')[0]).toMatch(
      /your role \(social_worker\) does not hold cases/,
    );
    const byWorker = await open(socialWorker, {
      kind: 'sig',
      personId: eliasId,
      areaId: ids.areaNorra,
      responsibleUserId: await ids.userId('sig@demo.test'),
    });
    expect(byWorker.members.map((member) => member.role).sort()).toEqual(['member', 'responsible']);
    expectProblem(
      await school.post('/api/v1/cases', {
        kind: 'sspf',
        personId: eliasId,
        areaId: ids.areaNorra,
      }),
      403,
    );
    const grannbyPerson = (
      await personByNumber(await app.as('skola@grannby.test'), '20110314-2384')
    ).id;
    const foreign = expectProblem(
      await coordinator.post('/api/v1/cases', {
        kind: 'sspf',
        personId: grannbyPerson,
        areaId: ids.areaNorra,
      }),
      400,
    );
    expect(reasonsFor(foreign, 'personId')[0]).toMatch(/no such person/);
  });

  it('shows a case only to members, its units’ users and the area’s coordinators; everyone else gets 404', async () => {
    const kase = await open(socialWorker, {
      kind: 'sip',
      personId: eliasId,
      areaId: ids.areaNorra,
      responsibleUserId: await ids.userId('sig@demo.test'),
      participatingUnitIds: [ids.unit('Skolan Norra')],
    });
    const path = `/api/v1/cases/${kase.id}`;
    for (const [client, status] of [
      [socialWorker, 200], // member (creator)
      [caseHolder, 200], // member (responsible)
      [school, 200], // participating unit
      [coordinator, 200], // coordinator of the area (and of the owning unit's agency)
      [police, 404],
      [leisure, 404],
      [auditor, 403],
    ] as const) {
      expect({ who: client, status: (await client.get(path)).status }).toEqual({
        who: client,
        status,
      });
    }
    const grannby = await app.as('socialsekreterare@grannby.test');
    expectProblem(await grannby.get(path), 404);
    const listed = (client: ApiClient) =>
      client
        .get<Page<CaseResponse>>('/api/v1/cases?limit=200')
        .then((page) => page.body.items.map((item) => item.id));
    expect(await listed(school)).toContain(kase.id);
    expect(await listed(police)).not.toContain(kase.id);
    expect(await listed(grannby)).toEqual([]);

    // Adding the police unit lets the police see it; removing it ends that at once.
    expect(
      (await socialWorker.post(`${path}/units`, { unitId: ids.unit('Polisen Norra') })).status,
    ).toBe(403);
    expect(
      (await caseHolder.post(`${path}/units`, { unitId: ids.unit('Polisen Norra') })).status,
    ).toBe(201);
    expect((await police.get(path)).status).toBe(200);
    expect((await caseHolder.delete(`${path}/units/${ids.unit('Polisen Norra')}`)).status).toBe(
      200,
    );
    expectProblem(await police.get(path), 404);
  });

  it('adds and removes members; removal takes effect on the member’s next request', async () => {
    const kase = await open(coordinator, {
      kind: 'sspf',
      personId: eliasId,
      areaId: ids.areaNorra,
    });
    const path = `/api/v1/cases/${kase.id}`;
    const leisureId = await ids.userId('fritid@demo.test');
    expectProblem(await leisure.get(path), 404);
    const added = await coordinator.post<CaseResponse>(`${path}/members`, { userId: leisureId });
    expect(added.body.members.map((member) => member.displayName)).toContain(
      'Fatima Fritidsledare',
    );
    expect((await leisure.get(path)).status).toBe(200);
    expectProblem(await coordinator.post(`${path}/members`, { userId: leisureId }), 409);
    expectProblem(
      await coordinator.delete(`${path}/members/${await ids.userId('samordnare@demo.test')}`),
      409,
    );
    expect((await coordinator.delete(`${path}/members/${leisureId}`)).status).toBe(200);
    expectProblem(await leisure.get(path), 404);
  });

  it('takes only staff who work with young people as members: not administrators or auditors', async () => {
    const kase = await open(coordinator, {
      kind: 'sspf',
      personId: eliasId,
      areaId: ids.areaNorra,
    });
    for (const email of ['revisor@demo.test', 'admin@demo.test']) {
      const userId = await ids.userId(email);
      const refused = expectProblem(
        await coordinator.post(`/api/v1/cases/${kase.id}/members`, { userId }),
        400,
      );
      expect(reasonsFor(refused, 'userId')[0]).toMatch(
        /administrators and auditors cannot be members/,
      );
      expectProblem(
        await coordinator.post('/api/v1/cases', {
          kind: 'sspf',
          personId: eliasId,
          areaId: ids.areaNorra,
          memberUserIds: [userId],
        }),
        400,
      );
    }
    expectProblem(await auditor.get(`/api/v1/cases/${kase.id}`), 403);
  });

  it('removing a unit takes its staff out of the case with it, at once; not the responsible user’s unit', async () => {
    await addStaff(await app.as('admin@demo.test'), {
      email: 'fritid2@demo.test',
      displayName: 'Filip Fritid',
      roles: ['leisure_staff'],
      unitId: ids.unit('Fritidsgården Norra'),
    });
    const leisureColleague = await app.as('fritid2@demo.test');
    const kase = await open(coordinator, {
      kind: 'sspf',
      personId: eliasId,
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Fritidsgården Norra')],
      memberUserIds: [await ids.userId('fritid@demo.test')],
    });
    const path = `/api/v1/cases/${kase.id}`;
    expect((await leisure.get(path)).status).toBe(200);
    const removed = await coordinator.delete<CaseResponse>(
      `${path}/units/${ids.unit('Fritidsgården Norra')}`,
    );
    expect(removed.status).toBe(200);
    expect(removed.body.members.map((member) => member.displayName)).not.toContain(
      'Fatima Fritidsledare',
    );
    expectProblem(await leisure.get(path), 404);
    // Its staff are told, members or not (found by a black-box probe: a colleague who knew the
    // case through the unit lost it and was not told), in their notifications too.
    const toldOf = async (client: ApiClient) => {
      await app.running.app.get(OutboxRelay).tick();
      return (
        await client.get<Page<NotificationResponse>>('/api/v1/me/notifications?limit=200')
      ).body.items
        .filter((item) => item.kind === 'case.access_changed' && item.recordId === kase.id)
        .map((item) => item.details.reason);
    };
    expect(await toldOf(leisure)).toEqual(['unit_removed']);
    expect(await toldOf(leisureColleague)).toEqual(['unit_removed']);
    expect(await toldOf(school)).toEqual([]);

    const owned = await open(coordinator, {
      kind: 'sspf',
      personId: eliasId,
      areaId: ids.areaNorra,
      owningUnitId: ids.unit('Skolan Norra'),
      participatingUnitIds: [ids.unit('Socialtjänsten Norra')],
    });
    const refused = expectProblem(
      await coordinator.delete(
        `/api/v1/cases/${owned.id}/units/${ids.unit('Socialtjänsten Norra')}`,
      ),
      409,
    );
    expect(refused.detail).toMatch(/responsible user belongs to this unit/);
    expect((await coordinator.get(`/api/v1/cases/${owned.id}`)).status).toBe(200);
  });

  it('finds cases by the young person’s name or identity number, only among visible cases', async () => {
    const found = await coordinator.post<Page<CaseResponse>>('/api/v1/cases/search', {
      query: 'Elias Andersson',
    });
    expect(found.body.items.length).toBeGreaterThan(0);
    expect(found.body.items.every((item) => item.person.id === eliasId)).toBe(true);
    const byNumber = await coordinator.post<Page<CaseResponse>>('/api/v1/cases/search', {
      query: '20110314-2384',
    });
    expect(byNumber.body.items.map((item) => item.id).sort()).toEqual(
      found.body.items.map((item) => item.id).sort(),
    );
    expect(
      (await police.post<Page<CaseResponse>>('/api/v1/cases/search', { query: 'Elias' })).body
        .items,
    ).toEqual([]);
  });

  it('masks a protected young person in the case for users not cleared for them', async () => {
    const alva = await personByNumber(socialWorker, '20100621-4827');
    const kase = await open(socialWorker, {
      kind: 'sig',
      personId: alva.id,
      areaId: ids.areaNorra,
      responsibleUserId: await ids.userId('sig@demo.test'),
      participatingUnitIds: [ids.unit('Skolan Norra')],
    });
    expect(kase.person).toMatchObject({ name: 'Alva Lind', masked: false });
    for (const client of [school, caseHolder, coordinator]) {
      const seen = await client.get<CaseResponse>(`/api/v1/cases/${kase.id}`);
      expect(seen.body.person).toEqual({
        id: alva.id,
        name: 'Skyddad identitet',
        birthDate: null,
        identityNumber: null,
        masked: true,
      });
      expect(JSON.stringify(seen.body)).not.toMatch(/Alva|Lind|4827/);
      const search = await client.post<Page<CaseResponse>>('/api/v1/cases/search', {
        query: 'Alva',
      });
      expect(search.body.items).toEqual([]);
    }
    const cleared = await socialWorker.post<Page<CaseResponse>>('/api/v1/cases/search', {
      query: 'Alva',
    });
    expect(cleared.body.items.map((item) => item.id)).toContain(kase.id);
  });
});
