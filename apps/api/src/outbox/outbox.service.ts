import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface DomainEvent {
  municipalityId: string;
  topic: 'case' | 'notice' | 'session' | 'user' | 'concern' | 'notification' | 'meeting';
  aggregateId: string;
  type: string;
  /** Ids and codes only: never personal data (the relay checks each recipient before delivery). */
  payload: Record<string, unknown>;
}

/** Records domain events in the caller's transaction, for the realtime hub to relay. */
@Injectable()
export class OutboxService {
  async publish(manager: EntityManager, events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const values: unknown[] = [];
    const rows = events.map((event, i) => {
      values.push(
        event.municipalityId,
        event.topic,
        event.aggregateId,
        event.type,
        JSON.stringify(event.payload),
      );
      const base = i * 5;
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}::jsonb)`;
    });
    await manager.query(
      `INSERT INTO outbox_event (municipality_id, topic, aggregate_id, type, payload) VALUES ${rows.join(', ')}`,
      values,
    );
  }
}
