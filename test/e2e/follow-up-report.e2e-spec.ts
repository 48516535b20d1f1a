import type {
  ConcernReportResponse,
  FollowUpReportResponse,
  Page,
  ReportTableResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { addStaff } from '../support/users.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
const PERIOD = `from=${today.slice(0, 4)}-01-01&to=${today.slice(0, 4)}-12-31`;

/** Additive tables: every row and column (margins included) must not have exactly one hidden cell. */
const ADDITIVE = [
  'concerns-received',
  'preliminary-assessments',
  'investigations',
  'follow-ups',
  'concerns-children',
  'cases',
  'actions',
  'goal-attainment',
];

function cell(table: ReportTableResponse | undefined, row: string, column: string) {
  const r = table!.rows.indexOf(row);
  const c = table!.columns.indexOf(column);
  return table!.cells[r]![c];
}

describe('follow-up overview', () => {
  let app: TestApp;
  let coordinator: ApiClient;
  let socialWorker: ApiClient;
  let report: FollowUpReportResponse;
  /** The case whose plan has the school's six actions. */
  let planCaseId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const [school, worker] = await Promise.all([
      app.as('skola@demo.test'),
      app.as('socialsekreterare@demo.test'),
    ]);
    socialWorker = worker;
    coordinator = await app.as('samordnare@demo.test');
    const ids = await DemoIds.load(await app.as('admin@demo.test'));
    const people = [
      (await personByNumber(school, '20110314-2384')).id,
      (await personByNumber(school, '20120907-1248')).id,
    ];
    // Norra: 9 reports, 2 of them urgent; 6 preliminary assessments decided, 5 investigations.
    for (let i = 0; i < 9; i += 1) {
      const filed = await school.post<ConcernReportResponse>('/api/v1/concerns', {
        personId: people[i % 2],
        areaId: ids.areaNorra,
        observation: 'Eleven har berättat om våld i hemmet vid flera tillfällen.',
        observedAt: new Date().toISOString(),
        immediateDanger: i < 2,
        guardiansInformed: 'no',
        reporterContact: '08-123 45',
      });
      expect(filed.status).toBe(201);
      if (i >= 6) continue;
      const move = (status: string, reason?: string) =>
        worker.patch(`/api/v1/concerns/${filed.body.id}`, { status, reason });
      expect((await move('preliminary_assessment')).status).toBe(200);
      expect((await move(i < 5 ? 'investigation' : 'not_opened', 'Ingen grund')).status).toBe(200);
    }
    // A plan with six actions for the school (which takes part in the case), due at the end of
    // the period, and one reviewed goal.
    const kase = await coordinator.post<{ id: string }>('/api/v1/cases', {
      kind: 'sspf',
      personId: people[1],
      areaId: ids.areaNorra,
      participatingUnitIds: [ids.unit('Skolan Norra')],
    });
    expect(kase.status).toBe(201);
    planCaseId = kase.body.id;
    for (let i = 0; i < 6; i += 1) {
      const action = await coordinator.post(`/api/v1/cases/${kase.body.id}/plan/actions`, {
        what: `Åtgärd ${i + 1}`,
        responsibleUnitId: ids.unit('Skolan Norra'),
        dueDate: `${today.slice(0, 4)}-12-31`,
      });
      expect(action.status).toBe(201);
    }
    const goal = await coordinator.post<{ goals: { id: string }[] }>(
      `/api/v1/cases/${kase.body.id}/plan/goals`,
      { text: 'Regelbunden skolgång' },
    );
    const reviewed = await coordinator.post(`/api/v1/cases/${kase.body.id}/plan/reviews`, {
      progressNote: 'Bättre närvaro',
      goals: [{ goalId: goal.body.goals[0]!.id, attainment: 'met' }],
    });
    expect(reviewed.status).toBe(201);
    const response = await coordinator.get<FollowUpReportResponse>(
      `/api/v1/reports/follow-up?${PERIOD}`,
    );
    expect(response.status).toBe(200);
    report = response.body;
  });
  afterAll(() => app.close());

  const tableOf = (id: string) => report.tables.find((table) => table.id === id);

  it('counts per area and in total, with counts below five shown as "<5"', () => {
    const received = tableOf('concerns-received');
    expect(received?.rows).toEqual(['Norra', 'Södra', 'Totalt']);
    expect(cell(received, 'Norra', 'Totalt')).toBe(9);
    expect(cell(received, 'Norra', 'Akut fara uppgiven')).toBe('<5');
    // 9 − 7 would give the 2 away: the 7 is hidden as a complement.
    expect(cell(received, 'Norra', 'Ej akut')).toBe('x');
    expect(cell(tableOf('preliminary-assessments'), 'Norra', 'Inom 14 dagar')).toBe(6);
    expect(cell(tableOf('investigations'), 'Norra', 'Pågår inom tid')).toBe(5);
    expect(cell(tableOf('shares'), 'Norra', 'Förhandsbedömningar inom 14 dagar')).toBe('100 %');
    expect(cell(tableOf('assessment-times'), 'Norra', 'Skyddsbedömning')).toBe(0);
    const actions = tableOf('actions');
    expect(actions?.columns).toEqual(['Klara', 'Öppna', 'Försenade', 'Totalt']);
    expect(cell(actions, 'Skola', 'Totalt')).toBe(6);
    expect(cell(actions, 'Polis', 'Totalt')).toBe(0);
    expect(cell(tableOf('goal-attainment'), 'SSPF', 'Uppnått')).toBe('<5');
    // The 9 reports are about 2 children: counted once each, they are too few to show.
    expect(cell(tableOf('concerns-children'), 'Totalt', 'Totalt')).toBe('<5');
  });

  it('hides complements so that no hidden count can be worked out from the totals', () => {
    for (const id of ADDITIVE) {
      const table = tableOf(id)!;
      const lines = [
        ...table.cells,
        ...table.columns.map((_, c) => table.cells.map((row) => row[c])),
      ];
      for (const line of lines) {
        const hidden = line.filter((value) => value === '<5' || value === 'x').length;
        expect({ id, line, exactlyOneHidden: hidden === 1 }).toEqual({
          id,
          line,
          exactlyOneHidden: false,
        });
      }
    }
    const received = tableOf('concerns-received');
    expect(received?.cells).toEqual([
      ['<5', 'x', 9],
      [0, 0, 0],
      ['<5', 'x', 9],
    ]);
  });

  it('shows an area what the whole municipality shows of it, and nothing the two together would give away', async () => {
    const norra = report.tables.find((t) => t.id === 'concerns-received')!.rows.indexOf('Norra');
    const areas = await coordinator.get<{ items: { id: string; name: string }[] }>('/api/v1/areas');
    const norraId = areas.body.items.find((area) => area.name === 'Norra')!.id;
    const view = (
      await coordinator.get<FollowUpReportResponse>(
        `/api/v1/reports/follow-up?${PERIOD}&areaId=${norraId}`,
      )
    ).body;
    const perArea = [
      'concerns-received',
      'preliminary-assessments',
      'investigations',
      'follow-ups',
      'cases',
    ];
    for (const id of perArea) {
      const whole = tableOf(id)!;
      const own = view.tables.find((t) => t.id === id)!;
      expect({ id, rows: own.rows }).toEqual({ id, rows: ['Norra', 'Totalt'] });
      // The same cells, hidden the same way, as in the whole municipality's report.
      expect({ id, cells: own.cells }).toEqual({
        id,
        cells: [whole.cells[norra], whole.cells[norra]],
      });
    }
    // Children by age and gender: the whole municipality only.
    expect(view.tables.map((t) => t.id)).not.toContain('concerns-children');
    // Where both show a count, what is left for the other areas is never 1–4.
    for (const id of ['actions', 'goal-attainment']) {
      const whole = tableOf(id)!;
      const own = view.tables.find((t) => t.id === id)!;
      own.cells.forEach((row, r) =>
        row.forEach((mine, c) => {
          const all = whole.cells[r]![c];
          if (typeof mine === 'number' && typeof all === 'number') {
            expect({ id, r, c, rest: all - mine >= 1 && all - mine <= 4 }).toEqual({
              id,
              r,
              c,
              rest: false,
            });
          }
        }),
      );
    }
  });

  it('carries no personal data', () => {
    expect(JSON.stringify(report)).not.toMatch(/Elias|Nora|Andersson|Nilsson|2011|2012-09/);
  });

  it('exports the same tables as CSV', async () => {
    const csv = await coordinator.request<string>(
      'GET',
      `/api/v1/reports/follow-up?${PERIOD}&format=csv`,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body).toContain('Orosanmälningar mottagna');
    expect(csv.body).toContain('Norra,<5,x,9');
    expect(csv.body).not.toMatch(/Elias|Andersson/);
  });

  it('is for coordinators and auditors, each in their own municipality', async () => {
    const auditor = await app.as('revisor@demo.test');
    expect((await auditor.get(`/api/v1/reports/follow-up?${PERIOD}`)).status).toBe(200);
    expectProblem(await socialWorker.get(`/api/v1/reports/follow-up?${PERIOD}`), 403);
    expectProblem(
      await (await app.as('skola@demo.test')).get(`/api/v1/reports/follow-up?${PERIOD}`),
      403,
    );
    const grannby = await app.as('revisor@grannby.test');
    const theirs = await grannby.get<FollowUpReportResponse>(`/api/v1/reports/follow-up?${PERIOD}`);
    expect(theirs.body.tables.find((t) => t.id === 'concerns-received')?.rows).toEqual([
      'Centrum',
      'Totalt',
    ]);
    expect(
      cell(
        theirs.body.tables.find((t) => t.id === 'concerns-received'),
        'Totalt',
        'Totalt',
      ),
    ).toBe(0);
  });

  it('refuses a bad period or a foreign area with a 400', async () => {
    const reversed = expectProblem(
      await coordinator.get(`/api/v1/reports/follow-up?from=${today}&to=2000-01-01`),
      400,
    );
    expect(reasonsFor(reversed, 'to')[0]).toMatch(/before from/);
    expectProblem(
      await coordinator.get('/api/v1/reports/follow-up?from=2025-02-30&to=2025-03-01'),
      400,
    );
    expectProblem(await coordinator.get('/api/v1/reports/follow-up?to=2025-03-01'), 400);
    expectProblem(
      await coordinator.get(
        `/api/v1/reports/follow-up?${PERIOD}&areaId=00000000-0000-4000-8000-000000000000`,
      ),
      400,
    );
  });

  // Last: it closes the plan's case.
  it('counts no action of a closed case as open or overdue: nobody can act on it any more', async () => {
    const closed = await coordinator.patch(`/api/v1/cases/${planCaseId}`, {
      status: 'closed',
      reason: 'Målen uppnådda',
    });
    expect(closed.status).toBe(200);
    const after = await coordinator.get<FollowUpReportResponse>(
      `/api/v1/reports/follow-up?${PERIOD}`,
    );
    const actions = after.body.tables.find((table) => table.id === 'actions');
    expect(cell(actions, 'Skola', 'Öppna')).toBe(0);
    expect(cell(actions, 'Skola', 'Försenade')).toBe(0);
  });
});

