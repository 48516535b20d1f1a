import { createHash } from 'node:crypto';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';

interface NamedQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** Marks options whose pool connections are separate server sessions (not the embedded one). */
export const SEPARATE_SESSIONS = 'samverkaSeparateSessions';

const names = new Map<string, string>();

function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `s_${createHash('sha1').update(sql).digest('base64url')}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * A query as a named prepared statement when the pool's connections are server sessions of their
 * own: PostgreSQL then parses it once per connection, and after a few runs plans it once too
 * (planning the policy's conditions costs milliseconds; running them on an index, tenths of
 * one). Inside a transaction it runs on the transaction's connection. On the embedded database
 * (one session shared by the pool) it is an ordinary query. Errors surface as TypeORM's
 * `QueryFailedError`, as from `manager.query`.
 */
export async function preparedQuery<T>(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const target = namedTarget(manager);
  if (!target) return manager.query<T[]>(sql, params);
  try {
    const result = await target.query({ name: statementName(sql), text: sql, values: params });
    return result.rows as T[];
  } catch (error) {
    throw error instanceof Error ? new QueryFailedError(sql, params, error) : error;
  }
}

function namedTarget(manager: EntityManager): NamedQueryable | undefined {
  if (!separateSessions(manager.dataSource)) return undefined;
  const runner = manager.queryRunner;
  if (!runner) return (manager.dataSource.driver as unknown as { master?: NamedQueryable }).master;
  if (runner.isReleased) return undefined;
  return (runner as unknown as { databaseConnection?: NamedQueryable }).databaseConnection;
}

function separateSessions(dataSource: DataSource): boolean {
  const extra = (dataSource.options as { extra?: Record<string, unknown> }).extra;
  return Boolean(extra?.[SEPARATE_SESSIONS]) && dataSource.isInitialized;
}
