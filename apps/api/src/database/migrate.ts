import type { DatabaseTarget } from './data-source.js';
import { createDataSource } from './data-source.js';

/** Any fixed number: replicas starting together take turns migrating. */
const MIGRATION_LOCK = 727_310_001;

/** Applies pending migrations (under an advisory lock on a server); returns the names applied. */
export async function migrate(target: Pick<DatabaseTarget, 'url' | 'embedded'>): Promise<string[]> {
  // On a server the lock holds one connection and the migrations use another.
  const dataSource = createDataSource({ url: target.url, poolMax: target.embedded ? 1 : 2 });
  await dataSource.initialize();
  const lock = target.embedded ? null : dataSource.createQueryRunner();
  try {
    await lock?.connect();
    await lock?.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lock?.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock?.release();
    await dataSource.destroy();
  }
}

/** SQL that would bring the schema in line with the entities; empty when there is no drift. */
export async function pendingSchemaChanges(
  target: Pick<DatabaseTarget, 'url'>,
): Promise<{ up: string[]; down: string[] }> {
  const dataSource = createDataSource({ url: target.url, poolMax: 1 });
  await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return {
      up: sql.upQueries.map((query) => query.query),
      down: sql.downQueries.map((query) => query.query),
    };
  } finally {
    await dataSource.destroy();
  }
}
