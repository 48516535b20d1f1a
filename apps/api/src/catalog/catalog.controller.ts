import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CategoryResponse,
  CreateCategoryRequest,
  CreateLegalBasisRequest,
  LegalBasisResponse,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { CatalogService } from './catalog.service.js';

@ApiTags('catalog')
@Controller()
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('categories')
  @Policy('list', 'InformationCategory')
  @ApiOkResponse({
    type: CategoryResponse,
    isArray: true,
    description: 'The municipality’s information categories',
  })
  categories(@CurrentActor() actor: Actor): Promise<CategoryResponse[]> {
    return this.catalog.categories(actor);
  }

  @Post('categories')
  @Policy('create', 'InformationCategory')
  @ApiCreatedResponse({ type: CategoryResponse })
  createCategory(
    @Body() body: CreateCategoryRequest,
    @CurrentActor() actor: Actor,
  ): Promise<CategoryResponse> {
    return this.catalog.createCategory(actor, body);
  }

  @Get('legal-bases')
  @Policy('list', 'LegalBasis')
  @ApiOkResponse({
    type: LegalBasisResponse,
    isArray: true,
    description: 'Statutory bases for disclosure',
  })
  legalBases(@CurrentActor() actor: Actor): Promise<LegalBasisResponse[]> {
    return this.catalog.legalBases(actor);
  }

  @Post('legal-bases')
  @Policy('create', 'LegalBasis')
  @ApiCreatedResponse({ type: LegalBasisResponse })
  createLegalBasis(
    @Body() body: CreateLegalBasisRequest,
    @CurrentActor() actor: Actor,
  ): Promise<LegalBasisResponse> {
    return this.catalog.createLegalBasis(actor, body);
  }
}
