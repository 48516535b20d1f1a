/** A real PostgreSQL server when DATABASE_URL is set; the embedded database otherwise. */
export function serverUrl(): string | null {
  return process.env.DATABASE_URL || null;
}

/** Names this test run (set by global-setup.mjs); prepared databases and clones carry it. */
export function testRun(): string {
  const run = process.env.SAMVERKA_TEST_RUN;
  if (!run)
    throw new Error('SAMVERKA_TEST_RUN is not set: run the end-to-end tests through `npm test`');
  return run;
}

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
