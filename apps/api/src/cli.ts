import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderSecrecyMatrix } from '@samverka/authz';
import { AuditService } from './audit/audit.service.js';
import { verifyAuditChains } from './audit/audit-verifier.js';
import { ConfigError, loadConfig } from './config/config.js';
import { createDataSource } from './database/data-source.js';
import { migrate, pendingSchemaChanges } from './database/migrate.js';
import { renderMigration } from './database/migration-file.js';
import { openDatabase } from './database/open-database.js';
import { DEMO_MUNICIPALITY, seedDemo } from './database/seed-demo.js';

const USAGE = `Usage: node dist/apps/api/src/cli.js <command>
  migrate                 apply pending migrations
  seed:demo               load "${DEMO_MUNICIPALITY}" (refused when NODE_ENV=production)
  audit:verify            check every audit hash chain; exit 1 at the first broken link
  migration:check         exit 1 if the entities and the migrated schema differ (drift)
  migration:generate NAME write a migration with the SQL the entities need
  secrecy-matrix          write docs/secrecy-matrix.md from the secrecy policy
  secrecy-matrix --check  exit 1 if docs/secrecy-matrix.md differs from the policy`;

const out = (text: string) => process.stdout.write(`${text}\n`);

const SECRECY_MATRIX_FILE = join('docs', 'secrecy-matrix.md');

/** Writes the secrecy matrix, or with `--check` compares it; needs no configuration or database. */
function secrecyMatrix(argument: string | undefined): number {
  if (argument !== undefined && argument !== '--check') {
    out(USAGE);
    return 2;
  }
  const rendered = renderSecrecyMatrix();
  if (argument === '--check') {
    const current = existsSync(SECRECY_MATRIX_FILE)
      ? readFileSync(SECRECY_MATRIX_FILE, 'utf8')
      : null;
    if (current === rendered) {
      out(`${SECRECY_MATRIX_FILE} is up to date with the secrecy policy`);
      return 0;
    }
    out(
      `${SECRECY_MATRIX_FILE} is ${current === null ? 'missing' : 'stale: it differs from what the secrecy policy renders'}. Run \`npm run secrecy-matrix\` and commit the result`,
    );
    return 1;
  }
  mkdirSync(dirname(SECRECY_MATRIX_FILE), { recursive: true });
  writeFileSync(SECRECY_MATRIX_FILE, rendered);
  out(`Wrote ${SECRECY_MATRIX_FILE}`);
  return 0;
}

async function run(command: string | undefined, argument: string | undefined): Promise<number> {
  if (command === 'secrecy-matrix') return secrecyMatrix(argument);
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrate(database);
        out(applied.length ? `Applied: ${applied.join(', ')}` : 'The schema is up to date');
        return 0;
      }
      case 'seed:demo': {
        if (config.nodeEnv === 'production') {
          out(
            'Refused: the demo data has public passwords and is never loaded when NODE_ENV=production',
          );
          return 1;
        }
        await migrate(database);
        const dataSource = await createDataSource(database).initialize();
        try {
          const seeded = await seedDemo(dataSource, new AuditService(config, dataSource));
          out(seeded ? `Loaded "${DEMO_MUNICIPALITY}"` : `"${DEMO_MUNICIPALITY}" is already there`);
        } finally {
          await dataSource.destroy();
        }
        return 0;
      }
      case 'audit:verify': {
        const dataSource = await createDataSource(database).initialize();
        try {
          const result = await verifyAuditChains(dataSource);
          if (result.ok) {
            out(
              `Audit trail intact: ${result.eventsChecked} events in ${result.chainsChecked} chains`,
            );
            return 0;
          }
          const link = result.firstBrokenLink!;
          out(
            `Audit trail BROKEN in chain ${link.chain} at seq ${link.seq}${link.eventId ? ` (event ${link.eventId})` : ''}: ${link.reason}`,
          );
          return 1;
        } finally {
          await dataSource.destroy();
        }
      }
      case 'migration:check': {
        await migrate(database);
        const { up } = await pendingSchemaChanges(database);
        if (up.length === 0) {
          out('No drift: the migrations produce exactly the schema the entities describe');
          return 0;
        }
        out(`Drift: the entities need SQL that no migration has:\n${up.join(';\n')}`);
        return 1;
      }
      case 'migration:generate': {
        if (!argument) {
          out(USAGE);
          return 2;
        }
        await migrate(database);
        const { up, down } = await pendingSchemaChanges(database);
        if (up.length === 0) {
          out('Nothing to generate: no drift');
          return 0;
        }
        const timestamp = Date.now();
        const file = join('apps/api/src/database/migrations', `${timestamp}-${argument}.ts`);
        writeFileSync(file, renderMigration(argument, timestamp, up, down));
        out(`Wrote ${file}; add it to apps/api/src/database/migrations/index.ts`);
        return 0;
      }
      default:
        out(USAGE);
        return 2;
    }
  } finally {
    await database.close();
  }
}

run(process.argv[2], process.argv[3]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
