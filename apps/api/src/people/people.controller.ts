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
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ClearanceResponse,
  EmergencyAccessRequest,
  CreatePersonRequest,
  GrantClearanceRequest,
  PageQuery,
  PersonResponse,
  SearchPeopleRequest,
  UpdatePersonRequest,
  type Page,
} from '@samverka/contracts';
import type { Response } from 'express';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { ClearancesService } from './clearances.service.js';
import { PeopleSearchService } from './people-search.service.js';
import { PeopleService } from './people.service.js';
import { uuid } from '../common/validation.js';

/** The person register. Identity numbers travel only in bodies, never in URLs. */
@ApiTags('people')
@Controller('people')
export class PeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly search: PeopleSearchService,
    private readonly clearances: ClearancesService,
  ) {}

  @Post()
  @Policy('create', 'Person')
  @ApiCreatedResponse({
    type: PersonResponse,
    description:
      'Registered for your agency (header Samverka-Person-Linked: true when already in the register)',
  })
  async create(
    @Body() body: CreatePersonRequest,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PersonResponse> {
    const { person, created } = await this.people.create(actor, body);
    if (!created) response.setHeader('Samverka-Person-Linked', 'true');
    return person;
  }

  @Get()
  @Policy('list', 'Person')
  @ApiQueryFrom(PageQuery)
  @ApiPage(PersonResponse, 'People registered by or linked to your agency')
  list(@Query() query: PageQuery, @CurrentActor() actor: Actor): Promise<Page<PersonResponse>> {
    return this.search.list(actor, query.limit, query.cursor);
  }

  @Post('search')
  @HttpCode(HttpStatus.OK)
  @Policy('search', 'Person')
  @ApiPage(
    PersonResponse,
    'Matches you may see, by name (prefix of given or family name) or identity number',
  )
  find(
    @Body() body: SearchPeopleRequest,
    @CurrentActor() actor: Actor,
  ): Promise<Page<PersonResponse>> {
    return this.search.search(actor, body);
  }

  @Get(':id')
  @Policy('read', 'Person')
  @ApiOkResponse({ type: PersonResponse })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<PersonResponse> {
    return this.people.get(actor, id);
  }

  @Patch(':id')
  @Policy('update', 'Person')
  @ApiOkResponse({ type: PersonResponse })
  update(
    @Param('id', uuid) id: string,
    @Body() body: UpdatePersonRequest,
    @CurrentActor() actor: Actor,
  ): Promise<PersonResponse> {
    return this.people.update(actor, id, body);
  }

  @Get(':id/clearances')
  @Policy('list', 'PersonClearance')
  @ApiQueryFrom(PageQuery)
  @ApiPage(ClearanceResponse, 'Who is cleared for the person, in the order they were cleared')
  listClearances(
    @Param('id', uuid) id: string,
    @Query() query: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<ClearanceResponse>> {
    return this.clearances.list(actor, id, query);
  }

  @Post(':id/clearances')
  @Policy('grant', 'PersonClearance')
  @ApiCreatedResponse({ type: ClearanceResponse })
  grant(
    @Param('id', uuid) id: string,
    @Body() body: GrantClearanceRequest,
    @CurrentActor() actor: Actor,
  ): Promise<ClearanceResponse> {
    return this.clearances.grant(actor, id, body);
  }

  @Post(':id/emergency-access')
  @Policy('read', 'Person')
  @ApiCreatedResponse({
    type: ClearanceResponse,
    description:
      'Emergency access (nödåtkomst) to a protected identity: you see the person in full until ' +
      '`expiresAt`; the reason is audited and the municipality’s auditors are alerted at once. ' +
      '409 `not-protected` for a person without a protected identity, `already-cleared` when you ' +
      'are cleared for good; asking again renews it.',
  })
  emergencyAccess(
    @Param('id', uuid) id: string,
    @Body() body: EmergencyAccessRequest,
    @CurrentActor() actor: Actor,
  ): Promise<ClearanceResponse> {
    return this.clearances.emergencyAccess(actor, id, body);
  }

  @Delete(':id/clearances/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Policy('grant', 'PersonClearance')
  @ApiNoContentResponse({ description: 'The clearance is revoked; it applies at once' })
  revoke(
    @Param('id', uuid) id: string,
    @Param('userId', uuid) userId: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    return this.clearances.revoke(actor, id, userId);
  }
}
