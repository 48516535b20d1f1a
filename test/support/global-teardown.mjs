// Drops the databases and snapshot this run created.
import { rmSync } from 'node:fs';
import pg from 'pg';

export default async function globalTeardown() {
  const run = process.env.SAMVERKA_TEST_RUN;
  rmSync(`tmp/test-snapshot-${run}.tar.gz`, { force: true });
  rmSync(`tmp/test-snapshot-${run}.lock`, { force: true });
  const server = process.env.DATABASE_URL;
  if (!server || !run) return;
  const base = decodeURIComponent(new URL(server).pathname.slice(1));
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2',
      [`${base}\\_t\\_${run}%`, `${base}\\_tmpl\\_${run}`],
    );
    // Clones first: the template cannot be dropped while a clone is being made from it.
    rows.sort(
      (a, b) => (a.datname.includes('_tmpl_') ? 1 : 0) - (b.datname.includes('_tmpl_') ? 1 : 0),
    );
    for (const { datname } of rows)
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
