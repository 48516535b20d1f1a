import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { Actor } from '../common/actor.js';
import {
  type AuditEventRow,
  canonicalJson,
  GENESIS_HASH,
  hashEvent,
  type HashedAuditFields,
} from './audit-hash.js';
import { preparedQuery } from '../database/prepared-query.js';
import { Batcher, type Outcome } from '../common/batcher.js';
import { Problem } from '../common/problems.js';

/** What happened; who and where come from the actor. */
export interface AuditEntry {
  action: string;
  recordType?: string;
  recordId?: string;
  /** The person whose data this concerns (for "who accessed my data"). */
  personId?: string | null;
  legalBasis?: string;
  reason?: string;
  /** Extra facts: never personal data or identity numbers, only ids and field names. */
  details?: Record<string, unknown>;
}

/** Who did it when there is no signed-in actor (failed logins, seeding, scheduled jobs). */
export interface AuditOrigin {
  municipalityId: string;
  actorUserId: string | null;
  actorUnitId: string | null;
  requestId: string | null;
}

/** The legal basis an access on emergency access (nödåtkomst) is audited with. */
export const EMERGENCY_ACCESS_BASIS = 'nödåtkomst';

/**
 * An event about a person the actor sees only on emergency access carries that as its legal
 * basis (unless it has one of its own): the auditor tells those accesses from the others, in
 * every output that audits the person.
 */
function onEmergencyAccess(who: Actor | AuditOrigin, entry: AuditEntry): AuditEntry {
  if (!('principal' in who) || !entry.personId || entry.legalBasis) return entry;
  return who.principal.emergencyPersonIds?.includes(entry.personId)
    ? { ...entry, legalBasis: EMERGENCY_ACCESS_BASIS }
    : entry;
}

export function originOf(actor: Actor): AuditOrigin {
  return {
    municipalityId: actor.principal.municipalityId,
    actorUserId: actor.principal.userId,
    actorUnitId: actor.principal.unitId,
    requestId: actor.requestId,
  };
}

/** An event as the append reads it from JSON; the statement adds municipality, shard and time. */
type AppendedRow = Omit<AuditEventRow, 'municipality_id' | 'shard' | 'occurred_at'>;

/**
 * The append as two CTEs of a statement whose own parameters come first (`offset` of them).
 * Then: the events (JSON array of `AppendedRow`); municipality, shard, time; the new head (seq,
 * hash); the head (seq, hash) the events were chained to. `head` answers a row, and the events
 * go in, only if the chain's head is still that one (always so under the chain's row lock;
 * otherwise another writer's append came first, and nothing is written).
 */
export function appendCtes(offset: number): string {
  const p = (n: number) => `$${offset + n}`;
  return `head AS (
    UPDATE audit_chain SET seq = ${p(5)}, head_hash = ${p(6)}
    WHERE municipality_id = ${p(2)} AND shard = ${p(3)} AND seq = ${p(7)} AND head_hash = ${p(8)}
    RETURNING 1),
  appended AS (
    INSERT INTO audit_event (id, municipality_id, shard, seq, occurred_at, action, actor_user_id, actor_unit_id,
      record_type, record_id, person_id, request_id, legal_basis, reason, details, prev_hash, hash)
    SELECT e.id, ${p(2)}, ${p(3)}, e.seq, ${p(4)}, e.action, e.actor_user_id, e.actor_unit_id, e.record_type,
      e.record_id, e.person_id, e.request_id, e.legal_basis, e.reason, e.details, e.prev_hash, e.hash
    FROM json_to_recordset(${p(1)}::json) AS e(id uuid, seq bigint, action varchar, actor_user_id uuid,
      actor_unit_id uuid, record_type varchar, record_id varchar, person_id uuid, request_id varchar,
      legal_basis varchar, reason varchar, details text, prev_hash char(64), hash char(64))
    WHERE EXISTS (SELECT 1 FROM head)
    RETURNING 1)`;
}

/** The append alone, answering how many events went in. */
const APPEND_SQL = `WITH ${appendCtes(0)} SELECT count(*)::int AS appended FROM appended`;

/** A chain's head as this process last wrote or read it. */
interface ChainHead {
  shard: number;
  seq: string;
  head_hash: string;
}

/**
 * Shards from here on are appended to without a lock, each by one statement at a time whose
 * append goes in only if the head is still the one this process keeps (group-committed reads,
 * changes made by one statement); changes in a transaction lock the shards below.
 */
