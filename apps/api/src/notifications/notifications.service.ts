import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { accessibleWhere, NOTIFICATION_SQL_FIELDS, type Action } from '@samverka/authz';
import type {
  NotificationKind,
  NotificationQuery,
  NotificationResponse,
  Page,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { decodeCursor, pageSize, toPage } from '../common/pagination.js';
import { notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { OutboxService } from '../outbox/outbox.service.js';

/** One notification to write: ids, codes and dates only, never names or identity numbers. */
export interface NewNotification {
  municipalityId: string;
  userId: string;
  kind: NotificationKind;
  title: string;
  recordType: string;
  recordId: string;
  details: Record<string, string | number | boolean>;
}

interface NotificationRow {
  id: string;
  kind: NotificationKind;
  title: string;
  record_type: string;
  record_id: string;
  details: Record<string, string | number | boolean>;
  created_at: Date;
  read_at: Date | null;
}

const present = (row: NotificationRow): NotificationResponse => ({
  id: row.id,
  kind: row.kind,
  title: row.title,
  recordType: row.record_type,
  recordId: row.record_id,
  details: row.details,
  createdAt: row.created_at.toISOString(),
  readAt: row.read_at?.toISOString() ?? null,
});

/** Notifications to users, written in the transaction of what they tell about. */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  /** Writes the notifications and an outbox event for each, for the realtime hub to deliver. */
  async notify(manager: EntityManager, notifications: NewNotification[]): Promise<void> {
    if (notifications.length === 0) return;
    const created = await manager.query<{ id: string; user_id: string; municipality_id: string }[]>(
      `INSERT INTO notification (municipality_id, user_id, kind, title, record_type, record_id, details)
       SELECT x.municipality_id, x.user_id, x.kind, x.title, x.record_type, x.record_id, x.details
       FROM jsonb_to_recordset($1::jsonb) AS x(municipality_id uuid, user_id uuid, kind varchar,
         title varchar, record_type varchar, record_id uuid, details jsonb)
       RETURNING id, user_id, municipality_id`,
      [
        JSON.stringify(
          notifications.map((n) => ({
            municipality_id: n.municipalityId,
            user_id: n.userId,
            kind: n.kind,
            title: n.title,
            record_type: n.recordType,
            record_id: n.recordId,
            details: n.details,
          })),
        ),
      ],
    );
    await this.outbox.publish(
      manager,
      created.map((row, i) => ({
        municipalityId: row.municipality_id,
        topic: 'notification',
        aggregateId: row.user_id,
        type: 'notification.created',
        payload: {
          notificationId: row.id,
          kind: notifications[i]!.kind,
          recordId: notifications[i]!.recordId,
        },
      })),
    );
  }

  /**
   * The caller's own notifications, newest first: all of them, or with `unread` only the unread
   * (`true`) or only the read ones (`false`).
   */
  async list(actor: Actor, query: NotificationQuery): Promise<Page<NotificationResponse>> {
    const size = pageSize(query.limit);
    const after = decodeCursor(query.cursor, ['time', 'uuid']);
    const params = new SqlParams();
    const where = [this.where(actor, 'list', params)];
    if (query.unread === 'true') where.push('n.read_at IS NULL');
    if (query.unread === 'false') where.push('n.read_at IS NOT NULL');
    if (after) {
      where.push(
        `(n.created_at, n.id) < (${params.bind(after[0])}::timestamptz, ${params.bind(after[1])}::uuid)`,
      );
    }
    const rows = await this.dataSource.query<NotificationRow[]>(
      `SELECT n.id, n.kind, n.title, n.record_type, n.record_id, n.details, n.created_at, n.read_at
       FROM notification n WHERE ${where.join(' AND ')}
       ORDER BY n.created_at DESC, n.id DESC LIMIT ${size + 1}`,
      params.values,
    );
    return toPage(rows, size, present, (row) => [row.created_at.toISOString(), row.id]);
  }

  async markRead(actor: Actor, id: string, read: boolean): Promise<NotificationResponse> {
    const params = new SqlParams([id, read]);
    const [rows] = await this.dataSource.query<[NotificationRow[], number]>(
      `UPDATE notification n SET read_at = CASE WHEN $2 THEN COALESCE(n.read_at, now()) END
       WHERE n.id = $1 AND ${this.where(actor, 'update', params)}
       RETURNING n.id, n.kind, n.title, n.record_type, n.record_id, n.details, n.created_at, n.read_at`,
      params.values,
    );
    const row = rows[0];
    if (!row) throw notFound('The notification');
    return present(row);
  }

  private where(actor: Actor, action: Action, params: SqlParams): string {
    const tenant = `n.municipality_id = ${params.bind(actor.principal.municipalityId)}`;
    return `${tenant} AND ${accessibleWhere(actor.ability, action, 'Notification', NOTIFICATION_SQL_FIELDS, params.bind)}`;
  }
}
