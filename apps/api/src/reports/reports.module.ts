import { Module } from '@nestjs/common';
import { FollowUpService } from './follow-up.service.js';
import { ReportsController } from './reports.controller.js';

@Module({ controllers: [ReportsController], providers: [FollowUpService] })
export class ReportsModule {}
