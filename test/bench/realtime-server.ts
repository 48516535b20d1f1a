/**
 * One server process of the realtime benchmark, driven over IPC by `realtime.bench.ts`: either an
 * API replica (the real app from `createApp`, on PostgreSQL or the embedded database) or a bare
 * socket.io server (same socket.io and adapter, no auth, no database writes). Answers `heap`
 * (after a full GC) and `cpu` on request, and stops on `stop`.
 */
import 'reflect-metadata';
import {
  createApp,
  loadConfig,
  openEmbeddedDatabase,
  SessionService,
  type RunningApp,
} from '@samverka/api';
import { createAdapter } from '@socket.io/postgres-adapter';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Server } from 'socket.io';
import { generateRealtimeData } from './realtime-data.js';
import type { ServerReply, ServerRequest } from './realtime-protocol.js';

let stop: (() => Promise<void>) | undefined;

const reply = (message: ServerReply) =>
  new Promise<void>((resolve) => process.send?.(message, () => resolve()));

async function startApi(request: Extract<ServerRequest, { kind: 'start' }>): Promise<ServerReply> {
  const config = loadConfig(request.env);
  const embedded = config.databaseUrl ? undefined : await openEmbeddedDatabase({});
  const running: RunningApp = await createApp({ config, database: embedded });
  stop = async () => {
    await running.close();
    await embedded?.close();
  };
  const setup = request.setupUsers
    ? await generateRealtimeData(
        running.dataSource,
        running.app.get(SessionService),
        request.setupUsers,
      )
    : undefined;
  const port = Number(new URL(await running.listen(0)).port);
  const [{ server_version: version }] =
    await running.dataSource.query<[{ server_version: string }]>('SHOW server_version');
  return { kind: 'started', port, setup, serverVersion: version };
}

/** The floor: socket.io with the same adapter kind; a socket joins its user and case rooms. */
async function startBare(request: Extract<ServerRequest, { kind: 'start' }>): Promise<ServerReply> {
  const http = createServer();
  const io = new Server(http, { path: '/socket.io', serveClient: false });
  let pool: pg.Pool | undefined;
  const databaseUrl = request.env.DATABASE_URL;
  if (databaseUrl) {
    pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 4,
      application_name: 'bench-bare-socket',
    });
    pool.on('error', () => undefined);
    await pool.query(
      'CREATE TABLE IF NOT EXISTS socket_io_attachments (id bigserial UNIQUE, created_at timestamptz DEFAULT now(), payload bytea)',
    );
    io.adapter(createAdapter(pool, { heartbeatInterval: 2_000 }));
  }
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { user?: unknown; caseId?: unknown };
    if (typeof auth.user !== 'number' || typeof auth.caseId !== 'string') {
      next(new Error('auth: { user, caseId } expected'));
      return;
    }
    void socket.join([`user:${auth.user}`, `case:${auth.caseId}`]);
    next();
  });
  const seqs = new Map<string, number>();
  io.on('connection', (socket) => {
    const user = (socket.handshake.auth as { user: number }).user;
    socket.on(
      'message.send',
      (
        body: { caseId: string; clientId: string; body: string; category: string },
        ack: (result: unknown) => void,
      ) => {
        const seq = (seqs.get(body.caseId) ?? 0) + 1;
        seqs.set(body.caseId, seq);
        const id = randomUUID();
        // The same payload shape as the API's message.created.
        io.to(`case:${body.caseId}`).emit('message.created', {
          id,
          caseId: body.caseId,
          seq,
          clientId: body.clientId,
          body: body.body,
          category: body.category,
          replyToId: null,
          authorUserId: String(user),
          authorName: `Bench ${user}`,
          authorAgency: 'school',
          seenBy: [],
          createdAt: new Date().toISOString(),
        });
        ack({ ok: true, data: { id, seq, clientId: body.clientId, created: true } });
      },
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  stop = async () => {
    await io.close();
    await pool?.end();
  };
  return {
    kind: 'started',
    port: (http.address() as AddressInfo).port,
    serverVersion: `socket.io ${databaseUrl ? 'with @socket.io/postgres-adapter' : 'in memory'}`,
  };
}

async function handle(request: ServerRequest): Promise<ServerReply> {
  switch (request.kind) {
    case 'start':
      return request.flavour === 'api' ? startApi(request) : startBare(request);
    case 'heap': {
      globalThis.gc?.();
      globalThis.gc?.();
      const memory = process.memoryUsage();
      return { kind: 'heap', heapUsed: memory.heapUsed, rss: memory.rss };
    }
    case 'cpu': {
      const used = process.cpuUsage();
      return { kind: 'cpu', micros: used.user + used.system };
    }
    case 'stop':
      await stop?.();
      return { kind: 'stopped' };
  }
}

process.on('message', (request: ServerRequest) => {
  handle(request).then(
    // Exits by itself once stopped (so that --cpu-prof writes its profile).
    (answer) => reply(answer).then(() => answer.kind === 'stopped' && process.exit(0)),
    (error: unknown) =>
      reply({
        kind: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
