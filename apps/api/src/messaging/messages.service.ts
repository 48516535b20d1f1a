import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ConversationSummary,
  MessageAck,
  MessageHistory,
  MessageHistoryQuery,
  SendMessageRequest,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { findCase } from '../cases/case-access.js';
import { requireCategory } from '../catalog/category-check.js';
import type { Actor } from '../common/actor.js';
import { pageSize } from '../common/pagination.js';
import { conflict, fieldError, forbidden } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { preparedQuery } from '../database/prepared-query.js';
import { caseWhere } from '../cases/case-query.js';
import { Semaphore } from '../common/semaphore.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import {
  MESSAGE_COLUMNS,
  MESSAGE_FROM,
  messageRecipientsSql,
  messageWhere,
  presentMessage,
  type MessageRow,
} from './message-query.js';

/** Thrown inside the send transaction when the clientId was taken meanwhile: roll back, re-read. */
class AlreadySent extends Error {}

interface Sent {
  row: MessageRow;
  recipients: string[];
}

/**
 * Case conversations. A message is persisted first (with its per-conversation sequence number),
 * then delivered live to exactly the members who may see it now; anyone can fetch what they
 * missed by sequence number, filtered by the same policy.
 */
@Injectable()
export class MessagesService {
  /**
   * Sends in flight on this replica at once. Beyond it they queue here rather than interleave
   * their transactions on the pool, so that under overload each send still completes quickly.
   */
  private readonly sending = new Semaphore(8);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly realtime: RealtimeService,
  ) {}

  async send(actor: Actor, caseId: string, request: SendMessageRequest): Promise<MessageAck> {
    let sent: Sent;
    try {
      sent = await this.sending.run(() =>
        this.dataSource.transaction((manager) => this.persist(manager, actor, caseId, request)),
      );
    } catch (error) {
      if (!(error instanceof AlreadySent)) throw error;
      return this.sentBefore(actor, caseId, request.clientId);
    }
    this.realtime.toUsers(sent.recipients, 'message.created', presentMessage(sent.row));
    return { id: sent.row.id, seq: sent.row.seq, clientId: request.clientId, created: true };
  }

  /** The message this user already sent with `clientId` (a resend). */
  private async sentBefore(actor: Actor, caseId: string, clientId: string): Promise<MessageAck> {
    const [row] = await this.dataSource.query<{ id: string; seq: number; case_id: string }[]>(
      'SELECT id, seq, case_id FROM case_message WHERE author_user_id = $1 AND client_id = $2',
      [actor.principal.userId, clientId],
    );
    if (!row) throw new Error('clientId conflict without a message');
    if (row.case_id !== caseId) {
      throw conflict('This clientId was already used for a message in another case; use a new one');
    }
    return { id: row.id, seq: row.seq, clientId, created: false };
  }

  /**
   * Checks, numbers, stores and addresses the message in one statement (one round trip on the
   * happy path); when it stores nothing, finds out why and says so.
   */
  private async persist(
    manager: EntityManager,
    actor: Actor,
    caseId: string,
    request: SendMessageRequest,
  ): Promise<Sent> {
    if (!actor.context.memberCaseIds.includes(caseId)) {
      await findCase(manager, actor, caseId); // 404 unless the case may be known at all
      throw forbidden('Only the members of a case take part in its conversation');
    }
    const { userId, unitId, agency } = actor.principal;
    const params = new SqlParams([
      caseId,
      request.category,
      request.clientId,
      userId,
      unitId,
      agency,
      request.body,
      request.replyToId ?? null,
    ]);
    const readable = messageWhere(actor, 'read', params);
    const [row] = await preparedQuery<MessageRow & { recipients: string[] }>(
      manager,
      `WITH k AS (
         SELECT k.id, k.municipality_id, k.person_id FROM collab_case k
         WHERE k.id = $1 AND ${caseWhere(actor, 'read', params)}
           AND EXISTS (SELECT 1 FROM information_category c WHERE c.municipality_id = k.municipality_id AND c.code = $2)
           AND ($8::uuid IS NULL OR EXISTS (
             SELECT 1 FROM ${MESSAGE_FROM} WHERE m.id = $8 AND m.case_id = $1 AND ${readable}))
       ), numbered AS (
         INSERT INTO case_conversation (case_id, last_seq) SELECT id, 1 FROM k
         ON CONFLICT (case_id) DO UPDATE SET last_seq = case_conversation.last_seq + 1
         RETURNING last_seq
       ), inserted AS (
         INSERT INTO case_message (municipality_id, case_id, seq, client_id, author_user_id, author_unit_id, author_agency, category, body, reply_to_id)
         SELECT k.municipality_id, k.id, numbered.last_seq, $3, $4, $5, $6, $2, $7, $8 FROM k, numbered
         ON CONFLICT (author_user_id, client_id) DO NOTHING
         RETURNING id, case_id, seq, client_id, body, category, reply_to_id, author_user_id, author_agency, created_at
       )
       SELECT i.*, k.person_id, (SELECT display_name FROM app_user WHERE id = $4) AS author_name,
              '{}'::text[] AS seen_by,
              ARRAY(SELECT r.id::text FROM (${messageRecipientsSql({ caseId: 'k.id', municipalityId: 'k.municipality_id', authorAgency: '$6', category: '$2' })}) r) AS recipients
       FROM inserted i, k`,
      params.values,
    );
    if (!row) return this.whyNotStored(manager, actor, caseId, request);
    const { recipients, ...message } = row;
    await this.audit.record(manager, actor, [
      {
        action: 'message.create',
        recordType: 'CaseMessage',
        recordId: message.id,
        personId: message.person_id,
        details: { caseId, seq: message.seq, category: request.category, deliveredTo: recipients },
      },
    ]);
    return { row: message, recipients };
  }

  /** Nothing was stored: the clientId was used already, or the input is wrong. Never returns. */
  private async whyNotStored(
    manager: EntityManager,
    actor: Actor,
    caseId: string,
    request: SendMessageRequest,
  ): Promise<never> {
    const [used] = await manager.query<unknown[]>(
      'SELECT 1 FROM case_message WHERE author_user_id = $1 AND client_id = $2',
      [actor.principal.userId, request.clientId],
    );
    if (used) throw new AlreadySent();
    const kase = await findCase(manager, actor, caseId);
    await requireCategory(manager, kase.municipality_id, request.category);
    throw fieldError('replyToId', 'no such message in this conversation');
  }

  /** The messages after `after` that the actor may see, oldest first. */
  async history(actor: Actor, caseId: string, query: MessageHistoryQuery): Promise<MessageHistory> {
    const manager = this.dataSource.manager;
    await findCase(manager, actor, caseId);
    const size = pageSize(query.limit);
    const params = new SqlParams([caseId, query.after ?? 0]);
    const rows = await preparedQuery<MessageRow>(
      manager,
      `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM}
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
      })),
    );
    const last = page[page.length - 1];
    return {
      items: page.map(presentMessage),
      nextAfter: rows.length > size && last ? last.seq : null,
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
      const params = new SqlParams([caseId]);
      const [visible] = await manager.query<{ last: number | null }[]>(
        `SELECT max(m.seq)::int AS last FROM ${MESSAGE_FROM} WHERE m.case_id = $1 AND ${messageWhere(actor, 'list', params)}`,
        params.values,
      );
      const last = visible?.last ?? 0;
      if (seq > last) {
        throw fieldError('seq', `you can mark read up to the last message you can see (${last})`);
      }
      const [row] = await manager.query<{ seq: number }[]>(
        `INSERT INTO message_read (case_id, user_id, seq, read_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (case_id, user_id) DO UPDATE SET seq = GREATEST(message_read.seq, EXCLUDED.seq),
           read_at = now()
         RETURNING seq`,
        [caseId, userId, seq],
      );
      const members = await manager.query<{ user_id: string }[]>(
        'SELECT user_id FROM case_member WHERE case_id = $1',
        [caseId],
      );
      return { seq: row!.seq, members: members.map((member) => member.user_id) };
    });
    this.realtime.toUsers(marked.members, 'message.read', { caseId, userId, seq: marked.seq });
    return { seq: marked.seq };
  }

  /** Per case the user is a member of: the last message they may see, how far they read, unread. */
  async conversations(actor: Actor): Promise<ConversationSummary[]> {
    const params = new SqlParams([[...actor.context.memberCaseIds], actor.principal.userId]);
    const rows = await this.dataSource.query<
      { case_id: string; last_seq: number; read_seq: number; unread: number }[]
    >(
      `SELECT k.id AS case_id, COALESCE(max(m.seq), 0)::int AS last_seq, COALESCE(r.seq, 0)::int AS read_seq,
              (count(m.id) FILTER (WHERE m.seq > COALESCE(r.seq, 0)))::int AS unread
       FROM collab_case k
       LEFT JOIN message_read r ON r.case_id = k.id AND r.user_id = $2
       LEFT JOIN case_message m ON m.case_id = k.id AND ${messageWhere(actor, 'list', params)}
       WHERE k.id = ANY($1::uuid[])
       GROUP BY k.id, r.seq ORDER BY k.id`,
      params.values,
    );
    return rows.map((row) => ({
      caseId: row.case_id,
      lastSeq: row.last_seq,
      readSeq: row.read_seq,
      unread: row.unread,
    }));
  }
}
