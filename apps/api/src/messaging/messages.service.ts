import { subject } from '@casl/ability';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ConversationSummary,
  MessageAck,
  MessageHistory,
  MessageHistoryQuery,
  SendMessageRequest,
  PageQuery,
  Page,
} from '@samverka/contracts';
import { randomUUID } from 'node:crypto';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { AuditService, appendCtes, originOf } from '../audit/audit.service.js';
import { Batcher, type Outcome } from '../common/batcher.js';
import { Gate, GateFull } from '../common/gate.js';
import { caseClosed, findCase } from '../cases/case-access.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { requireCategory } from '../catalog/category-check.js';
import type { Actor } from '../common/actor.js';
import { decodeCursor, encodeCursor, pageSize, toPage } from '../common/pagination.js';
import { namesRegisterPerson } from '../common/identifying-text.js';
import { busy, conflict, fieldError, forbidden, namesPersonError } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { preparedQuery } from '../database/prepared-query.js';
import { caseWhere } from '../cases/case-query.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { mayNameAny, ProtectedPeople, protectedVersionSql } from '../people/protected-texts.js';
import {
  MESSAGE_AUDIENCE_SQL,
  MESSAGE_COLUMNS,
  messageBasisSql,
  MESSAGE_FROM,
  messageRecipientsSql,
  messageWhere,
  presentMessage,
  type MessageRow,
} from './message-query.js';

/**
 * Sends being checked at once, per process (see `MessagesService.checks`): up to four batched
 * check statements of 64 sends each, running or next.
 */
const SENDS_IN_CHECK = 256;
/** Check statements at once, per process: enough to keep the connection pool busy, and no more. */
const CHECK_STATEMENTS_AT_ONCE = 4;
/**
 * How long a send waits for its check before it is refused (503): the server is overloaded. On
 * PostgreSQL only: the embedded database (one connection, one machine) takes sends one by one.
 */
const SEND_CHECK_MAX_WAIT_MS = 2_000;
/**
 * A send is refused (503) while another replica has not received this one's emits of over a
 * second ago (`RealtimeService.deliveryLagMs`): the backlog is past the checks, in the delivery.
 */
const DELIVERY_LAG_MAX_MS = 1_000;

/** A send to check. */
interface CheckItem {
  actor: Actor;
  caseId: string;
  request: SendMessageRequest;
}

/**
 * The checks of sends without a reply-to, one row per send whose case exists (`ord` in the
 * input): the case, as the policy reads it; whether the category exists; the rest as `Checked`.
 * Whether the clientId is new is a scalar sub-query on the (author, clientId) key: as `NOT EXISTS`
 * the planner may hash the whole of case_message instead, once per check, and the prepared
 * statement keeps that plan while the table grows (4.7 ms a check at 17,700 messages, against
 * 0.6 ms at 700).
 */
const CHECK_ALL_SQL = `SELECT i.ord, k.municipality_id, k.person_id, k.status, k.area_id, k.owning_unit_id,
    k.responsible_user_id, ARRAY(SELECT cu.unit_id::text FROM case_unit cu WHERE cu.case_id = k.id) AS unit_ids,
    (SELECT display_name FROM app_user WHERE id = i.author_user_id) AS author_name,
    (SELECT true FROM case_message WHERE author_user_id = i.author_user_id AND client_id = i.client_id) IS NULL AS fresh,
    ${protectedVersionSql('k.municipality_id')} AS protected_version,
    EXISTS (SELECT 1 FROM information_category c WHERE c.municipality_id = k.municipality_id AND c.code = i.category) AS category_ok,
    ARRAY(SELECT r.id::text FROM (${messageRecipientsSql({ caseId: 'k.id', municipalityId: 'k.municipality_id', authorAgency: 'i.author_agency', category: 'i.category' })}) r) AS recipients
  FROM json_to_recordset($1::json) AS i(ord int, case_id uuid, category varchar, client_id varchar,
    author_user_id uuid, author_agency varchar)
  JOIN collab_case k ON k.id = i.case_id`;

interface CheckRow extends Checked {
  ord: number;
  area_id: string;
  owning_unit_id: string;
  responsible_user_id: string;
  unit_ids: string[];
  category_ok: boolean;
}

/** A send that stored nothing: a check failed or its clientId was taken; `whyNotStored` says which. */
class NotStored extends Error {}

