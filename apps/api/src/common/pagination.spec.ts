import { beforeAll, describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { createCipheriv, createHmac } from 'node:crypto';
import {
  type CursorKey,
  decodeCursor,
  encodeCursor,
  pageInMemory,
  setCursorKey,
} from './pagination.js';

const SECRET = 'a test secret of at least thirty-two characters';

interface Row {
  at: string;
  id: string;
}

/** A calendar day and a name: what the rows below are sorted by. */
const SHAPE: CursorKey[] = ['date', 'text'];

/** Every page from the first, following nextCursor. */
function walk(rows: Row[], limit: number, order: 'asc' | 'desc'): Row[][] {
  const pages: Row[][] = [];
  let cursor: string | undefined;
  do {
    const page = pageInMemory(rows, { limit, cursor }, SHAPE, (row) => [row.at, row.id], order);
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return pages;
}

// Ties on `at` on purpose: the id decides between them.
const ROWS: Row[] = [
  { at: '2026-11-02', id: 'c' },
  { at: '2026-11-01', id: 'b' },
  { at: '2026-11-02', id: 'a' },
  { at: '2026-11-03', id: 'd' },
  { at: '2026-11-01', id: 'e' },
];

/** The 400 naming `cursor` that `read` throws. */
function refusal(read: () => unknown): HttpException {
  let error: unknown;
  try {
    read();
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(HttpException);
  expect((error as HttpException).getStatus()).toBe(400);
  expect(JSON.stringify((error as HttpException).getResponse())).toContain('cursor');
  return error as HttpException;
}

const base64url = (keys: unknown): string =>
  Buffer.from(JSON.stringify(keys)).toString('base64url');

// Runs first, before any key is set: no cursor is made or taken without one (fail closed).
describe('cursors without a key', () => {
  it('makes none and takes none', () => {
    expect(() => encodeCursor(['2026-11-02', 'a'])).toThrow(/cursor key not set/);
    refusal(() => decodeCursor(base64url(['2026-11-02', 'a']), SHAPE));
    refusal(() => decodeCursor(`${base64url(['2026-11-02', 'a'])}.AAAAAAAAAAAAAAAAAAAAAA`, SHAPE));
  });
});

describe('sealed cursors', () => {
  beforeAll(() => setCursorKey(SECRET));

  it('takes back the keys of a cursor it made, and shows none of them', () => {
    const cursor = encodeCursor(['2026-11-02', 'Andersson']);
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeCursor(cursor, SHAPE)).toEqual(['2026-11-02', 'Andersson']);
    expect(decodeCursor(undefined, SHAPE)).toBeNull();
    // Nothing of the keys can be read from it (a person's name in a URL, or a log).
    const bytes = Buffer.from(cursor, 'base64url').toString('latin1');
    expect(bytes).not.toMatch(/Andersson|2026/);
    expect(cursor).not.toContain(base64url(['2026-11-02', 'Andersson']).slice(0, 12));
    // A fresh IV each time: the same keys do not make the same cursor.
    expect(encodeCursor(['2026-11-02', 'Andersson'])).not.toBe(cursor);
    // Nor does its length tell a key's (found by a black-box probe: it followed the name's).
    expect(encodeCursor(['2026-11-02', 'Bo']).length).toBe(cursor.length);
    expect(encodeCursor(['2026-11-02', 'Åsa-Britt Öberg-Lindqvist']).length).toBe(cursor.length);
    expect(decodeCursor(encodeCursor(['2026-11-02', 'Bo']), SHAPE)).toEqual(['2026-11-02', 'Bo']);
  });

  it('refuses a cursor of the right shape that it did not seal, or one changed, before reading it', () => {
    const made = encodeCursor(['2026-11-02', 'a']);
    const bytes = Buffer.from(made, 'base64url');
    const flip = (at: number) => {
      const copy = Buffer.from(bytes);
      copy[at] = copy[at]! ^ 1;
      return copy.toString('base64url');
    };
    // The same cipher under another key, e.g. another deployment's.
    const otherKey = createHmac('sha256', 'another secret').update('samverka cursor v2').digest();
    const iv = Buffer.alloc(12, 7);
    const cipher = createCipheriv('aes-256-gcm', otherKey, iv);
    const foreign = Buffer.concat([
      iv,
      cipher.update(JSON.stringify(['2026-11-02', 'a'])),
      cipher.final(),
      cipher.getAuthTag(),
    ]).toString('base64url');
    for (const cursor of [
      base64url(['2026-11-02', 'a']),
      `${base64url(['2026-11-02', 'a'])}.AAAAAAAAAAAAAAAAAAAAAA`,
      foreign,
      flip(0), // the IV
      flip(14), // the keys
      flip(bytes.length - 1), // the tag
      made.slice(0, -2),
      `${made}AA`,
      `${made}.${made}`,
      'AAAA',
      '',
    ]) {
      if (cursor === '') continue; // no cursor is the first page
      const error = refusal(() => decodeCursor(cursor, SHAPE));
      expect(JSON.stringify(error.getResponse())).toContain(
        'use the nextCursor of a previous page',
      );
    }
  });

  it('refuses a cursor sealed under another secret (another deployment, or a rotated secret)', () => {
    const made = encodeCursor(['2026-11-02', 'a']);
    setCursorKey('another secret of at least thirty-two characters');
    try {
      refusal(() => decodeCursor(made, SHAPE));
    } finally {
      setCursorKey(SECRET);
    }
    expect(decodeCursor(made, SHAPE)).toEqual(['2026-11-02', 'a']);
  });
});

describe('pageInMemory', () => {
  beforeAll(() => setCursorKey(SECRET));

  it('pages a bounded list in key order, each item once, for any page size', () => {
    const ascending = ['b', 'e', 'a', 'c', 'd'];
    for (let limit = 1; limit <= 6; limit += 1) {
      const pages = walk(ROWS, limit, 'asc');
      expect(pages.flat().map((row) => row.id)).toEqual(ascending);
      expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
      expect(
        walk(ROWS, limit, 'desc')
          .flat()
          .map((row) => row.id),
      ).toEqual([...ascending].reverse());
    }
  });

  it('ends with a null cursor, and an empty list is one empty page', () => {
    expect(pageInMemory(ROWS, { limit: 5 }, SHAPE, (row) => [row.at, row.id])).toMatchObject({
      nextCursor: null,
    });
    expect(pageInMemory([], {}, SHAPE, (row: Row) => [row.at, row.id])).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('continues after the cursor even when that item has gone meanwhile', () => {
    const first = pageInMemory(ROWS, { limit: 2 }, SHAPE, (row) => [row.at, row.id]);
    const without = ROWS.filter((row) => row.id !== first.items[1]!.id);
    const next = pageInMemory(without, { limit: 2, cursor: first.nextCursor! }, SHAPE, (row) => [
      row.at,
      row.id,
    ]);
    expect(next.items.map((row) => row.id)).toEqual(['a', 'c']);
  });

  it('refuses a cursor it did not make (400 naming the cursor), also on an empty list', () => {
    // Unsigned, and signed but of another shape (made for another list): refused alike.
    const wrongShapes = [
      ['x'],
      ['x', 'y'],
      ['2026-02-30', 'a'],
      ['2026-11-02T00:00:00.000Z', 'a'],
      [20261102, 'a'],
      ['2026-11-02', 1],
      ['2026-11-02', null],
    ];
    const forged = [
      'not-a-cursor',
      base64url(['2026-11-02', 'a']),
      ...wrongShapes.map(base64url),
      ...wrongShapes.map((keys) => encodeCursor(keys)),
    ];
    for (const { cursor, rows } of forged.flatMap((cursor) => [
      { cursor, rows: ROWS },
      { cursor, rows: [] },
    ])) {
      refusal(() => pageInMemory(rows, { cursor }, SHAPE, (row) => [row.at, row.id]));
    }
  });

  it('takes only keys of its shape from the list, so that every cursor it makes it takes back', () => {
    expect(() => pageInMemory(ROWS, {}, ['uuid', 'text'], (row) => [row.at, row.id])).toThrow(
      /do not fit the cursor shape/,
    );
  });
});
