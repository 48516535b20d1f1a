import 'reflect-metadata';
import { createApp, loadConfig, type RunningApp } from '@samverka/api';
import { ApiClient } from '@samverka/testing';
import { TEST_SECRET } from './environment.js';
import { PASSWORD } from './fixtures.js';
import { testDatabase } from './prepared-database.js';

export interface TestApp {
  running: RunningApp;
  /** Unauthenticated client. */
  api: ApiClient;
  /** A client signed in as a demo or fixture user. */
  as(email: string): Promise<ApiClient>;
  close(): Promise<void>;
}

/** The whole app, as users run it, listening on a free port over its own database. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await testDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_ACCESS_SECRET: TEST_SECRET,
    DATA_DIR: 'tmp/test-data',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '10000',
    ...env,
  });
  let running: RunningApp;
  try {
    running = await createApp({ config, database });
  } catch (error) {
    await database.close();
    throw error;
  }
  const url = await running.listen(0);
  const api = new ApiClient(url);
  return {
    running,
    api,
    as: (email) => api.as(email, PASSWORD),
    async close() {
      await running.close();
      await database.close();
    },
  };
}
