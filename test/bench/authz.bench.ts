/**
 * `npm run bench:authz`: what the secrecy policy costs, from one run on this machine.
 *
 * (a) CPU cost of ability checks with a cached ability (100 member cases), in process.
 * (b) Requests per second of an authorised entry read and a 50-case list, next to a bare NestJS
 *     hello-world on the same express adapter, over 10,000 cases and 200,000 entries.
 *
 * A benchmark only: it prints figures and targets, and asserts nothing about timings.
 */
import 'reflect-metadata';
import { accessibleWhere, CASE_SQL_FIELDS, ENTRY_SQL_FIELDS, type Bind } from '@samverka/authz';
import { DEMO_PASSWORD, type RunningApp } from '@samverka/api';
import { ApiClient } from '@samverka/testing';
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  CHECKS_PER_ROUND,
  loadEntryRecords,
  loadPrincipal,
  measureAbility,
  shuffled,
  type AbilityFigures,
  type BenchPrincipal,
  type Timing,
} from './ability-bench.js';
import { BENCH_USER, generateData, SIZES } from './bench-data.js';
import { startBaseline } from './baseline.js';
import { children, cleanUp, cleanups, met, progress, startBenchApp, table } from './harness.js';
import type { LoadJob, LoadSummary } from './load.js';

/**
 * Each target is loaded in ROUNDS rounds, the targets taking turns (baseline, entry, list, then
 * again): a shared machine's speed drifts over a minute, so each ratio is taken within a round
 * and the median round is reported.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LOAD = { connections: 16, durationSeconds: 5, warmupSeconds: 2 };
const TARGETS = { checkUs: 20, entryRatio: 0.4, caseListRatio: 0.25 };
/** Entry ids the read benchmark cycles through: mostly the user's agency's own, some disclosed. */
const ENTRY_SAMPLE = { own: 400, disclosed: 100 };
const CASE_LIST_PATH = '/api/v1/cases?limit=50';

// ── plumbing ─────────────────────────────────────────────────────────────────────────────────

interface Measured extends LoadSummary {
  /** CPU seconds per second of this process (serving API or baseline; PGlite included). */
  cpuCores: number;
}

/** A target over the rounds: the median round's figures, with the per-round ratios to baseline. */
interface Rounds extends Measured {
  ratios: number[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

function medianRound(rounds: Measured[], ratios: number[] = rounds.map(() => 1)): Rounds {
  const middle = [...rounds].sort((a, b) => a.rps - b.rps)[rounds.length >> 1]!;
  return {
    ...middle,
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    durationSeconds: rounds.reduce((sum, r) => sum + r.durationSeconds, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    timeouts: rounds.reduce((sum, r) => sum + r.timeouts, 0),
    ratios,
  };
}

/** Runs one autocannon job in a child process (its own event loop and heap). */
function runLoad(job: LoadJob): Promise<LoadSummary> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./load.js', import.meta.url)), {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    let summary: LoadSummary | undefined;
    child.once('message', (message) => {
      summary = message as LoadSummary;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      children.delete(child);
      if (summary) resolve(summary);
      else reject(new Error(`the load generator exited with ${code} and no result`));
    });
    child.send(job);
  });
}

/** BENCH_PROFILE=1: a V8 CPU profile of this process during each target's load, in tmp/bench-profiles. */
const profiler = process.env.BENCH_PROFILE ? new inspector.Session() : undefined;
profiler?.connect();

async function measure(name: string, job: LoadJob): Promise<Measured> {
  if (profiler) {
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const cpu = process.cpuUsage();
  const start = performance.now();
  const summary = await runLoad(job);
  const used = process.cpuUsage(cpu);
  const cpuCores = (used.user + used.system) / 1000 / (performance.now() - start);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    await mkdir('tmp/bench-profiles', { recursive: true });
    const file = `tmp/bench-profiles/authz-${name}.cpuprofile`;
    await writeFile(file, JSON.stringify(profile));
    progress(`CPU profile: ${file}`);
  }
  return { ...summary, cpuCores };
}