const LOCK_FREE_SHARD_BASE = 1_024; // above AUDIT_CHAINS_PER_MUNICIPALITY's maximum
const LOCK_FREE_SHARDS = 256;
/** Attempts of one lock-free append when other writers keep winning the chain it picked. */
const LOCK_FREE_ATTEMPTS = 4;

/** The parameters of `appendCtes` for events chained onto a head, and the head they make. */
interface Chained {
  params: unknown[];
  next: { seq: string; head_hash: string };
}

export interface OriginEntry {
  origin: AuditOrigin;
  entry: AuditEntry;
}

/** Most audited reads appended in one group-commit transaction, and how many such run at once. */
const GROUP_MAX_EVENTS = 2_000;
const GROUP_MAX_IN_FLIGHT = 2;

/**
 * Appends audit events to a hash chain. Changes are audited inside the caller's transaction: the
 * events commit or roll back with the change they record (`record`). Reads are audited by group
 * commit (`recordAccess`): the events of concurrent requests are appended in one transaction, and
 * each request hands out its data only once its events are durable.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);
  /** The chain each open transaction (query runner) writes to. */
  private readonly chainOf = new WeakMap<object, { municipalityId: string; shard: number }>();
  /** Lock-free chains of each municipality that this process keeps the heads of, not in use now. */
  private readonly idleChains = new Map<string, ChainHead[]>();
  /** Reads of concurrent requests, appended together (group commit). */
  private readonly accesses = new Batcher<OriginEntry[], void>(
    (requests) => this.appendReads(requests),
    {
      maxInFlight: GROUP_MAX_IN_FLIGHT,
      maxWeight: GROUP_MAX_EVENTS,
      weight: (events) => events.length,
      onSplit: (error) =>
        this.logger.warn(`Group audit append failed, retrying one by one: ${String(error)}`),
    },
  );

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Audits a change inside the transaction that makes it. */
  record(manager: EntityManager, who: Actor | AuditOrigin, entries: AuditEntry[]): Promise<void> {
    const origin = 'principal' in who ? originOf(who) : who;
    return this.recordAll(
      manager,
      entries.map((entry) => ({ origin, entry: onEmergencyAccess(who, entry) })),
    );
  }

  /** Audits the changes of several actors (a group commit) inside the transaction that makes them. */
  async recordAll(manager: EntityManager, events: OriginEntry[]): Promise<void> {
    if (events.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('Audit events must be written inside the transaction of what they record');
    }
    for (const [municipalityId, group] of byMunicipality(events)) {
      await this.append(manager, municipalityId, group);
    }
  }

  /**
   * Audits a read. Inside a transaction (a read that is part of a change) the events join it;
   * otherwise they are appended by group commit with other requests' reads. Resolves once they
   * are committed: the caller hands out nothing before that, and answers 500 if it fails.
   */
  recordAccess(
    manager: EntityManager,
    who: Actor | AuditOrigin,
    entries: AuditEntry[],
  ): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    if (manager.queryRunner?.isTransactionActive) return this.record(manager, who, entries);
    const origin = 'principal' in who ? originOf(who) : who;
    return this.accesses.submit(
      entries.map((entry) => ({ origin, entry: onEmergencyAccess(who, entry) })),
    );
  }

  /**
   * Audits a refusal that told its sender a person is in the register (a text naming them: see
   * `Problem.namedPersonId`) against that person, as a read of their data: a user trying names
   * or addresses to learn who is registered, or protected, shows in the person's trail. Appended
   * on its own (the refused change's transaction, if any, is rolled back). Nothing for others.
   */
  recordRefusal(actor: Actor, refusal: unknown): Promise<void> {
    if (!(refusal instanceof Problem) || !refusal.namedPersonId) return Promise.resolve();
    const personId = refusal.namedPersonId;
    const fields = refusal.errors?.map((error) => error.field) ?? [];
    return this.accesses.submit([
      {
        origin: originOf(actor),
        entry: {
          action: 'person.named_in_refused_text',
          recordType: 'Person',
          recordId: personId,
          personId,
          details: { fields },
        },
      },
    ]);
  }

  /** Appends events of one municipality to one of its chains, in the manager's transaction. */
  private async append(
    manager: EntityManager,
    municipalityId: string,
    events: OriginEntry[],
  ): Promise<void> {
    const chain = await this.takeChain(manager, municipalityId);
    if (!(await this.write(manager, municipalityId, chain, events))) {
      throw new Error(`Audit chain ${municipalityId}/${chain.shard} moved while locked`);
    }
  }

  /**
   * Appends group-committed reads (each request's events are of one actor, so of one
   * municipality), each municipality's in one statement that is its own transaction: no BEGIN,
   * lock or COMMIT round trips. Answers per request: a municipality whose append failed fails
   * only its own requests (retried one by one when several), never re-appends another's events.
   */
  private async appendReads(requests: OriginEntry[][]): Promise<Outcome<void>[]> {
    const outcomes: Outcome<void>[] = requests.map(() => ({ ok: true, value: undefined }));
    const byMunicipality = new Map<string, number[]>();
    requests.forEach((events, i) => {
      const municipalityId = events[0]!.origin.municipalityId;
      byMunicipality.set(municipalityId, [...(byMunicipality.get(municipalityId) ?? []), i]);
    });
    for (const [municipalityId, indexes] of byMunicipality) {
      const appendAll = (of: number[]) =>
        this.lockFree(municipalityId, (chain) =>
          this.write(
            this.dataSource.manager,
            municipalityId,
            chain,
            of.flatMap((i) => requests[i]!),
          ),
        );
      try {
        await appendAll(indexes);
      } catch (error) {
        if (indexes.length === 1) {
          outcomes[indexes[0]!] = { ok: false, error };
          continue;
        }
        this.logger.warn(`Group audit append failed, retrying one by one: ${String(error)}`);
        for (const i of indexes) {
          await appendAll([i]).catch((alone: unknown) => {
            outcomes[i] = { ok: false, error: alone };
          });
        }
      }
    }
    return outcomes;
  }

  /**
   * Audits a change that one statement makes, in that statement: no BEGIN, lock or COMMIT round
   * trips. `run` executes the statement with `appendCtes(n)` among its CTEs (its own `n`
   * parameters first, then `params`); the statement must change nothing unless the CTE `head`
   * answers a row, and `run` answers `undefined` when it did not (another process appended to
   * the chain meanwhile; the events then go to another chain). An error leaves nothing written.
   */
  recordInStatement<R>(
    municipalityId: string,
    events: OriginEntry[],
    run: (params: unknown[]) => Promise<R | undefined>,
  ): Promise<R> {
    return this.lockFree(municipalityId, async (chain) => {
      const chained = chainEvents(municipalityId, chain, events);
      const result = await run(chained.params);
      if (result !== undefined) Object.assign(chain, chained.next);
      return result;
    });
  }

  /**
   * Runs `append` on one of the municipality's lock-free chains whose head this process keeps,
   * until an attempt answers something other than `undefined` (it lost the chain to another
   * process, and another one is tried). A chain whose attempt threw is left out: its head is
   * unknown until it is claimed again.
   */
  private async lockFree<R>(
    municipalityId: string,
    append: (chain: ChainHead) => Promise<R | undefined>,
  ): Promise<R> {
    const idle = this.idleChains.get(municipalityId) ?? [];
    this.idleChains.set(municipalityId, idle);
    for (let attempt = 1; ; attempt += 1) {
      const chain = idle.pop() ?? (await this.claimChain(municipalityId));
      const result = await append(chain);
      if (result !== undefined) {
        idle.push(chain);
        return result;
      }
      if (attempt === LOCK_FREE_ATTEMPTS) {
        throw new Error(`Audit append for ${municipalityId} lost its chain ${attempt} times`);
      }
    }
  }

  /** A lock-free chain picked at random, with its head as stored now (created on first use). */
  private async claimChain(municipalityId: string): Promise<ChainHead> {
    const [chain] = await this.dataSource.query<ChainHead[]>(
      `INSERT INTO audit_chain (municipality_id, shard, seq, head_hash) VALUES ($1, $2, 0, $3)
       ON CONFLICT (municipality_id, shard) DO UPDATE SET seq = audit_chain.seq
       RETURNING shard, seq, head_hash`,
      [municipalityId, LOCK_FREE_SHARD_BASE + randomInt(LOCK_FREE_SHARDS), GENESIS_HASH],
    );
    return chain!;
  }

  /**
   * Writes the events chained onto `chain` with the new head, if the stored head is still
   * `chain`'s. Moves `chain` to the new head and answers true when they went in.
   */
  private async write(
    manager: EntityManager,
    municipalityId: string,
    chain: ChainHead,
    events: OriginEntry[],
  ): Promise<true | undefined> {
    const chained = chainEvents(municipalityId, chain, events);
    // The events and the new chain head in one statement of constant text (prepared once).
    const [{ appended }] = (await preparedQuery<{ appended: number }>(
      manager,
      APPEND_SQL,
      chained.params,
    )) as [{ appended: number }];
    if (appended !== events.length) return undefined;
    Object.assign(chain, chained.next);
    return true;
  }

  /**
   * Locks the head of one of the municipality's chains until the transaction ends, so the chain
   * never forks. A chain that no other transaction holds is taken (SKIP LOCKED), so concurrent
   * writers do not queue behind one another; when all are busy a further chain is created (up to
   * AUDIT_CHAINS_PER_MUNICIPALITY) or waited for. A transaction keeps to the chain it took first.
   */
  private async takeChain(manager: EntityManager, municipalityId: string): Promise<ChainHead> {
    const runner = manager.queryRunner!;
    const held = this.chainOf.get(runner);
    const free =
      held?.municipalityId === municipalityId
        ? []
        : await preparedQuery<ChainHead>(
            manager,
            `SELECT shard, seq, head_hash FROM audit_chain WHERE municipality_id = $1 AND shard < $2
           ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED`,
            [municipalityId, LOCK_FREE_SHARD_BASE],
          );
    let chain = free[0];
    if (!chain) {
      const shard =
        held?.municipalityId === municipalityId
          ? held.shard
          : randomInt(this.config.auditChainsPerMunicipality);
      [chain] = await manager.query<ChainHead[]>(
        `INSERT INTO audit_chain (municipality_id, shard, seq, head_hash) VALUES ($1, $2, 0, $3)
         ON CONFLICT (municipality_id, shard) DO UPDATE SET seq = audit_chain.seq
         RETURNING shard, seq, head_hash`,
        [municipalityId, shard, GENESIS_HASH],
      );
    }
    this.chainOf.set(runner, { municipalityId, shard: chain!.shard });
    return chain!;
  }
}

