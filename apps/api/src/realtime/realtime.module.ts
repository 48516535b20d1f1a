import { Global, Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module.js';
import { NoticesModule } from '../notices/notices.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { OutboxRelay } from './outbox-relay.js';
import { RealtimeDocsController } from './realtime-docs.controller.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RealtimeService } from './realtime.service.js';

/** Emitting to users' sockets, for any feature. */
@Global()
@Module({ providers: [RealtimeService], exports: [RealtimeService] })
export class RealtimeCoreModule {}

/** The socket.io hub, and the relay of outbox events to it. */
@Module({
  imports: [MessagingModule, NoticesModule, NotificationsModule],
  controllers: [RealtimeDocsController],
  providers: [RealtimeGateway, OutboxRelay],
  exports: [OutboxRelay],
})
export class RealtimeModule {}
