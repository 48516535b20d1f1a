import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  NotificationQuery,
  NotificationResponse,
  UpdateNotificationRequest,
  type Page,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { NotificationsService } from './notifications.service.js';
import { uuid } from '../common/validation.js';

/** The signed-in user's own notifications (receipts, deadline reminders). */
@ApiTags('me')
@Controller('me/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Policy('list', 'Notification')
  @ApiQueryFrom(NotificationQuery)
  @ApiPage(NotificationResponse, 'Your notifications, newest first')
  list(
    @Query() query: NotificationQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<NotificationResponse>> {
    return this.notifications.list(actor, query);
  }

  @Patch(':id')
  @Policy('update', 'Notification')
  @ApiOkResponse({ type: NotificationResponse, description: 'Marked as read or unread' })
  update(
    @Param('id', uuid) id: string,
    @Body() body: UpdateNotificationRequest,
    @CurrentActor() actor: Actor,
  ): Promise<NotificationResponse> {
    return this.notifications.markRead(actor, id, body.read);
  }
}
