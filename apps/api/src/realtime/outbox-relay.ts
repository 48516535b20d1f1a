import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AccessChangeReason, SessionEnded } from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { NoticesService } from '../notices/notices.service.js';
import { RealtimeService } from './realtime.service.js';

interface OutboxRow {
  id: string;
  type: string;
  aggregate_id: string;
  payload: Record<string, string>;
  fresh: boolean;
}

/** Events older than this when first seen are marked relayed without reaching sockets. */
const STALE_AFTER_SECONDS = 300;
const BATCH = 200;

/**
 * Relays outbox events to sockets, each exactly once across replicas (rows claimed with
 * `FOR UPDATE SKIP LOCKED`; the emit goes through the socket.io adapter to every replica). Each
 * tick also announces consents that have expired since the last one and escalates notices left
 * unacknowledged — both claimed by a single UPDATE, so only one replica does each.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly realtime: RealtimeService,
    private readonly notices: NoticesService,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn(`Outbox relay tick failed: ${String(error)}`))
        .finally(() => this.schedule());
    }, this.config.realtime.relayIntervalMs);
    this.timer.unref();
  }

  /** One round: expiries, escalations, then the waiting events. Public for tests. */
  async tick(): Promise<number> {
    await this.announceExpiredConsents();
    await this.notices.escalateOverdue(this.config.realtime.noticeEscalationSeconds);
    return this.dataSource.transaction(async (manager) => {
      const events = await manager.query<OutboxRow[]>(
        `SELECT id, type, aggregate_id, payload,
                created_at > now() - make_interval(secs => $2) AS fresh
         FROM outbox_event WHERE dispatched_at IS NULL ORDER BY id LIMIT $1
         FOR UPDATE SKIP LOCKED`,
        [BATCH, STALE_AFTER_SECONDS],
      );
      if (events.length === 0) return 0;
      for (const event of events) {
        if (event.fresh) await this.relay(manager, event);
      }
      await manager.query('UPDATE outbox_event SET dispatched_at = now() WHERE id = ANY($1)', [
        events.map((event) => event.id),
      ]);
      return events.length;
    });
  }

  private async announceExpiredConsents(): Promise<void> {
    await this.dataSource.query(
      `WITH expired AS (
         UPDATE consent SET expiry_announced_at = now()
         WHERE expiry_announced_at IS NULL AND revoked_at IS NULL AND valid_until <= now()
           AND valid_until > now() - interval '1 day'
         RETURNING id, case_id, municipality_id)
       INSERT INTO outbox_event (municipality_id, topic, aggregate_id, type, payload)
       SELECT municipality_id, 'case', case_id, 'consent.expired',
              jsonb_build_object('caseId', case_id, 'consentId', id)
       FROM expired`,
    );
  }

  private async relay(manager: EntityManager, event: OutboxRow): Promise<void> {
    const { payload } = event;
    switch (event.type) {
      case 'consent.revoked':
      case 'consent.expired':
        return this.accessChanged(
          await this.members(manager, payload.caseId!),
          payload.caseId!,
          event.type === 'consent.revoked' ? 'consent_revoked' : 'consent_expired',
          false,
          payload.consentId,
        );
      case 'case.member.remove':
        this.realtime.leaveCase([payload.userId!], payload.caseId!);
        return this.accessChanged([payload.userId!], payload.caseId!, 'member_removed', true);
      case 'case.member.add':
        this.realtime.joinCase([payload.userId!], payload.caseId!);
        return;
      case 'case.created':
        this.realtime.joinCase(await this.members(manager, payload.caseId!), payload.caseId!);
        return;
      case 'case.unit.remove': {
        const users = await manager.query<{ user_id: string }[]>(
          `SELECT cm.user_id FROM case_member cm JOIN app_user u ON u.id = cm.user_id
           WHERE cm.case_id = $1 AND u.unit_id = $2`,
          [payload.caseId, payload.unitId],
        );
        return this.accessChanged(
          users.map((user) => user.user_id),
          payload.caseId!,
          'unit_removed',
          false,
        );
      }
      case 'session.ended':
        this.realtime.end(
          { sessionId: payload.sessionId! },
          payload.reason as SessionEnded['reason'],
        );
        return;
      case 'notice.escalated':
        await this.notices.relayEscalation(manager, payload.noticeId!);
        return;
      default:
        return;
    }
  }

  private accessChanged(
    userIds: string[],
    caseId: string,
    reason: AccessChangeReason,
    lostConversation: boolean,
    consentId?: string,
  ): void {
    this.realtime.toUsers(userIds, 'case.access_changed', {
      caseId,
      reason,
      lostConversation,
      ...(consentId ? { consentId } : {}),
    });
  }

  private async members(manager: EntityManager, caseId: string): Promise<string[]> {
    const rows = await manager.query<{ user_id: string }[]>(
      'SELECT user_id FROM case_member WHERE case_id = $1',
      [caseId],
    );
    return rows.map((row) => row.user_id);
  }
}
