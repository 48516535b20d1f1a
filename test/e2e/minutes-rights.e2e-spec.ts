import type {
  AgendaItemResponse,
  CaseResponse,
  MinutesResponse,
  Page,
  PersonResponse,
  PlanChanged,
  PlanResponse,
  RiskAssessmentResponse,
  SigEligibilityResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem } from '../support/expect.js';
import { callMeeting } from '../support/meetings.js';
import { consentOfAll } from '../support/people.js';
import { connectSocket, eventually, record, type HubClient } from '../support/sockets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addStaff } from '../support/users.js';

/** Elias Andersson, 15: within the default SIG age range 12–20. */
const ELIAS = '20110314-2384';

/** Whole years from `birthDate` to today (UTC; the tests keep away from birthdays). */
function ageToday(birthDate: string): number {
  const born = new Date(`${birthDate}T00:00:00Z`);
  const now = new Date();
  const birthday = Date.UTC(now.getUTCFullYear(), born.getUTCMonth(), born.getUTCDate());
  return now.getUTCFullYear() - born.getUTCFullYear() - (now.getTime() < birthday ? 1 : 0);
}

const scores = (risk: number, protective: number) => [
  ...['peer_criminality', 'school_absence', 'substance_use', 'prior_offending'].map((code) => ({
    code,
    score: risk,
  })),
  ...['family_support', 'school_engagement', 'prosocial_leisure'].map((code) => ({
    code,
    score: protective,
  })),
];

