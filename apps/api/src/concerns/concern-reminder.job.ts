import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '../common/interval-job.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ConcernRemindersService } from './concern-reminders.service.js';

/** Sends due deadline reminders every REMINDER_INTERVAL_SECONDS; each is claimed once in the database. */
@Injectable()
export class ConcernReminderJob extends IntervalJob {
  protected readonly what = 'Deadline reminders';
  protected readonly intervalSeconds: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly reminders: ConcernRemindersService,
  ) {
    super();
    this.intervalSeconds = config.reminderIntervalSeconds;
  }

  protected async runOnce(now: Date): Promise<string | undefined> {
    const sent = await this.reminders.runDue(now);
    return sent > 0 ? `Sent ${sent} deadline reminder(s)` : undefined;
  }
}
