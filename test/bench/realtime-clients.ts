/**
 * A load-generating client process of the realtime benchmark (socket.io-client, its own event
 * loop): connects its sockets, then on `go` sends `message.send` at a steady rate from members of
 * its cases (open loop), records every `message.created` it receives with its latency (receive
 * time − the send time written in the body, same machine clock), and reports everything back.
 */
import type { ClientToServerEvents, ServerToClientEvents } from '@samverka/contracts';
import { io, type Socket } from 'socket.io-client';
import { pickMessage } from './realtime-plan.js';
import type {
  ClientGo,
  ClientJob,
  ClientReply,
  ClientRequest,
  SentRecord,
} from './realtime-protocol.js';

type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Sockets connecting at once per process. */
const CONNECT_CONCURRENCY = 64;
const ACK_TIMEOUT_MS = 30_000;

const now = () => performance.timeOrigin + performance.now();

const sockets = new Map<number, BenchSocket>();
let job: ClientJob | undefined;
const received = {
  keys: [] as string[],
  users: [] as number[],
  latencyMs: [] as number[],
  at: [] as number[],
};
let lastReceived = 0;
let disconnects = 0;
let running = false;

function connectOne(user: number, url: string, auth: ClientJob['sockets'][number]['auth']) {
  return new Promise<void>((resolve, reject) => {
    const socket: BenchSocket = io(url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth,
      reconnection: false,
      forceNew: true,
      timeout: 60_000,
    });
    socket.once('connect', () => {
      sockets.set(user, socket);
      resolve();
    });
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
    socket.on('message.created', (message) => {
      const at = now();
      const sentAt = Number(/ t=(\d+(?:\.\d+)?)$/.exec(message.body)?.[1] ?? NaN);
      received.keys.push(message.clientId);
      received.users.push(user);
      received.latencyMs.push(at - sentAt);
      received.at.push(at);
      lastReceived = at;
    });
    socket.on('disconnect', () => {
      if (running) disconnects++;
    });
  });
}

async function connect(request: ClientJob): Promise<ClientReply> {
  job = request;
  const started = now();
  const queue = [...request.sockets];
  let failed = 0;
  let firstError: string | undefined;
  await Promise.all(
    Array.from({ length: CONNECT_CONCURRENCY }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        try {
          await connectOne(s.user, s.url, s.auth);
        } catch (error) {
          failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  return {
    kind: 'connected',
    connected: sockets.size,
    failed,
    seconds: (now() - started) / 1000,
    firstError,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function go(request: ClientGo): Promise<ClientReply> {
  if (!job) throw new Error('go before connect');
  const { cases, caseIds, prefix } = job;
  const sent: SentRecord[] = [];
  received.keys = [];
  received.users = [];
  received.latencyMs = [];
  received.at = [];
  disconnects = 0;
  let pending = 0;
  const cpu = process.cpuUsage();
  running = true;
  await sleep(request.startAt - now());
  const start = now();
  const total = Math.round(request.messagesPerSecond * (request.warmupSeconds + request.seconds));
  const sendOne = (k: number) => {
    const { author, kase, category } = pickMessage(k, cases);
    const socket = sockets.get(author);
    const key = `${prefix}r${request.round}-${String(k).padStart(7, '0')}`;
    const sentAt = now();
    const record: SentRecord = { key, author, kase, category, sentAt, ackMs: -1 };
    sent.push(record);
    if (!socket?.connected) {
      record.error = 'socket not connected';
      return;
    }
    pending++;
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emit(
        'message.send',
        { caseId: caseIds[kase]!, clientId: key, category, body: `bench ${key} t=${sentAt}` },
        (error, ack) => {
          pending--;
          if (error) record.error = 'ack timeout';
          else if (!ack.ok) record.error = `${ack.error.status} ${ack.error.detail}`;
          else record.ackMs = now() - sentAt;
        },
      );
  };
  // Steady rate: every few milliseconds, send what is due by now.
  let k = 0;
  while (k < total) {
    const due = Math.min(total, Math.floor(((now() - start) / 1000) * request.messagesPerSecond));
    for (; k < due; k++) sendOne(k);
    await sleep(2);
  }
  const lastSend = now();
  // Drain: until every ack came and deliveries stopped for 3 s (deliveries through the adapter
  // to the other replica may trail the ack), within drainSeconds.
  while (now() - lastSend < request.drainSeconds * 1000) {
    if (pending === 0 && now() - Math.max(lastReceived, lastSend) > 3_000) break;
    await sleep(100);
  }
  running = false;
  const used = process.cpuUsage(cpu);
  return {
    kind: 'done',
    sent,
    received,
    disconnects,
    cpuMicros: used.user + used.system,
    activeUntil: Math.max(lastReceived, lastSend),
  };
}

async function handle(request: ClientRequest): Promise<ClientReply> {
  switch (request.kind) {
    case 'connect':
      return connect(request);
    case 'go':
      return go(request);
    case 'close':
      for (const socket of sockets.values()) socket.close();
      sockets.clear();
      return { kind: 'closed' };
  }
}

process.on('message', (request: ClientRequest) => {
  handle(request).then(
    (answer) =>
      process.send?.(answer, () => {
        if (answer.kind === 'closed') process.exit(0);
      }),
    (error: unknown) =>
      process.send?.({
        kind: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
