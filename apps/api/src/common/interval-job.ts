import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

/**
 * A job every replica runs on an interval (0 seconds: never — the default in tests, which run the
 * work on demand). Replicas need no leader: the work claims its rows in the database. A run never
 * overlaps the previous one on the same replica, and shutdown waits for the one in progress.
 */
export abstract class IntervalJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  /** Seconds between runs; 0: the job does not run. */
  protected abstract readonly intervalSeconds: number;
  /** What the job does, for the log ("deadline reminders"). */
  protected abstract readonly what: string;
  /** One run; returns what to log, or nothing when there was nothing to do. */
  protected abstract runOnce(now: Date): Promise<string | undefined>;

  onApplicationBootstrap(): void {
    if (this.intervalSeconds <= 0) return;
    this.timer = setInterval(() => this.tick(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.runOnce(new Date())
      .then((done) => {
        if (done) this.logger.log(done);
      })
      .catch((error: unknown) => {
        this.logger.error(`${this.what} failed: ${String(error)}`);
      })
      .finally(() => {
        this.running = undefined;
      });
  }
}