/** Parameters and the policy's SQL as the app puts it in its WHERE (same rules and fields). */
function withPolicy(leading: unknown[], build: (bind: Bind) => string) {
  const values = [...leading];
  const where = build((value) => `$${values.push(value)}`);
  return { where, values };
}

// ── the run ──────────────────────────────────────────────────────────────────────────────────

interface Visibility {
  memberCases: number;
  visibleCases: number;
  readableEntries: number;
  readableOwn: number;
  sample: { own: number; disclosed: number; ids: string[] };
}

async function visibility(running: RunningApp, who: BenchPrincipal): Promise<Visibility> {
  const { municipalityId, agency } = who.principal;
  const cases = withPolicy([municipalityId], (bind) =>
    accessibleWhere(who.ability, 'list', 'Case', CASE_SQL_FIELDS, bind),
  );
  const [{ n: visibleCases }] = await running.dataSource.query<[{ n: number }]>(
    `SELECT count(*)::int AS n FROM collab_case k WHERE k.municipality_id = $1 AND ${cases.where}`,
    cases.values,
  );
  const entries = withPolicy([municipalityId, agency], (bind) =>
    accessibleWhere(who.ability, 'read', 'CaseEntry', ENTRY_SQL_FIELDS, bind),
  );
  const readable = await running.dataSource.query<{ id: string; own: boolean }[]>(
    `SELECT e.id, e.author_agency = $2 AS own FROM case_entry e JOIN collab_case k ON k.id = e.case_id
     WHERE e.municipality_id = $1 AND ${entries.where}`,
    entries.values,
  );
  const own = shuffled(readable.filter((row) => row.own)).slice(0, ENTRY_SAMPLE.own);
  const disclosed = shuffled(readable.filter((row) => !row.own)).slice(0, ENTRY_SAMPLE.disclosed);
  return {
    memberCases: who.context.memberCaseIds.length,
    visibleCases,
    readableEntries: readable.length,
    readableOwn: readable.filter((row) => row.own).length,
    sample: {
      own: own.length,
      disclosed: disclosed.length,
      ids: shuffled([...own, ...disclosed].map((row) => row.id)),
    },
  };
}

/** Reads every sampled entry once through the API (also warms it up); keeps those answering 200. */
async function checkEntries(api: ApiClient, ids: string[]): Promise<string[]> {
  const ok: string[] = [];
  const queue = [...ids];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        const response = await api.get(`/api/v1/entries/${id}`);
        if (response.status === 200) ok.push(id);
      }
    }),
  );
  return ok;
}

