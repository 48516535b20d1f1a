import type {
  AuditEventResponse,
  CaseResponse,
  ConcernFeedbackResponse,
  ConcernReportResponse,
  NotificationResponse,
  Page,
} from '@samverka/contracts';
import { personnummer } from '@samverka/api';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { bornYearsAgo } from '../support/people.js';
import { addStaff } from '../support/users.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Today's date in Stockholm, as the server computes deadlines. */
const stockholmToday = (offsetDays = 0) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

describe('concern reports', () => {
  let app: TestApp;
  let school: ApiClient;
  let otherSchool: ApiClient;
  let socialWorker: ApiClient;
  let caseHolder: ApiClient;
  let coordinator: ApiClient;
  let police: ApiClient;
  let auditor: ApiClient;
  let grannbySchool: ApiClient;
  let ids: DemoIds;
  let eliasId: string;
  let alvaId: string;

  const report = (overrides: Record<string, unknown> = {}) => ({
    personId: eliasId,
    areaId: ids.areaNorra,
    observation: 'Elias kom till skolan med blåmärken på armarna och sa att han inte vill gå hem.',
    observedAt: new Date(Date.now() - 3_600_000).toISOString(),
    immediateDanger: false,
    guardiansInformed: 'no',
    reporterContact: 'karin.kurator@skolan.test, 08-123 45',
    ...overrides,
  });

  const file = async (client: ApiClient = school, overrides: Record<string, unknown> = {}) => {
    const response = await client.post<ConcernReportResponse>(
      '/api/v1/concerns',
      report(overrides),
    );
    expect(response.status).toBe(201);
    return response.body;
  };

  const move = (id: string, body: Record<string, unknown>, client = socialWorker) =>
    client.patch<ConcernReportResponse>(`/api/v1/concerns/${id}`, body);

  const count = async (table: string) => {
    const [row] = await app.running.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${table}`,
    );
    return row!.n;
  };

  beforeAll(async () => {
    app = await startTestApp();
    const admin = await app.as('admin@demo.test');
    ids = await DemoIds.load(admin);
    await addStaff(admin, {
      email: 'larare@demo.test',
      displayName: 'Lars Lärare',
      roles: ['school_staff'],
      unitId: ids.unit('Skolan Norra'),
    });
    [school, otherSchool, socialWorker, caseHolder, coordinator, police, auditor, grannbySchool] =
      await Promise.all([
        app.as('skola@demo.test'),
        app.as('larare@demo.test'),
        app.as('socialsekreterare@demo.test'),
        app.as('sig@demo.test'),
        app.as('samordnare@demo.test'),
        app.as('polis@demo.test'),
        app.as('revisor@demo.test'),
        app.as('skola@grannby.test'),
      ]);
    eliasId = (await personByNumber(school, '20110314-2384')).id;
    alvaId = (await personByNumber(socialWorker, '20100621-4827')).id;
  });
  afterAll(() => app.close());

  it('files a report to the area’s social-services unit and gives the reporter a receipt at once', async () => {
    const before = Date.now();
    const filed = await file();
    expect(filed).toMatchObject({
      person: { id: eliasId, name: 'Elias Andersson', masked: false },
      areaId: ids.areaNorra,
      receivingUnit: { id: ids.unit('Socialtjänsten Norra'), name: 'Socialtjänsten Norra' },
      reporter: { displayName: 'Karin Kurator', agency: 'school' },
      immediateDanger: false,
      guardiansInformed: 'no',
      handling: null,
    });
    expect(Date.parse(filed.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
    const receipts = await school.get<Page<NotificationResponse>>('/api/v1/me/notifications');
    expect(receipts.body.items[0]).toMatchObject({
      kind: 'concern.receipt',
      recordType: 'ConcernReport',
      recordId: filed.id,
      details: { receivedAt: filed.receivedAt, receivingUnitId: filed.receivingUnit.id },
      readAt: null,
    });
    // The receiving unit's social workers are told; the coordinator is not.
    for (const [client, told] of [
      [socialWorker, true],
      [caseHolder, true],
      [coordinator, false],
    ] as const) {
      const page = await client.get<Page<NotificationResponse>>('/api/v1/me/notifications');
      const notice = page.body.items.find(
        (n) => n.recordId === filed.id && n.kind === 'concern.filed',
      );
      expect(notice !== undefined).toBe(told);
      // A flag is a boolean, as in the report (found by a black-box probe: it was "false").
      if (notice) expect(notice.details.immediateDanger).toBe(false);
    }
    // Notifications carry no personal data.
    expect(JSON.stringify(receipts.body)).not.toMatch(/Elias|2011/);
  });

  it('shows the handling with the running deadline to social services, never to the reporter', async () => {
    const filed = await file();
    const handled = await socialWorker.get<ConcernReportResponse>(`/api/v1/concerns/${filed.id}`);
    expect(handled.status).toBe(200);
    expect(handled.body.handling).toMatchObject({
      status: 'received',
      allowedTransitions: ['preliminary_assessment'],
      handlerUserId: null,
      deadline: {
        step: 'protection_assessment',
        dueDate: stockholmToday(),
        state: 'due',
        daysLeft: 0,
      },
    });
    const own = await school.get<ConcernReportResponse>(`/api/v1/concerns/${filed.id}`);
    expect(own.body.handling).toBeNull();
    expect(JSON.stringify(own.body)).not.toMatch(/protection_assessment|deadline/);
    const feedback = await school.get<ConcernFeedbackResponse>(
      `/api/v1/concerns/${filed.id}/feedback`,
    );
    expect(feedback.body).toEqual({
      reportId: filed.id,
      receivedAt: filed.receivedAt,
      outcome: 'pending',
    });
  });

  it('is a 404 for everyone else: colleagues of the reporter, coordinators, police, auditors, other municipalities', async () => {
    const filed = await file();
    for (const client of [otherSchool, coordinator, police, grannbySchool]) {
      expectProblem(await client.get(`/api/v1/concerns/${filed.id}`), 404);
      const page = await client.get<Page<ConcernReportResponse>>('/api/v1/concerns?limit=200');
      expect(page.body.items.map((item) => item.id)).not.toContain(filed.id);
    }
    // The auditor may not read concern reports at all (the same answer for every id).
    expectProblem(await auditor.get(`/api/v1/concerns/${filed.id}`), 403);
    expectProblem(await auditor.get('/api/v1/concerns'), 403);
    // A 404 looks the same for an id that never existed.
    const missing = expectProblem(
      await otherSchool.get('/api/v1/concerns/00000000-0000-4000-8000-000000000000'),
      404,
    );
    const hidden = expectProblem(await otherSchool.get(`/api/v1/concerns/${filed.id}`), 404);
    expect(hidden.detail).toBe(missing.detail);
    expectProblem(await otherSchool.get(`/api/v1/concerns/${filed.id}/feedback`), 404);
    expectProblem(await socialWorker.get(`/api/v1/concerns/${filed.id}/feedback`), 404);
    // Only the receiving unit handles it: the reporter may not move it.
    expectProblem(await move(filed.id, { status: 'preliminary_assessment' }, school), 403);
    const own = await school.get<Page<ConcernReportResponse>>('/api/v1/concerns?limit=200');
    expect(own.body.items.map((item) => item.id)).toContain(filed.id);
    expect(own.body.items.every((item) => item.handling === null)).toBe(true);
  });

  it('audits every read of a report as a read of the child’s data', async () => {
    const filed = await file();
    await socialWorker.get(`/api/v1/concerns/${filed.id}`);
    await school.get(`/api/v1/concerns/${filed.id}/feedback`);
    const events = await app.running.dataSource.query<
      { action: string; person_id: string; legal_basis: string | null; email: string }[]
    >(
      `SELECT e.action, e.person_id, e.legal_basis, u.email FROM audit_event e
       JOIN app_user u ON u.id = e.actor_user_id WHERE e.record_id = $1 ORDER BY e.seq`,
      [filed.id],
    );
    expect(events.map((event) => event.action).sort()).toEqual(
      ['concern.create', 'concern.feedback', 'concern.read', 'concern.read'].sort(),
    );
    expect(new Set(events.map((event) => event.person_id))).toEqual(new Set([eliasId]));
    // Social services read it on the duty to report that sent it, as its filing records (found
    // by a black-box probe: their reads had no basis); the reporter reads their own.
    expect(
      events
        .filter((event) => event.action === 'concern.read')
        .map((event) => [event.email, event.legal_basis])
        .sort(),
    ).toEqual(
      [
        ['skola@demo.test', null],
        ['socialsekreterare@demo.test', 'SoL 14:1 (anmälningsskyldighet)'],
      ].sort(),
    );
  });

  it('refuses bad input with a 400 naming each field, and files nothing', async () => {
    const before = await count('concern_report');
    const problem = expectProblem(
      await school.post('/api/v1/concerns', {
        ...report(),
        observation: 'kort',
        immediateDanger: 'ja',
        guardiansInformed: 'maybe',
        extra: 1,
      }),
      400,
    );
    for (const field of ['observation', 'immediateDanger', 'guardiansInformed', 'extra']) {
      expect({ field, reasons: reasonsFor(problem, field).length > 0 }).toEqual({
        field,
        reasons: true,
      });
    }
    const future = expectProblem(
      await school.post(
        '/api/v1/concerns',
        report({ observedAt: new Date(Date.now() + 86_400_000).toISOString() }),
      ),
      400,
    );
    expect(reasonsFor(future, 'observedAt')[0]).toMatch(/future/);
    const unborn = expectProblem(
      await school.post('/api/v1/concerns', report({ observedAt: '1900-01-01T00:00:00Z' })),
      400,
    );
    expect(reasonsFor(unborn, 'observedAt')[0]).toMatch(/before the child was born/);
    const unknownPerson = expectProblem(
      await school.post(
        '/api/v1/concerns',
        report({ personId: (await personByNumber(grannbySchool, '20110314-2384')).id }),
      ),
      400,
    );
    expect(reasonsFor(unknownPerson, 'personId')[0]).toMatch(/no such person/);
    expectProblem(await auditor.post('/api/v1/concerns', report()), 403);
    expect(await count('concern_report')).toBe(before);
  });

  it('moves only along the workflow: wrong moves are 409s, decisions not to act need a reason', async () => {
    const filed = await file();
    const wrong = expectProblem(await move(filed.id, { status: 'investigation' }), 409);
    expect(wrong.detail).toMatch(
      /cannot go from received to investigation; allowed: preliminary_assessment/,
    );
    const assessed = await move(filed.id, { status: 'preliminary_assessment' });
    expect(assessed.status).toBe(200);
    expect(assessed.body.handling).toMatchObject({
      status: 'preliminary_assessment',
      handlerUserId: await ids.userId('socialsekreterare@demo.test'),
      deadline: { step: 'preliminary_assessment', dueDate: stockholmToday(14), daysLeft: 14 },
    });
    expect(assessed.body.handling?.protectionAssessedAt).toEqual(expect.any(String));
    const noReason = expectProblem(await move(filed.id, { status: 'not_opened' }), 400);
    expect(reasonsFor(noReason, 'reason')[0]).toMatch(/reason/);
    // And a reason goes with a move: alone it would be kept nowhere.
    for (const body of [
      { reason: 'Bara en anledning' },
      { status: 'preliminary_assessment', reason: 'Samma status' },
    ]) {
      const alone = expectProblem(await move(filed.id, body), 400);
      expect(reasonsFor(alone, 'reason')).toEqual([
        'a reason is given with a move to another status',
      ]);
    }
    const unknown = expectProblem(await move(filed.id, { status: 'archived' }), 400);
    expect(reasonsFor(unknown, 'status').length).toBeGreaterThan(0);
    const notOpened = await move(filed.id, {
      status: 'not_opened',
      reason: 'Ingen grund för utredning efter samtal',
    });
    expect(notOpened.body.handling).toMatchObject({
      status: 'not_opened',
      allowedTransitions: [],
      deadline: null,
    });
    // The grounds of each decision can be read back (found by a black-box probe: they were
    // asked for and never shown).
    expect(
      notOpened.body.handling!.moves.map((step) => [step.fromStatus, step.toStatus, step.reason]),
    ).toEqual([
      [null, 'received', null],
      ['received', 'preliminary_assessment', null],
      ['preliminary_assessment', 'not_opened', 'Ingen grund för utredning efter samtal'],
    ]);
    const finished = expectProblem(await move(filed.id, { status: 'investigation' }), 409);
    expect(finished.detail).toMatch(/allowed: none/);
    expect(
      (await school.get<ConcernFeedbackResponse>(`/api/v1/concerns/${filed.id}/feedback`)).body
        .outcome,
    ).toBe('not_opened');
  });

  it('runs an investigation for four months, extends it by a recorded decision, and follows up a declined intervention', async () => {
    const filed = await file();
    await move(filed.id, { status: 'preliminary_assessment' });
    expectProblem(
      await socialWorker.post(`/api/v1/concerns/${filed.id}/extensions`, {
        newDueDate: '2099-01-01',
        reason: 'Behöver mer tid för utredningen',
      }),
      409,
    );
    const opened = await move(filed.id, { status: 'investigation' }, caseHolder);
    const due = opened.body.handling!.investigationDueDate!;
    expect(opened.body.handling).toMatchObject({
      status: 'investigation',
      // A social worker took it first; moving it on does not change who is responsible.
      handlerUserId: await ids.userId('socialsekreterare@demo.test'),
      deadline: { step: 'investigation', dueDate: due, state: 'due' },
    });
    const expected = new Date(`${stockholmToday()}T12:00:00Z`);
    expected.setUTCMonth(expected.getUTCMonth() + 4);
    expect(due.slice(0, 7)).toBe(expected.toISOString().slice(0, 7));
    expect(
      (await school.get<ConcernFeedbackResponse>(`/api/v1/concerns/${filed.id}/feedback`)).body
        .outcome,
    ).toBe('investigation_opened');

    const earlier = expectProblem(
      await socialWorker.post(`/api/v1/concerns/${filed.id}/extensions`, {
        newDueDate: due,
        reason: 'Behöver mer tid för utredningen',
      }),
      400,
    );
    expect(reasonsFor(earlier, 'newDueDate')[0]).toMatch(/after the current one/);
    const badDate = expectProblem(
      await socialWorker.post(`/api/v1/concerns/${filed.id}/extensions`, {
        newDueDate: '2031-02-30',
        reason: 'Behöver mer tid för utredningen',
      }),
      400,
    );
    expect(reasonsFor(badDate, 'newDueDate').length).toBeGreaterThan(0);
    expectProblem(
      await socialWorker.post(`/api/v1/concerns/${filed.id}/extensions`, {
        newDueDate: '2099-01-01',
      }),
      400,
    );
    // An extension is for a set time: no more than four months further at a time.
    const tooFar = expectProblem(
      await socialWorker.post(`/api/v1/concerns/${filed.id}/extensions`, {
        newDueDate: '2099-01-01',
        reason: 'Väntar på utlåtande från BUP',
      }),
      400,
    );
    expect(reasonsFor(tooFar, 'newDueDate')[0]).toMatch(/at most four months at a time/);
    const later = new Date(`${due}T12:00:00Z`);
    later.setUTCDate(1);
    later.setUTCMonth(later.getUTCMonth() + 2);
    const newDue = later.toISOString().slice(0, 10);
    const extended = await socialWorker.post<ConcernReportResponse>(
      `/api/v1/concerns/${filed.id}/extensions`,
      { newDueDate: newDue, reason: 'Väntar på utlåtande från BUP' },
    );
    expect(extended.status).toBe(201);
    expect(extended.body.handling).toMatchObject({
      investigationDueDate: newDue,
      deadline: { step: 'investigation', dueDate: newDue, state: 'due' },
      extensions: [
        {
          previousDueDate: due,
          newDueDate: newDue,
          reason: 'Väntar på utlåtande från BUP',
          decidedBy: await ids.userId('socialsekreterare@demo.test'),
        },
      ],
    });

    expectProblem(await move(filed.id, { status: 'closed_declined' }), 400);
    const declined = await move(filed.id, {
      status: 'closed_declined',
      reason: 'Vårdnadshavarna tackade nej till erbjuden insats',
    });
    expect(declined.body.handling).toMatchObject({
      status: 'closed_declined',
      allowedTransitions: ['follow_up', 'closed'],
      followUpDueDate: expect.any(String),
      deadline: { step: 'follow_up', state: 'due' },
    });
    const followUpDue = declined.body.handling!.followUpDueDate!;
    expect(followUpDue > stockholmToday(55) && followUpDue <= stockholmToday(62)).toBe(true);
    const following = await move(filed.id, { status: 'follow_up' });
    expect(following.body.handling?.deadline).toMatchObject({
      step: 'follow_up',
      dueDate: followUpDue,
    });
    const closed = await move(filed.id, { status: 'closed', reason: 'Uppföljningen gjord' });
    expect(closed.body.handling).toMatchObject({ status: 'closed', deadline: null });
    // The reporter still learns nothing more than that an investigation was opened.
    expect(
      (await school.get<ConcernFeedbackResponse>(`/api/v1/concerns/${filed.id}/feedback`)).body
        .outcome,
    ).toBe('investigation_opened');
  });

  it('shows a passed deadline as overdue, and lets only the handlers filter by it', async () => {
    const filed = await file();
    // Received three days ago (in Stockholm), protection assessment still not done.
    await app.running.dataSource.query(
      `UPDATE concern_report SET received_on = $2, deadline_due = $2, received_at = received_at - interval '3 days'
       WHERE id = $1`,
      [filed.id, stockholmToday(-3)],
    );
    const view = await socialWorker.get<ConcernReportResponse>(`/api/v1/concerns/${filed.id}`);
    expect(view.body.handling?.deadline).toMatchObject({
      step: 'protection_assessment',
      dueDate: stockholmToday(-3),
      state: 'overdue',
      daysLeft: -3,
    });
    const overdue = await socialWorker.get<Page<ConcernReportResponse>>(
      '/api/v1/concerns?overdue=true&limit=200',
    );
    expect(overdue.body.items.map((item) => item.id)).toContain(filed.id);
    expect(overdue.body.items.every((item) => item.handling?.deadline?.state === 'overdue')).toBe(
      true,
    );
    // The reporter cannot learn the handling by filtering their own reports.
    const asReporter = await school.get<Page<ConcernReportResponse>>(
      '/api/v1/concerns?overdue=true&limit=200',
    );
    expect(asReporter.body.items).toEqual([]);
    const byStatus = await school.get<Page<ConcernReportResponse>>(
      '/api/v1/concerns?status=received&limit=200',
    );
    expect(byStatus.body.items).toEqual([]);
  });

  it('names a responsible social worker only from the receiving unit', async () => {
    const filed = await file();
    const bad = expectProblem(
      await move(filed.id, { handlerUserId: await ids.userId('samordnare@demo.test') }),
      400,
    );
    expect(reasonsFor(bad, 'handlerUserId')[0]).toMatch(/social worker or case holder/);
    const named = await move(filed.id, { handlerUserId: await ids.userId('sig@demo.test') });
    expect(named.body.handling?.handlerUserId).toBe(await ids.userId('sig@demo.test'));
    // A social worker in a big unit finds the reports they handle (found by a black-box probe).
    const handled = async (client: ApiClient, userId: string) =>
      (
        await client.get<Page<ConcernReportResponse>>(
          `/api/v1/concerns?handlerUserId=${userId}&limit=200`,
        )
      ).body.items.map((item) => item.id);
    const sigId = await ids.userId('sig@demo.test');
    expect(await handled(caseHolder, sigId)).toContain(filed.id);
    const others = await handled(socialWorker, await ids.userId('socialsekreterare@demo.test'));
    expect(others).not.toContain(filed.id);
    // Not a way for a reporter to learn who handles their report.
    expect(await handled(school, sigId)).toEqual([]);
  });

  it('links the SSPF or SIG case the concern led to, about the same child', async () => {
    const filed = await file();
    const openCase = async (kind: string, personId: string) => {
      const response = await caseHolder.post<CaseResponse>('/api/v1/cases', {
        kind,
        personId,
        areaId: ids.areaNorra,
      });
      expect(response.status).toBe(201);
      return response.body.id;
    };
    const sig = await openCase('sig', eliasId);
    const sip = await openCase('sip', eliasId);
    const leo = await openCase('sig', (await personByNumber(caseHolder, '20080119-3533')).id);
    const unknownCase = '00000000-0000-4000-8000-000000000000';
    const linkAs = (caseId: string) =>
      caseHolder.request<ConcernReportResponse>('PUT', `/api/v1/concerns/${filed.id}/case`, {
        caseId,
      });
    expect(reasonsFor(expectProblem(await linkAs(unknownCase), 400), 'caseId')[0]).toMatch(
      /no such case/,
    );
    expect(reasonsFor(expectProblem(await linkAs(leo), 400), 'caseId')[0]).toMatch(
      /another person/,
    );
    expect(reasonsFor(expectProblem(await linkAs(sip), 400), 'caseId')[0]).toMatch(/SSPF or SIG/);
    // A closed case takes nothing new, a concern report neither.
    const closedSig = await openCase('sig', eliasId);
    const closing = await caseHolder.patch(`/api/v1/cases/${closedSig}`, {
      status: 'closed',
      reason: 'Inte aktuellt',
    });
    expect(closing.status).toBe(200);
    expect(expectProblem(await linkAs(closedSig), 409).detail).toMatch(/The case is closed/);
    const linked = await linkAs(sig);
    expect(linked.status).toBe(200);
    expect(linked.body.handling?.caseId).toBe(sig);
    expectProblem(await linkAs(sig), 409);
    // The reporter does not learn that a case exists.
    expect(
      (await school.get<ConcernReportResponse>(`/api/v1/concerns/${filed.id}`)).body.handling,
    ).toBeNull();
  });

  it('masks a protected child for everyone not cleared, including the reporter', async () => {
    const filed = await file(school, { personId: alvaId });
    expect(filed.person).toMatchObject({ id: alvaId, masked: true, identityNumber: null });
    expect(JSON.stringify(filed)).not.toMatch(/Alva|Lind|20100621/);
    const cleared = await socialWorker.get<ConcernReportResponse>(`/api/v1/concerns/${filed.id}`);
    expect(cleared.body.person).toMatchObject({ name: 'Alva Lind', masked: false });
    const uncleared = await caseHolder.get<ConcernReportResponse>(`/api/v1/concerns/${filed.id}`);
    expect(uncleared.body.person.masked).toBe(true);
    expect(JSON.stringify(uncleared.body)).not.toMatch(/Alva|Lind|20100621/);
  });

  it('shows an observation naming a protected child only to those cleared for her (or on emergency access)', async () => {
    const observation = 'Alva Lind, 20100621-4827, kom till skolan med blåmärken.';
    const filed = await file(school, { personId: alvaId, observation });
    // The reporter is not cleared either: what they wrote names her.
    expect(filed.observation).not.toMatch(/Alva|Lind|20100621/);
    const cleared = await socialWorker.get<ConcernReportResponse>(`/api/v1/concerns/${filed.id}`);
    expect(cleared.body.observation).toBe(observation);
    const uncleared = await caseHolder.get<ConcernReportResponse>(`/api/v1/concerns/${filed.id}`);
    expect(uncleared.body.observation).toMatch(/^\[Dold: /);
    const listed = await caseHolder.get<Page<ConcernReportResponse>>('/api/v1/concerns?limit=100');
    expect(JSON.stringify(listed.body)).not.toMatch(/Alva|Lind|20100621/);
    // An observation that does not name her is shown as written.
    const plain = await file(school, {
      personId: alvaId,
      observation: 'Eleven kom till skolan med blåmärken.',
    });
    expect(
      (await caseHolder.get<ConcernReportResponse>(`/api/v1/concerns/${plain.id}`)).body
        .observation,
    ).toBe('Eleven kom till skolan med blåmärken.');
    // Emergency access shows it, as it shows her.
    expect(
      (
        await caseHolder.post(`/api/v1/people/${alvaId}/emergency-access`, {
          reason: 'Skyddsbedömning av orosanmälan, vårdnadshavare ska kontaktas',
        })
      ).status,
    ).toBe(201);
    expect(
      (await caseHolder.get<ConcernReportResponse>(`/api/v1/concerns/${filed.id}`)).body
        .observation,
    ).toBe(observation);
  });

  it('hides an observation about another child that names a protected person from those not cleared for her', async () => {
    const observation = 'Elias sågs med Alva Lind vid Hemliga vägen efter skolan.';
    const filed = await file(school, { personId: eliasId, observation });
    expect(filed.person.masked).toBe(false);
    expect(filed.observation).toMatch(/^\[Dold: /);
    const cleared = await socialWorker.get<ConcernReportResponse>(`/api/v1/concerns/${filed.id}`);
    expect(cleared.body.observation).toBe(observation);
    // The reporter is not cleared for her (the case holder is on emergency access by now).
    const uncleared = await school.get<ConcernReportResponse>(`/api/v1/concerns/${filed.id}`);
    expect(uncleared.body.observation).toMatch(/^\[Dold: /);
    const listed = await school.get<Page<ConcernReportResponse>>('/api/v1/concerns?limit=100');
    expect(JSON.stringify(listed.body)).not.toMatch(/Alva|Lind/);
  });

  it('lets a user mark their own notifications read, and nobody else’s', async () => {
    const filed = await file();
    const mine = await school.get<Page<NotificationResponse>>(
      '/api/v1/me/notifications?unread=true',
    );
    const receipt = mine.body.items.find((n) => n.recordId === filed.id)!;
    expectProblem(
      await socialWorker.patch(`/api/v1/me/notifications/${receipt.id}`, { read: true }),
      404,
    );
    expectProblem(await school.patch(`/api/v1/me/notifications/${receipt.id}`, {}), 400);
    const read = await school.patch<NotificationResponse>(
      `/api/v1/me/notifications/${receipt.id}`,
      {
        read: true,
      },
    );
    expect(read.body.readAt).toEqual(expect.any(String));
    const unread = await school.get<Page<NotificationResponse>>(
      '/api/v1/me/notifications?unread=true&limit=200',
    );
    expect(unread.body.items.map((n) => n.id)).not.toContain(receipt.id);
  });

  it('tells a reporter nothing of a masked child’s birth date, and names the duty to report only for those it binds', async () => {
    // Alva's birth date (2010-06-21) is masked for the school: no answer may depend on it.
    for (const observedAt of ['2010-06-20T12:00:00+02:00', '2010-06-21T12:00:00+02:00']) {
      const filed = await school.post<ConcernReportResponse>(
        '/api/v1/concerns',
        report({ personId: alvaId, observedAt, observation: 'Iakttagelse om eleven på rasten.' }),
      );
      expect({ observedAt, status: filed.status }).toEqual({ observedAt, status: 201 });
    }
    const bySchool = await file(school);
    const leisure = await app.as('fritid@demo.test');
    const child = await leisure.post<{ id: string }>('/api/v1/people', {
      identityNumber: personnummer(bornYearsAgo(12), '518'),
      givenName: 'Fia',
      familyName: 'Fritid',
    });
    expect(child.status).toBe(201);
    const byLeisure = await leisure.post<ConcernReportResponse>(
      '/api/v1/concerns',
      report({ personId: child.body.id }),
    );
    expect(byLeisure.status).toBe(201);
    const basisOf = async (reportId: string) => {
      const trail = await auditor.get<Page<AuditEventResponse>>(
        '/api/v1/audit?action=concern.create&limit=200',
      );
      return trail.body.items.find((event) => event.recordId === reportId)?.legalBasis;
    };
    expect(await basisOf(bySchool.id)).toBe('SoL 14:1 (anmälningsskyldighet)');
    expect(await basisOf(byLeisure.body.id)).toBeNull();
  });
});
