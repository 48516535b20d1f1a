import type { MeetingResponse } from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import type { TestApp } from './test-app.js';

/** Calls a meeting and returns the response (status and body) as is. */
export function callMeeting(client: ApiClient, body: Record<string, unknown>) {
  return client.post<MeetingResponse>('/api/v1/meetings', {
    kind: 'sspf_working_group',
    title: 'SSPF arbetsgrupp Norra',
    ...body,
  });
}

/** The outbox events of one type about one aggregate, oldest first. */
export async function outboxEvents(
  app: TestApp,
  type: string,
  aggregateId: string,
): Promise<Record<string, unknown>[]> {
  const rows = await app.running.dataSource.query<{ payload: Record<string, unknown> }[]>(
    'SELECT payload FROM outbox_event WHERE type = $1 AND aggregate_id = $2 ORDER BY id',
    [type, aggregateId],
  );
  return rows.map((row) => row.payload);
}
