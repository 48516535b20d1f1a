import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/config.js';
import type { DatabaseTarget } from './data-source.js';
import { openEmbeddedDatabase } from './embedded.js';

/** How many connections each replica holds on a PostgreSQL server. */
const SERVER_POOL_SIZE = 16;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One process at a time may open an embedded data folder: a second would corrupt it. */
function lockDataFolder(folder: string): () => void {
  mkdirSync(folder, { recursive: true });
  const lockFile = join(folder, 'samverka.lock');
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (pid && pid !== process.pid && processAlive(pid)) {
      throw new Error(
        `The embedded database in ${folder} is in use by process ${pid}. Stop it first, ` +
          'or set DATABASE_URL to run several processes on a PostgreSQL server.',
      );
    }
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

/** The configured database: a PostgreSQL server (DATABASE_URL) or the embedded one in DATA_DIR. */
export async function openDatabase(config: AppConfig): Promise<DatabaseTarget> {
  if (config.databaseUrl) {
    return {
      url: config.databaseUrl,
      poolMax: SERVER_POOL_SIZE,
      embedded: false,
      close: async () => undefined,
    };
  }
  const folder = join(config.dataDir, 'pglite');
  const unlock = lockDataFolder(folder);
  try {
    const embedded = await openEmbeddedDatabase({ dataDir: folder });
    return {
      ...embedded,
      async close() {
        await embedded.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
