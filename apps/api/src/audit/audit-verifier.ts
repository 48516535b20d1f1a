import type { BrokenLink } from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import { type AuditEventRow, GENESIS_HASH, hashEvent } from './audit-hash.js';

export interface VerifyResult {
  ok: boolean;
  chainsChecked: number;
  eventsChecked: number;
  firstBrokenLink: BrokenLink | null;
  /** The first broken link of each chain that has one. */
  brokenLinks: BrokenLink[];
}

const BATCH = 5000;

/**
 * Walks every hash chain from its genesis, recomputing every hash, and reports the first link
 * that does not hold in each chain: a changed event, a removed one, or a head that does not
 * match the last event. A break in one chain does not stop the others being checked.
 */
export async function verifyAuditChains(
  dataSource: DataSource,
  municipalityId?: string,
): Promise<VerifyResult> {
  const chains = await dataSource.query<
    { municipality_id: string; shard: number; seq: string; head_hash: string }[]
  >(
    `SELECT municipality_id, shard, seq, head_hash FROM audit_chain
     ${municipalityId ? 'WHERE municipality_id = $1' : ''} ORDER BY municipality_id, shard`,
    municipalityId ? [municipalityId] : [],
  );
  const counter = { events: 0 };
  const brokenLinks: BrokenLink[] = [];
  for (const chain of chains) {
    const broken = await verifyChain(dataSource, chain, counter);
    if (broken) brokenLinks.push(broken);
  }
  return {
    ok: brokenLinks.length === 0,
    chainsChecked: chains.length,
    eventsChecked: counter.events,
    firstBrokenLink: brokenLinks[0] ?? null,
    brokenLinks,
  };
}

/** The first link of one chain that does not hold, or null. */
async function verifyChain(
  dataSource: DataSource,
  chain: { municipality_id: string; shard: number; seq: string; head_hash: string },
  counter: { events: number },
): Promise<BrokenLink | null> {
  const name = `${chain.municipality_id}/${chain.shard}`;
  const broken = (seq: bigint, eventId: string | null, reason: string): BrokenLink => ({
    chain: name,
    seq: Number(seq),
    eventId,
    reason,
  });
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await dataSource.query<AuditEventRow[]>(
      `SELECT * FROM audit_event WHERE municipality_id = $1 AND shard = $2 AND seq >= $3
       ORDER BY seq LIMIT ${BATCH}`,
      [chain.municipality_id, chain.shard, expectedSeq.toString()],
    );
    for (const row of rows) {
      counter.events++;
      const seq = BigInt(row.seq);
      if (seq !== expectedSeq) return broken(expectedSeq, null, `event ${expectedSeq} is missing`);
      if (row.prev_hash !== prevHash) {
        return broken(seq, row.id, 'prev_hash does not match the hash of the previous event');
      }
      const recomputed = hashEvent({
        id: row.id,
        municipalityId: row.municipality_id,
        shard: row.shard,
        seq: row.seq,
        occurredAt: row.occurred_at,
        action: row.action,
        actorUserId: row.actor_user_id,
        actorUnitId: row.actor_unit_id,
        recordType: row.record_type,
        recordId: row.record_id,
        personId: row.person_id,
        requestId: row.request_id,
        legalBasis: row.legal_basis,
        reason: row.reason,
        details: row.details,
        prevHash: row.prev_hash,
      });
      if (recomputed !== row.hash)
        return broken(seq, row.id, 'the event was changed after it was written');
      prevHash = row.hash;
      expectedSeq++;
    }
    if (rows.length < BATCH) break;
  }
  const last = expectedSeq - 1n;
  if (BigInt(chain.seq) !== last || chain.head_hash !== prevHash) {
    return broken(
      BigInt(chain.seq),
      null,
      `the chain head (seq ${chain.seq}) does not match its last event (seq ${last})`,
    );
  }
  return null;
}
