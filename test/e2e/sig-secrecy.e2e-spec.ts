import { personnummer } from '@samverka/api';
import type {
  CaseResponse,
  PersonResponse,
  ProblemDetails,
  SigEligibilityResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { bornYearsAgo } from '../support/people.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

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
});
