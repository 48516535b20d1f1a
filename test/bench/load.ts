/**
 * The load generator, run as a child process of the benchmark so that it does not share the
 * server's event loop: receives one job over IPC, runs autocannon, answers with a summary, exits.
 */
import autocannon from 'autocannon';

export interface LoadJob {
  /** Scheme, host and port, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** Paths requested in turn, one per request (a single path is requested every time). */
  paths: string[];
  token?: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface LoadSummary {
  requests: number;
  durationSeconds: number;
  rps: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

async function run(job: LoadJob): Promise<LoadSummary> {
  let next = 0;
  const result = await autocannon({
    url: job.origin,
    connections: job.connections,
    duration: job.durationSeconds,
    warmup: { connections: job.connections, duration: job.warmupSeconds },
    headers: job.token ? { authorization: `Bearer ${job.token}` } : {},
    requests: [
      {
        setupRequest: (request) => ({ ...request, path: job.paths[next++ % job.paths.length] }),
      },
    ],
  });
  return {
    requests: result.requests.total,
    durationSeconds: result.duration,
    rps: result.requests.total / result.duration,
    latencyMs: {
      mean: result.latency.mean,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
    ),
  };
}

process.once('message', (job: LoadJob) => {
  run(job).then(
    (summary) => process.send?.(summary, () => process.disconnect()),
    (error: unknown) => {
      process.stderr.write(`load generator failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
