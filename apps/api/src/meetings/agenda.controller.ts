import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AgendaItemResponse,
  CreateAgendaItemRequest,
  CreateAgendaNoteRequest,
  CreateDecisionRequest,
  CreatePlanActionRequest,
  MinutesResponse,
  PlanActionResponse,
  PageQuery,
  type Page,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { AgendaService } from './agenda.service.js';
import { MinutesService } from './minutes.service.js';
import { uuid } from '../common/validation.js';

/** Agenda items, gated by consent, and their minutes. */
@ApiTags('agenda')
@Controller()
export class AgendaController {
  constructor(
    private readonly agenda: AgendaService,
    private readonly minutes: MinutesService,
  ) {}

  @Post('meetings/:id/agenda')
  @Policy('create', 'AgendaItem')
  @ApiCreatedResponse({
    type: AgendaItemResponse,
    description:
      'Added; 409 names the invited agencies no consent in force (or legal basis) covers; 400 for a person in an area-level meeting',
  })
  add(
    @Param('id', uuid) id: string,
    @Body() body: CreateAgendaItemRequest,
    @CurrentActor() actor: Actor,
  ): Promise<AgendaItemResponse> {
    return this.agenda.add(actor, id, body);
  }

  @Get('meetings/:id/agenda')
  @Policy('list', 'AgendaItem')
  @ApiQueryFrom(PageQuery)
  @ApiPage(
    AgendaItemResponse,
    'The items you may see now, in agenda order (consent evaluated at read time)',
  )
  list(
    @Param('id', uuid) id: string,
    @Query() query: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<AgendaItemResponse>> {
    return this.agenda.list(actor, id, query);
  }

  @Get('agenda-items/:id/minutes')
  @Policy('read', 'AgendaItem')
  @ApiOkResponse({ type: MinutesResponse })
  getMinutes(
    @Param('id', uuid) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<MinutesResponse> {
    return this.minutes.get(actor, id);
  }

  @Post('agenda-items/:id/notes')
  @Policy('update', 'AgendaItem')
  @ApiCreatedResponse({
    type: MinutesResponse,
    description:
      'A note; about a case it is your agency’s case entry, visible by the rules of entries',
  })
  addNote(
    @Param('id', uuid) id: string,
    @Body() body: CreateAgendaNoteRequest,
    @CurrentActor() actor: Actor,
  ): Promise<MinutesResponse> {
    return this.minutes.addNote(actor, id, body);
  }

  @Post('agenda-items/:id/decisions')
  @Policy('update', 'AgendaItem')
  @ApiCreatedResponse({ type: MinutesResponse })
  addDecision(
    @Param('id', uuid) id: string,
    @Body() body: CreateDecisionRequest,
    @CurrentActor() actor: Actor,
  ): Promise<MinutesResponse> {
    return this.minutes.addDecision(actor, id, body);
  }

  @Post('agenda-items/:id/actions')
  @Policy('update', 'AgendaItem')
  @ApiCreatedResponse({
    type: PlanActionResponse,
    description: 'An action item, added to the case’s plan',
  })
  addAction(
    @Param('id', uuid) id: string,
    @Body() body: CreatePlanActionRequest,
    @CurrentActor() actor: Actor,
  ): Promise<PlanActionResponse> {
    return this.minutes.addAction(actor, id, body);
  }
}
