import { Module } from '@nestjs/common';
import { AgendaController } from './agenda.controller.js';
import { AgendaService } from './agenda.service.js';
import { CalendarController } from './calendar.controller.js';
import { CalendarService } from './calendar.service.js';
import { MinutesService } from './minutes.service.js';
import { MeetingInviteesService } from './meeting-invitees.service.js';
import { MeetingsController } from './meetings.controller.js';
import { MeetingsService } from './meetings.service.js';

@Module({
  controllers: [MeetingsController, AgendaController, CalendarController],
  providers: [
    MeetingsService,
    MeetingInviteesService,
    AgendaService,
    MinutesService,
    CalendarService,
  ],
  exports: [MeetingsService],
})
export class MeetingsModule {}
