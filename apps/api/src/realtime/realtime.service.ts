import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ClientToServerEvents, ServerToClientEvents, SessionEnded } from '@samverka/contracts';
import type { Server, Socket } from 'socket.io';
import { Adapter } from 'socket.io-adapter';
import { DeliveryBacklog } from './delivery-backlog.js';

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

/**
 * Between replicas: the deliveries one replica made in one turn of its event loop, together,
 * numbered per sending replica. The adapters do not keep messages in order (the Postgres one
 * sends over a pool of connections, and fetches large messages before handing them on), so the
 * receivers put them back in order.
 */
interface Bundle {
  from: string;
  seq: number;
  deliveries: Delivery[];
}

/** A replica's receipt: of each sending replica, the number after the last bundle it received. */
interface Receipt {
  from: string;
  next: Record<string, number>;
}

interface InterServerEvents {
  'hub.deliver': (bundle: Bundle | Delivery[]) => void;
  'hub.received': (receipt: Receipt) => void;
}

/** How long a receiver holds later bundles back while an earlier one has not arrived. */
const GAP_WAIT_MS = 2_000;
/** How often, at most, a replica that received bundles tells their senders (`Receipt`). */
const RECEIPT_EVERY_MS = 250;
/** A sender not heard from for this long is forgotten by a receiver. */
const SENDER_FORGOTTEN_MS = 60_000;

/** What a receiver knows of one sending replica. */
interface Sender {
  /** The number of the bundle to deliver next. */
  next: number;
  /** The number after the highest bundle received (delivered or held back). */
  received: number;
  heardAt: number;
  /** Bundles that arrived before an earlier one. */
  early: Map<number, Delivery[]>;
  timer?: NodeJS.Timeout;
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
export class RealtimeService implements OnApplicationShutdown {
  private readonly logger = new Logger(RealtimeService.name);
  private server?: HubServer;
  /** Whether the adapter reaches other replicas (the in-memory one does not). */
  private clustered = false;
  private outgoing: Delivery[] = [];
  /** This process among the replicas, and how many bundles it has sent them. */
  private readonly id = randomUUID();
  private sent = 0;
  private readonly senders = new Map<string, Sender>();
  /** How far behind the other replicas are with this one's bundles. */
  private readonly backlog = new DeliveryBacklog();
  private receiptDue?: NodeJS.Timeout;

  attach(server: HubServer): void {
    this.server = server;
    const adapter: Adapter = server.of('/').adapter;
    this.clustered =
      (Object.getPrototypeOf(adapter) as Adapter).serverSideEmit !==
      Adapter.prototype.serverSideEmit;
    server.on('hub.deliver', (bundle: Bundle | Delivery[]) =>
      // A replica of the previous version (during a rolling upgrade) sends bare arrays.
      Array.isArray(bundle) ? bundle.forEach((one) => this.deliver(one)) : this.receive(bundle),
    );
    server.on('hub.received', ({ from, next }: Receipt) => {
      const mine = next?.[this.id];
      if (typeof mine === 'number') this.backlog.received(from, mine);
    });
  }

  /**
   * How long, in ms, the oldest emit this replica handed the others has waited for one of them
   * to receive it (from their receipts of the last two seconds; 0 on one process). Work that
   * ends in emits to other replicas' sockets is refused while it is large: taking more would
   * only make them later.
   */
  deliveryLagMs(): number {
    return this.backlog.lagMs();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.receiptDue);
    this.receiptDue = undefined;
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
    if (!this.server) return;
    const seq = this.sent++;
    this.backlog.sent(seq);
    this.server.serverSideEmit('hub.deliver', { from: this.id, seq, deliveries });
  }

  /** Tells the sending replicas what this one has received, soon after it received something. */
  private receiptSoon(): void {
    if (this.receiptDue) return;
    this.receiptDue = setTimeout(() => {
      this.receiptDue = undefined;
      const now = performance.now();
      const next: Record<string, number> = {};
      for (const [id, sender] of this.senders) {
        if (now - sender.heardAt > SENDER_FORGOTTEN_MS) {
          clearTimeout(sender.timer);
          this.senders.delete(id);
        } else next[id] = sender.received;
      }
      this.server?.serverSideEmit('hub.received', { from: this.id, next });
    }, RECEIPT_EVERY_MS);
    this.receiptDue.unref();
  }

  /** Delivers another replica's bundles in the order it sent them. */
  private receive({ from, seq, deliveries }: Bundle): void {
    let sender = this.senders.get(from);
    if (!sender) {
      sender = { next: seq, received: seq, heardAt: 0, early: new Map() };
      this.senders.set(from, sender);
    }
    sender.received = Math.max(sender.received, seq + 1);
    sender.heardAt = performance.now();
    this.receiptSoon();
    if (seq < sender.next) {
      // Its turn was given up on (see below): late, but not lost.
      deliveries.forEach((one) => this.deliver(one));
      return;
    }
    sender.early.set(seq, deliveries);
    this.deliverInOrder(sender);
  }

  private deliverInOrder(sender: Sender): void {
    const waitingFor = sender.next;
    for (let next = sender.early.get(sender.next); next; next = sender.early.get(sender.next)) {
      sender.early.delete(sender.next);
      sender.next += 1;
      next.forEach((one) => this.deliver(one));
    }
    // The wait for a missing bundle starts when the first later one arrives, not again with each.
    if (sender.next !== waitingFor || sender.early.size === 0) {
      clearTimeout(sender.timer);
      sender.timer = undefined;
    }
    if (sender.early.size === 0 || sender.timer) return;
    // A bundle is missing (lost with a dropped adapter connection: clients catch up by sequence
    // number when they reconnect); the later ones do not wait for it for ever.
    sender.timer = setTimeout(() => {
      sender.timer = undefined;
      sender.next = Math.min(...sender.early.keys());
      this.deliverInOrder(sender);
    }, GAP_WAIT_MS);
    sender.timer.unref();
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
