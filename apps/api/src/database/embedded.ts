import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { DatabaseTarget } from './data-source.js';

/** A data folder, a snapshot to load in memory, or (no snapshot) a fresh in-memory database. */
export type EmbeddedSource = { dataDir: string } | { snapshot?: Blob };

/**
 * The embedded default: PostgreSQL compiled to WebAssembly (PGlite) inside this process, served on
 * a loopback port over the PostgreSQL wire protocol, so the app talks to it through the same `pg`
 * driver, entities and migrations as to a real server. One connection: PGlite is one session.
 */
export async function openEmbeddedDatabase(
  source: EmbeddedSource,
): Promise<DatabaseTarget & { pglite: PGlite }> {
  let pglite: PGlite;
  if ('dataDir' in source) {
    mkdirSync(source.dataDir, { recursive: true });
    pglite = await PGlite.create({ dataDir: source.dataDir });
  } else {
    pglite = await PGlite.create(source.snapshot ? { loadDataDir: source.snapshot } : {});
  }
  // The app holds one connection at a time; a few more slots let a closing pool and the next one
  // overlap for a moment (they never run transactions side by side).
  const server = new PGLiteSocketServer({
    db: pglite,
    host: '127.0.0.1',
    port: 0,
    maxConnections: 4,
  });
  await server.start();
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    poolMax: 1,
    embedded: true,
    pglite,
    async close() {
      await server.stop();
      await pglite.close();
    },
  };
}
