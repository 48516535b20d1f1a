import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';
import { SEPARATE_SESSIONS } from './prepared-query.js';

/** Where the app's data lives: a PostgreSQL URL and how many connections it may hold. */
export interface DatabaseTarget {
  url: string;
  /** 1 on the embedded database: PGlite is one session, so transactions must take turns. */
  poolMax: number;
  embedded: boolean;
  close(): Promise<void>;
}

export function dataSourceOptions(
  target: Pick<DatabaseTarget, 'url' | 'poolMax'> & { embedded?: boolean },
): DataSourceOptions {
  return {
    type: 'postgres',
    url: target.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    extra: {
      max: target.poolMax,
      application_name: 'samverka',
      // The working set is small and cached, so an index lookup costs little more than a
      // sequential read. At PostgreSQL's default (4, for spinning disks) the planner hash-joins a
      // whole table to find a case's 20 members: 2 ms instead of 0.1 per message sent.
      // The named statements (`preparedQuery`: the hot reads, whose policy conditions take
      // milliseconds to plan and tenths of one to run) keep their generic plan: by default
      // PostgreSQL plans the entry read anew for every array of case ids it is given (1.4 ms of
      // planning for 0.2 ms of running). Unnamed statements are planned with their values as
      // before. No JIT: it compiles a plan the estimate calls costly in hundreds of milliseconds,
      // which the register's text checks (a few rows after the index) paid on every call.
      ...(target.embedded === false
        ? { options: '-c random_page_cost=1.1 -c plan_cache_mode=force_generic_plan -c jit=off' }
        : {}),
      [SEPARATE_SESSIONS]: target.embedded === false,
    },
  };
}

export function createDataSource(target: Pick<DatabaseTarget, 'url' | 'poolMax'>): DataSource {
  return new DataSource(dataSourceOptions(target));
}
