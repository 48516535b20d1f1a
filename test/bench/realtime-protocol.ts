/** The IPC messages between `realtime.bench.ts` and its child processes. */
import type { RealtimeData } from './realtime-data.js';

export type ServerRequest =
  | {
      kind: 'start';
      flavour: 'api' | 'bare';
      /** The environment the app's config is loaded from (DATABASE_URL for bare's adapter). */
      env: Record<string, string>;
      /** Generate the data and sessions for this many users (the first API replica only). */
      setupUsers?: number;
    }
  | { kind: 'heap' }
  | { kind: 'cpu' }
  | { kind: 'stop' };

export type ServerReply =
  | { kind: 'started'; port: number; serverVersion: string; setup?: RealtimeData }
  | { kind: 'heap'; heapUsed: number; rss: number }
  | { kind: 'cpu'; micros: number }
  | { kind: 'stopped' }
  | { kind: 'error'; message: string };

/** One socket of a client process: user number, where it connects, how it authenticates. */
export interface ClientSocket {
  user: number;
  url: string;
  auth: { token: string } | { user: number; caseId: string };
}

export interface ClientJob {
  sockets: ClientSocket[];
  /** Case numbers this process sends to (all its members' sockets are in this process). */
  cases: number[];
  /** Case id per case number. */
  caseIds: Record<number, string>;
  /** A prefix for clientIds, unique per run and process. */
  prefix: string;
}

export interface ClientGo {
  /** Round number (one per offered rate): part of every clientId. */
  round: number;
  /** When sending starts (ms since the epoch, the same for every client process). */
  startAt: number;
  warmupSeconds: number;
  seconds: number;
  /** Messages per second this process sends (open loop: it does not wait for acks). */
  messagesPerSecond: number;
  /** At most this long after the last send for deliveries and acks to arrive. */
  drainSeconds: number;
}

/** A sent message: clientId, author and case numbers, category index, send time, ack. */
export interface SentRecord {
  key: string;
  author: number;
  kase: number;
  category: string;
  sentAt: number;
  /** Milliseconds until the ack; -1 if none came. */
  ackMs: number;
  error?: string;
}

export type ClientRequest =
  ({ kind: 'connect' } & ClientJob) | ({ kind: 'go' } & ClientGo) | { kind: 'close' };

export type ClientReply =
  | { kind: 'connected'; connected: number; failed: number; seconds: number; firstError?: string }
  | {
      kind: 'done';
      sent: SentRecord[];
      /** Deliveries as parallel arrays: clientId, receiving user, latency ms, receive time. */
      received: { keys: string[]; users: number[]; latencyMs: number[]; at: number[] };
      disconnects: number;
      cpuMicros: number;
      /** When this client last sent or received (epoch ms): the round's active part ends there. */
      activeUntil: number;
    }
  | { kind: 'closed' }
  | { kind: 'error'; message: string };
