import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '../common/interval-job.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { RetentionService } from './retention.service.js';

/**
 * Applies the retention rules every RETENTION_INTERVAL_SECONDS; each municipality's kind of record
 * is worked by whichever replica takes its advisory lock.
 */
@Injectable()
export class RetentionJob extends IntervalJob {
  protected readonly what = 'Retention';
  protected readonly intervalSeconds: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly retention: RetentionService,
  ) {
    super();
    this.intervalSeconds = config.retentionIntervalSeconds;
  }

  protected async runOnce(now: Date): Promise<string | undefined> {
    const outcomes = await this.retention.run(now);
    // Counts and kinds only: the ids are in the audit events.
    const done = outcomes
      .filter((outcome) => outcome.count > 0)
      .map(
        (outcome) =>
          `${outcome.action} ${outcome.count} ${outcome.recordType} (municipality ${outcome.municipalityId})`,
      );
    return done.length > 0 ? `Retention: ${done.join('; ')}` : undefined;
  }
}
