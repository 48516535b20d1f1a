import { Module } from '@nestjs/common';
import { PlanActionsService } from './plan-actions.service.js';
import { PlansController, SigController } from './plans.controller.js';
import { PlansService } from './plans.service.js';
import { SigService } from './sig.service.js';

@Module({
  controllers: [PlansController, SigController],
  providers: [PlansService, PlanActionsService, SigService],
})
export class PlansModule {}
