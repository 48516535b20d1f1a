import type {
  CaseResponse,
  ConsentResponse,
  DisclosureResponse,
  EntryResponse,
  MeetingResponse,
  Page,
  PersonResponse,
  PlanResponse,
  RiskFactorItem,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { callMeeting } from '../support/meetings.js';
import { consentParties, recordConsent } from '../support/people.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Findings of a black-box probe: a nested field that must be an object took an array (its
 * content dropped without a word, or a 500), and an array inside a list of objects was read as
 * if it were one of them. Each is a 400 that names the field, and nothing is stored.
 */
describe('nested input: an object where an object must be', () => {
  let app: TestApp;
  let coordinator: ApiClient;
  let admin: ApiClient;
  let ids: DemoIds;
  let policeId: string;
  let elias: PersonResponse;
  let caseId: string;
  let entryId: string;
  let goalId: string;
  let meeting: MeetingResponse;

  beforeAll(async () => {
    app = await startTestApp();
    [coordinator, admin] = await Promise.all([
      app.as('samordnare@demo.test'),
      app.as('admin@demo.test'),
    ]);
    ids = await DemoIds.load(admin);
    policeId = await ids.userId('polis@demo.test');
    elias = await personByNumber(coordinator, '20110314-2384');
    const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: elias.id,
      areaId: ids.areaNorra,
    });
    expect(kase.status).toBe(201);
    caseId = kase.body.id;
    const entry = await coordinator.post<EntryResponse>(`/api/v1/cases/${caseId}/entries`, {
      category: 'general',
      body: 'Elias har börjat på fritidsgården',
    });
    expect(entry.status).toBe(201);
    entryId = entry.body.id;
    const goal = await coordinator.post<PlanResponse>(`/api/v1/cases/${caseId}/plan/goals`, {
      text: 'Regelbunden skolgång',
    });
    expect(goal.status).toBe(201);
    goalId = goal.body.goals[0]!.id;
    const created = await meet('2026-11-02T10:00:00+01:00', '2026-11-02T11:00:00+01:00');
    expect(created.status).toBe(201);
    meeting = created.body;
  });
  afterAll(() => app.close());

  const meet = (startsAt: string, endsAt: string, extra: Record<string, unknown> = {}) =>
    callMeeting(coordinator, { areaId: ids.areaNorra, startsAt, endsAt, ...extra });

  const meetings = async () =>
    (await coordinator.get<Page<MeetingResponse>>('/api/v1/meetings?limit=200')).body.items;

  /** The reasons of a 400 for `field`, the problem naming no other field. */
  function refusedFor(response: Parameters<typeof expectProblem>[0], field: string): string[] {
    const problem = expectProblem(response, 400);
    expect((problem.errors ?? []).map((error) => error.field)).toEqual([field]);
    return reasonsFor(problem, field);
  }

  it('refuses invitees that are not an object, rather than invite no one', async () => {
    const before = await meetings();
    for (const [invitees, kind] of [
      [[{ userIds: [policeId] }], 'an array'],
      [[], 'an array'],
      ['polis@demo.test', 'a string'],
      [7, 'a number'],
    ] as const) {
      const response = await meet('2026-11-03T10:00:00+01:00', '2026-11-03T11:00:00+01:00', {
        invitees,
      });
      expect(refusedFor(response, 'invitees')).toEqual([`invitees must be an object, not ${kind}`]);
    }
    expect(await meetings()).toEqual(before);
    // As an object, the same invitees are invited.
    const invited = await meet('2026-11-04T10:00:00+01:00', '2026-11-04T11:00:00+01:00', {
      invitees: { userIds: [policeId] },
    });
    expect(invited.status).toBe(201);
    expect(invited.body.invitees.map((invitee) => invitee.name)).toEqual(['Per Polis']);
  });

  it('refuses overrideConflicts that are not an object, on a new meeting and a change', async () => {
    const before = await meetings();
    const overrides = [[{ reason: 'Polisen kommer senare' }], []];
    for (const overrideConflicts of overrides) {
      const created = await meet('2026-11-05T10:00:00+01:00', '2026-11-05T11:00:00+01:00', {
        overrideConflicts,
      });
      expect(refusedFor(created, 'overrideConflicts')).toEqual([
        'overrideConflicts must be an object, not an array',
      ]);
      const changed = await coordinator.patch(`/api/v1/meetings/${meeting.id}`, {
        title: 'Nytt namn',
        startsAt: '2026-11-06T10:00:00+01:00',
        endsAt: '2026-11-06T11:00:00+01:00',
        overrideConflicts,
      });
      expect(refusedFor(changed, 'overrideConflicts')).toEqual([
        'overrideConflicts must be an object, not an array',
      ]);
    }
    expect(await meetings()).toEqual(before);
    const unchanged = await coordinator.get<MeetingResponse>(`/api/v1/meetings/${meeting.id}`);
    expect(unchanged.body).toMatchObject({
      title: meeting.title,
      startsAt: meeting.startsAt,
      endsAt: meeting.endsAt,
    });
  });

  const consents = async () =>
    (await coordinator.get<Page<ConsentResponse>>(`/api/v1/cases/${caseId}/consents`)).body.items;

  const consent = (fields: Record<string, unknown>) =>
    recordConsent(coordinator, caseId, consentParties(elias), {
      scope: { agencies: ['school'], categories: ['general'] },
      ...fields,
    });

  it('refuses a consent whose scope is not an object, or whose parties are not objects', async () => {
    for (const [scope, kind] of [
      [[{ agencies: ['school'], categories: ['general'] }], 'an array'],
      [[], 'an array'],
      ['school', 'a string'],
      [null, 'null'],
    ] as const) {
      expect(refusedFor(await consent({ scope }), 'scope')).toEqual([
        `scope must be an object, not ${kind}`,
      ]);
    }
    expect(refusedFor(await consent({ parties: [[{ personId: elias.id }]] }), 'parties.0')).toEqual(
      ['parties.0 must be an object, not an array'],
    );
    const mixed = expectProblem(
      await consent({ parties: [{ personId: elias.id }, elias.id, null] }),
      400,
    );
    expect(mixed.errors).toEqual([
      { field: 'parties.1', reasons: ['parties.1 must be an object, not a string'] },
      { field: 'parties.2', reasons: ['parties.2 must be an object, not null'] },
    ]);
    expect(await consents()).toEqual([]);
  });

  it('refuses a disclosure whose receivers are not objects', async () => {
    const response = await coordinator.post(`/api/v1/entries/${entryId}/disclosures`, {
      receivers: [[{ agency: 'police' }]],
      basis: 'statutory',
      legalBasisCode: 'OSL 10:18 a',
      harmAssessment: 'Uppgiften kan förhindra brott och skadar inga insatser',
      reason: 'Risk för brott',
    });
    expect(refusedFor(response, 'receivers.0')).toEqual([
      'receivers.0 must be an object, not an array',
    ]);
    const disclosures = await coordinator.get<Page<DisclosureResponse>>(
      `/api/v1/entries/${entryId}/disclosures`,
    );
    expect(disclosures.body.items).toEqual([]);
  });

  it('refuses a plan review whose goals are not objects', async () => {
    const response = await coordinator.post(`/api/v1/cases/${caseId}/plan/reviews`, {
      progressNote: 'Bättre närvaro',
      goals: [[{ goalId, attainment: 'met' }]],
    });
    expect(refusedFor(response, 'goals.0')).toEqual(['goals.0 must be an object, not an array']);
    const plan = await coordinator.get<PlanResponse>(`/api/v1/cases/${caseId}/plan`);
    expect(plan.body.reviews).toEqual([]);
  });

  it('refuses risk factor items that are not objects, and keeps the set', async () => {
    const items = async () =>
      (await admin.get<Page<RiskFactorItem>>('/api/v1/risk-factor-items?limit=200')).body.items;
    const before = await items();
    expect(before.length).toBeGreaterThan(0);
    const item = { code: 'new_item', label: 'Ny faktor', kind: 'risk', maxScore: 3 };
    const response = await admin.request('PUT', '/api/v1/risk-factor-items', { items: [[item]] });
    expect(refusedFor(response, 'items.0')).toEqual(['items.0 must be an object, not an array']);
    expect(await items()).toEqual(before);
  });
});