async function main(): Promise<void> {
  const started = performance.now();
  const { db, running } = await startBenchApp();
  progress(`generating ${SIZES.cases} cases and ${SIZES.entries} entries`);
  const generated = await generateData(running.dataSource);
  const [{ server_version: serverVersion }] =
    await running.dataSource.query<[{ server_version: string }]>('SHOW server_version');
  const [counts] = await running.dataSource.query<
    [
      {
        cases: number;
        entries: number;
        disclosures: number;
        consents: number;
        people: number;
        case_units: number;
      },
    ]
  >(
    `SELECT (SELECT count(*) FROM collab_case)::int AS cases, (SELECT count(*) FROM case_entry)::int AS entries,
            (SELECT count(*) FROM disclosure)::int AS disclosures, (SELECT count(*) FROM consent)::int AS consents,
            (SELECT count(*) FROM person)::int AS people, (SELECT count(*) FROM case_unit)::int AS case_units`,
  );

  const who = await loadPrincipal(running.dataSource, BENCH_USER);
  const seen = await visibility(running, who);

  progress(`(a) ability checks: ${CHECKS_PER_ROUND.toLocaleString('en-US')} per round`);
  const records = await loadEntryRecords(running.dataSource, who, 250);
  const ability = measureAbility(who, records);

  const origin = `http://127.0.0.1:${new URL(await running.listen(0)).port}`;
  const baseline = await startBaseline();
  cleanups.push(() => baseline.close());
  const tokens = await new ApiClient(origin).login(BENCH_USER, DEMO_PASSWORD);
  const api = new ApiClient(origin, tokens.accessToken);
  progress(`reading the ${seen.sample.ids.length} sampled entries once through the API`);
  const entryIds = await checkEntries(api, seen.sample.ids);
  if (entryIds.length === 0) throw new Error('the bench user can read none of the sampled entries');
  const list = await api.get<{ items: unknown[] }>(CASE_LIST_PATH);
  if (list.status !== 200 || list.body.items.length !== 50) {
    const items = Array.isArray(list.body.items) ? list.body.items.length : 'no';
    throw new Error(`${CASE_LIST_PATH} answered ${list.status} with ${items} items`);
  }

  const job = { ...LOAD, token: tokens.accessToken };
  const targets = {
    baseline: { ...job, origin: baseline.origin, paths: [baseline.path], token: undefined },
    entry: { ...job, origin, paths: entryIds.map((id) => `/api/v1/entries/${id}`) },
    'case-list': { ...job, origin, paths: [CASE_LIST_PATH] },
  };
  const rounds: Record<keyof typeof targets, Measured>[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const measured = {} as Record<keyof typeof targets, Measured>;
    for (const [name, target] of Object.entries(targets) as [keyof typeof targets, LoadJob][]) {
      progress(`(b) round ${round}/${ROUNDS}: ${name}`);
      measured[name] = await measure(`${name}-${round}`, target);
    }
    rounds.push(measured);
  }
  const base = medianRound(rounds.map((r) => r.baseline));
  const entry = medianRound(
    rounds.map((r) => r.entry),
    rounds.map((r) => r.entry.rps / r.baseline.rps),
  );
  const caseList = medianRound(
    rounds.map((r) => r['case-list']),
    rounds.map((r) => r['case-list'].rps / r.baseline.rps),
  );

  process.stdout.write(
    report({
      serverVersion,
      where: db.where,
      embedded: db.target.embedded,
      counts,
      generatedSeconds: generated.seconds,
      seen,
      sampleChecked: entryIds.length,
      ability,
      base,
      entry,
      caseList,
      totalSeconds: (performance.now() - started) / 1000,
    }),
  );
}

// ── the report ───────────────────────────────────────────────────────────────────────────────

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits: number) => n.toFixed(digits);
const us = (n: number) => (n < 10 ? fixed(n, 2) : n < 100 ? fixed(n, 1) : fixed(n, 0));

interface ReportInput {
  serverVersion: string;
  where: string;
  embedded: boolean;
  counts: {
    cases: number;
    entries: number;
    disclosures: number;
    consents: number;
    people: number;
    case_units: number;
  };
  generatedSeconds: number;
  seen: Visibility;
  sampleChecked: number;
  ability: AbilityFigures;
  base: Rounds;
  entry: Rounds;
  caseList: Rounds;
  totalSeconds: number;
}

