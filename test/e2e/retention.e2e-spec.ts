import { RetentionService, type RetentionOutcome } from '@samverka/api';
import type {
  AuditVerifyResponse,
  CaseResponse,
  ConcernReportResponse,
  LegalHoldResponse,
  Page,
  PersonResponse,
  RetentionDryRunResponse,
  RetentionRuleResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { randomUUID } from 'node:crypto';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { callMeeting } from '../support/meetings.js';
import { consentParties, recordConsent } from '../support/people.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const DAY = 86_400_000;
/** Retention is previewed and run as of three days from now, with one-day periods. */
const LATER = new Date(Date.now() + 3 * DAY);

/** What belongs to a case, row counts per table. */
const CASE_CONTENT = {
  collab_case: 'id = $1',
  case_entry: 'case_id = $1',
  case_message: "case_id = $1 AND body <> ''",
  consent: 'case_id = $1',
  case_plan: 'case_id = $1',
  agenda_item: 'case_id = $1',
  meeting: 'case_id = $1',
  concern_report: 'case_id = $1',
} as const;

describe('retention (gallring)', () => {
  let app: TestApp;
  let admin: ApiClient;
  let auditor: ApiClient;
  let social: ApiClient;
  let holder: ApiClient;
  let school: ApiClient;
  let police: ApiClient;
  let ids: DemoIds;
  let elias: PersonResponse;
  let retention: RetentionService;
  let municipalityId: string;

  const contentOf = async (caseId: string) => {
    const counts: Record<string, number> = {};
    for (const [table, where] of Object.entries(CASE_CONTENT)) {
      const [row] = await app.running.dataSource.query<[{ count: number }]>(
        `SELECT count(*)::int AS count FROM ${table} WHERE ${where}`,
        [caseId],
      );
      counts[table] = row.count;
    }
    return counts;
  };

  /** Row counts of everything retention may touch (and of the audit trail). */
  const snapshot = async () => {
    const [row] = await app.running.dataSource.query<[Record<string, number>]>(
      `SELECT (SELECT count(*)::int FROM collab_case) AS cases,
              (SELECT count(*)::int FROM case_message WHERE anonymised_at IS NULL) AS messages,
              (SELECT count(*)::int FROM notice) AS notices,
              (SELECT count(*)::int FROM concern_report) AS concerns,
              (SELECT count(*)::int FROM case_entry) AS entries`,
    );
    return row;
  };

  /**
   * A closed SSPF case about Elias with an entry, a consent, a message, a plan goal, an agenda
   * item in a working-group meeting, and the concern report (not opened) it is linked to.
   */
  let casesMade = 0;
  const closedCaseWithContent = async () => {
    casesMade += 1;
    const kase = await holder.post<CaseResponse>('/api/v1/cases', {
      kind: 'sspf',
      personId: elias.id,
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Skolan Norra')],
    });
    expect(kase.status).toBe(201);
    const caseId = kase.body.id;
    const consent = await recordConsent(holder, caseId, consentParties(elias), {
      scope: { agencies: ['school'], categories: ['general'] },
    });
    expect(consent.status).toBe(201);
    expect(
      (
        await holder.post(`/api/v1/cases/${caseId}/entries`, {
          category: 'general',
          body: 'retention-token anteckning',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await holder.post(`/api/v1/cases/${caseId}/messages`, {
          clientId: randomUUID(),
          body: 'retention-token meddelande',
          category: 'general',
        })
      ).status,
    ).toBeLessThan(300);
    expect(
      (await holder.post(`/api/v1/cases/${caseId}/plan/goals`, { text: 'Elias går i skolan' }))
        .status,
    ).toBe(201);
    const meeting = await callMeeting(holder, {
      areaId: ids.areaNorra,
      // A day of its own per case: the invitee is not double-booked.
      startsAt: `2026-09-${String(10 + casesMade).padStart(2, '0')}T13:00:00+02:00`,
      endsAt: `2026-09-${String(10 + casesMade).padStart(2, '0')}T15:00:00+02:00`,
      invitees: { userIds: [await ids.userId('skola@demo.test')] },
    });
    expect(meeting.status).toBe(201);
    const item = await holder.post(`/api/v1/meetings/${meeting.body.id}/agenda`, {
      title: 'Elias: skolnärvaro',
      caseId,
    });
    expect(item.status).toBe(201);
    const report = await school.post<ConcernReportResponse>('/api/v1/concerns', {
      personId: elias.id,
      areaId: ids.areaNorra,
      observation: 'retention-token oro',
      observedAt: new Date().toISOString(),
      immediateDanger: false,
      guardiansInformed: 'unknown',
      reporterContact: '08-123 45',
    });
    expect(report.status).toBe(201);
    const concernId = report.body.id;
    for (const change of [
      { status: 'preliminary_assessment' },
      { status: 'not_opened', reason: 'Stödet i skolan räcker' },
    ]) {
      expect((await social.patch(`/api/v1/concerns/${concernId}`, change)).status).toBe(200);
    }
    const linked = await social.request('PUT', `/api/v1/concerns/${concernId}/case`, { caseId });
    expect(linked.status).toBe(200);
    const closed = await holder.patch(`/api/v1/cases/${caseId}`, {
      status: 'closed',
      reason: 'Målen uppnådda',
    });
    expect(closed.status).toBe(200);
    return { caseId, concernId };
  };

  const dryRun = async (client: ApiClient = admin) => {
    const response = await client.get<RetentionDryRunResponse>(
      `/api/v1/retention/dry-run?at=${encodeURIComponent(LATER.toISOString())}`,
    );
    expect(response.status).toBe(200);
    return Object.fromEntries(
      response.body.outcomes.map((outcome) => [outcome.recordType, [...outcome.ids].sort()]),
    );
  };

  const idsOf = (outcomes: RetentionOutcome[]) =>
    Object.fromEntries(outcomes.map((outcome) => [outcome.recordType, [...outcome.ids].sort()]));

  beforeAll(async () => {
    app = await startTestApp();
    [admin, auditor, social, holder, school, police] = await Promise.all([
      app.as('admin@demo.test'),
      app.as('revisor@demo.test'),
      app.as('socialsekreterare@demo.test'),
      app.as('sig@demo.test'),
      app.as('skola@demo.test'),
      app.as('polis@demo.test'),
    ]);
    ids = await DemoIds.load(admin);
    elias = await personByNumber(social, '20110314-2384');
    retention = app.running.app.get(RetentionService);
    [{ id: municipalityId }] = await app.running.dataSource.query<[{ id: string }]>(
      "SELECT id FROM municipality WHERE name = 'Demo kommun'",
    );
  });
  afterAll(() => app.close());

  it('has placeholder rules for the demo municipality that the administrator sets, auditors read', async () => {
    const rules = await admin.get<Page<RetentionRuleResponse>>('/api/v1/retention/rules');
    expect(rules.body.nextCursor).toBeNull();
    expect(rules.body.items.map((rule) => [rule.recordType, rule.period, rule.action])).toEqual([
      ['closed_case', 'P5Y', 'delete'],
      ['case_message', 'P2Y', 'anonymise'],
      ['notice', 'P1Y', 'delete'],
      ['concern_not_opened', 'P5Y', 'delete'],
      ['concern_investigated', 'P5Y', 'delete'],
    ]);
    expect((await auditor.get('/api/v1/retention/rules')).status).toBe(200);
    expectProblem(await social.get('/api/v1/retention/rules'), 403);
    expectProblem(
      await auditor.request('PUT', '/api/v1/retention/rules/notice', {
        period: 'P1D',
        action: 'delete',
      }),
      403,
    );
    const wrongAction = expectProblem(
      await admin.request('PUT', '/api/v1/retention/rules/closed_case', {
        period: 'P1D',
        action: 'anonymise',
      }),
      400,
    );
    expect(reasonsFor(wrongAction, 'action')[0]).toMatch(/closed_case allows delete/);
    // Periods the database could not subtract from today are no periods either.
    for (const period of ['5 years', 'P0D', 'PT5H', 'P', 'P9999Y', 'P99999D', 'P100Y']) {
      expectProblem(
        await admin.request('PUT', '/api/v1/retention/rules/notice', { period, action: 'delete' }),
        400,
      );
    }
    expectProblem(
      await admin.request('PUT', '/api/v1/retention/rules/person', {
        period: 'P1D',
        action: 'delete',
      }),
      400,
    );
    // One day for every kind, so that what the tests make is due three days from now.
    for (const rule of rules.body.items) {
      const set = await admin.request<RetentionRuleResponse>(
        'PUT',
        `/api/v1/retention/rules/${rule.recordType}`,
        { period: 'P1D', action: rule.action },
      );
      expect(set.body).toMatchObject({ period: 'P1D', action: rule.action });
    }
    const [event] = await app.running.dataSource.query<{ details: string }[]>(
      `SELECT details FROM audit_event WHERE action = 'retention.rule.set' AND record_id = 'notice'`,
    );
    expect(JSON.parse(event!.details)).toMatchObject({ period: 'P1D', previousPeriod: 'P1Y' });
  });

  it('places and lifts a legal hold: administrators only, with a reason, audited', async () => {
    const { caseId } = await closedCaseWithContent();
    const path = `/api/v1/cases/${caseId}/legal-hold`;
    expectProblem(await social.post(path, { reason: 'Begäran om allmän handling' }), 403);
    expect(reasonsFor(expectProblem(await admin.post(path, {}), 400), 'reason')).not.toEqual([]);
    const blank = expectProblem(await admin.post(path, { reason: '          ' }), 400);
    expect(reasonsFor(blank, 'reason')[0]).toMatch(/besides spaces/);
    // No identity number in a reason every administrator reads (found by a black-box probe).
    const numbered = expectProblem(
      await admin.post(path, { reason: 'Begäran gäller 20110314-2384' }),
      400,
    );
    expect(reasonsFor(numbered, 'reason')).toEqual(['reason must not contain an identity number']);
    expectProblem(
      await admin.post(`/api/v1/cases/${randomUUID()}/legal-hold`, { reason: 'Tvist' }),
      404,
    );
    const placed = await admin.post<LegalHoldResponse>(path, { reason: 'Överklagande i domstol' });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ caseId, reason: 'Överklagande i domstol' });
    expectProblem(await admin.post(path, { reason: 'Igen' }), 409);
    expect((await dryRun()).closed_case).not.toContain(caseId);
    expect((await admin.delete(path)).status).toBe(204);
    expectProblem(await admin.delete(path), 404);
    expect((await dryRun()).closed_case).toContain(caseId);
    const events = await app.running.dataSource.query<{ action: string; person_id: string }[]>(
      `SELECT action, person_id FROM audit_event WHERE record_id = $1 AND action LIKE 'case.legal_hold.%'
       ORDER BY seq`,
      [caseId],
    );
    expect(events.map((event) => event.action).sort()).toEqual([
      'case.legal_hold.lifted',
      'case.legal_hold.placed',
    ]);
    expect(events.every((event) => event.person_id === elias.id)).toBe(true);
  });

  it('previews without changing anything, then removes exactly that; a held case keeps all it has; the chain verifies', async () => {
    const gone = await closedCaseWithContent();
    const kept = await closedCaseWithContent();
    expect(
      (
        await admin.post(`/api/v1/cases/${kept.caseId}/legal-hold`, {
          reason: 'Begäran om allmän handling',
        })
      ).status,
    ).toBe(201);
    const notice = await police.post<{ id: string }>('/api/v1/notices', {
      kind: 'area',
      title: 'Oro vid köpcentrum',
      body: 'Ungdomsgrupper samlas vid entrén.',
      areaIds: [ids.areaNorra],
      agencies: ['school'],
    });
    expect(notice.status).toBe(201);
    const keptContent = await contentOf(kept.caseId);
    expect(keptContent).toEqual({
      collab_case: 1,
      case_entry: 1,
      case_message: 1,
      consent: 1,
      case_plan: 1,
      agenda_item: 1,
      meeting: 0,
      concern_report: 1,
    });

    const before = await snapshot();
    const preview = await dryRun();
    expect((await dryRun(auditor)).closed_case).toEqual(preview.closed_case);
    expectProblem(await social.get('/api/v1/retention/dry-run'), 403);
    expect(await snapshot()).toEqual(before);
    expect(preview.closed_case).toContain(gone.caseId);
    expect(preview.closed_case).not.toContain(kept.caseId);
    expect(preview.concern_not_opened).toContain(gone.concernId);
    expect(preview.concern_not_opened).not.toContain(kept.concernId);
    expect(preview.notice).toContain(notice.body.id);

    const outcomes = await retention.run(LATER, { municipalityId });
    expect(idsOf(outcomes)).toEqual(preview);
    expect(outcomes.every((outcome) => !outcome.skipped)).toBe(true);

    expect(await contentOf(gone.caseId)).toEqual(
      Object.fromEntries(Object.keys(CASE_CONTENT).map((table) => [table, 0])),
    );
    const [concern] = await app.running.dataSource.query<unknown[]>(
      'SELECT id FROM concern_report WHERE id = $1',
      [gone.concernId],
    );
    expect(concern).toBeUndefined();
    expect(await contentOf(kept.caseId)).toEqual(keptContent);
    const held = await social.get<CaseResponse>(`/api/v1/cases/${kept.caseId}`);
    expect(held.status).toBe(200);

    // Nothing is left to remove; the audit trail keeps the ids of what went, and still verifies.
    const after = await dryRun();
    expect(Object.values(after).flat()).toEqual([]);
    const [{ count: caseEvents }] = await app.running.dataSource.query<[{ count: number }]>(
      'SELECT count(*)::int AS count FROM audit_event WHERE record_id = $1',
      [gone.caseId],
    );
    expect(caseEvents).toBeGreaterThan(3);
    const runEvents = await app.running.dataSource.query<{ action: string; details: string }[]>(
      `SELECT action, details FROM audit_event WHERE action LIKE 'retention.%ed' ORDER BY seq`,
    );
    const removed = runEvents.flatMap(
      (event) => (JSON.parse(event.details) as { ids: string[] }).ids,
    );
    expect(removed).toEqual(expect.arrayContaining([gone.caseId, gone.concernId, notice.body.id]));
    expect(removed).not.toContain(kept.caseId);
    const verify = await auditor.get<AuditVerifyResponse>('/api/v1/audit/verify');
    expect(verify.body).toMatchObject({ ok: true, firstBrokenLink: null });
  });

  it('anonymises messages (text gone, place kept) outside held cases', async () => {
    const { caseId } = await closedCaseWithContent();
    // Keep the case itself: only messages are due.
    await admin.delete('/api/v1/retention/rules/closed_case');
    const outcomes = await retention.run(LATER, { municipalityId });
    expect(outcomes.map((outcome) => outcome.recordType)).not.toContain('closed_case');
    const messages = await app.running.dataSource.query<
      { body: string; anonymised_at: Date | null; seq: number }[]
    >('SELECT body, anonymised_at, seq FROM case_message WHERE case_id = $1', [caseId]);
    expect(messages).toEqual([{ body: '', anonymised_at: expect.any(Date), seq: 1 }]);
    const messageOutcome = outcomes.find((outcome) => outcome.recordType === 'case_message')!;
    expect(messageOutcome.count).toBe(1);
    expect((await retention.run(LATER, { municipalityId })).every((o) => o.count === 0)).toBe(true);
  });

  it('two runners at once remove each record once, in batches, without errors', async () => {
    const [author] = await app.running.dataSource.query<[{ id: string; unit_id: string }]>(
      "SELECT id, unit_id FROM app_user WHERE email = 'polis@demo.test'",
    );
    await app.running.dataSource.query(
      `INSERT INTO notice (municipality_id, kind, title, body, area_ids, agencies, author_user_id,
                           author_unit_id, created_at)
       SELECT $1, 'area', 'Lägesbild', 'Gammal lägesbild', ARRAY[$2::uuid], ARRAY['school'],
              $3, $4, now() - interval '10 days'
       FROM generate_series(1, 1200)`,
      [municipalityId, ids.areaNorra, author.id, author.unit_id],
    );
    const preview = await dryRun();
    expect(preview.notice).toHaveLength(1200);
    const runs = await Promise.all([
      retention.run(LATER, { municipalityId, batchSize: 100 }),
      retention.run(LATER, { municipalityId, batchSize: 100 }),
    ]);
    const notices = runs.map((outcomes) => outcomes.find((o) => o.recordType === 'notice')!);
    expect(notices[0]!.count + notices[1]!.count).toBe(1200);
    const all = notices.flatMap((outcome) => outcome.ids);
    expect(new Set(all).size).toBe(1200);
    expect([...all].sort()).toEqual(preview.notice);
    const [{ count }] = await app.running.dataSource.query<[{ count: number }]>(
      'SELECT count(*)::int AS count FROM notice WHERE municipality_id = $1',
      [municipalityId],
    );
    expect(count).toBe(0);
    const batches = await app.running.dataSource.query<{ count: number }[]>(
      `SELECT (details::jsonb->>'count')::int AS count FROM audit_event
       WHERE action = 'retention.deleted' AND record_type = 'Notice'
         AND details::jsonb->>'count' = '100'`,
    );
    expect(batches.length).toBeGreaterThanOrEqual(12);
    const verify = await auditor.get<AuditVerifyResponse>('/api/v1/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
  });

  // On the embedded database transactions take turns on one connection: no runner can overlap.
  (process.env.DATABASE_URL ? it : it.skip)(
    'a runner that finds a kind locked by another leaves it to that runner (PostgreSQL)',
    async () => {
      const [author] = await app.running.dataSource.query<[{ id: string; unit_id: string }]>(
        "SELECT id, unit_id FROM app_user WHERE email = 'polis@demo.test'",
      );
      await app.running.dataSource.query(
        `INSERT INTO notice (municipality_id, kind, title, body, area_ids, agencies, author_user_id,
                             author_unit_id, created_at)
         VALUES ($1, 'area', 'Lägesbild', 'Gammal', ARRAY[$2::uuid], ARRAY['school'], $3, $4,
                 now() - interval '10 days')`,
        [municipalityId, ids.areaNorra, author.id, author.unit_id],
      );
      const other = app.running.dataSource.createQueryRunner();
      await other.connect();
      try {
        await other.startTransaction();
        const taken = await other.manager.query<{ locked: boolean }[]>(
          'SELECT pg_try_advisory_xact_lock(727310020, hashtext($1)) AS locked',
          [`${municipalityId}:notice`],
        );
        expect(taken).toEqual([{ locked: true }]);
        const whileLocked = await retention.run(LATER, { municipalityId });
        expect(whileLocked.find((o) => o.recordType === 'notice')).toMatchObject({
          skipped: true,
          count: 0,
        });
        await other.commitTransaction();
      } finally {
        await other.release();
      }
      const afterwards = await retention.run(LATER, { municipalityId });
      expect(afterwards.find((o) => o.recordType === 'notice')).toMatchObject({
        skipped: false,
        count: 1,
      });
    },
  );

  it('leaves another municipality’s records alone (it has no rules)', async () => {
    const [grannby] = await app.running.dataSource.query<
      [{ id: string; user_id: string; unit_id: string; area_id: string }]
    >(
      `SELECT m.id, u.id AS user_id, u.unit_id, un.area_id FROM municipality m
       JOIN app_user u ON u.municipality_id = m.id JOIN unit un ON un.id = u.unit_id
       WHERE m.name <> 'Demo kommun' LIMIT 1`,
    );
    await app.running.dataSource.query(
      `INSERT INTO notice (municipality_id, kind, title, body, area_ids, agencies, author_user_id,
                           author_unit_id, created_at)
       VALUES ($1, 'area', 'Lägesbild', 'Gammal', ARRAY[$2::uuid], ARRAY['school'], $3, $4,
               now() - interval '10 years')`,
      [grannby.id, grannby.area_id, grannby.user_id, grannby.unit_id],
    );
    const outcomes = await retention.run(LATER);
    expect(outcomes.every((outcome) => outcome.municipalityId === municipalityId)).toBe(true);
    const [{ count }] = await app.running.dataSource.query<[{ count: number }]>(
      'SELECT count(*)::int AS count FROM notice WHERE municipality_id = $1',
      [grannby.id],
    );
    expect(count).toBe(1);
  });
});
