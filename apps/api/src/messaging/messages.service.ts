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
import { RealtimeService } from '../realtime/realtime.service.js';
import {
  MESSAGE_COLUMNS,
  MESSAGE_FROM,
  MESSAGE_RECIPIENTS_SQL,
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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly realtime: RealtimeService,
  ) {}

  async send(actor: Actor, caseId: string, request: SendMessageRequest): Promise<MessageAck> {
    const earlier = await this.sentBefore(actor, caseId, request.clientId);
    if (earlier) return earlier;
    let sent: Sent;
    try {
      sent = await this.dataSource.transaction((manager) =>
        this.persist(manager, actor, caseId, request),
      );
    } catch (error) {
      if (!(error instanceof AlreadySent)) throw error;
      const first = await this.sentBefore(actor, caseId, request.clientId);
      if (!first) throw error;
      return first;
    }
    this.realtime.toUsers(sent.recipients, 'message.created', presentMessage(sent.row));
    return { id: sent.row.id, seq: sent.row.seq, clientId: request.clientId, created: true };
  }

  /** The message this user already sent with `clientId` (a resend), or nothing. */
  private async sentBefore(
    actor: Actor,
    caseId: string,
    clientId: string,
  ): Promise<MessageAck | null> {
    const [row] = await this.dataSource.query<{ id: string; seq: number; case_id: string }[]>(
      'SELECT id, seq, case_id FROM case_message WHERE author_user_id = $1 AND client_id = $2',
      [actor.principal.userId, clientId],
    );
    if (!row) return null;
    if (row.case_id !== caseId) {
      throw conflict('This clientId was already used for a message in another case; use a new one');
    }
    return { id: row.id, seq: row.seq, clientId, created: false };
  }

  private async persist(
    manager: EntityManager,
    actor: Actor,
    caseId: string,
    request: SendMessageRequest,
  ): Promise<Sent> {
    const kase = await findCase(manager, actor, caseId);
    if (!actor.context.memberCaseIds.includes(caseId)) {
      throw forbidden('Only the members of a case take part in its conversation');
    }
    await requireCategory(manager, kase.municipality_id, request.category);
    if (request.replyToId) {
      const params = new SqlParams([request.replyToId, caseId]);
      const [visible] = await manager.query<unknown[]>(
        `SELECT 1 FROM ${MESSAGE_FROM} WHERE m.id = $1 AND m.case_id = $2 AND ${messageWhere(actor, 'read', params)}`,
        params.values,
      );
      if (!visible) throw fieldError('replyToId', 'no such message in this conversation');
    }
    const [{ last_seq: seq }] = await manager.query<[{ last_seq: number }]>(
      `INSERT INTO case_conversation (case_id, last_seq) VALUES ($1, 1)
       ON CONFLICT (case_id) DO UPDATE SET last_seq = case_conversation.last_seq + 1 RETURNING last_seq`,
      [caseId],
    );
    const { userId, unitId, agency } = actor.principal;
    const inserted = await manager.query<{ id: string }[]>(
      `INSERT INTO case_message (municipality_id, case_id, seq, client_id, author_user_id, author_unit_id, author_agency, category, body, reply_to_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (author_user_id, client_id) DO NOTHING RETURNING id`,
      [
        kase.municipality_id,
        caseId,
        seq,
        request.clientId,
        userId,
        unitId,
        agency,
        request.category,
        request.body,
        request.replyToId ?? null,
      ],
    );
    if (inserted.length === 0) throw new AlreadySent();
    const recipients = (
      await manager.query<{ id: string }[]>(MESSAGE_RECIPIENTS_SQL, [
        caseId,
        kase.municipality_id,
        agency,
        request.category,
      ])
    ).map((row) => row.id);
    const messageId = inserted[0]!.id;
    await this.audit.record(manager, actor, [
      {
        action: 'message.create',
        recordType: 'CaseMessage',
        recordId: messageId,
        personId: kase.person_id,
        details: { caseId, seq, category: request.category, deliveredTo: recipients },
      },
    ]);
    const [row] = await manager.query<MessageRow[]>(
      `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM} WHERE m.id = $1`,
      [messageId],
    );
    return { row: row!, recipients };
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
      const [conversation] = await manager.query<{ last_seq: number }[]>(
        'SELECT last_seq FROM case_conversation WHERE case_id = $1',
        [caseId],
      );
      if (!conversation || seq > conversation.last_seq) {
        throw fieldError('seq', `the conversation has ${conversation?.last_seq ?? 0} messages`);
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
