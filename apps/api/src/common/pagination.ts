import { DEFAULT_PAGE_SIZE, MAX_SEQ, type Page } from '@samverka/contracts';
import { isUUID } from 'class-validator';
import { fieldError } from './problems.js';

/** Keyset cursors: the sort key of the last item, opaque to clients. */
export function encodeCursor(keys: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

/**
 * What each key of a cursor must be, for a cursor whose keys go to SQL: a timestamp as
 * `toISOString` writes it, a UUID, any text, or a 32-bit count. A cursor of another shape was
 * not made by us (or not for this list): it is a 400, before it could reach the database.
 */
export type CursorKey = 'time' | 'uuid' | 'text' | 'int';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const KEY_CHECKS: Record<CursorKey, (key: unknown) => boolean> = {
  time: (key) =>
    typeof key === 'string' &&
    ISO_INSTANT.test(key) &&
    !Number.isNaN(Date.parse(key)) &&
    new Date(key).toISOString() === key,
  uuid: (key) => typeof key === 'string' && isUUID(key),
  text: (key) => typeof key === 'string',
  int: (key) => Number.isInteger(key) && (key as number) >= 0 && (key as number) <= MAX_SEQ,
};

/**
 * The keys of a cursor: `shape` says what each must be (or, for lists paged in memory, only how
 * many there are).
 */
export function decodeCursor(
  cursor: string | undefined,
  shape: number | readonly CursorKey[],
): (string | number | null)[] | null {
  if (!cursor) return null;
  const arity = typeof shape === 'number' ? shape : shape.length;
  try {
    const keys: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(keys) &&
      keys.length === arity &&
      keys.every((key, i) =>
        typeof shape === 'number'
          ? key === null || typeof key === 'string' || typeof key === 'number'
          : KEY_CHECKS[shape[i]!](key),
      )
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

type Key = string | number;

/**
 * A page of a list that is read whole because it is bounded by what it belongs to (a case's
 * consents, a meeting's agenda, the municipality's catalogue): sorted here by `keysOf` (unique
 * per item, `arity` keys), then the items after the cursor's keys, `limit` of them. Sorting and
 * paging use one comparison, so no item is skipped or repeated from one page to the next.
 */
export function pageInMemory<Item>(
  items: readonly Item[],
  query: { limit?: number; cursor?: string },
  arity: number,
  keysOf: (item: Item) => Key[],
  order: 'asc' | 'desc' = 'asc',
): Page<Item> {
  const size = pageSize(query.limit);
  const after = decodeCursor(query.cursor, arity);
  const sign = order === 'asc' ? 1 : -1;
  const compare = (a: readonly (Key | null)[], b: readonly (Key | null)[]): number => {
    for (let i = 0; i < arity; i += 1) {
      const x = a[i] ?? '';
      const y = b[i] ?? '';
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
  const keyed = items
    .map((item) => ({ item, keys: keysOf(item) }))
    .sort((a, b) => compare(a.keys, b.keys));
  const rest = after ? keyed.filter((entry) => compare(entry.keys, after) > 0) : keyed;
  return toPage(
    rest.slice(0, size + 1),
    size,
    (entry) => entry.item,
    (entry) => entry.keys,
  );
}
