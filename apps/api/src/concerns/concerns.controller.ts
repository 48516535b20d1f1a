import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ConcernFeedbackResponse,
  ConcernQuery,
  ConcernReportResponse,
  CreateConcernRequest,
  ExtendInvestigationRequest,
  LinkConcernCaseRequest,
  UpdateConcernRequest,
  type Page,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { ConcernWorkflowService } from './concern-workflow.service.js';
import { ConcernsService } from './concerns.service.js';
import { uuid } from '../common/validation.js';

/**
 * Concern reports (orosanmälan). A report exists only for its reporter and for the social workers
 * of the receiving unit; for everyone else it is a 404.
 */
@ApiTags('concerns')
@Controller('concerns')
export class ConcernsController {
  constructor(
    private readonly concerns: ConcernsService,
    private readonly workflow: ConcernWorkflowService,
  ) {}

  @Post()
  @Policy('create', 'ConcernReport')
  @ApiCreatedResponse({
    type: ConcernReportResponse,
    description: 'Filed: the response is your receipt (receivedAt, receiving unit)',
  })
  file(
    @Body() body: CreateConcernRequest,
    @CurrentActor() actor: Actor,
  ): Promise<ConcernReportResponse> {
    return this.concerns.file(actor, body);
  }

  @Get()
  @Policy('list', 'ConcernReport')
  @ApiQueryFrom(ConcernQuery)
  @ApiPage(
    ConcernReportResponse,
    'Reports you filed and reports to your unit, newest first; status and overdue filter only the ones you handle',
  )
  list(
    @Query() query: ConcernQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<ConcernReportResponse>> {
    return this.concerns.list(actor, query);
  }

  @Get(':id')
  @Policy('read', 'ConcernReport')
  @ApiOkResponse({
    type: ConcernReportResponse,
    description: 'The handling (status, deadlines) is shown only to the receiving unit',
  })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<ConcernReportResponse> {
    return this.concerns.get(actor, id);
  }

  @Get(':id/feedback')
  @Policy('feedback', 'ConcernReport')
  @ApiOkResponse({
    type: ConcernFeedbackResponse,
    description: 'For the reporter: investigation opened, not opened or already running',
  })
  feedback(
    @Param('id', uuid) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<ConcernFeedbackResponse> {
    return this.concerns.feedback(actor, id);
  }

  @Patch(':id')
  @Policy('handle', 'ConcernReport')
  @ApiOkResponse({
    type: ConcernReportResponse,
    description: 'Moved along the workflow (409 names the allowed statuses) or given a handler',
  })
  update(
    @Param('id', uuid) id: string,
    @Body() body: UpdateConcernRequest,
    @CurrentActor() actor: Actor,
  ): Promise<ConcernReportResponse> {
    return this.workflow.update(actor, id, body);
  }

  @Post(':id/extensions')
  @Policy('handle', 'ConcernReport')
  @ApiCreatedResponse({ type: ConcernReportResponse, description: 'The investigation extended' })
  extend(
    @Param('id', uuid) id: string,
    @Body() body: ExtendInvestigationRequest,
    @CurrentActor() actor: Actor,
  ): Promise<ConcernReportResponse> {
    return this.workflow.extend(actor, id, body);
  }

  @Put(':id/case')
  @Policy('handle', 'ConcernReport')
  @ApiOkResponse({ type: ConcernReportResponse, description: 'Linked to the case it led to' })
  linkCase(
    @Param('id', uuid) id: string,
    @Body() body: LinkConcernCaseRequest,
    @CurrentActor() actor: Actor,
  ): Promise<ConcernReportResponse> {
    return this.workflow.linkCase(actor, id, body.caseId);
  }
}
