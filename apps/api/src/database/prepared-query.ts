import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

interface QueryablePool {
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
 * A read outside any transaction, as a named prepared statement when the pool's connections are
 * server sessions of their own: PostgreSQL then parses and plans the policy's SQL once per
 * connection instead of on every request (planning the policy's conditions costs milliseconds;
 * running them on an index, tenths of one). In a transaction, or on the embedded database (one
 * session shared by the pool), it is an ordinary query.
 */
export async function preparedQuery<T>(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const pool = namedStatementPool(manager.dataSource);
  if (!pool || manager.queryRunner) return manager.query<T[]>(sql, params);
  const result = await pool.query({ name: statementName(sql), text: sql, values: params });
  return result.rows as T[];
}

function namedStatementPool(dataSource: DataSource): QueryablePool | undefined {
  const extra = (dataSource.options as { extra?: Record<string, unknown> }).extra;
  if (!extra?.[SEPARATE_SESSIONS] || !dataSource.isInitialized) return undefined;
  return (dataSource.driver as unknown as { master?: QueryablePool }).master;
}