function byMunicipality(events: OriginEntry[]): Map<string, OriginEntry[]> {
  const groups = new Map<string, OriginEntry[]>();
  for (const event of events) {
    const group = groups.get(event.origin.municipalityId) ?? [];
    group.push(event);
    groups.set(event.origin.municipalityId, group);
  }
  return groups;
}

/** Hashes the events onto `chain`'s head: the parameters of `appendCtes` and the head they make. */
function chainEvents(municipalityId: string, chain: ChainHead, events: OriginEntry[]): Chained {
  const { shard } = chain;
  let seq = BigInt(chain.seq);
  let prevHash = chain.head_hash;
  const occurredAt = new Date();
  const rows: AppendedRow[] = [];
  for (const { origin, entry } of events) {
    seq += 1n;
    const event: HashedAuditFields = {
      id: randomUUID(),
      municipalityId,
      shard,
      seq: seq.toString(),
      occurredAt,
      action: entry.action,
      actorUserId: origin.actorUserId,
      actorUnitId: origin.actorUnitId,
      recordType: entry.recordType ?? null,
      recordId: entry.recordId ?? null,
      personId: entry.personId ?? null,
      requestId: origin.requestId,
      legalBasis: entry.legalBasis ?? null,
      reason: entry.reason ?? null,
      details: entry.details ? canonicalJson(entry.details) : null,
      prevHash,
    };
    const hash = hashEvent(event);
    rows.push({
      id: event.id,
      seq: event.seq,
      action: event.action,
      actor_user_id: event.actorUserId,
      actor_unit_id: event.actorUnitId,
      record_type: event.recordType,
      record_id: event.recordId,
      person_id: event.personId,
      request_id: event.requestId,
      legal_basis: event.legalBasis,
      reason: event.reason,
      details: event.details,
      prev_hash: event.prevHash,
      hash,
    });
    prevHash = hash;
  }
  return {
    params: [
      JSON.stringify(rows),
      municipalityId,
      shard,
      occurredAt,
      seq.toString(),
      prevHash,
      chain.seq,
      chain.head_hash,
    ],
    next: { seq: seq.toString(), head_hash: prevHash },
  };
}
