import { DEFAULT_PAGE_SIZE, MAX_SEQ, type Page } from '@samverka/contracts';
import { isUUID } from 'class-validator';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { fieldError } from './problems.js';

/**
 * The key cursors are sealed with: derived from the JWT access secret, so that every replica
 * seals alike and a cursor outlives a restart. Set once when the app starts (`createApp`); until
 * then no cursor is made and none is taken.
 */
let cursorKey: Buffer | null = null;

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Cursors' keys are padded to a multiple of this many bytes. */
const PAD_TO = 128;

/** Seals cursors from now on with a key derived from `secret` (the JWT access secret). */
export function setCursorKey(secret: string): void {
  cursorKey = createHmac('sha256', secret).update('samverka cursor v2').digest();
}

/**
 * Keyset cursors: the sort key of the last item, opaque to clients. The keys (as JSON) are
 * encrypted and authenticated (AES-256-GCM, a fresh IV each), so that a cursor says nothing of
 * the row it follows (a person's name, a date) where it travels, in URLs and the logs that keep
 * them, and a cursor the server did not make is refused however well it is shaped.
 */
export function encodeCursor(keys: readonly (string | number | null)[]): string {
  if (!cursorKey) throw new Error('cursor key not set: call setCursorKey when the app starts');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, cursorKey, iv);
  // Padded (JSON allows trailing spaces) so that its length tells nothing of a key's either.
  const json = JSON.stringify(keys);
  const bytes = Buffer.byteLength(json);
  const padded = json + ' '.repeat(Math.ceil((bytes + 1) / PAD_TO) * PAD_TO - bytes);
  const sealed = Buffer.concat([cipher.update(padded, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The keys (as JSON) of a cursor this server sealed, or null for any other string. */
function opened(cursor: string): string | null {
  if (!cursorKey || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const bytes = Buffer.from(cursor, 'base64url');
  // Only as we write it: stray characters the decoder would pass over make another cursor.
  if (bytes.length <= IV_BYTES + TAG_BYTES || bytes.toString('base64url') !== cursor) return null;
  try {
    const decipher = createDecipheriv(CIPHER, cursorKey, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null; // not sealed with our key, or changed since
  }
}

/**
 * What each key of a cursor must be: a timestamp as `toISOString` writes it, a calendar day as
 * PostgreSQL writes a date, a UUID, any text, or a 32-bit count. A cursor of another shape was
 * not made by us (or not for this list): it is a 400, before it could reach the database or be
 * compared with a list's keys (a signed cursor of another shape is one made for another list).
 */
export type CursorKey = 'time' | 'date' | 'uuid' | 'text' | 'int';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

const KEY_CHECKS: Record<CursorKey, (key: unknown) => boolean> = {
  time: (key) =>
    typeof key === 'string' &&
    ISO_INSTANT.test(key) &&
    !Number.isNaN(Date.parse(key)) &&
    new Date(key).toISOString() === key,
  date: (key) =>
    typeof key === 'string' &&
    ISO_DAY.test(key) &&
    !Number.isNaN(Date.parse(key)) &&
    new Date(key).toISOString().slice(0, 10) === key,
  uuid: (key) => typeof key === 'string' && isUUID(key),
  text: (key) => typeof key === 'string',
  int: (key) => Number.isInteger(key) && (key as number) >= 0 && (key as number) <= MAX_SEQ,
};

/** Whether `keys` are keys of the shape: as many, each of its kind. */
function fits(keys: unknown, shape: readonly CursorKey[]): keys is (string | number)[] {
  return (
    Array.isArray(keys) &&
    keys.length === shape.length &&
    keys.every((key, i) => KEY_CHECKS[shape[i]!](key))
  );
}

/**
 * The keys of a cursor: `shape` says what each must be. A cursor that does not open with our key
 * (its tag does not verify) is refused before it is read at all.
 */
export function decodeCursor(
  cursor: string | undefined,
  shape: readonly CursorKey[],
): (string | number)[] | null {
  if (!cursor) return null;
  const json = opened(cursor);
  if (json !== null) {
    try {
      const keys: unknown = JSON.parse(json);
      if (fits(keys, shape)) return keys;
    } catch {
      // fall through
    }
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
 * per item, of the kinds `shape` names), then the items after the cursor's keys, `limit` of
 * them. Sorting and paging use one comparison, so no item is skipped or repeated from one page to
 * the next. A cursor whose keys are not of the shape is a 400, as on every other list.
 */
export function pageInMemory<Item>(
  items: readonly Item[],
  query: { limit?: number; cursor?: string },
  shape: readonly CursorKey[],
  keysOf: (item: Item) => Key[],
  order: 'asc' | 'desc' = 'asc',
): Page<Item> {
  const size = pageSize(query.limit);
  const after = decodeCursor(query.cursor, shape);
  const sign = order === 'asc' ? 1 : -1;
  const compare = (a: readonly Key[], b: readonly Key[]): number => {
    for (let i = 0; i < shape.length; i += 1) {
      const x = a[i]!;
      const y = b[i]!;
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
  const keyed = items.map((item) => {
    const keys = keysOf(item);
    // The shape must describe the keys made here, or the next page's cursor would be refused.
    if (!fits(keys, shape)) {
      throw new Error(
        `list keys ${JSON.stringify(keys)} do not fit the cursor shape ${shape.join(', ')}`,
      );
    }
    return { item, keys };
  });
  keyed.sort((a, b) => compare(a.keys, b.keys));
  const rest = after ? keyed.filter((entry) => compare(entry.keys, after) > 0) : keyed;
  return toPage(
    rest.slice(0, size + 1),
    size,
    (entry) => entry.item,
    (entry) => entry.keys,
  );
}
