import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * On the embedded database every connection shares one PGlite session: concurrent transactions
 * must take turns, or one's ROLLBACK would undo (or COMMIT keep) the other's work. The same test
 * runs against a PostgreSQL server.
 */
describe('concurrent transactions', () => {
  let app: TestApp;
  let municipalityId: string;
  beforeAll(async () => {
    app = await startTestApp();
    const [row] = await app.running.dataSource.query<{ id: string }[]>(
      "SELECT id FROM municipality WHERE name = 'Demo kommun'",
    );
    municipalityId = row!.id;
  });
  afterAll(() => app.close());

  it('keeps a rolled-back transaction rolled back while others commit around it', async () => {
    const dataSource = app.running.dataSource;
    const work = Array.from({ length: 24 }, (_, i) =>
      dataSource
        .transaction(async (manager) => {
          await manager.query('INSERT INTO area (municipality_id, name) VALUES ($1, $2)', [
            municipalityId,
            `tx-${i}`,
          ]);
          await sleep(i % 3); // interleave with the others
          await manager.query('SELECT count(*) FROM area');
          if (i % 2 === 1) throw new Error(`rollback ${i}`);
        })
        .then(
          () => 'committed',
          () => 'rolled back',
        ),
    );
    const outcomes = await Promise.all(work);
    expect(outcomes.filter((outcome) => outcome === 'committed')).toHaveLength(12);
    const rows = await dataSource.query<{ name: string }[]>(
      "SELECT name FROM area WHERE name LIKE 'tx-%' ORDER BY name",
    );
    const expected = Array.from({ length: 24 }, (_, i) => i)
      .filter((i) => i % 2 === 0)
      .map((i) => `tx-${i}`)
      .sort();
    expect(rows.map((row) => row.name)).toEqual(expected);
  });

  it('serves concurrent API requests with failures in between without mixing them up', async () => {
    const admin = await app.as('admin@demo.test');
    const requests = Array.from({ length: 16 }, (_, i) =>
      // Every other request repeats a name that another request creates: exactly one of each pair wins.
      admin.post('/api/v1/areas', { name: `api-${Math.floor(i / 2)}` }),
    );
    const statuses = (await Promise.all(requests)).map((response) => response.status).sort();
    expect(statuses).toEqual([...Array(8).fill(201), ...Array(8).fill(409)]);
    const rows = await app.running.dataSource.query<{ count: number }[]>(
      "SELECT count(*)::int AS count FROM area WHERE name LIKE 'api-%'",
    );
    expect(rows[0]!.count).toBe(8);
  });
});
