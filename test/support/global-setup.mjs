// Runs outside Jest's module system (no ESM transform, no path aliases): it only names this run.
// The first test file to need the prepared database builds it (see prepared-database.ts).
import { randomBytes } from 'node:crypto';

export default function globalSetup() {
  process.env.SAMVERKA_TEST_RUN = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}