describe('follow-up overview with three areas', () => {
  let app: TestApp;
  afterAll(() => app.close());

  it('gives no area its small counts away by subtracting the other areas from the whole', async () => {
    // A probe's figures: school actions open in Norra 6, Södra 5, Väst 2. Each area's table was
    // checked only against the whole's, so 13 − 6 − 5 gave Väst's hidden 2 away.
    app = await startTestApp();
    const admin = await app.as('admin@demo.test');
    const ids = await DemoIds.load(admin);
    const vast = await admin.post<{ id: string }>('/api/v1/areas', { name: 'Väst' });
    expect(vast.status).toBe(201);
    const vastUnit = async (name: string, agency: string) => {
      const unit = await admin.post<{ id: string }>('/api/v1/units', {
        name,
        agency,
        areaId: vast.body.id,
      });
      expect(unit.status).toBe(201);
      return unit.body.id;
    };
    const vastSchool = await vastUnit('Skolan Väst', 'school');
    const vastSocial = await vastUnit('Socialtjänsten Väst', 'social_services');
    await addStaff(admin, {
      email: 'samordnare-sodra@demo.test',
      displayName: 'Sam Södra',
      roles: ['coordinator'],
      unitId: ids.unit('Socialtjänsten Södra'),
    });
    await addStaff(admin, {
      email: 'samordnare-vast@demo.test',
      displayName: 'Sam Väst',
      roles: ['coordinator'],
      unitId: vastSocial,
    });
    const areas = (await admin.get<Page<{ id: string; name: string }>>('/api/v1/areas')).body.items;
    const areaId = (name: string) => areas.find((area) => area.name === name)!.id;
    const withActions = async (
      email: string,
      area: string,
      school: string,
      identityNumber: string,
      actions: number,
    ) => {
      const coordinator = await app.as(email);
      const kase = await coordinator.post<{ id: string }>('/api/v1/cases', {
        kind: 'sspf',
        personId: (await personByNumber(coordinator, identityNumber)).id,
        areaId: areaId(area),
        participatingUnitIds: [school],
      });
      expect(kase.status).toBe(201);
      for (let i = 0; i < actions; i += 1) {
        const action = await coordinator.post(`/api/v1/cases/${kase.body.id}/plan/actions`, {
          what: `Åtgärd ${i + 1}`,
          responsibleUnitId: school,
          dueDate: `${today.slice(0, 4)}-12-31`,
        });
        expect(action.status).toBe(201);
      }
    };
    await withActions(
      'samordnare@demo.test',
      'Norra',
      ids.unit('Skolan Norra'),
      '20110314-2384',
      6,
    );
    await withActions(
      'samordnare-sodra@demo.test',
      'Södra',
      ids.unit('Skolan Södra'),
      '20080119-3533',
      5,
    );
    await withActions('samordnare-vast@demo.test', 'Väst', vastSchool, '20110314-2384', 2);

    const auditor = await app.as('revisor@demo.test');
    const viewOf = async (area?: string) => {
      const response = await auditor.get<FollowUpReportResponse>(
        `/api/v1/reports/follow-up?${PERIOD}${area ? `&areaId=${areaId(area)}` : ''}`,
      );
      expect(response.status).toBe(200);
      return response.body.tables.find((table) => table.id === 'actions')!;
    };
    const views = [await viewOf('Norra'), await viewOf('Södra'), await viewOf('Väst')];
    const csv = await auditor.request<string>(
      'GET',
      `/api/v1/reports/follow-up?${PERIOD}&areaId=${areaId('Väst')}&format=csv`,
    );
    // An area's file is named after it (UTF-8 in `filename*`).
    expect(csv.headers.get('content-disposition')).toContain(
      `-${PERIOD.slice(5, 15)}-${PERIOD.slice(19)}-V%C3%A4st.csv`,
    );
    const whole = await viewOf();
    expect(cell(views[2], 'Skola', 'Öppna')).toBe('<5');
    // Along the areas every cell is an equation (the areas add up to the whole): none may have
    // exactly one hidden member, or subtraction gives it away.
    whole.cells.forEach((row, r) =>
      row.forEach((_, c) => {
        const line = [...views.map((view) => view.cells[r]![c]), whole.cells[r]![c]];
        const hidden = line.filter((shown) => typeof shown === 'string').length;
        expect({ r, c, line, oneHidden: hidden === 1 }).toEqual({ r, c, line, oneHidden: false });
        for (const shown of line) {
          if (typeof shown === 'number') expect(shown === 0 || shown >= 5).toBe(true);
        }
      }),
    );
  });
});
