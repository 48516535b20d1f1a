import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ConcernWorkflowService } from './concern-workflow.service.js';
import { ConcernsController } from './concerns.controller.js';
import { ConcernsService } from './concerns.service.js';

@Module({
  imports: [NotificationsModule],
  controllers: [ConcernsController],
  providers: [ConcernsService, ConcernWorkflowService],
})
export class ConcernsModule {}
