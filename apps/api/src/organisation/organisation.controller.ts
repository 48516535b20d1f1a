import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AreaResponse,
  CreateAreaRequest,
  CreateUnitRequest,
  MunicipalityResponse,
  PageQuery,
  UnitQuery,
  UnitResponse,
  UpdateMunicipalSettingsRequest,
  type Page,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { OrganisationService } from './organisation.service.js';

@ApiTags('organisation')
@Controller()
export class OrganisationController {
  constructor(private readonly organisation: OrganisationService) {}

  @Get('municipality')
  @Policy('read', 'Municipality')
  @ApiOkResponse({ type: MunicipalityResponse })
  municipality(@CurrentActor() actor: Actor): Promise<MunicipalityResponse> {
    return this.organisation.municipality(actor);
  }

  @Patch('municipality/settings')
  @Policy('update', 'Municipality')
  @ApiOkResponse({ type: MunicipalityResponse })
  updateSettings(
    @Body() body: UpdateMunicipalSettingsRequest,
    @CurrentActor() actor: Actor,
  ): Promise<MunicipalityResponse> {
    return this.organisation.updateSettings(actor, body);
  }

  @Get('areas')
  @Policy('list', 'Area')
  @ApiQueryFrom(PageQuery)
  @ApiPage(AreaResponse)
  areas(@Query() query: PageQuery, @CurrentActor() actor: Actor): Promise<Page<AreaResponse>> {
    return this.organisation.areas(actor, query.limit, query.cursor);
  }

  @Post('areas')
  @Policy('create', 'Area')
  @ApiCreatedResponse({ type: AreaResponse })
  createArea(@Body() body: CreateAreaRequest, @CurrentActor() actor: Actor): Promise<AreaResponse> {
    return this.organisation.createArea(actor, body);
  }

  @Get('units')
  @Policy('list', 'Unit')
  @ApiQueryFrom(UnitQuery)
  @ApiPage(UnitResponse)
  units(@Query() query: UnitQuery, @CurrentActor() actor: Actor): Promise<Page<UnitResponse>> {
    return this.organisation.units(actor, query);
  }

  @Post('units')
  @Policy('create', 'Unit')
  @ApiCreatedResponse({ type: UnitResponse })
  createUnit(@Body() body: CreateUnitRequest, @CurrentActor() actor: Actor): Promise<UnitResponse> {
    return this.organisation.createUnit(actor, body);
  }
}
