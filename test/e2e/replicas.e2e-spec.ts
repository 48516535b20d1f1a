import { randomUUID } from 'node:crypto';
import {
  createApp,
  loadConfig,
  RealtimeGateway,
  type DatabaseTarget,
  type RunningApp,
} from '@samverka/api';
import type {
  CaseResponse,
  MessageAck,
  MessageHistory,
  MessageResponse,
} from '@samverka/contracts';
import { ApiClient } from '@samverka/testing';
import pg from 'pg';
import { DemoIds, personByNumber } from '../support/demo.js';
import { TEST_SECRET } from '../support/environment.js';
import { PASSWORD } from '../support/fixtures.js';
import { testDatabase } from '../support/prepared-database.js';
import { connectSocket, eventually, record, request, type HubClient } from '../support/sockets.js';

/**
 * Two API processes' worth of app (two Nest apps, each with its own pools and socket.io server)
 * on one PostgreSQL database, joined by the Postgres socket.io adapter, and by the Redis one when
 * REDIS_URL names a server. Needs a PostgreSQL server: the embedded database is one process by
 * design.
 */
const server = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const adapters = server ? ['postgres', ...(redisUrl ? ['redis'] : [])] : [];
const describeOnServer = adapters.length > 0 ? describe.each(adapters) : describe.skip.each(['-']);

