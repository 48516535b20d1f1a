import type {
  CaseResponse,
  MyActionResponse,
  Page,
  PersonResponse,
  PlanActionResponse,
  PlanResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { consentOfAll } from '../support/people.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Today's date in Stockholm (plus `offsetDays`), as the server judges a date in the past. */
const stockholmToday = (offsetDays = 0) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

/** The rules a plan keeps: who holds and owns it, what it says, and on what basis it is kept. */
describe('plan rules', () => {
  let app: TestApp;
  let coordinator: ApiClient;
  let sig: ApiClient;
  let social: ApiClient;
  let leisure: ApiClient;
  let ids: DemoIds;
  let elias: PersonResponse;
  let leo: PersonResponse;

  beforeAll(async () => {
    app = await startTestApp();
    [coordinator, sig, social, leisure] = await Promise.all([
      app.as('samordnare@demo.test'),
      app.as('sig@demo.test'),
      app.as('socialsekreterare@demo.test'),
      app.as('fritid@demo.test'),
    ]);
    ids = await DemoIds.load(await app.as('admin@demo.test'));
    elias = await personByNumber(coordinator, '20110314-2384');
    leo = await personByNumber(coordinator, '20080119-3533');
  });
  afterAll(() => app.close());

  /** A new case, as `client`; fails the test unless it is created. */
  async function newCase(client: ApiClient, body: Record<string, unknown>): Promise<string> {
    const created = await client.post<CaseResponse>('/api/v1/cases', {
      areaId: ids.areaNorra,
      ...body,
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  it('refuses to remove the holder of overall responsibility, or their unit, until it is given to someone else', async () => {
    const schoolId = await ids.userId('skola@demo.test');
    const caseId = await newCase(sig, { kind: 'sip', personId: leo.id, memberUserIds: [schoolId] });
    const path = `/api/v1/cases/${caseId}`;
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
    const agreed = await sig.patch<PlanResponse>(`${path}/plan`, {
      otherMeasures: 'Skolan har anpassad studiegång',
      overallResponsibleUserId: schoolId,
      followUpDate: '2027-03-01',
      status: 'agreed',
    });
    expect(agreed.body).toMatchObject({ status: 'agreed', overallResponsibleUserId: schoolId });
    const member = expectProblem(await sig.delete(`${path}/members/${schoolId}`), 409);
    expect(member.type).toMatch(/holds-overall-responsibility$/);
    expect(member.detail).toMatch(/give it to someone else first/);
    // Nothing changed: still a member, and the agreed plan goes on taking changes.
    const kase = await sig.get<CaseResponse>(path);
    expect(kase.body.members.map((m) => m.userId)).toContain(schoolId);
    expect((await sig.patch(`${path}/plan`, { followUpDate: '2027-04-01' })).status).toBe(200);
    // Once the school takes part, the holder may leave as a member: they still take part.
    expect((await sig.post(`${path}/units`, { unitId: ids.unit('Skolan Norra') })).status).toBe(
      201,
    );
    expect((await sig.delete(`${path}/members/${schoolId}`)).status).toBe(200);
    // But their unit may not leave with them.
    const unit = expectProblem(await sig.delete(`${path}/units/${ids.unit('Skolan Norra')}`), 409);
    expect(unit.type).toMatch(/holds-overall-responsibility$/);
    expect(unit.detail).toMatch(/give it to someone else first/);
    expect(
      (await sig.get<CaseResponse>(path)).body.participatingUnits.map((u) => u.name),
    ).toContain('Skolan Norra');
    // Given to someone else, the unit leaves, and the plan still takes changes.
    const moved = await sig.patch(`${path}/plan`, {
      overallResponsibleUserId: await ids.userId('sig@demo.test'),
    });
    expect(moved.status).toBe(200);
    expect((await sig.delete(`${path}/units/${ids.unit('Skolan Norra')}`)).status).toBe(200);
    expect((await sig.patch(`${path}/plan`, { followUpDate: '2027-05-01' })).status).toBe(200);
  });

  it('gives an action only to active staff of the responsible unit, never an auditor or administrator', async () => {
    const caseId = await newCase(coordinator, { kind: 'sspf', personId: elias.id });
    const path = `/api/v1/cases/${caseId}/plan/actions`;
    for (const email of ['revisor@demo.test', 'admin@demo.test']) {
      const refused = expectProblem(
        await coordinator.post(path, {
          what: 'Följa upp närvaron',
          responsibleUnitId: ids.unit('Socialtjänsten Norra'),
          responsibleUserId: await ids.userId(email),
          dueDate: '2027-02-01',
        }),
        400,
      );
      expect({ email, reasons: reasonsFor(refused, 'responsibleUserId') }).toEqual({
        email,
        reasons: [expect.stringMatching(/active staff user of the responsible unit/)],
      });
    }
    expect(
      (await coordinator.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`)).body.actions,
    ).toEqual([]);
    const given = await coordinator.post<PlanActionResponse>(path, {
      what: 'Följa upp närvaron',
      responsibleUnitId: ids.unit('Socialtjänsten Norra'),
      responsibleUserId: await ids.userId('socialsekreterare@demo.test'),
      dueDate: '2027-02-01',
    });
    expect(given.status).toBe(201);
  });

  it('takes the actions of a closed case out of the open and overdue lists', async () => {
    const caseId = await newCase(coordinator, {
      kind: 'sspf',
      personId: elias.id,
      participatingUnitIds: [ids.unit('Fritidsgården Norra')],
    });
    const created = await coordinator.post<PlanActionResponse>(
      `/api/v1/cases/${caseId}/plan/actions`,
      {
        what: 'Bjuda in till innebandy',
        responsibleUnitId: ids.unit('Fritidsgården Norra'),
        responsibleUserId: await ids.userId('fritid@demo.test'),
        dueDate: '2099-01-10',
      },
    );
    expect(created.status).toBe(201);
    const actionId = created.body.id;
    // It has since fallen due.
    await app.running.dataSource.query(
      "UPDATE plan_action SET due_date = '2026-01-10' WHERE id = $1",
      [actionId],
    );
    const mine = async (query = '') =>
      (
        await leisure.get<Page<MyActionResponse>>(`/api/v1/me/actions?limit=100${query}`)
      ).body.items.filter((item) => item.id === actionId);
    expect(await mine()).toEqual([expect.objectContaining({ status: 'open', overdue: true })]);
    expect(await mine('&overdue=true')).toHaveLength(1);
    const closed = await coordinator.patch(`/api/v1/cases/${caseId}`, {
      status: 'closed',
      reason: 'Familjen har flyttat',
    });
    expect(closed.status).toBe(200);
    expect(await mine()).toEqual([]);
    expect(await mine('&overdue=true')).toEqual([]);
    // The plan keeps it as it was left, no longer overdue.
    const plan = await coordinator.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`);
    expect(plan.body.actions).toEqual([
      expect.objectContaining({ id: actionId, status: 'open', overdue: false }),
    ]);
  });

  it('says which category a consent must cover to give an action to a unit outside the case', async () => {
    const caseId = await newCase(coordinator, { kind: 'sspf', personId: elias.id });
    await consentOfAll(coordinator, caseId, elias, {
      agencies: ['leisure'],
      categories: ['leisure_participation'],
    });
    const action = {
      what: 'Bjuda in till fotboll',
      responsibleUnitId: ids.unit('Fritidsgården Norra'),
      dueDate: '2027-02-01',
    };
    const path = `/api/v1/cases/${caseId}/plan/actions`;
    const refused = expectProblem(await coordinator.post(path, action), 409);
    expect(refused.type).toMatch(/consent-not-covering$/);
    expect(refused.detail).toMatch(/covers it for general information \(category 'general'\)/);
    await consentOfAll(coordinator, caseId, elias, {
      agencies: ['leisure'],
      categories: ['general'],
    });
    expect((await coordinator.post(path, action)).status).toBe(201);
  });

  it('wants the responsible unit’s principal as an action’s provider', async () => {
    const caseId = await newCase(sig, {
      kind: 'sip',
      personId: leo.id,
      participatingUnitIds: [ids.unit('Skolan Norra'), ids.unit('BUP Norra')],
    });
    const path = `/api/v1/cases/${caseId}/plan/actions`;
    const action = (unit: string, provider: string) =>
      sig.post<PlanActionResponse>(path, {
        what: `Insats av ${unit}`,
        responsibleUnitId: ids.unit(unit),
        dueDate: '2027-02-01',
        provider,
      });
    for (const [unit, provider] of [
      ['Skolan Norra', 'region'],
      ['Socialtjänsten Norra', 'region'],
      ['BUP Norra', 'municipality'],
    ] as const) {
      const refused = expectProblem(await action(unit, provider), 400);
      expect({ unit, reasons: reasonsFor(refused, 'provider') }).toEqual({
        unit,
        reasons: [expect.stringMatching(/principal/)],
      });
    }
    const bup = await action('BUP Norra', 'region');
    expect(bup.status).toBe(201);
    expect((await action('Skolan Norra', 'municipality')).status).toBe(201);
    const changed = expectProblem(
      await sig.patch(`/api/v1/plan-actions/${bup.body.id}`, { provider: 'municipality' }),
      400,
    );
    expect(reasonsFor(changed, 'provider')).toHaveLength(1);
    const plan = await sig.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`);
    expect(plan.body.actions.map((item) => [item.what, item.provider]).sort()).toEqual([
      ['Insats av BUP Norra', 'region'],
      ['Insats av Skolan Norra', 'municipality'],
    ]);
  });

  it('takes no new or changed due or follow-up date in the past (Stockholm)', async () => {
    const caseId = await newCase(sig, { kind: 'sip', personId: leo.id });
    const path = `/api/v1/cases/${caseId}/plan`;
    const yesterday = stockholmToday(-1);
    const action = (dueDate: string) =>
      sig.post<PlanActionResponse>(`${path}/actions`, {
        what: 'Kontaktperson',
        responsibleUnitId: ids.unit('Socialtjänsten Norra'),
        dueDate,
        provider: 'municipality',
      });
    expect(reasonsFor(expectProblem(await action(yesterday), 400), 'dueDate')).toHaveLength(1);
    const today = await action(stockholmToday());
    expect(today.status).toBe(201);
    expect(
      reasonsFor(
        expectProblem(
          await sig.patch(`/api/v1/plan-actions/${today.body.id}`, { dueDate: yesterday }),
          400,
        ),
        'dueDate',
      ),
    ).toHaveLength(1);
    expect(
      reasonsFor(
        expectProblem(await sig.patch(path, { followUpDate: yesterday }), 400),
        'followUpDate',
      ),
    ).toHaveLength(1);
    expect(
      reasonsFor(
        expectProblem(
          await sig.post(`${path}/reviews`, {
            progressNote: 'Uppföljning',
            goals: [],
            nextFollowUp: yesterday,
          }),
          400,
        ),
        'nextFollowUp',
      ),
    ).toHaveLength(1);
    const plan = await sig.get<PlanResponse>(path);
    expect(plan.body.followUpDate).toBeNull();
    expect(plan.body.actions.map((item) => item.dueDate)).toEqual([stockholmToday()]);
    // A date that has passed since it was set stands when sent again unchanged.
    await app.running.dataSource.query(
      "UPDATE case_plan SET follow_up_date = '2026-01-10' WHERE case_id = $1",
      [caseId],
    );
    const unchanged = await sig.patch<PlanResponse>(path, {
      followUpDate: '2026-01-10',
      otherMeasures: 'Skolan har anpassad studiegång',
    });
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.otherMeasures).toBe('Skolan har anpassad studiegång');
  });

  describe('a SIG or SIP case past consent_pending', () => {
    it('takes no change to its plan, an owner’s progress report included, while no consent is in force', async () => {
      const socialId = await ids.userId('socialsekreterare@demo.test');
      const caseId = await newCase(sig, {
        kind: 'sip',
        personId: leo.id,
        memberUserIds: [socialId],
      });
      const path = `/api/v1/cases/${caseId}`;
      expect((await sig.patch(path, { status: 'consent_pending' })).status).toBe(200);
      const consentId = await consentOfAll(sig, caseId, leo, {
        agencies: ['health'],
        categories: ['general'],
      });
      expect((await sig.patch(path, { status: 'called' })).status).toBe(200);
      const goal = await sig.post<PlanResponse>(`${path}/plan/goals`, { text: 'Leo går i skolan' });
      expect(goal.status).toBe(201);
      const action = await sig.post<PlanActionResponse>(`${path}/plan/actions`, {
        what: 'Samtal varje vecka',
        responsibleUnitId: ids.unit('Socialtjänsten Norra'),
        responsibleUserId: socialId,
        dueDate: '2027-02-01',
        provider: 'municipality',
      });
      expect(action.status).toBe(201);
      const revoked = await sig.post(`/api/v1/consents/${consentId}/revoke`, {
        partyPersonId: leo.id,
      });
      expect(revoked.status).toBe(200);
      const attempts = {
        goal: () => sig.post(`${path}/plan/goals`, { text: 'Ett nytt mål' }),
        action: () =>
          sig.post(`${path}/plan/actions`, {
            what: 'Ny insats',
            responsibleUnitId: ids.unit('Socialtjänsten Norra'),
            dueDate: '2027-02-01',
            provider: 'municipality',
          }),
        review: () =>
          sig.post(`${path}/plan/reviews`, {
            progressNote: 'Uppföljning',
            goals: [{ goalId: goal.body.goals[0]!.id, attainment: 'partly_met' }],
          }),
        plan: () => sig.patch(`${path}/plan`, { followUpDate: '2027-03-01' }),
        keeper: () =>
          sig.patch(`/api/v1/plan-actions/${action.body.id}`, { dueDate: '2027-03-01' }),
        owner: () => social.patch(`/api/v1/plan-actions/${action.body.id}`, { status: 'done' }),
      };
      for (const [what, attempt] of Object.entries(attempts)) {
        const refused = expectProblem(await attempt(), 409);
        expect({ what, type: refused.type }).toEqual({
          what,
          type: expect.stringMatching(/no-consent-in-force$/),
        });
        expect(refused.detail).toMatch(/record a new consent, or close the case/);
      }
      const plan = await sig.get<PlanResponse>(`${path}/plan`);
      expect(plan.body).toMatchObject({ followUpDate: null, reviews: [] });
      expect(plan.body.goals).toHaveLength(1);
      expect(plan.body.actions).toEqual([
        expect.objectContaining({ status: 'open', dueDate: '2027-02-01' }),
      ]);
      // A new consent in force: the plan is kept again.
      await consentOfAll(sig, caseId, leo, { agencies: ['health'], categories: ['general'] });
      expect((await attempts.owner()).status).toBe(200);
      expect((await attempts.goal()).status).toBe(201);
    });

    it('holds for a SIG case too, from the joint decision on (not while consent is pending)', async () => {
      const caseId = await newCase(sig, {
        kind: 'sig',
        personId: elias.id,
        participatingUnitIds: [ids.unit('Polisen Norra')],
      });
      const path = `/api/v1/cases/${caseId}`;
      for (const status of ['eligibility', 'consent_pending']) {
        expect((await sig.patch(path, { status })).status).toBe(200);
      }
      // Consent is still being collected: the plan is prepared meanwhile.
      expect((await sig.post(`${path}/plan/goals`, { text: 'Skolgång' })).status).toBe(201);
      const consentId = await consentOfAll(sig, caseId, elias, {
        agencies: ['police'],
        categories: ['general'],
      });
      expect((await sig.patch(path, { status: 'joint_decision' })).status).toBe(200);
      expect((await sig.post(`${path}/plan/goals`, { text: 'Fritid' })).status).toBe(201);
      const revoked = await sig.post(`/api/v1/consents/${consentId}/revoke`, {
        partyPersonId: elias.guardians[0]!.personId,
      });
      expect(revoked.status).toBe(200);
      const refused = expectProblem(
        await sig.post(`${path}/plan/goals`, { text: 'Ingen grund' }),
        409,
      );
      expect(refused.type).toMatch(/no-consent-in-force$/);
      expect(refused.detail).toMatch(/^A SIG plan is kept only while a consent/);
      expect((await sig.get<PlanResponse>(`${path}/plan`)).body.goals).toHaveLength(2);
    });
  });
});
