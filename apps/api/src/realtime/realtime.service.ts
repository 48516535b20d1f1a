import { Injectable, Logger } from '@nestjs/common';
import type { ClientToServerEvents, ServerToClientEvents, SessionEnded } from '@samverka/contracts';
import type { Server, Socket } from 'socket.io';

/** What the server keeps on each socket. */
export interface SocketData {
  userId: string;
  sessionId: string;
  /** When the access token expires (ms since the epoch): the socket is closed then. */
  expiresAt: number;
}

type NoInterServerEvents = Record<string, never>;
export type HubServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  NoInterServerEvents,
  SocketData
>;
export type HubSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  NoInterServerEvents,
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
 * Emits to the sockets of given users (on every replica, through the socket.io adapter). Callers
 * decide who may receive what: this only delivers.
 */
@Injectable()
export class RealtimeService {
  private readonly logger = new Logger(RealtimeService.name);
  private server?: HubServer;

  attach(server: HubServer): void {
    this.server = server;
  }

  toUsers<E extends keyof ServerToClientEvents>(
    userIds: readonly string[],
    event: E,
    ...payload: Parameters<ServerToClientEvents[E]>
  ): void {
    if (!this.server || userIds.length === 0) return;
    this.server.to(userIds.map(rooms.user)).emit(event, ...payload);
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
