import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ClearancesService } from './clearances.service.js';
import { PeopleController } from './people.controller.js';
import { PeopleSearchService } from './people-search.service.js';
import { PeopleService } from './people.service.js';

@Module({
  imports: [NotificationsModule],
  controllers: [PeopleController],
  providers: [PeopleService, PeopleSearchService, ClearancesService],
})
export class PeopleModule {}
