import { Module } from '@nestjs/common';
import { CaseParticipantsService } from './case-participants.service.js';
import { CasesController } from './cases.controller.js';
import { CasesService } from './cases.service.js';

@Module({
  controllers: [CasesController],
  providers: [CasesService, CaseParticipantsService],
  exports: [CasesService],
})
export class CasesModule {}
