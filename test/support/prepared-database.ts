import 'reflect-metadata';
import {
  AuditService,
  createDataSource,
  hashPassword,
  loadConfig,
  migrate,
  openEmbeddedDatabase,
  seedDemo,
  seedMunicipality,
  type DatabaseTarget,
} from '@samverka/api';
import {
  adminQuery,
  cloneDatabase,
  databaseName,
  dropDatabase,
  withDatabase,
} from '@samverka/testing';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { serverUrl, testRun, TEST_SECRET } from './environment.js';
import { GRANNBY_SPEC, PASSWORD } from './fixtures.js';

/** Migrates and seeds (demo municipality and the fixture municipality) once per run. */
async function prepare(target: DatabaseTarget): Promise<void> {
  await migrate(target);
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_ACCESS_SECRET: TEST_SECRET,
    DATA_DIR: 'tmp/test-data',
  });
  const dataSource = await createDataSource(target).initialize();
  const audit = new AuditService(config, dataSource);
  try {
    await seedDemo(dataSource, audit);
    const hash = await hashPassword(PASSWORD);
    await dataSource.transaction((manager) => seedMunicipality(manager, audit, GRANNBY_SPEC, hash));
  } finally {
    await dataSource.destroy();
  }
}

/** The run's template database on the server, built by whichever test file asks first. */
async function ensureTemplate(server: string): Promise<string> {
  const template = `${databaseName(server)}_tmpl_${testRun()}`;
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      template,
    ]);
    if (!rowCount) {
      await adminQuery(server, [`CREATE DATABASE "${template}"`]);
      await prepare({
        url: withDatabase(server, template),
        poolMax: 2,
        embedded: false,
        close: async () => undefined,
      });
    }
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
  } finally {
    await client.end();
  }
  return template;
}

/** The run's embedded snapshot file, built by whichever test file asks first. */
async function ensureSnapshot(): Promise<string> {
  const file = `tmp/test-snapshot-${testRun()}.tar.gz`;
  const lock = `tmp/test-snapshot-${testRun()}.lock`;
  mkdirSync('tmp', { recursive: true });
  for (;;) {
    if (existsSync(file)) return file;
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
    } catch {
      await sleep(200);
      continue;
    }
    try {
      const embedded = await openEmbeddedDatabase({});
      try {
        await prepare(embedded);
        const snapshot = await embedded.pglite.dumpDataDir('gzip');
        writeFileSync(`${file}.part`, Buffer.from(await snapshot.arrayBuffer()));
        renameSync(`${file}.part`, file);
      } finally {
        await embedded.close();
      }
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

let counter = 0;

/** A database of its own for one test file: a copy of the prepared template or snapshot. */
export async function testDatabase(): Promise<DatabaseTarget> {
  const server = serverUrl();
  if (server) {
    const template = await ensureTemplate(server);
    const name = `${databaseName(server)}_t_${testRun()}_${process.pid}_${++counter}`;
    const url = await cloneDatabase(server, template, name);
    return { url, poolMax: 8, embedded: false, close: () => dropDatabase(server, name) };
  }
  const file = await ensureSnapshot();
  return openEmbeddedDatabase({ snapshot: new Blob([readFileSync(file)]) });
}
