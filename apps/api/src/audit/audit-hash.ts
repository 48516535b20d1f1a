import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that its hash covers, in hashing order. */
export interface HashedAuditFields {
  id: string;
  municipalityId: string;
  shard: number;
  seq: string;
  occurredAt: Date;
  action: string;
  actorUserId: string | null;
  actorUnitId: string | null;
  recordType: string | null;
  recordId: string | null;
  personId: string | null;
  requestId: string | null;
  legalBasis: string | null;
  reason: string | null;
  details: string | null;
  prevHash: string;
}

/** An `audit_event` row as the driver returns it (snake_case columns, bigint seq as text). */
export interface AuditEventRow {
  id: string;
  municipality_id: string;
  shard: number;
  seq: string;
  occurred_at: Date;
  action: string;
  actor_user_id: string | null;
  actor_unit_id: string | null;
  record_type: string | null;
  record_id: string | null;
  person_id: string | null;
  request_id: string | null;
  legal_basis: string | null;
  reason: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * A value of a `uuid` column as PostgreSQL gives it back: lower case. A client may send an id in
 * upper case; it must hash as it will be read when the chain is verified.
 */
const uuidAsStored = (id: string | null) => (id === null ? null : id.toLowerCase());

/**
 * The canonical text form of an event: a JSON array of its fields in a fixed order, with the time
 * in ISO 8601 (UTC, milliseconds). Hashing this text, not a JSON column read back, keeps the hash
 * independent of how the database stores or re-serialises values.
 */
export function canonicalText(event: HashedAuditFields): string {
  return JSON.stringify([
    'samverka-audit-v1',
    uuidAsStored(event.id),
    uuidAsStored(event.municipalityId),
    event.shard,
    event.seq,
    event.occurredAt.toISOString(),
    event.action,
    uuidAsStored(event.actorUserId),
    uuidAsStored(event.actorUnitId),
    event.recordType,
    event.recordId,
    uuidAsStored(event.personId),
    event.requestId,
    event.legalBasis,
    event.reason,
    event.details,
    event.prevHash,
  ]);
}

export function hashEvent(event: HashedAuditFields): string {
  return createHash('sha256').update(canonicalText(event)).digest('hex');
}

/** JSON with sorted keys, so equal details always give the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
