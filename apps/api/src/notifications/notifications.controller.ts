import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  NOTIFICATION_UNREAD_FILTER,
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
  // Said on the parameter itself too, where documentation viewers show it.
  @ApiQuery({
    name: 'unread',
    required: false,
    schema: { type: 'string', enum: ['true', 'false'] },
    description: NOTIFICATION_UNREAD_FILTER,
  })
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
