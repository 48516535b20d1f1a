import pg from 'pg';

/** The server part of a PostgreSQL URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** Runs statements on the server's maintenance connection (the URL's own database). */
export async function adminQuery(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A fresh database copied from a template: each test file gets its own, in ~100 ms. */
export async function cloneDatabase(
  adminUrl: string,
  template: string,
  name: string,
): Promise<string> {
  await adminQuery(adminUrl, [
    `DROP DATABASE IF EXISTS ${quote(name)}`,
    `CREATE DATABASE ${quote(name)} TEMPLATE ${quote(template)}`,
  ]);
  return withDatabase(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await adminQuery(adminUrl, [`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`]);
}

/** Databases on the server whose names start with `prefix`. */
export async function listDatabases(adminUrl: string, prefix: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const result = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
    );
    return result.rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}