/** A send that passed its checks, waiting to be stored. */
interface Send {
  actor: Actor;
  caseId: string;
  request: SendMessageRequest;
  checked: Checked;
}

/** What the checks of a send find out about it. */
interface Checked {
  municipality_id: string;
  person_id: string;
  status: string;
  author_name: string;
  fresh: boolean;
  recipients: string[];
  protected_version: string;
}

interface Sent {
  row: MessageRow;
  recipients: string[];
}

type StoredRow = Omit<MessageRow, 'person_id' | 'author_name' | 'seen_by'>;

/**
 * Stores a batch of checked messages of one municipality and audits them, in one statement (its
 * own transaction): each conversation's sequence numbers advance by its count (rows locked in
 * case order, so concurrent batches never deadlock) and the messages take them in batch order.
 * Nothing is written unless the audit chain's head is still the one the events were chained to
 * (`appendCtes`' parameters follow the input, $1). A clientId taken meanwhile fails the whole
 * statement (unique violation): nothing is stored.
 */
const STORE_SQL = `WITH ${appendCtes(1)},
  input AS (
    SELECT * FROM json_to_recordset($1::json) AS i(ord int, id uuid, municipality_id uuid, case_id uuid,
      client_id varchar, author_user_id uuid, author_unit_id uuid, author_agency varchar,
      category varchar, body text, reply_to_id uuid)
    WHERE EXISTS (SELECT 1 FROM head)
  ), counts AS (
    SELECT case_id, count(*)::int AS n FROM input GROUP BY case_id
  ), numbered AS (
    INSERT INTO case_conversation AS c (case_id, last_seq) SELECT case_id, n FROM counts ORDER BY case_id
    ON CONFLICT (case_id) DO UPDATE SET last_seq = c.last_seq + EXCLUDED.last_seq
    RETURNING case_id, last_seq
  )
  INSERT INTO case_message (id, municipality_id, case_id, seq, client_id, author_user_id, author_unit_id,
    author_agency, category, body, reply_to_id)
  SELECT i.id, i.municipality_id, i.case_id,
    (n.last_seq - c.n + row_number() OVER (PARTITION BY i.case_id ORDER BY i.ord))::int,
    i.client_id, i.author_user_id, i.author_unit_id, i.author_agency, i.category, i.body, i.reply_to_id
  FROM input i JOIN counts c ON c.case_id = i.case_id JOIN numbered n ON n.case_id = i.case_id
  ORDER BY i.ord
  RETURNING id, case_id, seq, client_id, body, category, reply_to_id, author_user_id, author_agency, created_at`;

/**
 * Case conversations. A message is persisted first (with its per-conversation sequence number),
 * then delivered live to exactly the members who may see it now; anyone can fetch what they
 * missed by sequence number, filtered by the same policy.
 */
