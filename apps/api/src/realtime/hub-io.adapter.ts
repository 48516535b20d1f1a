import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import type { IncomingMessage } from 'node:http';
import pg from 'pg';
import { createClient } from 'redis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/config.js';

/** Browsers send `Origin`; only the configured ones (or the API's own host) may open a socket. */
export function originAllowed(request: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true; // not a browser: the token decides
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * socket.io on the API's own HTTP server, with the configured adapter so that an emit on one
 * replica reaches sockets on every replica: Postgres (LISTEN/NOTIFY, by default with
 * DATABASE_URL), Redis (pub/sub), or in memory (one process: the embedded database).
 */
export class HubIoAdapter extends IoAdapter {
  private readonly closers: (() => Promise<unknown>)[] = [];
  private adapterFactory?: Parameters<Server['adapter']>[0];

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  /** Opens the adapter's own connections (before the app starts listening). */
  async connect(): Promise<void> {
    const { adapter, redisUrl } = this.config.realtime;
    if (adapter === 'postgres' && this.config.databaseUrl) {
      const pool = new pg.Pool({
        connectionString: this.config.databaseUrl,
        max: 4,
        application_name: 'samverka-socket-adapter',
      });
      // A dropped connection (server restart, failover) must not crash the process: the adapter
      // listens again on a new one, and clients catch up by sequence number meanwhile.
      pool.on('error', () => undefined);
      pool.on('connect', (client) => client.on('error', () => undefined));
      await pool.query(
        'CREATE TABLE IF NOT EXISTS socket_io_attachments (id bigserial UNIQUE, created_at timestamptz DEFAULT now(), payload bytea)',
      );
      this.adapterFactory = createPostgresAdapter(pool, { heartbeatInterval: 2_000 });
      // The adapter's LISTEN client may be mid-reconnect: don't let it hold shutdown up.
      this.closers.push(() =>
        Promise.race([pool.end(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]),
      );
    } else if (adapter === 'redis' && redisUrl) {
      const publisher = createClient({ url: redisUrl });
      const subscriber = publisher.duplicate();
      await Promise.all([publisher.connect(), subscriber.connect()]);
      this.adapterFactory = createRedisAdapter(publisher, subscriber);
      this.closers.push(
        () => publisher.quit(),
        () => subscriber.quit(),
      );
    }
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const allowed = this.config.corsOrigins;
    const hubOptions: Partial<ServerOptions> = {
      ...options,
      cors: { origin: allowed.length > 0 ? allowed : false },
      allowRequest: (request, callback) => {
        const ok = originAllowed(request, allowed);
        callback(ok ? null : 'origin not allowed', ok);
      },
    };
    const server = super.createIOServer(port, hubOptions as ServerOptions);
    if (this.adapterFactory) server.adapter(this.adapterFactory);
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    for (const close of this.closers.splice(0)) await close().catch(() => undefined);
  }
}
