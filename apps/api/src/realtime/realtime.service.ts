import { Injectable, Logger } from '@nestjs/common';
import type { ClientToServerEvents, ServerToClientEvents, SessionEnded } from '@samverka/contracts';
import type { Server, Socket } from 'socket.io';
import { Adapter } from 'socket.io-adapter';

/** What the server keeps on each socket. */
export interface SocketData {
  userId: string;
  sessionId: string;
  /** When the access token expires (ms since the epoch): the socket is closed then. */
  expiresAt: number;
}

/** An emit to the sockets of some users, as it travels between replicas. */
interface Delivery {
  userIds: readonly string[];
  event: keyof ServerToClientEvents;
  payload: unknown[];
}

/** Between replicas: the deliveries each one made in one turn of its event loop, together. */
interface InterServerEvents {
  'hub.deliver': (deliveries: Delivery[]) => void;
}

export type HubServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type HubSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** The rooms the server puts sockets in; clients never name a room. */
export const rooms = {
  user: (id: string) => `user:${id}`,
  session: (id: string) => `session:${id}`,
  case: (id: string) => `case:${id}`,
  area: (id: string) => `area:${id}`,
};

/**
 * Emits to the sockets of given users, on every replica. Callers decide who may receive what:
 * this only delivers. The sockets on this replica get an emit at once; the other replicas get all
 * the emits of one event-loop turn in one message through the socket.io adapter (one NOTIFY for
 * a batch of sent messages rather than one each).
 */
@Injectable()
export class RealtimeService {
  private readonly logger = new Logger(RealtimeService.name);
  private server?: HubServer;
  /** Whether the adapter reaches other replicas (the in-memory one does not). */
  private clustered = false;
  private outgoing: Delivery[] = [];

  attach(server: HubServer): void {
    this.server = server;
    const adapter: Adapter = server.of('/').adapter;
    this.clustered =
      (Object.getPrototypeOf(adapter) as Adapter).serverSideEmit !==
      Adapter.prototype.serverSideEmit;
    server.on('hub.deliver', (deliveries) => deliveries.forEach((one) => this.deliver(one)));
  }

  toUsers<E extends keyof ServerToClientEvents>(
    userIds: readonly string[],
    event: E,
    ...payload: Parameters<ServerToClientEvents[E]>
  ): void {
    if (!this.server || userIds.length === 0) return;
    const delivery: Delivery = { userIds, event, payload };
    this.deliver(delivery);
    if (!this.clustered) return;
    if (this.outgoing.length === 0) setImmediate(() => this.flush());
    this.outgoing.push(delivery);
  }

  /** Emits to the users' sockets on this replica. */
  private deliver({ userIds, event, payload }: Delivery): void {
    const local = this.server!.local.to(userIds.map(rooms.user)) as unknown as {
      emit(event: string, ...args: unknown[]): boolean;
    };
    local.emit(event, ...payload);
  }

  private flush(): void {
    const deliveries = this.outgoing;
    this.outgoing = [];
    this.server?.serverSideEmit('hub.deliver', deliveries);
  }

  joinCase(userIds: readonly string[], caseId: string): void {
    if (this.server && userIds.length > 0)
      this.server.in(userIds.map(rooms.user)).socketsJoin(rooms.case(caseId));
  }

  leaveCase(userIds: readonly string[], caseId: string): void {
    if (this.server && userIds.length > 0)
      this.server.in(userIds.map(rooms.user)).socketsLeave(rooms.case(caseId));
  }

  /** Tells the sockets of a session (or of every session of a user) why, then closes them. */
  end(target: { sessionId: string } | { userId: string }, reason: SessionEnded['reason']): void {
    if (!this.server) return;
    const room =
      'sessionId' in target ? rooms.session(target.sessionId) : rooms.user(target.userId);
    this.server.to(room).emit('session.ended', { reason });
    this.server.in(room).disconnectSockets(true);
    this.logger.debug(`Closed sockets in ${room} (${reason})`);
  }
}
