import { Module } from '@nestjs/common';
import { ConsentsService } from './consents.service.js';
import { DisclosuresService } from './disclosures.service.js';
import { EntriesService } from './entries.service.js';
import { ConsentsController, EntriesController } from './sharing.controller.js';

@Module({
  controllers: [ConsentsController, EntriesController],
  providers: [ConsentsService, EntriesService, DisclosuresService],
})
export class SharingModule {}
