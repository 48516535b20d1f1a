import { Module } from '@nestjs/common';
import { AgendaController } from './agenda.controller.js';
import { AgendaService } from './agenda.service.js';
import { CalendarController } from './calendar.controller.js';
import { CalendarService } from './calendar.service.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { MeetingReminderJob } from './meeting-reminder.job.js';
import { MeetingRemindersService } from './meeting-reminders.service.js';
import { MinutesService } from './minutes.service.js';
import { MeetingInviteesService } from './meeting-invitees.service.js';
import { MeetingsController } from './meetings.controller.js';
import { MeetingsService } from './meetings.service.js';

@Module({
  imports: [NotificationsModule],
  controllers: [MeetingsController, AgendaController, CalendarController],
  providers: [
    MeetingsService,
    MeetingInviteesService,
    AgendaService,
    MinutesService,
    CalendarService,
    MeetingRemindersService,
    MeetingReminderJob,
  ],
  exports: [MeetingsService, MeetingRemindersService],
})
export class MeetingsModule {}