describeOnServer('two replicas on PostgreSQL, %s adapter', (adapter) => {
  let database: DatabaseTarget;
  let replicas: RunningApp[];
  let urls: string[];
  let sender: ApiClient;
  let receiver: ApiClient;
  let senderSocket: HubClient;
  let receiverSocket: HubClient;
  let caseId: string;

  beforeAll(async () => {
    database = await testDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      JWT_ACCESS_SECRET: TEST_SECRET,
      DATA_DIR: 'tmp/test-data',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      DATABASE_URL: database.url,
      SOCKET_ADAPTER: adapter,
      ...(adapter === 'redis' ? { REDIS_URL: redisUrl } : {}),
      OUTBOX_RELAY_INTERVAL_MS: '50',
    });
    replicas = [await createApp({ config, database }), await createApp({ config, database })];
    urls = await Promise.all(replicas.map((replica) => replica.listen(0)));
    sender = await new ApiClient(urls[0]!).as('samordnare@demo.test', PASSWORD);
    receiver = await new ApiClient(urls[1]!).as('socialsekreterare@demo.test', PASSWORD);
    const ids = await DemoIds.load(await new ApiClient(urls[0]!).as('admin@demo.test', PASSWORD));
    const elias = await personByNumber(sender, '20110314-2384');
    const kase = await sender.post<CaseResponse>('/api/v1/cases', {
      kind: 'sig',
      personId: elias.id,
      areaId: ids.areaNorra,
      memberUserIds: [await ids.userId('socialsekreterare@demo.test')],
    });
    caseId = kase.body.id;
    senderSocket = await connectSocket(urls[0]!, sender.token);
    receiverSocket = await connectSocket(urls[1]!, receiver.token);
  });

  afterAll(async () => {
    senderSocket?.close();
    receiverSocket?.close();
    for (const replica of replicas ?? []) await replica.close();
    await database?.close();
  });

  const send = async (body: string) => {
    const ack = await request(senderSocket, 'message.send', {
      caseId,
      clientId: randomUUID(),
      body,
      category: 'social_assessment',
    });
    if (!ack.ok) throw new Error(ack.error.detail);
    return ack.data;
  };

  it('delivers a message sent through replica A to a client connected to replica B', async () => {
    const live = record(receiverSocket, 'message.created');
    const sent = await send('Från replik A');
    await eventually(
      () => live.some((message) => message.id === sent.id),
      5_000,
      'cross-replica delivery',
    );
    expect(live.filter((message) => message.id === sent.id)).toHaveLength(1);
  });

  it('delivers a burst of sends through replica A to replica B, each message once and in order', async () => {
    const live = record(receiverSocket, 'message.created');
    const sent = await Promise.all(Array.from({ length: 25 }, (_, i) => send(`Skur ${i}`)));
    const ids = new Set(sent.map((message) => message.id));
    await eventually(
      () => live.filter((message) => ids.has(message.id)).length === sent.length,
      5_000,
      'the whole burst across replicas',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const arrived = live.filter((message) => ids.has(message.id)).map((message) => message.seq);
    expect(arrived).toEqual([...sent.map((message) => message.seq)].sort((a, b) => a - b));
  });

  it('refuses sends while another replica is behind with their delivery, and takes them again once it caught up', async () => {
    // Replica B handles what A hands it 2.5 s late, as a replica with a long backlog would.
    const hub = replicas[1]!.app.get(RealtimeGateway).server;
    const [deliver] = hub.listeners('hub.deliver') as ((bundle: unknown) => void)[];
    const late = (bundle: unknown) => setTimeout(() => deliver!(bundle), 2_500);
    hub.off('hub.deliver', deliver!).on('hub.deliver', late);
    const live = record(receiverSocket, 'message.created');
    const taken: MessageAck[] = [];
    let refused: { status: number; detail: string; body: string } | undefined;
    try {
      for (let i = 0; !refused && i < 100; i += 1) {
        const body = `Medan B ligger efter ${i}`;
        const ack = await request(senderSocket, 'message.send', {
          caseId,
          clientId: randomUUID(),
          body,
          category: 'social_assessment',
        });
        if (ack.ok) taken.push(ack.data);
        else refused = { ...ack.error, body };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      hub.off('hub.deliver', late).on('hub.deliver', deliver!);
    }
    // Refused once B's receipts showed it over a second behind; not before (B was on time).
    expect(refused).toMatchObject({
      status: 503,
      detail: expect.stringMatching(/delivering messages more slowly.*nothing was stored/),
    });
    expect(taken.length).toBeGreaterThan(1);
    // Every message taken reaches B's client, once; the refused one was not stored.
    await eventually(
      () => taken.every((ack) => live.some((message) => message.id === ack.id)),
      10_000,
      'the messages taken, across replicas',
    );
    const history = await receiver.get<MessageHistory>(
      `/api/v1/cases/${caseId}/messages?after=${taken[0]!.seq - 1}&limit=200`,
    );
    expect(history.body.items.map((message) => message.id)).toEqual(taken.map((ack) => ack.id));
    expect(history.body.items.map((message) => message.body)).not.toContain(refused!.body);
    // B has caught up: once its receipt says so, sends are taken again.
    let again: MessageAck | undefined;
    for (let i = 0; !again && i < 30; i += 1) {
      const ack = await request(senderSocket, 'message.send', {
        caseId,
        clientId: randomUUID(),
        body: 'B är ikapp',
        category: 'social_assessment',
      });
      if (ack.ok) again = ack.data;
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(again?.seq).toBe(taken[taken.length - 1]!.seq + 1);
    await eventually(() => live.some((message) => message.id === again!.id), 5_000, 'the last');
  });

  const itOnPostgres = adapter === 'postgres' ? it : it.skip;

  itOnPostgres(
    'loses nothing when the adapter connection drops: the client catches up by sequence number',
    async () => {
      const live: MessageResponse[] = record(receiverSocket, 'message.created');
      const before = await send('Före avbrottet');
      await eventually(() => live.some((message) => message.id === before.id));
      // Cut replica B's adapter connections (its LISTEN) from the server side.
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'samverka-socket-adapter' AND datname = current_database() AND pid <> pg_backend_pid()",
        );
      } finally {
        await admin.end();
      }
      const during = [await send('Under avbrottet 1'), await send('Under avbrottet 2')];
      // Whatever arrived live, a sync from the last sequence seen fills the rest, exactly once.
      const lastSeen = before.seq;
      const sync = await request(receiverSocket, 'messages.sync', { caseId, after: lastSeen });
      expect(sync.ok).toBe(true);
      const caughtUp = (sync as { data: MessageHistory }).data.items;
      const merged = new Map<number, string>();
      for (const message of [...live, ...caughtUp]) merged.set(message.seq, message.id);
      const history = await receiver.get<MessageHistory>(
        `/api/v1/cases/${caseId}/messages?after=${before.seq - 1}&limit=200`,
      );
      expect([...merged.keys()].sort((a, b) => a - b)).toEqual(
        history.body.items.filter((m) => m.seq >= before.seq).map((m) => m.seq),
      );
      expect(caughtUp.map((message) => message.id)).toEqual(during.map((message) => message.id));
      // And once the adapter has reconnected, live delivery across replicas resumes.
      let resumed = false;
      for (let attempt = 0; attempt < 20 && !resumed; attempt += 1) {
        const probe = await send(`Efter avbrottet ${attempt}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
        resumed = live.some((message) => message.id === probe.id);
      }
      expect(resumed).toBe(true);
    },
  );
});
