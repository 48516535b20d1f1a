import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ConcernReminderJob } from './concern-reminder.job.js';
import { ConcernRemindersService } from './concern-reminders.service.js';
import { ConcernWorkflowService } from './concern-workflow.service.js';
import { ConcernsController } from './concerns.controller.js';
import { ConcernsService } from './concerns.service.js';

@Module({
  imports: [NotificationsModule],
  controllers: [ConcernsController],
  providers: [ConcernsService, ConcernWorkflowService, ConcernRemindersService, ConcernReminderJob],
  exports: [ConcernRemindersService],
})
export class ConcernsModule {}
