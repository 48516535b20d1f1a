import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  ConversationSummary,
  MarkReadRequest,
  MessageAck,
  MessageHistory,
  MessageHistoryQuery,
  SendMessageRequest,
  PageQuery,
  type Page,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { MessagesService } from './messages.service.js';
import { uuid } from '../common/validation.js';

@ApiTags('conversations')
@Controller()
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post('cases/:id/messages')
  @Policy('create', 'CaseMessage')
  @ApiCreatedResponse({
    type: MessageAck,
    description:
      'Persisted, then delivered live to the members who may see it. The same clientId again returns the first message (`created: false`)',
  })
  @ApiServiceUnavailableResponse({
    description:
      'busy: more sends than the server can store, or than the replicas deliver to one another, now; nothing was stored: send it again with the same clientId (see Retry-After)',
  })
  send(
    @Param('id', uuid) caseId: string,
    @Body() body: SendMessageRequest,
    @CurrentActor() actor: Actor,
  ): Promise<MessageAck> {
    return this.messages.send(actor, caseId, body);
  }

  @Get('cases/:id/messages')
  @Policy('list', 'CaseMessage')
  @ApiQueryFrom(MessageHistoryQuery)
  @ApiOkResponse({
    type: MessageHistory,
    description: 'The messages after `after` that you may see now, oldest first',
  })
  history(
    @Param('id', uuid) caseId: string,
    @Query() query: MessageHistoryQuery,
    @CurrentActor() actor: Actor,
  ): Promise<MessageHistory> {
    return this.messages.history(actor, caseId, query);
  }

  @Post('cases/:id/messages/read')
  @HttpCode(HttpStatus.OK)
  @Policy('list', 'CaseMessage')
  @ApiOkResponse({ type: MarkReadRequest, description: 'How far you have read now' })
  markRead(
    @Param('id', uuid) caseId: string,
    @Body() body: MarkReadRequest,
    @CurrentActor() actor: Actor,
  ): Promise<{ seq: number }> {
    return this.messages.markRead(actor, caseId, body.seq);
  }

  @Get('me/conversations')
  @Policy('list', 'CaseMessage')
  @ApiQueryFrom(PageQuery)
  @ApiPage(ConversationSummary, 'Your cases’ conversations with unread counts')
  conversations(
    @Query() query: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<ConversationSummary>> {
    return this.messages.conversations(actor, query);
  }
}
