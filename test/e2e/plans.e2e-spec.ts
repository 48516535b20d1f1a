import type {
  AuditEventResponse,
  CaseResponse,
  EntryResponse,
  MyActionResponse,
  Page,
  PersonResponse,
  PlanActionResponse,
  PlanResponse,
  RiskAssessmentResponse,
  SigEligibilityResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { callMeeting, outboxEvents } from '../support/meetings.js';
import { consentOfAll } from '../support/people.js';
import { connectSocket, eventually, record } from '../support/sockets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addStaff } from '../support/users.js';

describe('plans', () => {
  let app: TestApp;
  let coordinator: ApiClient;
  let social: ApiClient;
  let sig: ApiClient;
  let police: ApiClient;
  let leisure: ApiClient;
  let ids: DemoIds;
  let elias: PersonResponse;
  let leo: PersonResponse;

  beforeAll(async () => {
    app = await startTestApp();
    [coordinator, social, sig, police, leisure] = await Promise.all([
      app.as('samordnare@demo.test'),
      app.as('socialsekreterare@demo.test'),
      app.as('sig@demo.test'),
      app.as('polis@demo.test'),
      app.as('fritid@demo.test'),
    ]);
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    elias = await personByNumber(coordinator, '20110314-2384');
    leo = await personByNumber(coordinator, '20080119-3533');
  });
  afterAll(() => app.close());

  describe('an action owned in another agency', () => {
    let caseId: string;
    let action: PlanActionResponse;

    beforeAll(async () => {
      caseId = (
        await coordinator.post<CaseResponse>('/api/v1/cases', {
          kind: 'sspf',
          personId: elias.id,
          areaId: ids.areaNorra,
        })
      ).body.id;
      await coordinator.post(`/api/v1/cases/${caseId}/entries`, {
        category: 'social_assessment',
        body: 'Socialtjänstens bedömning av familjens situation',
      });
      await coordinator.post(`/api/v1/cases/${caseId}/plan/goals`, {
        text: 'Elias deltar i fritidsverksamhet',
      });
      // Leisure takes no part in the case; a consent lets its general information reach them.
      await consentOfAll(coordinator, caseId, elias, {
        agencies: ['leisure'],
        categories: ['general'],
      });
      const created = await coordinator.post<PlanActionResponse>(
        `/api/v1/cases/${caseId}/plan/actions`,
        {
          what: 'Bjuda in till fotbollsträning på tisdagar',
          responsibleUnitId: ids.unit('Fritidsgården Norra'),
          responsibleUserId: await ids.userId('fritid@demo.test'),
          dueDate: '2099-01-10',
        },
      );
      expect(created.status).toBe(201);
      action = created.body;
      // A due date is given today or later; this one has since fallen due.
      await app.running.dataSource.query(
        "UPDATE plan_action SET due_date = '2026-01-10' WHERE id = $1",
        [action.id],
      );
    });

    it('is in the owner’s own list, overdue, without anything else of the case', async () => {
      const mine = await leisure.get<Page<MyActionResponse>>('/api/v1/me/actions');
      expect(mine.status).toBe(200);
      // Read on the consent that lets the case's general information reach the leisure centre,
      // and audited with it (found by a black-box probe: it had no basis).
      const [read] = await app.running.dataSource.query<{ legal_basis: string | null }[]>(
        "SELECT legal_basis FROM audit_event WHERE action = 'plan_action.read' AND record_id = $1",
        [action.id],
      );
      expect(read?.legal_basis).toMatch(/^OSL 12:2 samtycke [0-9a-f-]{36}$/);
      expect(mine.body.nextCursor).toBeNull();
      expect(mine.body.items).toEqual([
        expect.objectContaining({
          id: action.id,
          caseId,
          caseKind: 'sspf',
          what: 'Bjuda in till fotbollsträning på tisdagar',
          responsibleUnitName: 'Fritidsgården Norra',
          status: 'open',
          overdue: true,
        }),
      ]);
      expect(JSON.stringify(mine.body)).not.toMatch(/Elias|Andersson|2384|bedömning/);
      expect(
        (await leisure.get<Page<MyActionResponse>>('/api/v1/me/actions?overdue=true')).body.items,
      ).toHaveLength(1);
      // The case, its plan and its entries stay unknown to them.
      expectProblem(await leisure.get(`/api/v1/cases/${caseId}`), 404);
      expectProblem(await leisure.get(`/api/v1/cases/${caseId}/plan`), 404);
      expectProblem(await leisure.get(`/api/v1/cases/${caseId}/entries`), 404);
      const search = await leisure.post<Page<EntryResponse>>('/api/v1/entries/search', {
        text: 'bedömning',
      });
      expect(search.body.items).toEqual([]);
      // Others see nothing of it.
      expect((await police.get<Page<MyActionResponse>>('/api/v1/me/actions')).body.items).toEqual(
        [],
      );
      expectProblem(
        await police.patch(`/api/v1/plan-actions/${action.id}`, { status: 'done' }),
        404,
      );
    });

    it('lets the owner report progress, but not move the deadline; done actions leave the list', async () => {
      const progress = await leisure.patch<PlanActionResponse>(
        `/api/v1/plan-actions/${action.id}`,
        {
          status: 'in_progress',
        },
      );
      expect(progress.body).toMatchObject({ status: 'in_progress', overdue: true });
      expectProblem(
        await leisure.patch(`/api/v1/plan-actions/${action.id}`, { dueDate: '2027-01-01' }),
        403,
      );
      expectProblem(
        await leisure.patch(`/api/v1/plan-actions/${action.id}`, { status: 'finished' }),
        400,
      );
      const moved = await coordinator.patch<PlanActionResponse>(
        `/api/v1/plan-actions/${action.id}`,
        {
          dueDate: '2099-01-01',
        },
      );
      expect(moved.body).toMatchObject({ dueDate: '2099-01-01', overdue: false });
      expect(
        (await leisure.get<Page<MyActionResponse>>('/api/v1/me/actions?overdue=true')).body.items,
      ).toEqual([]);
      await leisure.patch(`/api/v1/plan-actions/${action.id}`, { status: 'done' });
      expect((await leisure.get<Page<MyActionResponse>>('/api/v1/me/actions')).body.items).toEqual(
        [],
      );
      const plan = await coordinator.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`);
      expect(plan.body).toMatchObject({ name: 'Åtagandeplan', status: 'draft' });
      expect(plan.body.actions.map((item) => item.status)).toEqual(['done']);
      // Every change is audited and published for the case's members.
      const changes = await outboxEvents(app, 'plan.changed', caseId);
      expect(changes.map((event) => event.change)).toEqual([
        'plan.goal_create',
        'plan.action_create',
        'plan.action_update',
        'plan.action_update',
        'plan.action_update',
      ]);
      const audited = await app.running.dataSource.query<unknown[]>(
        "SELECT 1 FROM audit_event WHERE action = 'plan.action_update' AND record_id = $1",
        [action.id],
      );
      expect(audited).toHaveLength(3);
    });
  });

  it('reaches a unit other than the one holding the case only while a consent in force names it', async () => {
    // Found by black-box probes: units taking part, and members of agencies no consent named,
    // read the plan (goals, actions, reviews) before any consent and after it was revoked.
    const school = await app.as('skola@demo.test');
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: elias.id,
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Skolan Norra'), ids.unit('Polisen Norra')],
      memberUserIds: await Promise.all(
        ['skola', 'polis'].map((name) => ids.userId(`${name}@demo.test`)),
      ),
    });
    expect(kase.status).toBe(201);
    const path = `/api/v1/cases/${kase.body.id}/plan`;
    expect((await coordinator.post(`${path}/goals`, { text: 'Regelbunden skolgång' })).status).toBe(
      201,
    );
    const refused = async (client: ApiClient) => expectProblem(await client.get(path), 403);
    // Before any consent: the unit holding the case only (the coordinator keeps the plan).
    for (const client of [school, police]) {
      expect((await refused(client)).detail).toMatch(/only while a consent in force/);
    }
    expect((await social.get(path)).status).toBe(200); // Socialtjänsten Norra holds the case
    const consentId = await consentOfAll(coordinator, kase.body.id, elias, {
      agencies: ['school'],
      categories: ['school_attendance'],
    });
    // A consent names the school (whatever its categories): the school reads it, the police not.
    const seen = await school.get<PlanResponse>(path);
    expect(seen.status).toBe(200);
    expect(seen.body.goals.map((goal) => goal.text)).toEqual(['Regelbunden skolgång']);
    await refused(police);
    // The school's reads rest on the consent, and are audited with it (found by a black-box
    // probe: they had no basis); the history's reasons reach it on the same basis.
    expect((await school.get(`/api/v1/cases/${kase.body.id}/history`)).status).toBe(200);
    const trail = await (
      await app.as('revisor@demo.test')
    ).get<Page<AuditEventResponse>>(
      `/api/v1/audit?personId=${elias.id}&actorUserId=${await ids.userId('skola@demo.test')}&limit=200`,
    );
    const bases = (action: string) =>
      trail.body.items.filter((event) => event.action === action).map((event) => event.legalBasis);
    expect(bases('plan.read')).toEqual([`OSL 12:2 samtycke ${consentId}`]);
    expect(bases('case.history_read')).toEqual([`OSL 12:2 samtycke ${consentId}`]);
    // Told live of changes only while they may read it.
    const sockets = await Promise.all(
      [school, police].map((client) => connectSocket(app.api.baseUrl, client.token)),
    );
    try {
      const [toSchool, toPolice] = sockets.map((socket) => record(socket, 'plan.changed'));
      expect(
        (await coordinator.post(`${path}/goals`, { text: 'Fritid på kvällarna' })).status,
      ).toBe(201);
      await eventually(() => toSchool!.length > 0, 5_000, 'the school');
      expect(toPolice).toEqual([]);
    } finally {
      for (const socket of sockets) socket.close();
    }
    // Revoked: gone for the school at once; the unit holding the case keeps it.
    const revoked = await coordinator.post(`/api/v1/consents/${consentId}/revoke`, {
      partyPersonId: elias.id,
    });
    expect(revoked.status).toBe(200);
    await refused(school);
    expect((await coordinator.get(path)).status).toBe(200);
    expect((await social.get(path)).status).toBe(200);
  });

  it('gives an action given to a unit, no one named, to each of its staff', async () => {
    // Found by a black-box probe: no one could find it (/me/actions) nor report on it (403).
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: leo.id,
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Fritidsgården Norra')],
    });
    expect(kase.status).toBe(201);
    const given = await coordinator.post<PlanActionResponse>(
      `/api/v1/cases/${kase.body.id}/plan/actions`,
      {
        what: 'Erbjuda plats i kvällsverksamheten',
        responsibleUnitId: ids.unit('Fritidsgården Norra'),
        dueDate: '2099-01-31',
      },
    );
    expect(given.status).toBe(201);
    expect(given.body.responsibleUserId).toBeNull();
    const mine = async (client: ApiClient) =>
      (await client.get<Page<MyActionResponse>>('/api/v1/me/actions?limit=200')).body.items.map(
        (action) => action.id,
      );
    expect(await mine(leisure)).toContain(given.body.id);
    expect(await mine(police)).not.toContain(given.body.id);
    // Its staff report progress; its due date stays the plan's keepers'.
    expectProblem(
      await leisure.patch(`/api/v1/plan-actions/${given.body.id}`, { dueDate: '2099-02-28' }),
      403,
    );
    expectProblem(
      await police.patch(`/api/v1/plan-actions/${given.body.id}`, { status: 'done' }),
      404,
    );
    const done = await leisure.patch<PlanActionResponse>(`/api/v1/plan-actions/${given.body.id}`, {
      status: 'done',
    });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('done');
    expect(await mine(leisure)).not.toContain(given.body.id);
  });

  describe('SIG', () => {
    let caseId: string;
    let eliasAge: number;

    beforeAll(async () => {
      const admin = await app.as('admin@demo.test');
      // A range that starts just above Elias's age today, whenever the test runs.
      const born = new Date(`${elias.birthDate!}T00:00:00Z`);
      const now = new Date();
      const birthday = Date.UTC(now.getUTCFullYear(), born.getUTCMonth(), born.getUTCDate());
      eliasAge = now.getUTCFullYear() - born.getUTCFullYear() - (now.getTime() < birthday ? 1 : 0);
      await admin.patch('/api/v1/municipality/settings', {
        sigMinAge: eliasAge + 1,
        sigMaxAge: 30,
      });
      const kase = await sig.post<CaseResponse>('/api/v1/cases', {
        kind: 'sig',
        personId: elias.id,
        areaId: ids.areaNorra,
        memberUserIds: [
          await ids.userId('socialsekreterare@demo.test'),
          await ids.userId('polis@demo.test'),
        ],
      });
      caseId = kase.body.id;
    });

    it('needs a justified exception by social services for a young person outside the age range', async () => {
      const before = await sig.get<SigEligibilityResponse>(
        `/api/v1/cases/${caseId}/sig-eligibility`,
      );
      expect(before.body).toMatchObject({
        age: eliasAge,
        minAge: eliasAge + 1,
        maxAge: 30,
        withinRange: false,
        eligible: false,
      });
      const refused = expectProblem(
        await sig.post(`/api/v1/cases/${caseId}/plan/goals`, { text: 'Ett mål' }),
        409,
      );
      expect(refused.type).toMatch(/sig-not-eligible$/);
      // Nor through the minutes of a SIG meeting: an agenda item's action is the plan's.
      const meeting = await callMeeting(sig, {
        kind: 'sig',
        title: 'SIG-möte',
        caseId,
        areaId: ids.areaNorra,
        startsAt: '2027-01-12T10:00:00+01:00',
        endsAt: '2027-01-12T11:00:00+01:00',
      });
      expect(meeting.status).toBe(201);
      const item = await sig.post<{ id: string }>(`/api/v1/meetings/${meeting.body.id}/agenda`, {
        title: 'Planering',
        caseId,
      });
      expect(item.status).toBe(201);
      const viaMinutes = expectProblem(
        await sig.post(`/api/v1/agenda-items/${item.body.id}/actions`, {
          what: 'Samtal med polisen',
          responsibleUnitId: ids.unit('Polisen Norra'),
          dueDate: '2027-01-20',
        }),
        409,
      );
      expect(viaMinutes.type).toMatch(/sig-not-eligible$/);
      expect((await sig.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`)).body.actions).toEqual(
        [],
      );
      // The workflow waits at the eligibility step: no further without an exception.
      expect((await sig.patch(`/api/v1/cases/${caseId}`, { status: 'eligibility' })).status).toBe(
        200,
      );
      const held = expectProblem(
        await sig.patch(`/api/v1/cases/${caseId}`, { status: 'consent_pending' }),
        409,
      );
      expect(held.type).toMatch(/sig-not-eligible$/);
      expect(held.detail).toContain(`outside the SIG age range ${eliasAge + 1}–30`);
      const justification = 'Allvarlig risk för rekrytering; yngre syskon redan aktuella i SIG';
      expectProblem(
        await police.post(`/api/v1/cases/${caseId}/sig-eligibility/exception`, { justification }),
        403,
      );
      expect(
        reasonsFor(
          expectProblem(
            await social.post(`/api/v1/cases/${caseId}/sig-eligibility/exception`, {
              justification: 'kort',
            }),
            400,
          ),
          'justification',
        ),
      ).toHaveLength(1);
      const recorded = await social.post<SigEligibilityResponse>(
        `/api/v1/cases/${caseId}/sig-eligibility/exception`,
        {
          justification,
        },
      );
      expect(recorded.status).toBe(201);
      expect(recorded.body).toMatchObject({
        withinRange: false,
        eligible: true,
        exceptionJustification: justification,
        exceptionDecidedBy: await ids.userId('socialsekreterare@demo.test'),
      });
      const moved = await sig.patch<CaseResponse>(`/api/v1/cases/${caseId}`, {
        status: 'consent_pending',
      });
      expect(moved.status).toBe(200);
      expect(moved.body.status).toBe('consent_pending');
      expect(
        (
          await sig.post(`/api/v1/cases/${caseId}/plan/goals`, {
            text: 'Eliasbryter med kriminella kamrater',
          })
        ).status,
      ).toBe(201);
    });

    it('refuses an exception where none is needed', async () => {
      const admin = await app.as('admin@demo.test');
      await admin.patch('/api/v1/municipality/settings', { sigMinAge: 12, sigMaxAge: 29 });
      const leoCase = await sig.post<CaseResponse>('/api/v1/cases', {
        kind: 'sig',
        personId: leo.id,
        areaId: ids.areaNorra,
      });
      const problem = expectProblem(
        await sig.post(`/api/v1/cases/${leoCase.body.id}/sig-eligibility/exception`, {
          justification: 'Inget undantag behövs men vi försöker ändå',
        }),
        409,
      );
      expect(problem.type).toMatch(/no-exception-needed$/);
      // Its actions are the plan's: not kept while the young person is outside the range.
      const action = await sig.post<PlanActionResponse>(
        `/api/v1/cases/${leoCase.body.id}/plan/actions`,
        {
          what: 'Samtal',
          responsibleUnitId: ids.unit('Socialtjänsten Norra'),
          dueDate: '2027-01-20',
        },
      );
      expect(action.status).toBe(201);
      await admin.patch('/api/v1/municipality/settings', { sigMinAge: 25, sigMaxAge: 29 });
      const outside = expectProblem(
        await sig.patch(`/api/v1/plan-actions/${action.body.id}`, { status: 'in_progress' }),
        409,
      );
      expect(outside.type).toMatch(/sig-not-eligible$/);
      await admin.patch('/api/v1/municipality/settings', { sigMinAge: 12, sigMaxAge: 29 });
      // A closed SIG case takes no assessment or exception: nothing new is recorded in it.
      const closed = await sig.patch(`/api/v1/cases/${leoCase.body.id}`, {
        status: 'closed',
        reason: 'Målen nådda',
      });
      expect(closed.status).toBe(200);
      const assessment = await sig.post(`/api/v1/cases/${leoCase.body.id}/risk-assessments`, {
        assessedOn: new Date().toISOString().slice(0, 10),
        scores: [
          'peer_criminality',
          'school_absence',
          'substance_use',
          'prior_offending',
          'family_support',
          'school_engagement',
          'prosocial_leisure',
        ].map((code) => ({ code, score: 1 })),
      });
      expect(expectProblem(assessment, 409).type).toMatch(/case-closed$/);
      const exception = await social.post(
        `/api/v1/cases/${leoCase.body.id}/sig-eligibility/exception`,
        { justification: 'Undantag efter att ärendet stängts' },
      );
      expect(expectProblem(exception, 409).type).toMatch(/case-closed$/);
      const progress = await sig.patch(`/api/v1/plan-actions/${action.body.id}`, {
        status: 'done',
      });
      expect(expectProblem(progress, 409).type).toMatch(/case-closed$/);
      expect(
        (await sig.get<Page<unknown>>(`/api/v1/cases/${leoCase.body.id}/risk-assessments`)).body
          .items,
      ).toEqual([]);
    });

    it('keeps a dated, scored assessment with history, and reviews the plan against the latest', async () => {
      expectProblem(
        await sig.post(`/api/v1/cases/${caseId}/plan/reviews`, {
          progressNote: 'Uppföljning',
          goals: [],
        }),
        409,
      );
      const partial = expectProblem(
        await sig.post(`/api/v1/cases/${caseId}/risk-assessments`, {
          assessedOn: '2026-11-01',
          scores: [
            { code: 'peer_criminality', score: 9 },
            { code: 'horoscope', score: 1 },
          ],
        }),
        400,
      );
      expect(reasonsFor(partial, 'scores.horoscope')).toEqual([
        'not an item of the municipality’s set',
      ]);
      expect(reasonsFor(partial, 'scores.peer_criminality')).toEqual(['at most 3']);
      expect(reasonsFor(partial, 'scores.family_support')).toEqual(['not scored']);
      const score = (risk: number, protective: number) => [
        ...['peer_criminality', 'school_absence', 'substance_use', 'prior_offending'].map(
          (code) => ({ code, score: risk }),
        ),
        ...['family_support', 'school_engagement', 'prosocial_leisure'].map((code) => ({
          code,
          score: protective,
        })),
      ];
      // Each item once, on a day that has been in the young person's life.
      const twice = expectProblem(
        await sig.post(`/api/v1/cases/${caseId}/risk-assessments`, {
          assessedOn: '2026-11-01',
          scores: [...score(1, 1), { code: 'peer_criminality', score: 3 }],
        }),
        400,
      );
      expect(reasonsFor(twice, 'scores.peer_criminality')).toEqual(['scored more than once']);
      for (const assessedOn of ['2099-01-01', '1990-01-01']) {
        const when = expectProblem(
          await sig.post(`/api/v1/cases/${caseId}/risk-assessments`, {
            assessedOn,
            scores: score(1, 1),
          }),
          400,
        );
        expect(reasonsFor(when, 'assessedOn')).toHaveLength(1);
      }
      const first = await sig.post<RiskAssessmentResponse>(
        `/api/v1/cases/${caseId}/risk-assessments`,
        {
          assessedOn: '2026-11-01',
          scores: score(3, 1),
        },
      );
      expect(first.body).toMatchObject({ riskScore: 12, protectiveScore: 3 });
      const second = await social.post<RiskAssessmentResponse>(
        `/api/v1/cases/${caseId}/risk-assessments`,
        {
          assessedOn: '2026-11-20',
          scores: score(2, 2),
        },
      );
      expect(second.status).toBe(201);
      expectProblem(
        await police.post(`/api/v1/cases/${caseId}/risk-assessments`, {
          assessedOn: '2026-11-21',
          scores: score(1, 1),
        }),
        403,
      );
      // Social services' records: the police member reads them only on a consent (sig-secrecy).
      const history = await social.get<Page<RiskAssessmentResponse>>(
        `/api/v1/cases/${caseId}/risk-assessments`,
      );
      expect(
        history.body.items.map((item) => [item.assessedOn, item.riskScore, item.protectiveScore]),
      ).toEqual([
        ['2026-11-20', 8, 6],
        ['2026-11-01', 12, 3],
      ]);
      // One at a time: the cursor leads to the older one, and no further.
      const newest = await social.get<Page<RiskAssessmentResponse>>(
        `/api/v1/cases/${caseId}/risk-assessments?limit=1`,
      );
      expect(newest.body.items.map((item) => item.assessedOn)).toEqual(['2026-11-20']);
      const older = await social.get<Page<RiskAssessmentResponse>>(
        `/api/v1/cases/${caseId}/risk-assessments?limit=1&cursor=${newest.body.nextCursor}`,
      );
      expect(older.body).toEqual({ items: [history.body.items[1]], nextCursor: null });
      const plan = await sig.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`);
      const goalId = plan.body.goals[0]!.id;
      const contradictory = expectProblem(
        await sig.post(`/api/v1/cases/${caseId}/plan/reviews`, {
          progressNote: 'Motstridigt',
          goals: [
            { goalId, attainment: 'met' },
            { goalId, attainment: 'not_met' },
          ],
        }),
        400,
      );
      expect(reasonsFor(contradictory, 'goals')[0]).toMatch(/listed twice/);
      const past = expectProblem(
        await sig.post(`/api/v1/cases/${caseId}/plan/reviews`, {
          progressNote: 'Bakåt',
          goals: [{ goalId, attainment: 'met' }],
          nextFollowUp: '2020-01-01',
        }),
        400,
      );
      expect(reasonsFor(past, 'nextFollowUp')).toHaveLength(1);
      const reviewed = await sig.post<PlanResponse>(`/api/v1/cases/${caseId}/plan/reviews`, {
        progressNote: 'Färre riskfaktorer sedan förra bedömningen',
        goals: [{ goalId: plan.body.goals[0]!.id, attainment: 'partly_met' }],
        nextFollowUp: '2027-01-15',
      });
      expect(reviewed.body.reviews).toEqual([
        expect.objectContaining({ assessmentId: second.body.id, nextFollowUp: '2027-01-15' }),
      ]);
      expect(reviewed.body.followUpDate).toBe('2027-01-15');
    });
  });

  it('marks a SIP agreed only once it states everything required, else a 400 lists what is missing', async () => {
    const kase = await sig.post<CaseResponse>('/api/v1/cases', {
      kind: 'sip',
      personId: leo.id,
      areaId: ids.areaNorra,
    });
    expect(kase.status).toBe(201);
    const caseId = kase.body.id;
    const moveCase = (status: string) => sig.patch(`/api/v1/cases/${caseId}`, { status });
    expect((await moveCase('consent_pending')).status).toBe(200);
    const consent = await sig.post<{ inForce: boolean }>(`/api/v1/cases/${caseId}/consents`, {
      parties: [{ personId: leo.id }],
      scope: { agencies: ['health'], categories: ['general'] },
      validFrom: new Date(Date.now() - 86400_000).toISOString(),
      validUntil: new Date(Date.now() + 86400_000).toISOString(),
      method: 'written',
    });
    expect(consent.body.inForce).toBe(true);
    for (const status of ['called', 'meeting']) expect((await moveCase(status)).status).toBe(200);
    // The case says "plan agreed" only once the plan is.
    const early = expectProblem(await moveCase('plan_agreed'), 409);
    expect(early.detail).toMatch(/only once its plan is agreed/);
    const missing = expectProblem(
      await sig.patch(`/api/v1/cases/${caseId}/plan`, { status: 'agreed' }),
      400,
    );
    expect(missing.detail).toMatch(/^A SIP cannot be agreed before it states: /);
    expect(missing.errors?.map((error) => error.field)).toEqual([
      'actions',
      'otherMeasures',
      'overallResponsibleUserId',
      'followUpDate',
    ]);
    expect((await sig.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`)).body.status).toBe('draft');
    await sig.post(`/api/v1/cases/${caseId}/plan/actions`, {
      what: 'Utredning vid BUP',
      responsibleUnitId: ids.unit('BUP Norra'),
      dueDate: '2027-02-01',
    });
    const stillMissing = expectProblem(
      await sig.patch(`/api/v1/cases/${caseId}/plan`, {
        status: 'agreed',
        otherMeasures: 'Skolan har anpassad studiegång',
        overallResponsibleUserId: await ids.userId('socialsekreterare@demo.test'),
        followUpDate: '2027-03-01',
      }),
      400,
    );
    expect(stillMissing.errors?.map((error) => error.field)).toEqual(['actions.provider']);
    // Overall responsibility is held by staff who take part in the case.
    for (const email of ['revisor@demo.test', 'admin@demo.test', 'fritid@demo.test']) {
      const outsider = expectProblem(
        await sig.patch(`/api/v1/cases/${caseId}/plan`, {
          overallResponsibleUserId: await ids.userId(email),
        }),
        400,
      );
      expect({ email, reasons: reasonsFor(outsider, 'overallResponsibleUserId') }).toEqual({
        email,
        reasons: [expect.stringMatching(/takes part in the case/)],
      });
    }
    expect(
      (await sig.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`)).body.overallResponsibleUserId,
    ).toBeNull();
    await sig.post(`/api/v1/cases/${caseId}/plan/actions`, {
      what: 'Kontaktperson',
      responsibleUnitId: ids.unit('Socialtjänsten Norra'),
      dueDate: '2027-02-01',
      provider: 'municipality',
    });
    const plan = await sig.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`);
    const bup = plan.body.actions.find((item) => item.what === 'Utredning vid BUP')!;
    expect(bup.provider).toBeNull();
    // Giving the BUP action its principal completes it.
    const region = await sig.patch<PlanActionResponse>(`/api/v1/plan-actions/${bup.id}`, {
      provider: 'region',
    });
    expect(region.body.provider).toBe('region');
    const agreed = await sig.patch<PlanResponse>(`/api/v1/cases/${caseId}/plan`, {
      status: 'agreed',
      otherMeasures: 'Skolan har anpassad studiegång',
      overallResponsibleUserId: await ids.userId('socialsekreterare@demo.test'),
      followUpDate: '2027-03-01',
    });
    expect(agreed.status).toBe(200);
    expect(agreed.body).toMatchObject({
      status: 'agreed',
      name: 'Samordnad individuell plan (SIP)',
      followUpDate: '2027-03-01',
    });
    expect(agreed.body.agreedAt).toEqual(expect.any(String));
    const moved = await moveCase('plan_agreed');
    expect(moved.status).toBe(200);
    // Once agreed it stays complete: nothing may take away what it must state.
    const emptied = expectProblem(
      await sig.patch(`/api/v1/cases/${caseId}/plan`, { otherMeasures: '   ' }),
      400,
    );
    expect(emptied.detail).toMatch(/An agreed SIP must go on stating/);
    const unprovided = expectProblem(
      await sig.post(`/api/v1/cases/${caseId}/plan/actions`, {
        what: 'Utan huvudman',
        responsibleUnitId: ids.unit('Socialtjänsten Norra'),
        dueDate: '2027-02-01',
      }),
      400,
    );
    expect(unprovided.errors?.map((error) => error.field)).toEqual(['actions.provider']);
    const after = await sig.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`);
    expect(after.body.actions.map((item) => item.what)).not.toContain('Utan huvudman');
  });

  it('agrees a SIP only while its overall responsibility is held by someone taking part in the case', async () => {
    const admin = await app.as('admin@demo.test');
    const teacherId = await addStaff(admin, {
      email: 'larare.sip@demo.test',
      displayName: 'Lärare SIP',
      roles: ['school_staff'],
      unitId: ids.unit('Skolan Norra'),
    });
    const kase = await sig.post<CaseResponse>('/api/v1/cases', {
      kind: 'sip',
      personId: leo.id,
      areaId: ids.areaNorra,
      memberUserIds: [teacherId],
    });
    expect(kase.status).toBe(201);
    const path = `/api/v1/cases/${kase.body.id}`;
    expect(
      (
        await sig.post(`${path}/plan/actions`, {
          what: 'Kontaktperson',
          responsibleUnitId: ids.unit('Socialtjänsten Norra'),
          dueDate: '2027-02-01',
          provider: 'municipality',
        })
      ).status,
    ).toBe(201);
    const held = await sig.patch<PlanResponse>(`${path}/plan`, {
      otherMeasures: 'Skolan har anpassad studiegång',
      overallResponsibleUserId: teacherId,
      followUpDate: '2027-03-01',
    });
    expect(held.status).toBe(200);
    // The holder cannot be removed from the case while they hold it (plan-rules.e2e-spec).
    expect(expectProblem(await sig.delete(`${path}/members/${teacherId}`), 409).type).toMatch(
      /holds-overall-responsibility$/,
    );
    // The holder's account is disabled: the plan names no one who still takes part.
    expect((await admin.post(`/api/v1/users/${teacherId}/disable`, {})).status).toBe(200);
    const stale = expectProblem(await sig.patch(`${path}/plan`, { status: 'agreed' }), 400);
    expect(stale.errors?.map((error) => error.field)).toEqual(['overallResponsibleUserId']);
    expect((await sig.get<PlanResponse>(`${path}/plan`)).body.status).toBe('draft');
    const agreed = await sig.patch<PlanResponse>(`${path}/plan`, {
      status: 'agreed',
      overallResponsibleUserId: await ids.userId('sig@demo.test'),
    });
    expect(agreed.status).toBe(200);
  });
});
