import { Module } from '@nestjs/common';
import { MeetingInviteesService } from './meeting-invitees.service.js';
import { MeetingsController } from './meetings.controller.js';
import { MeetingsService } from './meetings.service.js';

@Module({
  controllers: [MeetingsController],
  providers: [MeetingsService, MeetingInviteesService],
  exports: [MeetingsService],
})
export class MeetingsModule {}
