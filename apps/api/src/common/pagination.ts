import { DEFAULT_PAGE_SIZE, type Page } from '@samverka/contracts';
import { fieldError } from './problems.js';

/** Keyset cursors: the sort key of the last item, opaque to clients. */
export function encodeCursor(keys: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  arity: number,
): (string | number | null)[] | null {
  if (!cursor) return null;
  try {
    const keys: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(keys) &&
      keys.length === arity &&
      keys.every((key) => key === null || typeof key === 'string' || typeof key === 'number')
    ) {
      return keys as (string | number | null)[];
    }
  } catch {
    // fall through
  }
  throw fieldError('cursor', 'cursor is not valid; use the nextCursor of a previous page');
}

export function pageSize(limit: number | undefined): number {
  return limit ?? DEFAULT_PAGE_SIZE;
}

/** Given `limit + 1` rows, the page and the cursor to the next one. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  present: (row: Row) => Item,
  keysOf: (row: Row) => (string | number | null)[],
): Page<Item> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(present),
    nextCursor: more && last !== undefined ? encodeCursor(keysOf(last)) : null,
  };
}
