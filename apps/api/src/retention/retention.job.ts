import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { RetentionService } from './retention.service.js';

/**
 * Applies the retention rules every RETENTION_INTERVAL_SECONDS on every replica (0: off, the
 * default in tests). No leader is needed: each municipality's kind of record is worked by whichever
 * replica takes its advisory lock. A run never overlaps the previous one on the same replica.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionJob.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly retention: RetentionService,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.retentionIntervalSeconds;
    if (seconds <= 0) return;
    this.timer = setInterval(() => this.tick(), seconds * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.retention
      .run(new Date())
      .then((outcomes) => {
        for (const outcome of outcomes) {
          if (outcome.count === 0) continue;
          // Counts and kinds only: ids are in the audit events.
          this.logger.log(
            `Retention: ${outcome.action} ${outcome.count} ${outcome.recordType} (municipality ${outcome.municipalityId})`,
          );
        }
      })
      .catch((error: unknown) => {
        this.logger.error(`Retention failed: ${String(error)}`);
      })
      .finally(() => {
        this.running = undefined;
      });
  }
}
