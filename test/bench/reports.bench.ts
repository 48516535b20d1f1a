/**
 * `npm run bench:reports`: how long one follow-up overview takes over a year of a large district:
 * 100,000 concern reports (and the authz bench's 10,000 cases), per request, sequentially, for the
 * municipality and per area, as JSON and as CSV, beside a trivial authenticated GET measured in the
 * same run. Target (issue 6): p95 ≤ 200 ms per report view.
 *
 * A benchmark only: it prints figures and the target, and asserts nothing about timings.
 */
import 'reflect-metadata';
import { DEMO_PASSWORD } from '@samverka/api';
import { ApiClient } from '@samverka/testing';
import os from 'node:os';
import { generateData } from './bench-data.js';
import { cleanUp, progress, startBenchApp } from './harness.js';
import { CONCERN_REPORTS, generateConcernReports } from './reports-data.js';

const TARGET_P95_MS = 200;
const WARMUP = 3;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const VIEWER = 'samordnare@demo.test';

interface Timing {
  label: string;
  p50: number;
  p95: number;
  max: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Times `rounds` sequential GETs of `path` (after a warm-up), in milliseconds. */
async function time(api: ApiClient, label: string, path: string): Promise<Timing> {
  const once = async () => {
    const started = performance.now();
    const response = await api.get<unknown>(path);
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    return ms;
  };
  for (let i = 0; i < WARMUP; i += 1) await once();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) times.push(await once());
  times.sort((a, b) => a - b);
  return { label, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1)! };
}

const stockholmDate = (date: Date) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(date);

async function main(): Promise<void> {
  const { db, running } = await startBenchApp();
  progress('generating youths and cases (the authz bench data)');
  const generated = await generateData(running.dataSource);
  progress(`generating ${CONCERN_REPORTS.toLocaleString('en-US')} concern reports`);
  const concernSeconds = await generateConcernReports(running.dataSource, generated.municipalityId);
  const [counts] = await running.dataSource.query<
    [{ reports: number; cases: number; people: number }]
  >(
    `SELECT (SELECT count(*) FROM concern_report)::int AS reports,
            (SELECT count(*) FROM collab_case)::int AS cases, (SELECT count(*) FROM person)::int AS people`,
  );
  const [{ server_version: serverVersion }] =
    await running.dataSource.query<[{ server_version: string }]>('SHOW server_version');

  const origin = `http://127.0.0.1:${new URL(await running.listen(0)).port}`;
  const tokens = await new ApiClient(origin).login(VIEWER, DEMO_PASSWORD);
  const api = new ApiClient(origin, tokens.accessToken);
  const areas = await api.get<{ items: { id: string; name: string }[] }>('/api/v1/areas?limit=50');
  const to = stockholmDate(new Date());
  const yearAgo = new Date();
  yearAgo.setFullYear(yearAgo.getFullYear() - 1);
  const from = stockholmDate(new Date(yearAgo.getTime() + 86_400_000));
  const period = `/api/v1/reports/follow-up?from=${from}&to=${to}`;

  progress(`timing ${ROUNDS} sequential requests per view`);
  const timings: Timing[] = [await time(api, 'baseline: GET /api/v1/me', '/api/v1/me')];
  timings.push(await time(api, 'follow-up, municipality (JSON)', period));
  for (const area of areas.body.items) {
    timings.push(
      await time(api, `follow-up, area ${area.name} (JSON)`, `${period}&areaId=${area.id}`),
    );
  }
  timings.push(await time(api, 'follow-up, municipality (CSV)', `${period}&format=csv`));
  const first = areas.body.items[0]!;
  timings.push(
    await time(
      api,
      `follow-up, area ${first.name} (CSV)`,
      `${period}&areaId=${first.id}&format=csv`,
    ),
  );

  const pad = (text: string, width: number) => text.padEnd(width);
  const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(10);
  const base = timings[0]!;
  const lines = [
    '',
    'Samverka: follow-up overview benchmark (npm run bench:reports)',
    `machine:  ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
    `database: ${db.where}, PostgreSQL ${serverVersion}`,
    `data:     ${counts.reports.toLocaleString('en-US')} concern reports (generated in ${concernSeconds.toFixed(1)} s), ${counts.cases.toLocaleString('en-US')} cases, ${counts.people.toLocaleString('en-US')} people`,
    `period:   ${from} – ${to}; ${ROUNDS} sequential requests per view after ${WARMUP} warm-up, as ${VIEWER}`,
    '',
    `${pad('view', 40)}${'p50'.padStart(10)}${'p95'.padStart(10)}${'max'.padStart(10)}   p95 vs target ${TARGET_P95_MS} ms`,
    ...timings.map(
      (t, i) =>
        `${pad(t.label, 40)}${ms(t.p50)}${ms(t.p95)}${ms(t.max)}   ${
          i === 0
            ? '(baseline)'
            : `${t.p95 <= TARGET_P95_MS ? 'within' : 'OVER'} (${(t.p95 / base.p95).toFixed(1)}× baseline p95)`
        }`,
    ),
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
