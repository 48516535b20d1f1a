import { Module } from '@nestjs/common';
import { AgendaController } from './agenda.controller.js';
import { AgendaService } from './agenda.service.js';
import { MinutesService } from './minutes.service.js';
import { MeetingInviteesService } from './meeting-invitees.service.js';
import { MeetingsController } from './meetings.controller.js';
import { MeetingsService } from './meetings.service.js';

@Module({
  controllers: [MeetingsController, AgendaController],
  providers: [MeetingsService, MeetingInviteesService, AgendaService, MinutesService],
  exports: [MeetingsService],
})
export class MeetingsModule {}
