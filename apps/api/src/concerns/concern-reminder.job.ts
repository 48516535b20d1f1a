import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ConcernRemindersService } from './concern-reminders.service.js';

/**
 * Runs the reminders every REMINDER_INTERVAL_SECONDS on every replica (0: off, the default in
 * tests). Replicas need no leader: the reminders themselves are claimed exactly once in the
 * database. A run never overlaps the previous one on the same replica.
 */
@Injectable()
export class ConcernReminderJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ConcernReminderJob.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reminders: ConcernRemindersService,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.reminderIntervalSeconds;
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
    this.running = this.reminders
      .runDue(new Date())
      .then((sent) => {
        if (sent > 0) this.logger.log(`Sent ${sent} deadline reminder(s)`);
      })
      .catch((error: unknown) => {
        this.logger.error(`Deadline reminders failed: ${String(error)}`);
      })
      .finally(() => {
        this.running = undefined;
      });
  }
}
