import { openEmbeddedDatabase, type DatabaseTarget } from '@samverka/api';
import { adminQuery, dropDatabase, withDatabase } from '@samverka/testing';

/** How many connections the app holds on a server (as `openDatabase` gives it). */
const SERVER_POOL_SIZE = 16;

export interface BenchDatabase {
  target: DatabaseTarget;
  /** Where the data lives, for the report. */
  where: string;
  close(): Promise<void>;
}

/**
 * A fresh database for one run: with DATABASE_URL, a throwaway database on that server (dropped
 * by `close`); otherwise the embedded database, in memory.
 */
export async function openBenchDatabase(server = process.env.DATABASE_URL): Promise<BenchDatabase> {
  if (!server) {
    const embedded = await openEmbeddedDatabase({});
    return {
      target: embedded,
      where: 'embedded PGlite, in memory, in the API process (pool of 1 connection)',
      close: () => embedded.close(),
    };
  }
  const name = `samverka_bench_${Date.now()}`;
  await adminQuery(server, [`CREATE DATABASE "${name}"`]);
  return {
    target: {
      url: withDatabase(server, name),
      poolMax: SERVER_POOL_SIZE,
      embedded: false,
      close: async () => undefined,
    },
    where: `throwaway database ${name} on ${new URL(server).host} (pool of ${SERVER_POOL_SIZE} connections; dropped afterwards)`,
    // BENCH_KEEP_DATABASE=1 leaves it for EXPLAIN and friends (drop it yourself).
    close: () => (process.env.BENCH_KEEP_DATABASE ? Promise.resolve() : dropDatabase(server, name)),
  };
}
