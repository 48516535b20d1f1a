import { createApp, loadConfig, type RunningApp } from '@samverka/api';
import type { ChildProcess } from 'node:child_process';
import { openBenchDatabase, type BenchDatabase } from './database.js';

/** Plumbing every benchmark shares: progress on stderr, clean-up on exit or a signal, the report. */

export const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

/** Child processes to kill first, then clean-ups to run last-in first-out. */
export const children = new Set<ChildProcess>();
export const cleanups: (() => Promise<void>)[] = [];

export async function cleanUp(): Promise<void> {
  for (const child of children) child.kill();
  for (let task = cleanups.pop(); task; task = cleanups.pop()) {
    try {
      await task();
    } catch (error) {
      process.stderr.write(`bench: clean-up failed: ${String(error)}\n`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench: ${signal}, cleaning up\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/** The access-token secret of benchmark apps (replicas must share it). */
export const BENCH_JWT_SECRET = 'samverka-bench-secret-0123456789abcdefgh';

/** A fresh database and the API on it with the demo municipality (both cleaned up on exit). */
export async function startBenchApp(): Promise<{ db: BenchDatabase; running: RunningApp }> {
  progress('opening a fresh database');
  const db = await openBenchDatabase();
  cleanups.push(() => db.close());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_ACCESS_SECRET: BENCH_JWT_SECRET,
    DATA_DIR: 'tmp/bench',
    HOST: '127.0.0.1',
    SEED_DEMO: 'true',
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '10000',
  });
  progress('starting the API: migrations, demo municipality');
  const running = await createApp({ config, database: db.target });
  cleanups.push(() => running.close());
  return { db, running };
}

export const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');

/** Columns padded to width; `rightAligned[c]` for numbers. */
export function table(rows: string[][], rightAligned: boolean[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows
    .map(
      (row) =>
        '  ' +
        row
          .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
          .join('   ')
          .trimEnd(),
    )
    .join('\n');
}
