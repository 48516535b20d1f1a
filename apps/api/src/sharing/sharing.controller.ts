import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ConsentPartyInput,
  ConsentResponse,
  CreateConsentRequest,
  CreateDisclosureRequest,
  CreateEntryRequest,
  DisclosureResponse,
  EntryResponse,
  EntrySearchRequest,
  PageQuery,
  RevokeConsentRequest,
  type Page,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { ConsentsService } from './consents.service.js';
import { DisclosuresService } from './disclosures.service.js';
import { EntriesService } from './entries.service.js';
import { uuid } from '../common/validation.js';

@ApiTags('consents')
@Controller()
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Post('cases/:id/consents')
  @Policy('create', 'Consent')
  @ApiCreatedResponse({
    type: ConsentResponse,
    description: 'Recorded; `inForce` and `notInForceReasons` say whether it holds',
  })
  create(
    @Param('id', uuid) caseId: string,
    @Body() body: CreateConsentRequest,
    @CurrentActor() actor: Actor,
  ): Promise<ConsentResponse> {
    return this.consents.create(actor, caseId, body);
  }

  @Get('cases/:id/consents')
  @Policy('list', 'Consent')
  @ApiQueryFrom(PageQuery)
  @ApiPage(ConsentResponse, 'The case’s consents, newest first, each saying whether it is in force')
  list(
    @Param('id', uuid) caseId: string,
    @Query() query: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<ConsentResponse>> {
    return this.consents.list(actor, caseId, query);
  }

  @Get('consents/:id')
  @Policy('read', 'Consent')
  @ApiOkResponse({ type: ConsentResponse })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<ConsentResponse> {
    return this.consents.get(actor, id);
  }

  @Post('consents/:id/parties')
  @Policy('create', 'Consent')
  @ApiCreatedResponse({
    type: ConsentResponse,
    description: 'A further party (e.g. the second guardian) has consented',
  })
  addParty(
    @Param('id', uuid) id: string,
    @Body() body: ConsentPartyInput,
    @CurrentActor() actor: Actor,
  ): Promise<ConsentResponse> {
    return this.consents.addParty(actor, id, body);
  }

  @Post('consents/:id/revoke')
  @HttpCode(HttpStatus.OK)
  @Policy('revoke', 'Consent')
  @ApiOkResponse({
    type: ConsentResponse,
    description: 'Revoked: recipients lose access from the next read',
  })
  revoke(
    @Param('id', uuid) id: string,
    @Body() body: RevokeConsentRequest,
    @CurrentActor() actor: Actor,
  ): Promise<ConsentResponse> {
    return this.consents.revoke(actor, id, body);
  }
}

@ApiTags('entries')
@Controller()
export class EntriesController {
  constructor(
    private readonly entries: EntriesService,
    private readonly disclosures: DisclosuresService,
  ) {}

  @Post('cases/:id/entries')
  @Policy('create', 'CaseEntry')
  @ApiCreatedResponse({
    type: EntryResponse,
    description: 'Written for your agency; visible to it alone until disclosed',
  })
  create(
    @Param('id', uuid) caseId: string,
    @Body() body: CreateEntryRequest,
    @CurrentActor() actor: Actor,
  ): Promise<EntryResponse> {
    return this.entries.create(actor, caseId, body);
  }

  @Get('cases/:id/entries')
  @Policy('list', 'CaseEntry')
  @ApiQueryFrom(PageQuery)
  @ApiPage(
    EntryResponse,
    'The entries you may read now: your agency’s, and those disclosed to you on a basis that holds',
  )
  list(
    @Param('id', uuid) caseId: string,
    @Query() query: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<EntryResponse>> {
    return this.entries.list(actor, caseId, query);
  }

  @Post('entries/search')
  @HttpCode(HttpStatus.OK)
  @Policy('search', 'CaseEntry')
  @ApiPage(EntryResponse, 'Entries you may read whose text contains `text`')
  search(
    @Body() body: EntrySearchRequest,
    @CurrentActor() actor: Actor,
  ): Promise<Page<EntryResponse>> {
    return this.entries.search(actor, body);
  }

  @Get('entries/:id')
  @Policy('read', 'CaseEntry')
  @ApiOkResponse({ type: EntryResponse })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<EntryResponse> {
    return this.entries.get(actor, id);
  }

  @Post('entries/:id/disclosures')
  @Policy('disclose', 'CaseEntry')
  @ApiCreatedResponse({
    type: DisclosureResponse,
    isArray: true,
    description: 'One disclosure per receiver',
  })
  disclose(
    @Param('id', uuid) id: string,
    @Body() body: CreateDisclosureRequest,
    @CurrentActor() actor: Actor,
  ): Promise<DisclosureResponse[]> {
    return this.disclosures.create(actor, id, body);
  }

  @Get('entries/:id/disclosures')
  @Policy('disclose', 'CaseEntry')
  @ApiQueryFrom(PageQuery)
  @ApiPage(DisclosureResponse, 'The entry’s disclosures in the order they were decided')
  listDisclosures(
    @Param('id', uuid) id: string,
    @Query() query: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<DisclosureResponse>> {
    return this.disclosures.list(actor, id, query);
  }
}
