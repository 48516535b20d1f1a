import { describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { type CursorKey, pageInMemory } from './pagination.js';

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

describe('pageInMemory', () => {
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
    const forged = [
      'not-a-cursor',
      ['x'],
      ['x', 'y'],
      ['2026-02-30', 'a'],
      ['2026-11-02T00:00:00.000Z', 'a'],
      [20261102, 'a'],
      ['2026-11-02', 1],
      ['2026-11-02', null],
    ].map((keys) =>
      typeof keys === 'string' ? keys : Buffer.from(JSON.stringify(keys)).toString('base64url'),
    );
    for (const { cursor, rows } of forged.flatMap((cursor) => [
      { cursor, rows: ROWS },
      { cursor, rows: [] },
    ])) {
      let error: unknown;
      try {
        pageInMemory(rows, { cursor }, SHAPE, (row) => [row.at, row.id]);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(HttpException);
      expect((error as HttpException).getStatus()).toBe(400);
      expect(JSON.stringify((error as HttpException).getResponse())).toContain('cursor');
    }
  });

  it('takes only keys of its shape from the list, so that every cursor it makes it takes back', () => {
    expect(() => pageInMemory(ROWS, {}, ['uuid', 'text'], (row) => [row.at, row.id])).toThrow(
      /do not fit the cursor shape/,
    );
  });
});
