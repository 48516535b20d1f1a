import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AddMemberRequest,
  AddUnitRequest,
  CaseQuery,
  CaseResponse,
  CaseStatusChangeResponse,
  CreateCaseRequest,
  PageQuery,
  SearchCasesRequest,
  UpdateCaseRequest,
  type Page,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { CaseParticipantsService } from './case-participants.service.js';
import { CasesService } from './cases.service.js';
import { uuid } from '../common/validation.js';

/** Cases: a user sees only the cases they may know exist; everything else is a 404. */
@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly participants: CaseParticipantsService,
  ) {}

  @Post()
  @Policy('create', 'Case')
  @ApiCreatedResponse({ type: CaseResponse })
  create(@Body() body: CreateCaseRequest, @CurrentActor() actor: Actor): Promise<CaseResponse> {
    return this.cases.create(actor, body);
  }

  @Get()
  @Policy('list', 'Case')
  @ApiQueryFrom(CaseQuery)
  @ApiPage(CaseResponse, 'The cases you may know exist, newest first')
  list(@Query() query: CaseQuery, @CurrentActor() actor: Actor): Promise<Page<CaseResponse>> {
    return this.cases.list(actor, query);
  }

  @Post('search')
  @HttpCode(HttpStatus.OK)
  @Policy('search', 'Case')
  @ApiPage(
    CaseResponse,
    'Cases by the young person’s name or identity number (in the body, never in a URL)',
  )
  search(
    @Body() body: SearchCasesRequest,
    @CurrentActor() actor: Actor,
  ): Promise<Page<CaseResponse>> {
    return this.cases.search(actor, body);
  }

  @Get(':id')
  @Policy('read', 'Case')
  @ApiOkResponse({ type: CaseResponse })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<CaseResponse> {
    return this.cases.get(actor, id);
  }

  @Get(':id/history')
  @Policy('read', 'Case')
  @ApiQueryFrom(PageQuery)
  @ApiPage(
    CaseStatusChangeResponse,
    'The case’s moves along its workflow, oldest first; the reasons to those who read its plan',
  )
  history(
    @Param('id', uuid) id: string,
    @Query() query: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<CaseStatusChangeResponse>> {
    return this.cases.history(actor, id, query);
  }

  @Patch(':id')
  @Policy('update', 'Case')
  @ApiOkResponse({
    type: CaseResponse,
    description: 'Moved along the workflow (409 names the allowed statuses)',
  })
  update(
    @Param('id', uuid) id: string,
    @Body() body: UpdateCaseRequest,
    @CurrentActor() actor: Actor,
  ): Promise<CaseResponse> {
    return this.cases.update(actor, id, body);
  }

  @Post(':id/members')
  @Policy('update', 'Case')
  @ApiCreatedResponse({ type: CaseResponse })
  addMember(
    @Param('id', uuid) id: string,
    @Body() body: AddMemberRequest,
    @CurrentActor() actor: Actor,
  ): Promise<CaseResponse> {
    return this.participants.addMember(actor, id, body.userId);
  }

  @Delete(':id/members/:userId')
  @Policy('update', 'Case')
  @ApiOkResponse({
    type: CaseResponse,
    description: 'Removed; the user loses access to the case at once',
  })
  removeMember(
    @Param('id', uuid) id: string,
    @Param('userId', uuid) userId: string,
    @CurrentActor() actor: Actor,
  ): Promise<CaseResponse> {
    return this.participants.removeMember(actor, id, userId);
  }

  @Post(':id/units')
  @Policy('update', 'Case')
  @ApiCreatedResponse({ type: CaseResponse })
  addUnit(
    @Param('id', uuid) id: string,
    @Body() body: AddUnitRequest,
    @CurrentActor() actor: Actor,
  ): Promise<CaseResponse> {
    return this.participants.addUnit(actor, id, body.unitId);
  }

  @Delete(':id/units/:unitId')
  @Policy('update', 'Case')
  @ApiOkResponse({ type: CaseResponse })
  removeUnit(
    @Param('id', uuid) id: string,
    @Param('unitId', uuid) unitId: string,
    @CurrentActor() actor: Actor,
  ): Promise<CaseResponse> {
    return this.participants.removeUnit(actor, id, unitId);
  }
}