@Injectable()
export class MessagesService {
  /**
   * Group commit of sends, per municipality: those that arrive while earlier ones are being
   * stored go together in one statement (`STORE_SQL`), all or nothing; when a batch fails, each
   * of its sends is tried alone (and answered as soon as it is), so one bad send cannot sink
   * the others.
   */
  private readonly sends = new Map<string, Batcher<Send, Sent>>();
  /** The municipalities' protected people, for the check of a message's text. */
  private readonly protectedPeople = new ProtectedPeople();
  /**
   * The sends being checked. A send that would wait longer than `SEND_CHECK_MAX_WAIT_MS` for its
   * turn is refused (503).
   */
  private readonly checks: Gate;
  /**
   * The checks of concurrent sends go out together, in one statement (`CHECK_ALL_SQL`), a few
   * statements at a time: the batched statements the sends then wait for (the store, the session
   * lookups) still find a pooled connection. A reply's check, which reads the replied-to message
   * as its sender may, goes alone (`checkReply`), as few at once.
   */
  private readonly checkBatches = new Batcher<CheckItem, Checked | undefined>(
    (items) => this.checkAll(items),
    { maxInFlight: CHECK_STATEMENTS_AT_ONCE, maxWeight: 64 },
  );
  private readonly replyChecks = new Gate(CHECK_STATEMENTS_AT_ONCE);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly realtime: RealtimeService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.checks = new Gate(SENDS_IN_CHECK, config.databaseUrl ? SEND_CHECK_MAX_WAIT_MS : Infinity);
  }

  async send(actor: Actor, caseId: string, request: SendMessageRequest): Promise<MessageAck> {
    const manager = this.dataSource.manager;
    if (!actor.context.memberCaseIds.includes(caseId)) {
      await findCase(manager, actor, caseId); // 404 unless the case may be known at all
      throw forbidden('Only the members of a case take part in its conversation');
    }
    if (this.realtime.deliveryLagMs() > DELIVERY_LAG_MAX_MS) {
      throw busy(
        'The server is delivering messages more slowly than they come; nothing was stored: send it again (the same clientId) in a moment',
        1,
      );
    }
    const checked = await this.checks
      .run(() =>
        request.replyToId
          ? this.replyChecks.run(() => this.checkReply(actor, caseId, request))
          : this.checkBatches.submit({ actor, caseId, request }),
      )
      .catch((error) => {
        throw error instanceof GateFull
          ? busy(
              'The server is taking more messages than it can store now; nothing was stored: send it again (the same clientId) in a moment',
              1,
            )
          : error;
      });
    if (!checked?.fresh) return this.whyNotStored(manager, actor, caseId, request);
    if (checked.status === 'closed') throw caseClosed();
    // Every member reads the conversation, cleared for a protected person or not: it names no one
    // protected (in their own case, not even by their given name: the case tells who is meant).
    // Checked against the register only when a cheap test against the (few) protected says it may.
    const people = await this.protectedPeople.of(
      manager,
      checked.municipality_id,
      checked.protected_version,
    );
    const named =
      mayNameAny(request.body, people, checked.person_id) &&
      (await namesRegisterPerson(manager, checked.municipality_id, request.body, {
        onlyProtected: true,
        except: checked.person_id,
      }));
    if (named) {
      throw namesPersonError(
        'body',
        "body names a person who may not be named in the case's conversation: its members are not all cleared for them",
        named,
      );
    }
    let sent: Sent;
    try {
      sent = await this.sendsOf(checked.municipality_id).submit({
        actor,
        caseId,
        request,
        checked,
      });
    } catch (error) {
      if (!(error instanceof NotStored)) throw error;
      return this.whyNotStored(manager, actor, caseId, request);
    }
    this.realtime.toUsers(sent.recipients, 'message.created', presentMessage(sent.row));
    return { id: sent.row.id, seq: sent.row.seq, clientId: request.clientId, created: true };
  }

  /**
   * The checks of sends without a reply-to, in one statement that takes no locks (`CHECK_ALL_SQL`):
   * each send's case, whether its category exists and its clientId is new, and who may see the
   * message now; then, here, whether the sender may read the case, by the policy on the case
   * record (as `caseWhere` would in SQL). `undefined` for a send whose check failed.
   */
  private async checkAll(items: CheckItem[]): Promise<Outcome<Checked | undefined>[]> {
    const input = items.map(({ actor, caseId, request }, ord) => ({
      ord,
      case_id: caseId,
      category: request.category,
      client_id: request.clientId,
      author_user_id: actor.principal.userId,
      author_agency: actor.principal.agency,
    }));
    const rows = await preparedQuery<CheckRow>(this.dataSource.manager, CHECK_ALL_SQL, [
      JSON.stringify(input),
    ]);
    const byOrd = new Map(rows.map((row) => [row.ord, row]));
    return items.map(({ actor, caseId }, ord) => {
      const row = byOrd.get(ord);
      const readable =
        row !== undefined &&
        row.category_ok &&
        row.municipality_id === actor.principal.municipalityId &&
        actor.ability.can(
          'read',
          subject('Case', {
            id: caseId,
            caseId,
            municipalityId: row.municipality_id,
            caseAreaId: row.area_id,
            caseUnitIds: [row.owning_unit_id, ...row.unit_ids],
            responsibleUserId: row.responsible_user_id,
          }),
        );
      return { ok: true, value: readable ? row : undefined };
    });
  }

  /**
   * The checks of a reply, in one statement that takes no locks: its case is readable, its
   * category exists, its reply-to is a message the author may see, its clientId is new; and who
   * may see the message now. `undefined` when a check fails.
   */
  private async checkReply(
    actor: Actor,
    caseId: string,
    request: SendMessageRequest,
  ): Promise<Checked | undefined> {
    const params = new SqlParams([
      caseId,
      request.category,
      request.clientId,
      actor.principal.userId,
      actor.principal.agency,
      request.replyToId ?? null,
    ]);
    const readable = messageWhere(actor, 'read', params);
    const [checked] = await preparedQuery<Checked>(
      this.dataSource.manager,
      `SELECT k.municipality_id, k.person_id, k.status, (SELECT display_name FROM app_user WHERE id = $4) AS author_name,
              (SELECT true FROM case_message WHERE author_user_id = $4 AND client_id = $3) IS NULL AS fresh,
              ${protectedVersionSql('k.municipality_id')} AS protected_version,
              ARRAY(SELECT r.id::text FROM (${messageRecipientsSql({ caseId: 'k.id', municipalityId: 'k.municipality_id', authorAgency: '$5', category: '$2' })}) r) AS recipients
       FROM collab_case k
       WHERE k.id = $1 AND ${caseWhere(actor, 'read', params)}
         AND EXISTS (SELECT 1 FROM information_category c WHERE c.municipality_id = k.municipality_id AND c.code = $2)
         AND ($6::uuid IS NULL OR EXISTS (
           SELECT 1 FROM ${MESSAGE_FROM} WHERE m.id = $6 AND m.case_id = $1 AND ${readable}))`,
      params.values,
    );
    return checked;
  }

  private sendsOf(municipalityId: string): Batcher<Send, Sent> {
    let batcher = this.sends.get(municipalityId);
    if (!batcher) {
      // One statement at a time: batches then number, store and hand out their messages in the
      // same order (two at once could answer out of order, and deliver a later seq first).
      batcher = new Batcher<Send, Sent>((batch) => this.persistAll(batch), {
        maxInFlight: 1,
        maxWeight: 32,
      });
      this.sends.set(municipalityId, batcher);
    }
    return batcher;
  }

  /**
   * Stores a batch of checked sends of one municipality with their audit events in one
   * statement: no BEGIN, lock or COMMIT round trips. A repeat of a clientId within the batch
   * stores nothing and is answered as a resend once the first is stored. A batch that fails (a
   * clientId taken meanwhile by another replica) is retried send by send by the batcher; a send
   * whose clientId is taken is answered as a resend.
   */
  private async persistAll(batch: Send[]): Promise<Outcome<Sent>[]> {
    const key = ({ actor, request }: Send) => `${actor.principal.userId} ${request.clientId}`;
    const firsts = new Map<string, Send>();
    for (const send of batch) if (!firsts.has(key(send))) firsts.set(key(send), send);
    const unique = [...firsts.values()];
    let stored: Outcome<Sent>[];
    try {
      stored = await this.store(unique);
    } catch (error) {
      throw isClientIdTaken(error) && batch.length === 1 ? new NotStored() : error;
    }
    const outcomes = new Map(unique.map((send, i) => [send, stored[i]!]));
    return batch.map((send) => outcomes.get(send) ?? { ok: false, error: new NotStored() });
  }

  /** Stores and audits sends of one municipality in one statement; answers in their order. */
  private async store(sends: Send[]): Promise<Outcome<Sent>[]> {
    const input = sends.map(({ actor, caseId, request, checked }, ord) => ({
      ord,
      id: randomUUID(),
      municipality_id: checked.municipality_id,
      case_id: caseId,
      client_id: request.clientId,
      author_user_id: actor.principal.userId,
      author_unit_id: actor.principal.unitId,
      author_agency: actor.principal.agency,
      category: request.category,
      body: request.body,
      reply_to_id: request.replyToId ?? null,
    }));
    const events = sends.map(({ actor, caseId, request, checked }, i) => ({
      origin: originOf(actor),
      entry: {
        action: 'message.create',
        recordType: 'CaseMessage',
        recordId: input[i]!.id,
        personId: checked.person_id,
        details: { caseId, category: request.category, deliveredTo: checked.recipients },
      },
    }));
    const rows = await this.audit.recordInStatement(
      sends[0]!.checked.municipality_id,
      events,
      async (audit) => {
        const stored = await preparedQuery<StoredRow>(this.dataSource.manager, STORE_SQL, [
          JSON.stringify(input),
          ...audit,
        ]);
        return stored.length > 0 ? stored : undefined; // none: the chain moved, nothing written
      },
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return sends.map(({ checked: { person_id, author_name, recipients } }, i) => {
      const row = byId.get(input[i]!.id);
      if (!row) return { ok: false, error: new Error('A stored message was not returned') };
      return {
        ok: true,
        value: { row: { ...row, person_id, author_name, seen_by: [] }, recipients },
      };
    });
  }

  /** Nothing was stored: the clientId was used already (a resend: its ack), or the input is wrong. */
  private async whyNotStored(
    manager: EntityManager,
    actor: Actor,
    caseId: string,
    request: SendMessageRequest,
  ): Promise<MessageAck> {
    const [sent] = await manager.query<
      {
        id: string;
        seq: number;
        case_id: string;
        body: string;
        category: string;
        reply_to_id: string | null;
      }[]
    >(
      'SELECT id, seq, case_id, body, category, reply_to_id FROM case_message WHERE author_user_id = $1 AND client_id = $2',
      [actor.principal.userId, request.clientId],
    );
    if (sent) {
      if (sent.case_id !== caseId) {
        throw conflict(
          'This clientId was already used for a message in another case; use a new one',
          'client-id-reused',
        );
      }
      // A resend is the same message: another text under a used clientId would be lost.
      if (
        sent.body !== request.body ||
        sent.category !== request.category ||
        sent.reply_to_id !== (request.replyToId ?? null)
      ) {
        throw conflict(
          'This clientId was already used for a different message; use a new one for a new message',
          'client-id-reused',
        );
      }
      return { id: sent.id, seq: sent.seq, clientId: request.clientId, created: false };
    }
    const kase = await findCase(manager, actor, caseId, { open: true });
    await requireCategory(manager, kase.municipality_id, request.category);
    throw fieldError('replyToId', 'no such message in this conversation');
  }

  /** The messages after `after` that the actor may see, oldest first. */
  async history(actor: Actor, caseId: string, query: MessageHistoryQuery): Promise<MessageHistory> {
    const manager = this.dataSource.manager;
    await findCase(manager, actor, caseId);
    const size = pageSize(query.limit);
    const params = new SqlParams([caseId, afterOf(query)]);
    const rows = await preparedQuery<MessageRow & { legal_basis: string | null }>(
      manager,
      `SELECT ${MESSAGE_COLUMNS}, ${messageBasisSql(actor, params)} AS legal_basis FROM ${MESSAGE_FROM}
       WHERE m.case_id = $1 AND m.seq > $2 AND ${messageWhere(actor, 'list', params)}
       ORDER BY m.seq LIMIT ${size + 1}`,
      params.values,
    );
    const page = rows.slice(0, size);
    await this.audit.recordAccess(
      manager,
      actor,
      page.map((row) => ({
        action: 'message.read',
        recordType: 'CaseMessage',
        recordId: row.id,
        personId: row.person_id,
        ...(row.legal_basis ? { legalBasis: row.legal_basis } : {}),
      })),
    );
    const last = page[page.length - 1];
    const nextAfter = rows.length > size && last ? last.seq : null;
    return {
      items: page.map(presentMessage),
      nextAfter,
      nextCursor: nextAfter === null ? null : encodeCursor([nextAfter]),
    };
  }

  /** Marks the conversation read up to `seq` (never backwards) and tells the case's members. */
  async markRead(actor: Actor, caseId: string, seq: number): Promise<{ seq: number }> {
    const { userId } = actor.principal;
    const marked = await this.dataSource.transaction(async (manager) => {
      await findCase(manager, actor, caseId);
      if (!actor.context.memberCaseIds.includes(caseId)) {
        throw forbidden('Only the members of a case take part in its conversation');
      }
      // Only as far as the last message this member may see: no hint of any later hidden one.
      // And the receipt names the last message up to `seq` that they may see, so that no one is
      // told they read a message hidden from them.
      const params = new SqlParams([caseId, seq]);
      const [visible] = await manager.query<{ last: number | null; upto: number | null }[]>(
        `SELECT max(m.seq)::int AS last, (max(m.seq) FILTER (WHERE m.seq <= $2))::int AS upto
         FROM ${MESSAGE_FROM} WHERE m.case_id = $1 AND ${messageWhere(actor, 'list', params)}`,
        params.values,
      );
      const last = visible?.last ?? 0;
      if (seq > last) {
        throw fieldError('seq', `you can mark read up to the last message you can see (${last})`);
      }
      const upto = visible?.upto ?? 0;
      const [before] = await manager.query<{ seq: number }[]>(
        'SELECT seq FROM message_read WHERE case_id = $1 AND user_id = $2 FOR UPDATE',
        [caseId, userId],
      );
      const [row] = await manager.query<{ seq: number }[]>(
        `INSERT INTO message_read (case_id, user_id, seq, read_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (case_id, user_id) DO UPDATE SET seq = GREATEST(message_read.seq, EXCLUDED.seq),
           read_at = now()
         RETURNING seq`,
        [caseId, userId, upto],
      );
      // The messages this read passes that are hidden from the member stay unseen by them (and
      // unread once they may see them); those it covers that they may see now are seen.
      const unseen = new SqlParams([caseId, userId, before?.seq ?? 0, row!.seq]);
      await manager.query(
        `INSERT INTO message_unseen (case_id, user_id, seq)
         SELECT $1::uuid, $2::uuid, seq FROM case_message
         WHERE case_id = $1 AND seq > $3 AND seq <= $4 AND author_user_id <> $2
         EXCEPT
         SELECT $1::uuid, $2::uuid, m.seq FROM ${MESSAGE_FROM}
         WHERE m.case_id = $1 AND m.seq > $3 AND m.seq <= $4 AND ${messageWhere(actor, 'list', unseen)}
         ON CONFLICT DO NOTHING`,
        unseen.values,
      );
      const seen = new SqlParams([caseId, userId, upto]);
      await manager.query(
        `DELETE FROM message_unseen x USING ${MESSAGE_FROM}
         WHERE x.case_id = $1 AND x.user_id = $2 AND x.seq <= $3
           AND m.case_id = x.case_id AND m.seq = x.seq AND ${messageWhere(actor, 'list', seen)}`,
        seen.values,
      );
      // Told: the members who may see that message (to others it would tell of hidden ones).
      const members = await manager.query<{ user_id: string }[]>(MESSAGE_AUDIENCE_SQL, [
        caseId,
        row!.seq,
      ]);
      return { seq: row!.seq, members: members.map((member) => member.user_id) };
    });
    this.realtime.toUsers(marked.members, 'message.read', { caseId, userId, seq: marked.seq });
    return { seq: marked.seq };
  }

  /** Per case the user is a member of: the last message they may see, how far they read, unread. */
  async conversations(actor: Actor, query: PageQuery): Promise<Page<ConversationSummary>> {
    const size = pageSize(query.limit);
    const [after] = decodeCursor(query.cursor, ['uuid']) ?? [null];
    const params = new SqlParams([[...actor.context.memberCaseIds], actor.principal.userId]);
    const rows = await this.dataSource.query<
      { case_id: string; last_seq: number; read_seq: number; unread: number }[]
    >(
      `SELECT k.id AS case_id, COALESCE(max(m.seq), 0)::int AS last_seq, COALESCE(r.seq, 0)::int AS read_seq,
              (count(m.id) FILTER (WHERE (m.seq > COALESCE(r.seq, 0) OR x.seq IS NOT NULL)
                AND m.author_user_id <> $2))::int AS unread
       FROM collab_case k
       LEFT JOIN message_read r ON r.case_id = k.id AND r.user_id = $2
       LEFT JOIN case_message m ON m.case_id = k.id AND ${messageWhere(actor, 'list', params)}
       LEFT JOIN message_unseen x ON x.case_id = k.id AND x.user_id = $2 AND x.seq = m.seq
       WHERE k.id = ANY($1::uuid[])${after === null ? '' : ` AND k.id > ${params.bind(after)}::uuid`}
       GROUP BY k.id, r.seq ORDER BY k.id LIMIT ${size + 1}`,
      params.values,
    );
    return toPage(
      rows,
      size,
      (row) => ({
        caseId: row.case_id,
        lastSeq: row.last_seq,
        readSeq: row.read_seq,
        unread: row.unread,
      }),
      (row) => [row.case_id],
    );
  }
}

/** Where a history page starts: `after`, or the cursor a previous page gave (not both). */
function afterOf(query: MessageHistoryQuery): number {
  const [after] = decodeCursor(query.cursor, ['int']) ?? [query.after ?? 0];
  if (query.cursor !== undefined && query.after !== undefined)
    throw fieldError('cursor', 'give either after or cursor, not both');
  return after as number;
}

/** The statement failed because a message with this author and clientId exists already. */
function isClientIdTaken(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const { code, constraint } = error.driverError as { code?: string; constraint?: string };
  return code === '23505' && constraint === 'case_message_client_key';
}
