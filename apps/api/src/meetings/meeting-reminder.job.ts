import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '../common/interval-job.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { MeetingRemindersService } from './meeting-reminders.service.js';

/**
 * Sends due meeting reminders every REMINDER_INTERVAL_SECONDS (the deadline reminders' interval),
 * each claimed once in the database: a reminder goes out at most one interval after its time.
 */
@Injectable()
export class MeetingReminderJob extends IntervalJob {
  protected readonly what = 'Meeting reminders';
  protected readonly intervalSeconds: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly reminders: MeetingRemindersService,
  ) {
    super();
    this.intervalSeconds = config.reminderIntervalSeconds;
  }

  protected async runOnce(now: Date): Promise<string | undefined> {
    const sent = await this.reminders.runDue(now);
    return sent > 0 ? `Sent ${sent} meeting reminder(s)` : undefined;
  }
}