function report(input: ReportInput): string {
  const { ability: a, counts, seen } = input;
  const cpus = os.cpus();
  const timing = (t: Timing) => [us(t.us), `${us(t.min)}–${us(t.max)}`];
  const perRound = (t: Timing) => `×${int(t.perRound)}`;
  const abilityRows = [
    ['measurement', 'calls/round', 'µs/op', 'min–max', 'target'],
    [
      "ability.can('read', subject('CaseEntry', record))",
      perRound(a.check),
      ...timing(a.check),
      `≤ ${TARGETS.checkUs} µs: ${met(a.check.us <= TARGETS.checkUs)}`,
    ],
    [
      '  same, with a fresh record object per check',
      perRound(a.checkFreshRecord),
      ...timing(a.checkFreshRecord),
      '',
    ],
    [
      "ability.can('read', 'CaseEntry')  (route guard)",
      perRound(a.routeCheck),
      ...timing(a.routeCheck),
      '',
    ],
    [
      'accessibleWhere(read CaseEntry) → SQL  (per entry request)',
      perRound(a.entrySql),
      ...timing(a.entrySql),
      '',
    ],
    [
      'accessibleWhere(list Case) → SQL  (per case list)',
      perRound(a.caseSql),
      ...timing(a.caseSql),
      '',
    ],
    ['defineAbilityFor()  (build; on a cache miss)', perRound(a.build), ...timing(a.build), ''],
    [
      'defineAbilityFor() + first check  (cold ability)',
      perRound(a.buildAndFirstCheck),
      ...timing(a.buildAndFirstCheck),
      '',
    ],
  ];
  const ratio = (s: Rounds) => median(s.ratios);
  const httpRow = (label: string, s: Rounds, target?: number) => [
    label,
    int(s.rps),
    fixed(s.latencyMs.p50, 1),
    fixed(s.latencyMs.p99, 1),
    int(s.requests),
    fixed(s.durationSeconds, 1),
    int(s.non2xx + s.errors + s.timeouts),
    fixed(s.cpuCores, 2),
    `${fixed(ratio(s), 2)}×`,
    s.ratios.map((r) => fixed(r, 2)).join(' '),
    target === undefined ? '' : `≥ ${fixed(target, 2)}×: ${met(ratio(s) >= target)}`,
  ];
  const httpRows = [
    [
      'target',
      'req/s',
      'p50 ms',
      'p99 ms',
      'requests',
      'in s',
      'failed',
      'CPU',
      'vs baseline',
      'per round',
      'target',
    ],
    httpRow('baseline: bare NestJS GET /hello → {ok:true}', input.base),
    httpRow(
      `GET /api/v1/entries/:id  (${int(input.sampleChecked)} ids cycled)`,
      input.entry,
      TARGETS.entryRatio,
    ),
    httpRow('GET /api/v1/cases?limit=50  (50 items)', input.caseList, TARGETS.caseListRatio),
  ];
  const lines = [
    '',
    'Samverka authz benchmark',
    `  machine    ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${fixed(os.totalmem() / 2 ** 30, 1)} GiB, ${os.platform()} ${os.arch()}`,
    `  node       ${process.version}`,
    `  database   ${input.embedded ? 'PGlite' : 'PostgreSQL'} ${input.serverVersion}: ${input.where}`,
    `  data       ${int(counts.cases)} cases (${int(counts.case_units)} participating units), ${int(counts.entries)} entries, ` +
      `${int(counts.disclosures)} disclosures, ${int(counts.consents)} consents, ${int(counts.people)} people ` +
      `(generated in ${fixed(input.generatedSeconds, 1)} s)`,
    `  user       ${BENCH_USER} (school staff, Skolan Norra): member of ${int(seen.memberCases)} cases, sees ` +
      `${int(seen.visibleCases)} cases, may read ${int(seen.readableEntries)} entries ` +
      `(${int(seen.readableOwn)} own agency's, ${int(seen.readableEntries - seen.readableOwn)} disclosed)`,
    '',
    `(a) Ability checks: CPU only, in process, cached ability with ${a.memberCases} member cases;`,
    `    ${int(a.records)} real CaseEntry records (${int(a.allowed)} allowed), median of 5 rounds after a warm-up round`,
    table(abilityRows, [false, true, true, true, false]),
    '',
    `(b) HTTP: autocannon in a child process, ${LOAD.connections} connections, ${LOAD.warmupSeconds} s warm-up, then ` +
      `${LOAD.durationSeconds} s per target, in ${ROUNDS} rounds taking turns;`,
    `    req/s, p50, p99, CPU: the median round; 'vs baseline': the median of the ratios within each round;`,
    `    requests, 'in s' (as measured), failed: all rounds`,
    `    the API and the baseline are served by this process ('CPU': cores it used meanwhile` +
      `${input.embedded ? ', the embedded database included' : ''})`,
    `    entry ids: ${seen.sample.own} of the user's agency's own + ${seen.sample.disclosed} disclosed to it, each ` +
      'checked to answer 200 first; each API read writes audit events in its transaction (1 per entry, 50 per list)',
    table(httpRows, [false, true, true, true, true, true, true, true, true, false, false]),
    '',
    `  total run time ${fixed(input.totalSeconds, 0)} s`,
    '',
  ];
  return lines.join('\n');
}

main()
  .catch((error: unknown) => {
    process.stderr.write(
      `bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
