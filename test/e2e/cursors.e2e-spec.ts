import type { MessageHistory, Page, PersonResponse, UserResponse } from '@samverka/contracts';
import { personnummer } from '@samverka/api';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A cursor made by hand: the keys as base64url JSON, not sealed by the server. */
const handMade = (keys: unknown): string => Buffer.from(JSON.stringify(keys)).toString('base64url');

/** A MAC of the length signed cursors once had, that the server did not make. */
const FAKE_MAC = 'AAAAAAAAAAAAAAAAAAAAAA';

/** Every page of a list from the first, following nextCursor: the ids in order. */
async function walk(client: ApiClient, path: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const url: string = `${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const page: { status: number; body: Page<{ id: string }> } =
      await client.get<Page<{ id: string }>>(url);
    expect({ url, status: page.status }).toEqual({ url, status: 200 });
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.body.items.map((item) => item.id));
    cursor = page.body.nextCursor;
    pages += 1;
  } while (cursor);
  expect(pages).toBeGreaterThan(1);
  return seen;
}

describe('cursors: only the server makes them', () => {
  let app: TestApp;
  let coordinator: ApiClient;
  let admin: ApiClient;
  let caseHolder: ApiClient;
  let caseId: string;

  beforeAll(async () => {
    app = await startTestApp();
    coordinator = await app.as('samordnare@demo.test');
    admin = await app.as('admin@demo.test');
    caseHolder = await app.as('sig@demo.test');
    const ids = await DemoIds.load(admin);
    const elias = await personByNumber(caseHolder, '20110314-2384');
    const kase = await caseHolder.post<{ id: string }>('/api/v1/cases', {
      kind: 'sig',
      personId: elias.id,
      areaId: ids.areaNorra,
    });
    expect(kase.status).toBe(201);
    caseId = kase.body.id;
    for (let i = 0; i < 5; i += 1) {
      const sent = await caseHolder.post(`/api/v1/cases/${caseId}/messages`, {
        clientId: `cursor-test-${i}`,
        body: `Meddelande ${i}`,
        category: 'general',
      });
      expect(sent.status).toBe(201);
    }
  });
  afterAll(() => app.close());

  /** Asserts the 400 naming `cursor` that a cursor the server did not make gets. */
  function expectRefused(response: Parameters<typeof expectProblem>[0]): void {
    const problem = expectProblem(response, 400);
    expect(problem.errors?.map((error) => error.field)).toEqual(['cursor']);
    expect(reasonsFor(problem, 'cursor')).toEqual([
      'cursor is not valid; use the nextCursor of a previous page',
    ]);
  }

  it('refuses a hand-made cursor of the right shape on people, people search and messages', async () => {
    const person = handMade(['A', 'A', '00000000-0000-0000-0000-000000000000']);
    for (const cursor of [person, `${person}.${FAKE_MAC}`, `${person}.`]) {
      expectRefused(await coordinator.get(`/api/v1/people?limit=2&cursor=${cursor}`));
      expectRefused(await coordinator.post('/api/v1/people/search', { name: 'El', cursor }));
    }
    const seq = handMade([0]);
    for (const cursor of [seq, `${seq}.${FAKE_MAC}`]) {
      expectRefused(await caseHolder.get(`/api/v1/cases/${caseId}/messages?cursor=${cursor}`));
    }
    const user = handMade(['a@demo.test', '00000000-0000-0000-0000-000000000000']);
    expectRefused(await admin.get(`/api/v1/users?limit=2&cursor=${user}.${FAKE_MAC}`));
  });

  it('refuses a cursor the server gave once it is changed, and tells nothing of the row it follows', async () => {
    const first = await coordinator.get<Page<PersonResponse>>('/api/v1/people?limit=2');
    const given = first.body.nextCursor!;
    expect(given).toMatch(/^[\w-]+$/);
    // The people list is sorted by name: the cursor carries the last one's, sealed (found by a
    // black-box probe: it was readable base64, a protected person's name in the URL).
    const last = first.body.items[1]!;
    const readable = Buffer.from(given, 'base64url').toString('latin1');
    for (const part of [last.givenName, last.familyName]) expect(readable).not.toContain(part);
    const bytes = Buffer.from(given, 'base64url');
    const flipped = (at: number) => {
      const copy = Buffer.from(bytes);
      copy[at] = copy[at]! ^ 1;
      return copy.toString('base64url');
    };
    for (const cursor of [
      flipped(0),
      flipped(20),
      flipped(bytes.length - 1),
      given.slice(1),
      `${given}A`,
      `${handMade(['A', 'A', last.id])}.${FAKE_MAC}`,
    ]) {
      expectRefused(await coordinator.get(`/api/v1/people?limit=2&cursor=${cursor}`));
    }
    // The cursor itself still leads on.
    expect((await coordinator.get(`/api/v1/people?limit=2&cursor=${given}`)).status).toBe(200);
  });

  it('pages through with the nextCursor the server gives, with no gap or repeat', async () => {
    const people = await walk(coordinator, '/api/v1/people', 2);
    const allPeople = await coordinator.get<Page<PersonResponse>>('/api/v1/people?limit=200');
    expect(people).toEqual(allPeople.body.items.map((person) => person.id));
    expect(new Set(people).size).toBe(people.length);

    const users = await walk(admin, '/api/v1/users', 3);
    const allUsers = await admin.get<Page<UserResponse>>('/api/v1/users?limit=200');
    expect(users).toEqual(allUsers.body.items.map((user) => user.id));
    expect(new Set(users).size).toBe(users.length);

    const seqs: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: MessageHistory } = await caseHolder.get<MessageHistory>(
        `/api/v1/cases/${caseId}/messages?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seqs.push(...page.body.items.map((message) => message.seq));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await caseHolder.get<MessageHistory>(`/api/v1/cases/${caseId}/messages?limit=200`);
    expect(seqs).toEqual(all.body.items.map((message) => message.seq));
    expect(seqs).toHaveLength(5);
  });

  it('pages on after people with the longest names the register takes, in any script', async () => {
    // Names of 100 letters, each two bytes in UTF-8: the cursor after them is long.
    const long = (letter: string) => letter.repeat(100);
    for (const [serial, letter] of [
      ['911', 'Å'],
      ['922', 'Ö'],
    ] as const) {
      const created = await coordinator.post<PersonResponse>('/api/v1/people', {
        identityNumber: personnummer('2012-02-02', serial),
        givenName: long(letter.toLowerCase()),
        familyName: long(letter),
      });
      expect(created.status).toBe(201);
    }
    const first = await coordinator.get<Page<PersonResponse>>('/api/v1/people?limit=1');
    let cursor = first.body.nextCursor;
    let pages = 1;
    while (cursor) {
      expect(cursor.length).toBeGreaterThan(0);
      const page = await coordinator.get<Page<PersonResponse>>(
        `/api/v1/people?limit=1&cursor=${cursor}`,
      );
      expect(page.status).toBe(200);
      cursor = page.body.nextCursor;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(2);
  });
});
