import { HttpException, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import {
  SOCKET_EVENTS,
  SocketSendMessage,
  SyncRequest,
  type FieldError,
  type MessageAck,
  type MessageHistory,
  type SocketProblem,
} from '@samverka/contracts';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { AccessTokenVerifier, bearerToken } from '../auth/access-token-verifier.js';
import { PrincipalService } from '../auth/principal.service.js';
import type { Actor } from '../common/actor.js';
import { Problem } from '../common/problems.js';
import { MessagesService } from '../messaging/messages.service.js';
import { AuditService } from '../audit/audit.service.js';
import { RealtimeService, rooms, type HubServer, type HubSocket } from './realtime.service.js';
import { fieldErrorsOf, malformedText, prototypeKeys } from '../common/validation.js';

type Ack<T> = { ok: true; data: T } | { ok: false; error: SocketProblem };

/** A 400 for the fields named, each with its reasons. */
const invalid = (errors: FieldError[]): { ok: false; error: SocketProblem } => ({
  ok: false,
  error: {
    status: 400,
    title: 'Invalid request',
    detail: errors.flatMap((error) => error.reasons).join('; '),
    errors,
  },
});

/**
 * A refusal that names a field by the REST request's name (`from`) renamed to what the socket
 * client sent (`to`): the ack names the field in the payload. Other errors are left as they are.
 */
function namedAsSent(error: unknown, from: string, to: string): unknown {
  if (!(error instanceof Problem) || !error.errors?.some((fieldError) => fieldError.field === from))
    return error;
  return new Problem(
    error.getStatus(),
    error.problemType,
    error.title,
    error.message.replace(new RegExp(`^${from}\\b`), to),
    error.errors.map((fieldError) =>
      fieldError.field === from ? { ...fieldError, field: to } : fieldError,
    ),
    error.headers,
  );
}

/**
 * The socket.io hub on the API's port. The access token goes in the handshake (`auth.token`); a
 * bad or expired one is refused at connect, and the socket closes when the token expires or the
 * session ends. The server puts each socket in its rooms; every event is checked against the
 * user's current ability, as a REST call would be.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(RealtimeGateway.name);
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();
  @WebSocketServer() server!: HubServer;

  constructor(
    private readonly tokens: AccessTokenVerifier,
    private readonly principals: PrincipalService,
    private readonly realtime: RealtimeService,
    private readonly messages: MessagesService,
    private readonly audit: AuditService,
  ) {}

  afterInit(server: HubServer): void {
    this.realtime.attach(server);
    server.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: unknown) => {
          const refusal = new Error(error instanceof Error ? error.message : 'unauthorized');
          (refusal as Error & { data: unknown }).data = { status: 401 };
          next(refusal);
        },
      );
    });
  }

  private async authenticate(socket: HubSocket): Promise<void> {
    const auth = socket.handshake.auth as { token?: unknown };
    const header = socket.handshake.headers.authorization;
    const token = typeof auth.token === 'string' ? auth.token : bearerToken(header);
    if (!token) throw new Error('Send the access token in the handshake: auth: { token }');
    const claims = await this.tokens.verify(token);
    if (!claims) {
      throw new Error('The access token is invalid or has expired; refresh it and reconnect');
    }
    const resolved = await this.principals.resolve(claims.sub, claims.sid);
    if (!resolved) throw new Error('The session has ended; sign in again');
    socket.data = { userId: claims.sub, sessionId: claims.sid, expiresAt: claims.exp * 1000 };
    const { principal, context } = resolved;
    await socket.join([
      rooms.user(principal.userId),
      rooms.session(claims.sid),
      ...principal.areaIds.map(rooms.area),
      ...context.memberCaseIds.map(rooms.case),
    ]);
  }

  handleConnection(socket: HubSocket): void {
    // An event the hub does not know is answered too, when it asks for an answer: not silence.
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack !== 'function' || event in SOCKET_EVENTS.clientToServer) return;
      (ack as (result: Ack<never>) => void)({
        ok: false,
        error: {
          status: 404,
          title: 'Not found',
          detail: `No such event: ${event.slice(0, 100)}; the events are ${Object.keys(SOCKET_EVENTS.clientToServer).join(', ')}`,
        },
      });
    });
    const left = socket.data.expiresAt - Date.now();
    const timer = setTimeout(
      () => {
        socket.emit('session.ended', { reason: 'expired' });
        socket.disconnect(true);
      },
      Math.max(0, left),
    );
    timer.unref();
    this.expiryTimers.set(socket.id, timer);
  }

  handleDisconnect(socket: HubSocket): void {
    clearTimeout(this.expiryTimers.get(socket.id));
    this.expiryTimers.delete(socket.id);
  }

  @SubscribeMessage('message.send')
  onSend(
    @ConnectedSocket() socket: HubSocket,
    @MessageBody() body: unknown,
  ): Promise<Ack<MessageAck>> {
    return this.handle(socket, SocketSendMessage, body, (actor, message) => {
      const { caseId, ...request } = message;
      return this.messages.send(actor, caseId, request);
    });
  }

  @SubscribeMessage('messages.sync')
  onSync(
    @ConnectedSocket() socket: HubSocket,
    @MessageBody() body: unknown,
  ): Promise<Ack<MessageHistory>> {
    return this.handle(socket, SyncRequest, body, (actor, request) =>
      this.messages.history(actor, request.caseId, { after: request.after }),
    );
  }

  @SubscribeMessage('messages.read')
  onRead(
    @ConnectedSocket() socket: HubSocket,
    @MessageBody() body: unknown,
  ): Promise<Ack<{ seq: number }>> {
    return this.handle(socket, SyncRequest, body, (actor, request) =>
      this.messages.markRead(actor, request.caseId, request.after).catch((error: unknown) => {
        throw namedAsSent(error, 'seq', 'after');
      }),
    );
  }

  /** Validates the payload, re-checks the session and runs `work` as the user; errors become acks. */
  private async handle<T extends object, R>(
    socket: HubSocket,
    type: new () => T,
    body: unknown,
    work: (actor: Actor, payload: T) => Promise<R>,
  ): Promise<Ack<R>> {
    let actor: Actor | undefined;
    try {
      if (
        body !== undefined &&
        body !== null &&
        (typeof body !== 'object' || Array.isArray(body))
      ) {
        const detail = 'The payload must be an object of the event’s fields';
        return { ok: false, error: { status: 400, title: 'Invalid request', detail } };
      }
      // Before class-transformer, which would take `__proto__` for the payload's prototype.
      const polluted: FieldError[] = [
        ...prototypeKeys(body).map((field) => ({
          field,
          reasons: [`${field} is not a known field`],
        })),
        ...malformedText(body),
      ];
      if (polluted.length > 0) return invalid(polluted);
      const payload = plainToInstance(type, body ?? {});
      const errors = await validate(payload, { whitelist: true, forbidNonWhitelisted: true });
      if (errors.length > 0) return invalid(fieldErrorsOf(errors));
      const resolved = await this.principals.resolve(socket.data.userId, socket.data.sessionId);
      if (!resolved) {
        socket.emit('session.ended', { reason: 'revoked' });
        socket.disconnect(true);
        return {
          ok: false,
          error: { status: 401, title: 'Unauthorized', detail: 'The session has ended' },
        };
      }
      actor = { ...resolved, requestId: randomUUID() };
      return { ok: true, data: await work(actor, payload) };
    } catch (error) {
      // A refusal that named a person of the register is audited before it is answered.
      const audited = await (
        actor ? this.audit.recordRefusal(actor, error) : Promise.resolve()
      ).then(
        () => true,
        (failure: unknown) => {
          this.logger.error(`Auditing a refusal failed: ${String(failure)}`);
          return false;
        },
      );
      if (audited && error instanceof HttpException) {
        const title = error instanceof Problem ? error.title : 'Error';
        const errors = error instanceof Problem && error.errors ? { errors: error.errors } : {};
        return {
          ok: false,
          error: { status: error.getStatus(), title, detail: error.message, ...errors },
        };
      }
      this.logger.error(error);
      return {
        ok: false,
        error: { status: 500, title: 'Internal error', detail: 'Something went wrong; try again' },
      };
    }
  }
}