describe('minutes and SIG records: who keeps the plan, who learns of an assessment', () => {
  let app: TestApp;
  let admin: ApiClient;
  let coordinator: ApiClient;
  let sig: ApiClient;
  let social: ApiClient;
  let police: ApiClient;
  let leisure: ApiClient;
  let ids: DemoIds;
  let elias: PersonResponse;

  beforeAll(async () => {
    app = await startTestApp({ OUTBOX_RELAY_INTERVAL_MS: '30' });
    [admin, coordinator, sig, social, police, leisure] = await Promise.all([
      app.as('admin@demo.test'),
      app.as('samordnare@demo.test'),
      app.as('sig@demo.test'),
      app.as('socialsekreterare@demo.test'),
      app.as('polis@demo.test'),
      app.as('fritid@demo.test'),
    ]);
    ids = await DemoIds.load(admin);
    elias = await personByNumber(sig, ELIAS);
  });
  afterAll(() => app.close());

  const planActions = async (caseId: string) => {
    const plan = await sig.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`);
    expect(plan.status).toBe(200);
    return plan.body.actions.map((action) => action.what);
  };

  /** An item about the case on a meeting `client` calls (and so runs). */
  const itemOnOwnMeeting = async (
    client: ApiClient,
    caseId: string,
    meeting: Record<string, unknown>,
  ) => {
    const called = await callMeeting(client, { areaId: ids.areaNorra, ...meeting });
    expect(called.status).toBe(201);
    const item = await client.post<AgendaItemResponse>(
      `/api/v1/meetings/${called.body.id}/agenda`,
      { title: 'Åtagandeplan', caseId },
    );
    expect(item.status).toBe(201);
    return item.body.id;
  };

  describe('actions from the minutes change the plan: only whoever keeps it adds them', () => {
    it('refuses an action from a social worker member who called the SIG meeting, but keeps their decisions and notes', async () => {
      const kase = await sig.post<CaseResponse>('/api/v1/cases', {
        kind: 'sig',
        personId: elias.id,
        areaId: ids.areaNorra,
        participatingUnitIds: [ids.unit('Polisen Norra')],
        memberUserIds: [await ids.userId('socialsekreterare@demo.test')],
      });
      expect(kase.status).toBe(201);
      const caseId = kase.body.id;
      const toPolice = {
        what: 'Polisen följer upp på helger',
        responsibleUnitId: ids.unit('Polisen Norra'),
        dueDate: '2027-03-01',
      };
      // The plan's own route refuses the member: they do not keep the plan.
      expectProblem(await social.post(`/api/v1/cases/${caseId}/plan/actions`, toPolice), 403);
      const itemId = await itemOnOwnMeeting(social, caseId, {
        kind: 'sig',
        title: 'SIG-möte',
        caseId,
        startsAt: '2027-02-02T10:00:00+01:00',
        endsAt: '2027-02-02T11:00:00+01:00',
      });
      // Nor through the minutes of the meeting they called.
      const refused = expectProblem(
        await social.post(`/api/v1/agenda-items/${itemId}/actions`, toPolice),
        403,
      );
      expect(refused.detail).toMatch(/keeps the plan/);
      expect(await planActions(caseId)).toEqual([]);
      // A decision and a note are the meeting's record, not the plan: whoever runs it keeps them.
      expect(
        (
          await social.post<MinutesResponse>(`/api/v1/agenda-items/${itemId}/decisions`, {
            text: 'Gruppen föreslår helguppföljning',
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await social.post<MinutesResponse>(`/api/v1/agenda-items/${itemId}/notes`, {
            category: 'general',
            body: 'Familjen är informerad om mötet',
          })
        ).status,
      ).toBe(201);
      expect(await planActions(caseId)).toEqual([]);
      // The area's coordinator keeps the plan: from the same item the action lands in it.
      const kept = await coordinator.post(`/api/v1/agenda-items/${itemId}/actions`, toPolice);
      expect(kept.status).toBe(201);
      expect(await planActions(caseId)).toEqual([toPolice.what]);
    });

    it('refuses an action from an organiser who is a coordinator no more, but keeps their decisions', async () => {
      const userId = await addStaff(admin, {
        email: 'samordnare.fritid@demo.test',
        displayName: 'Samordnare Fritid',
        roles: ['coordinator'],
        unitId: ids.unit('Fritidsgården Norra'),
      });
      const organiser = await app.as('samordnare.fritid@demo.test');
      const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
        kind: 'sspf',
        personId: elias.id,
        areaId: ids.areaNorra,
        participatingUnitIds: [ids.unit('Fritidsgården Norra')],
      });
      expect(kase.status).toBe(201);
      const caseId = kase.body.id;
      await consentOfAll(coordinator, caseId, elias, {
        agencies: ['leisure'],
        categories: ['general'],
      });
      const itemId = await itemOnOwnMeeting(organiser, caseId, {
        title: 'SSPF arbetsgrupp',
        startsAt: '2027-02-03T10:00:00+01:00',
        endsAt: '2027-02-03T11:00:00+01:00',
      });
      const action = (what: string) => ({
        what,
        responsibleUnitId: ids.unit('Fritidsgården Norra'),
        dueDate: '2027-03-01',
      });
      // As a coordinator of the area they keep the plan.
      expect(
        (await organiser.post(`/api/v1/agenda-items/${itemId}/actions`, action('Före'))).status,
      ).toBe(201);
      const demoted = await admin.patch(`/api/v1/users/${userId}/roles`, {
        roles: ['leisure_staff'],
      });
      expect(demoted.status).toBe(200);
      expectProblem(await organiser.post(`/api/v1/cases/${caseId}/plan/actions`, action('A')), 403);
      expectProblem(
        await organiser.post(`/api/v1/agenda-items/${itemId}/actions`, action('Efter')),
        403,
      );
      expect(await planActions(caseId)).toEqual(['Före']);
      // Still the organiser: the meeting's decisions are still theirs to record.
      expect(
        (
          await organiser.post(`/api/v1/agenda-items/${itemId}/decisions`, {
            text: 'Fritidsgården bjuder in till öppet hus',
          })
        ).status,
      ).toBe(201);
    });
  });

  describe('social services’ SIG records in a case the police and the leisure centre take part in', () => {
    const justification = 'Yngre än intervallet men redan rekryterad av äldre kamrater';
    let caseId: string;
    let policeConsent: string;
    let sockets: HubClient[] = [];

    beforeAll(async () => {
      const kase = await sig.post<CaseResponse>('/api/v1/cases', {
        kind: 'sig',
        personId: elias.id,
        areaId: ids.areaNorra,
        memberUserIds: await Promise.all(
          ['socialsekreterare', 'polis', 'fritid'].map((name) => ids.userId(`${name}@demo.test`)),
        ),
      });
      expect(kase.status).toBe(201);
      caseId = kase.body.id;
      // Elias is made younger than the range for a moment, so that an exception is recorded.
      const range = (sigMinAge: number, sigMaxAge: number) =>
        admin.patch('/api/v1/municipality/settings', { sigMinAge, sigMaxAge });
      try {
        expect((await range(ageToday(elias.birthDate!) + 1, 20)).status).toBe(200);
        const excepted = await sig.post(`/api/v1/cases/${caseId}/sig-eligibility/exception`, {
          justification,
        });
        expect(excepted.status).toBe(201);
      } finally {
        expect((await range(12, 20)).status).toBe(200);
      }
      // The police are covered for social services' assessments; the leisure centre is not (a
      // consent names it, so it reads the plan, but for other information only).
      policeConsent = await consentOfAll(sig, caseId, elias, {
        agencies: ['police'],
        categories: ['social_assessment'],
      });
      await consentOfAll(sig, caseId, elias, { agencies: ['leisure'], categories: ['general'] });
    });
    afterAll(() => {
      for (const socket of sockets) socket.close();
    });

    it('audits a justification shown to another agency with the consent it rests on', async () => {
      const justificationFor = async (client: ApiClient) => {
        const view = await client.get<SigEligibilityResponse>(
          `/api/v1/cases/${caseId}/sig-eligibility`,
        );
        expect(view.status).toBe(200);
        return view.body.exceptionJustification;
      };
      expect(await justificationFor(police)).toBe(justification);
      expect(await justificationFor(leisure)).toBeNull();
      expect(await justificationFor(social)).toBe(justification);
      const audited = await app.running.dataSource.query<{ email: string; legal_basis: string }[]>(
        `SELECT u.email, e.legal_basis FROM audit_event e JOIN app_user u ON u.id = e.actor_user_id
         WHERE e.action = 'sig.eligibility_read' AND e.record_id = $1 ORDER BY u.email`,
        [caseId],
      );
      expect(audited).toEqual([
        { email: 'fritid@demo.test', legal_basis: null },
        { email: 'polis@demo.test', legal_basis: `OSL 12:2 samtycke ${policeConsent}` },
        { email: 'socialsekreterare@demo.test', legal_basis: null },
      ]);
    });

    it('tells of a new assessment only the members who may read it', async () => {
      sockets = await Promise.all(
        [social, police, leisure].map((client) => connectSocket(app.api.baseUrl, client.token)),
      );
      const [toSocial, toPolice, toLeisure] = sockets.map((socket) =>
        record(socket, 'plan.changed'),
      ) as [PlanChanged[], PlanChanged[], PlanChanged[]];
      const assessed = await sig.post<RiskAssessmentResponse>(
        `/api/v1/cases/${caseId}/risk-assessments`,
        { assessedOn: '2026-11-02', scores: scores(3, 1) },
      );
      expect(assessed.status).toBe(201);
      // A later change of the plan goes to every member: once it is there, the assessment's
      // event (relayed in order before it) has been sent to whoever it was sent to.
      const goal = await sig.post(`/api/v1/cases/${caseId}/plan/goals`, {
        text: 'Bryta kontakten',
      });
      expect(goal.status).toBe(201);
      const changes = (events: PlanChanged[]) => events.map((event) => event.change);
      for (const [events, who] of [
        [toSocial, 'social services'],
        [toPolice, 'the police'],
        [toLeisure, 'the leisure centre'],
      ] as const) {
        await eventually(() => changes(events).includes('plan.goal_create'), 5_000, who);
      }
      expect(changes(toSocial)).toEqual(['sig.assessment', 'plan.goal_create']);
      expect(changes(toPolice)).toEqual(['sig.assessment', 'plan.goal_create']);
      expect(changes(toLeisure)).toEqual(['plan.goal_create']);
      expect([...toSocial, ...toPolice, ...toLeisure].every((e) => e.caseId === caseId)).toBe(true);
    });

    it('names a review’s assessment in the plan only to those who may read it', async () => {
      const plan = await sig.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`);
      const [assessment] = (
        await sig.get<Page<RiskAssessmentResponse>>(`/api/v1/cases/${caseId}/risk-assessments`)
      ).body.items;
      const reviewed = await sig.post<PlanResponse>(`/api/v1/cases/${caseId}/plan/reviews`, {
        progressNote: 'Färre riskfaktorer',
        goals: [{ goalId: plan.body.goals[0]!.id, attainment: 'partly_met' }],
      });
      expect(reviewed.status).toBe(201);
      const assessmentIdFor = async (client: ApiClient) => {
        const seen = await client.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`);
        expect(seen.status).toBe(200);
        expect(seen.body.reviews).toHaveLength(1);
        return seen.body.reviews[0]!.assessmentId;
      };
      expect(await assessmentIdFor(social)).toBe(assessment!.id);
      expect(await assessmentIdFor(police)).toBe(assessment!.id);
      expect(await assessmentIdFor(leisure)).toBeNull();
      // Revoked: the police no longer read it, nor the plan (no other consent names them).
      const revoked = await sig.post(`/api/v1/consents/${policeConsent}/revoke`, {
        partyPersonId: elias.id,
        reason: 'Återkallat vid möte',
      });
      expect(revoked.status).toBe(200);
      expectProblem(await police.get(`/api/v1/cases/${caseId}/plan`), 403);
      expect(await assessmentIdFor(leisure)).toBeNull();
      expect(await assessmentIdFor(sig)).toBe(assessment!.id);
    });
  });
});
