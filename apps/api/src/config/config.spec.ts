import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'samverka-config-'));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ DATA_DIR: dataDir(), ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('has working defaults: port 3000, the embedded database, demo data outside production', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: null,
      nodeEnv: 'development',
      seedDemo: true,
    });
    expect(config.jwtAccessSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('generates the token secret once and keeps it in DATA_DIR', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.jwtAccessSecret).toBe(first.jwtAccessSecret);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toContain(first.jwtAccessSecret);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT /],
    [{ PORT: '70000' }, /^PORT /],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres:\/\/ URL/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV /],
    [{ JWT_ACCESS_SECRET: 'short' }, /^JWT_ACCESS_SECRET must be at least 32 characters/],
    [{ SEED_DEMO: 'maybe' }, /^SEED_DEMO must be true or false/],
    [{ LOCKOUT_THRESHOLD: '0' }, /^LOCKOUT_THRESHOLD /],
    [{ PUBLIC_URL: 'samverka.example.se' }, /^PUBLIC_URL must be an http\(s\):\/\/ address/],
    [{ NODE_ENV: 'production' }, /^JWT_ACCESS_SECRET is required when NODE_ENV=production/],
    [
      { NODE_ENV: 'production', JWT_ACCESS_SECRET: 'x'.repeat(40), SEED_DEMO: 'true' },
      /^SEED_DEMO cannot be true/,
    ],
  ])('stops on %j with a message naming the variable', (env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('takes the public address for outside links without its trailing slash', () => {
    expect(
      loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: 'https://samverka.example.se/' }).publicUrl,
    ).toBe('https://samverka.example.se');
    expect(loadConfig({ DATA_DIR: dataDir() }).publicUrl).toBeNull();
  });

  it('reports every bad variable at once', () => {
    expect(
      problemsOf({ PORT: 'x', LOG_LEVEL: 'loud' }).map((problem) => problem.split(' ')[0]),
    ).toEqual(['PORT', 'LOG_LEVEL']);
  });

  it('never loads demo data in production, and reads a server URL', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      NODE_ENV: 'production',
      JWT_ACCESS_SECRET: 'y'.repeat(40),
      DATABASE_URL: 'postgres://app@db:5432/samverka',
    });
    expect(config).toMatchObject({
      seedDemo: false,
      databaseUrl: 'postgres://app@db:5432/samverka',
    });
  });
});
