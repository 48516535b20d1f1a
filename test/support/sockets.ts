import type { ClientToServerEvents, ServerToClientEvents } from '@samverka/contracts';
import { io, type Socket } from 'socket.io-client';

export type HubClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Opens a socket to the hub with a token; resolves once connected, rejects with the refusal. */
export function connectSocket(
  baseUrl: string,
  token: string | undefined,
  options: { origin?: string } = {},
): Promise<HubClient> {
  const socket: HubClient = io(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: token ? { token } : {},
    extraHeaders: options.origin ? { origin: options.origin } : {},
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Records every event of the given names, in arrival order. */
export function record<E extends keyof ServerToClientEvents>(
  socket: HubClient,
  event: E,
): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  const listener = ((payload: Parameters<ServerToClientEvents[E]>[0]) => {
    seen.push(payload);
  }) as ServerToClientEvents[E];
  socket.on(event, listener as never);
  return seen;
}

/** Waits until `check` holds (polling), or fails after `ms`. */
export async function eventually(
  check: () => boolean,
  ms = 5_000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Emits with an ack and returns the ack. */
export function request<E extends keyof ClientToServerEvents>(
  socket: HubClient,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return requestUnchecked(socket, event, payload);
}

/** `request` with a payload of any shape: what a malformed one is answered. */
export function requestUnchecked<E extends keyof ClientToServerEvents>(
  socket: HubClient,
  event: E,
  payload: unknown,
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return new Promise((resolve) => {
    (socket.emit as (...args: unknown[]) => void)(event, payload, resolve);
  });
}
