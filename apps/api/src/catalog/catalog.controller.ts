import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import {
  CategoryResponse,
  CreateCategoryRequest,
  CreateLegalBasisRequest,
  LegalBasisResponse,
  PageQuery,
  type Page,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { CatalogService } from './catalog.service.js';

@ApiTags('catalog')
@Controller()
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('categories')
  @Policy('list', 'InformationCategory')
  @ApiQueryFrom(PageQuery)
  @ApiPage(CategoryResponse, 'The municipality’s information categories, by code')
  categories(
    @Query() query: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<CategoryResponse>> {
    return this.catalog.categories(actor, query);
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
  @ApiQueryFrom(PageQuery)
  @ApiPage(LegalBasisResponse, 'Statutory bases for disclosure, by code')
  legalBases(
    @Query() query: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<LegalBasisResponse>> {
    return this.catalog.legalBases(actor, query);
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
