import { personnummer } from '@samverka/api';
import type {
  CaseResponse,
  Page,
  PersonResponse,
  ProblemDetails,
  RiskAssessmentResponse,
  SigEligibilityResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { bornYearsAgo, consentOfAll } from '../support/people.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addStaff } from '../support/users.js';

/** Alva Lind: protected registration, cleared for socialsekreterare@ only (not sig@). */
const ALVA = '20100621-4827';

/** The calendar day before `date` (YYYY-MM-DD). */
const dayBefore = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);

/** Whole years from `birthDate` to today (UTC; the tests keep away from birthdays). */
function ageToday(birthDate: string): number {
  const born = new Date(`${birthDate}T00:00:00Z`);
  const now = new Date();
  const birthday = Date.UTC(now.getUTCFullYear(), born.getUTCMonth(), born.getUTCDate());
  return now.getUTCFullYear() - born.getUTCFullYear() - (now.getTime() < birthday ? 1 : 0);
}

describe('SIG secrecy', () => {
  let app: TestApp;
  let admin: ApiClient;
  let social: ApiClient;
  let sig: ApiClient;
  let ids: DemoIds;
  let alva: PersonResponse;
  let alvaCase: string;

  const setRange = async (sigMinAge: number, sigMaxAge: number) =>
    expect(
      (await admin.patch('/api/v1/municipality/settings', { sigMinAge, sigMaxAge })).status,
    ).toBe(200);

  beforeAll(async () => {
    app = await startTestApp();
    [admin, social, sig] = await Promise.all([
      app.as('admin@demo.test'),
      app.as('socialsekreterare@demo.test'),
      app.as('sig@demo.test'),
    ]);
    ids = await DemoIds.load(admin);
    alva = await personByNumber(social, ALVA);
    const kase = await social.post<CaseResponse>('/api/v1/cases', {
      kind: 'sig',
      personId: alva.id,
      areaId: ids.areaNorra,
      responsibleUserId: await ids.userId('sig@demo.test'),
    });
    expect(kase.status).toBe(201);
    alvaCase = kase.body.id;
    // sig@ works the case but is not cleared for Alva: her birth date is hidden from them.
    const seen = await sig.get<PersonResponse>(`/api/v1/people/${alva.id}`);
    expect(seen.body).toMatchObject({ masked: true, birthDate: null });
  });
  afterAll(() => app.close());

  it('does not tell an assessor the birth date is hidden from whether assessedOn is before it', async () => {
    // Incomplete scores: a 400 whatever the date, so nothing is recorded while probing.
    const probe = (client: ApiClient, assessedOn: string) =>
      client.post(`/api/v1/cases/${alvaCase}/risk-assessments`, {
        assessedOn,
        scores: [{ code: 'peer_criminality', score: 1 }],
      });
    const before = expectProblem(await probe(sig, dayBefore(alva.birthDate!)), 400);
    const onTheDay = expectProblem(await probe(sig, alva.birthDate!), 400);
    expect(reasonsFor(before, 'assessedOn')).toEqual([]);
    expect(before.errors).toEqual(onTheDay.errors);
    expect(before.detail).toBe(onTheDay.detail);
    // Whoever may see the birth date is still told.
    const cleared = expectProblem(await probe(social, dayBefore(alva.birthDate!)), 400);
    expect(reasonsFor(cleared, 'assessedOn')).toEqual([
      'assessedOn is before the young person was born',
    ]);
    expect(
      reasonsFor(expectProblem(await probe(social, alva.birthDate!), 400), 'assessedOn'),
    ).toEqual([]);
  });

  it('refuses an exception for someone above the SIG age range, naming the range', async () => {
    const older = await sig.post<PersonResponse>('/api/v1/people', {
      identityNumber: personnummer(bornYearsAgo(42, -40), '317'),
      givenName: 'Vuxen',
      familyName: 'Vuxensson',
    });
    expect(older.status).toBe(201);
    const kase = await sig.post<CaseResponse>('/api/v1/cases', {
      kind: 'sig',
      personId: older.body.id,
      areaId: ids.areaNorra,
    });
    expect(kase.status).toBe(201);
    const refused = expectProblem(
      await sig.post(`/api/v1/cases/${kase.body.id}/sig-eligibility/exception`, {
        justification: 'Vi vill ändå ha SIG för den här personen',
      }),
      409,
    );
    expect(refused.type).toMatch(/above-sig-age$/);
    expect(refused.detail).toContain('12–20');
    // Nothing was recorded.
    const eligibility = await sig.get<SigEligibilityResponse>(
      `/api/v1/cases/${kase.body.id}/sig-eligibility`,
    );
    expect(eligibility.body).toMatchObject({
      age: 42,
      withinRange: false,
      eligible: false,
      exceptionJustification: null,
      exceptionDecidedBy: null,
    });
  });

  it('answers an exception by a user the age is hidden from the same whatever the age', async () => {
    const age = ageToday(alva.birthDate!);
    const attempt = (client: ApiClient) =>
      client.post(`/api/v1/cases/${alvaCase}/sig-eligibility/exception`, {
        justification: 'Särskilda skäl för SIG trots åldern, enligt utredningen',
      });
    const answers: ProblemDetails[] = [];
    try {
      for (const [min, max, cleared] of [
        [12, 20, 'no-exception-needed'], // within the range
        [age + 1, 30, null], // below it
        [12, age - 1, 'above-sig-age'], // above it
      ] as const) {
        await setRange(min, max);
        const problem = expectProblem(await attempt(sig), 403);
        answers.push(problem);
        // Whoever sees the age gets the answer the age gives (below: none here, not recorded).
        if (cleared) expect(expectProblem(await attempt(social), 409).type).toMatch(cleared);
      }
    } finally {
      await setRange(12, 20);
    }
    expect(new Set(answers.map((problem) => `${problem.type} ${problem.detail}`)).size).toBe(1);
    expect(answers[0]!.detail).not.toMatch(/range|\d/);
    const after = await sig.get<SigEligibilityResponse>(
      `/api/v1/cases/${alvaCase}/sig-eligibility`,
    );
    expect(after.body).toMatchObject({ exceptionJustification: null, exceptionDecidedBy: null });
  });
  it('leaves the age and whether it is within the range out for a viewer the birth date is hidden from', async () => {
    const age = ageToday(alva.birthDate!);
    const view = async (client: ApiClient) =>
      (await client.get<SigEligibilityResponse>(`/api/v1/cases/${alvaCase}/sig-eligibility`)).body;
    try {
      for (const [min, max, within] of [
        [12, 20, true],
        [age + 1, 30, false],
        [12, age - 1, false],
      ] as const) {
        await setRange(min, max);
        expect(await view(social)).toMatchObject({ age, withinRange: within, eligible: within });
        // Eligibility decides the workflow (a move further is refused without it): still told.
        expect(await view(sig)).toMatchObject({ age: null, withinRange: null, eligible: within });
      }
    } finally {
      await setRange(12, 20);
    }
  });

  describe('social services’ SIG records in a case shared with other agencies', () => {
    const justification = 'Yngre än åldersintervallet men redan rekryterad av äldre kamrater';
    let elias: PersonResponse;
    let caseId: string;
    let police: ApiClient;
    let leisure: ApiClient;
    let health: ApiClient;
    let schoolCoordinator: ApiClient;
    let policeId: string;
    let sigId: string;

    const assessmentsOf = async (client: ApiClient) => {
      const page = await client.get<Page<RiskAssessmentResponse>>(
        `/api/v1/cases/${caseId}/risk-assessments`,
      );
      expect(page.status).toBe(200);
      return page.body.items;
    };
    const exceptionFor = async (client: ApiClient) => {
      const view = await client.get<SigEligibilityResponse>(
        `/api/v1/cases/${caseId}/sig-eligibility`,
      );
      expect(view.status).toBe(200);
      // The eligibility facts are everyone's who may know the case; the justification is not.
      expect(view.body).toMatchObject({ eligible: true, exceptionDecidedBy: sigId });
      return view.body.exceptionJustification;
    };

    beforeAll(async () => {
      [police, leisure, health] = await Promise.all([
        app.as('polis@demo.test'),
        app.as('fritid@demo.test'),
        app.as('bup@demo.test'),
      ]);
      // A coordinator of a school unit: the case is of their area, their unit takes no part in it.
      await addStaff(admin, {
        email: 'samordnare.skola@demo.test',
        displayName: 'Samordnare Skola',
        roles: ['coordinator'],
        unitId: ids.unit('Skolan Norra'),
      });
      schoolCoordinator = await app.as('samordnare.skola@demo.test');
      elias = await personByNumber(sig, '20110314-2384');
      policeId = await ids.userId('polis@demo.test');
      sigId = await ids.userId('sig@demo.test');
      const kase = await sig.post<CaseResponse>('/api/v1/cases', {
        kind: 'sig',
        personId: elias.id,
        areaId: ids.areaNorra,
        memberUserIds: [
          policeId,
          await ids.userId('fritid@demo.test'),
          await ids.userId('bup@demo.test'),
        ],
      });
      expect(kase.status).toBe(201);
      caseId = kase.body.id;
      // Elias is made younger than the range for a moment, so that an exception is recorded.
      try {
        await setRange(ageToday(elias.birthDate!) + 1, 20);
        const excepted = await sig.post(`/api/v1/cases/${caseId}/sig-eligibility/exception`, {
          justification,
        });
        expect(excepted.status).toBe(201);
      } finally {
        await setRange(12, 20);
      }
      const assessed = await sig.post<RiskAssessmentResponse>(
        `/api/v1/cases/${caseId}/risk-assessments`,
        {
          assessedOn: '2026-11-02',
          note: 'Stark koppling till äldre kriminella kamrater',
          scores: [
            ...['peer_criminality', 'school_absence', 'substance_use', 'prior_offending'].map(
              (code) => ({ code, score: 3 }),
            ),
            ...['family_support', 'school_engagement', 'prosocial_leisure'].map((code) => ({
              code,
              score: 1,
            })),
          ],
        },
      );
      expect(assessed.status).toBe(201);
    });

    it('shows them to social services, and to other agencies only on a consent covering them for social_assessment', async () => {
      expect((await assessmentsOf(social)).map((item) => item.note)).toEqual([
        'Stark koppling till äldre kriminella kamrater',
      ]);
      expect(await exceptionFor(social)).toBe(justification);
      // Members and a coordinator of the area from other agencies, with no consent: nothing.
      for (const client of [police, leisure, health, schoolCoordinator]) {
        expect(await assessmentsOf(client)).toEqual([]);
        expect(await exceptionFor(client)).toBeNull();
      }
      // A consent for another category, or for another agency, covers no one here.
      await consentOfAll(sig, caseId, elias, { agencies: ['health'], categories: ['general'] });
      await consentOfAll(sig, caseId, elias, {
        agencies: ['school'],
        categories: ['social_assessment'],
      });
      expect(await assessmentsOf(health)).toEqual([]);
      expect(await assessmentsOf(schoolCoordinator)).toHaveLength(1);
      // Covering the police agency, and the leisure unit by name.
      const policeConsent = await consentOfAll(sig, caseId, elias, {
        agencies: ['police'],
        categories: ['social_assessment'],
      });
      const unitScope = {
        agencies: [],
        unitIds: [ids.unit('Fritidsgården Norra')],
        categories: ['social_assessment'],
      };
      await consentOfAll(sig, caseId, elias, unitScope);
      expect((await assessmentsOf(police)).map((item) => item.riskScore)).toEqual([12]);
      expect(await exceptionFor(police)).toBe(justification);
      expect(await assessmentsOf(leisure)).toHaveLength(1);
      expect(await exceptionFor(leisure)).toBe(justification);
      expect(await assessmentsOf(health)).toEqual([]);
      expect(await exceptionFor(health)).toBeNull();
      // The police's read is audited with the consent it rests on; social services' with none.
      const audited = await app.running.dataSource.query<{ actor: string; legal_basis: string }[]>(
        `SELECT actor_user_id AS actor, legal_basis FROM audit_event
         WHERE action = 'risk_assessment.read' AND actor_user_id = $1`,
        [policeId],
      );
      expect(audited.map((event) => event.legal_basis)).toEqual([
        `OSL 12:2 samtycke ${policeConsent}`,
      ]);
      // Revoked: gone for the police at once.
      const revoked = await sig.post(`/api/v1/consents/${policeConsent}/revoke`, {
        partyPersonId: elias.id,
        reason: 'Återkallat vid möte',
      });
      expect(revoked.status).toBe(200);
      expect(await assessmentsOf(police)).toEqual([]);
      expect(await exceptionFor(police)).toBeNull();
      expect(await assessmentsOf(social)).toHaveLength(1);
    });

    it('lets only those who may read its risk assessment review a SIG plan, whether one exists or not', async () => {
      const fresh = await sig.post<CaseResponse>('/api/v1/cases', {
        kind: 'sig',
        personId: elias.id,
        areaId: ids.areaNorra,
      });
      expect(fresh.status).toBe(201);
      const plan = `/api/v1/cases/${fresh.body.id}/plan`;
      // The area's school coordinator keeps the plan, but no consent covers the school here.
      const goal = await schoolCoordinator.post<{ goals: { id: string }[] }>(`${plan}/goals`, {
        text: 'Regelbunden skolgång',
      });
      expect(goal.status).toBe(201);
      const review = (client: ApiClient) =>
        client.post(`${plan}/reviews`, {
          progressNote: 'Uppföljning',
          goals: [{ goalId: goal.body.goals[0]!.id, attainment: 'partly_met' }],
        });
      const without = expectProblem(await review(schoolCoordinator), 403);
      expect((await review(sig)).status).toBe(409); // assessment-missing, for one who may know
      const assessed = await sig.post(`/api/v1/cases/${fresh.body.id}/risk-assessments`, {
        assessedOn: '2026-11-03',
        scores: [
          ...['peer_criminality', 'school_absence', 'substance_use', 'prior_offending'].map(
            (code) => ({ code, score: 2 }),
          ),
          ...['family_support', 'school_engagement', 'prosocial_leisure'].map((code) => ({
            code,
            score: 1,
          })),
        ],
      });
      expect(assessed.status).toBe(201);
      // The same refusal once it exists: the answer tells the school nothing of it.
      expect(expectProblem(await review(schoolCoordinator), 403).detail).toBe(without.detail);
      expect((await review(sig)).status).toBe(201);
    });
  });
});
