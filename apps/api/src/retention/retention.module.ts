import { Module } from '@nestjs/common';
import { LegalHoldController } from './legal-hold.controller.js';
import { LegalHoldService } from './legal-hold.service.js';
import { RetentionRulesService } from './retention-rules.service.js';
import { RetentionController } from './retention.controller.js';
import { RetentionJob } from './retention.job.js';
import { RetentionService } from './retention.service.js';

@Module({
  controllers: [RetentionController, LegalHoldController],
  providers: [RetentionService, RetentionRulesService, LegalHoldService, RetentionJob],
})
export class RetentionModule {}
