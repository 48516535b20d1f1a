import { ConfigError, loadConfig } from './config/config.js';
import { createApp } from './app.factory.js';
import { DEMO_PASSWORD, DEMO_USERS } from './database/seed-demo.js';

function banner(url: string, embedded: boolean, demo: boolean): string {
  const lines = [
    '',
    `  Samverka is running at ${url}`,
    `  API documentation:     ${url}/api/docs`,
    `  Database:              ${embedded ? 'embedded (PGlite, no server needed)' : 'PostgreSQL (DATABASE_URL)'}`,
  ];
  if (demo) {
    lines.push(
      '',
      `  Demo logins (password "${DEMO_PASSWORD}"):`,
      ...DEMO_USERS.map((user) => `    ${user.email.padEnd(30)} ${user.roles.join(', ')}`),
      '',
      `  Try: curl -s ${url}/api/v1/auth/login -H 'content-type: application/json' \\`,
      `         -d '{"email":"samordnare@demo.test","password":"${DEMO_PASSWORD}"}'`,
    );
  }
  return `${lines.join('\n')}\n\n`;
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const running = await createApp({ config });
  const url = await running.listen();
  process.stdout.write(banner(url, running.database.embedded, config.seedDemo));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Samverka failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
