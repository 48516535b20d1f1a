import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateNoticeRequest, NoticeResponse, PageQuery, type Page } from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { NoticesService } from './notices.service.js';
import { uuid } from '../common/validation.js';

@ApiTags('notices')
@Controller('notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Post()
  @Policy('create', 'Notice')
  @ApiCreatedResponse({
    type: NoticeResponse,
    description: 'Posted and delivered live to the users of the chosen areas and agency types',
  })
  create(@Body() body: CreateNoticeRequest, @CurrentActor() actor: Actor): Promise<NoticeResponse> {
    return this.notices.create(actor, body);
  }

  @Get()
  @Policy('list', 'Notice')
  @ApiQueryFrom(PageQuery)
  @ApiPage(NoticeResponse, 'Notices that reached you (until they expire) and those you posted')
  list(@Query() query: PageQuery, @CurrentActor() actor: Actor): Promise<Page<NoticeResponse>> {
    return this.notices.list(actor, query);
  }

  @Get(':id')
  @Policy('read', 'Notice')
  @ApiOkResponse({ type: NoticeResponse })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<NoticeResponse> {
    return this.notices.get(actor, id);
  }

  @Post(':id/acknowledge')
  @HttpCode(HttpStatus.OK)
  @Policy('acknowledge', 'Notice')
  @ApiOkResponse({ type: NoticeResponse, description: 'Acknowledged (again: no change)' })
  acknowledge(
    @Param('id', uuid) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<NoticeResponse> {
    return this.notices.acknowledge(actor, id);
  }
}
