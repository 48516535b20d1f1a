import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { MeetingRemindersService } from './meeting-reminders.service.js';

/**
 * Runs the meeting reminders every REMINDER_INTERVAL_SECONDS (the interval the deadline reminders
 * use; 0: off, the default in tests) on every replica, without a leader: each reminder is claimed
 * exactly once in the database. A run never overlaps the previous one on the same replica. A
 * reminder goes out at most one interval after its time (five minutes by default).
 */
@Injectable()
export class MeetingReminderJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MeetingReminderJob.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reminders: MeetingRemindersService,
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
        if (sent > 0) this.logger.log(`Sent ${sent} meeting reminder(s)`);
      })
      .catch((error: unknown) => {
        this.logger.error(`Meeting reminders failed: ${String(error)}`);
      })
      .finally(() => {
        this.running = undefined;
      });
  }
}
