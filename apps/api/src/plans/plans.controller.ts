import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CreateGoalRequest,
  CreatePlanActionRequest,
  CreateReviewRequest,
  CreateRiskAssessmentRequest,
  MyActionResponse,
  MyActionsQuery,
  PlanActionResponse,
  PlanResponse,
  RiskAssessmentResponse,
  RiskFactorItem,
  RiskFactorItemsRequest,
  SigEligibilityResponse,
  SigExceptionRequest,
  UpdatePlanActionRequest,
  UpdatePlanRequest,
  PageQuery,
  type Page,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { PlanActionsService } from './plan-actions.service.js';
import { PlansService } from './plans.service.js';
import { SigService } from './sig.service.js';
import { uuid } from '../common/validation.js';

/** The plan of a case: goals, actions with owners and deadlines, reviews; SIP agreement. */
@ApiTags('plans')
@Controller()
export class PlansController {
  constructor(
    private readonly plans: PlansService,
    private readonly actions: PlanActionsService,
  ) {}

  @Get('cases/:id/plan')
  @Policy('read', 'Plan')
  @ApiOkResponse({ type: PlanResponse })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<PlanResponse> {
    return this.plans.get(actor, id);
  }

  @Patch('cases/:id/plan')
  @Policy('update', 'Plan')
  @ApiOkResponse({
    type: PlanResponse,
    description: 'Changed; a SIP marked agreed while incomplete is a 400 listing what is missing',
  })
  update(
    @Param('id', uuid) id: string,
    @Body() body: UpdatePlanRequest,
    @CurrentActor() actor: Actor,
  ): Promise<PlanResponse> {
    return this.plans.update(actor, id, body);
  }

  @Post('cases/:id/plan/goals')
  @Policy('update', 'Plan')
  @ApiCreatedResponse({ type: PlanResponse })
  addGoal(
    @Param('id', uuid) id: string,
    @Body() body: CreateGoalRequest,
    @CurrentActor() actor: Actor,
  ): Promise<PlanResponse> {
    return this.plans.addGoal(actor, id, body);
  }

  @Post('cases/:id/plan/actions')
  @Policy('create', 'PlanAction')
  @ApiCreatedResponse({ type: PlanActionResponse })
  addAction(
    @Param('id', uuid) id: string,
    @Body() body: CreatePlanActionRequest,
    @CurrentActor() actor: Actor,
  ): Promise<PlanActionResponse> {
    return this.plans.addAction(actor, id, body);
  }

  @Post('cases/:id/plan/reviews')
  @Policy('update', 'Plan')
  @ApiCreatedResponse({
    type: PlanResponse,
    description: 'Reviewed (a SIG plan against its latest risk assessment)',
  })
  addReview(
    @Param('id', uuid) id: string,
    @Body() body: CreateReviewRequest,
    @CurrentActor() actor: Actor,
  ): Promise<PlanResponse> {
    return this.plans.addReview(actor, id, body);
  }

  @Patch('plan-actions/:id')
  @Policy('update', 'PlanAction')
  @ApiOkResponse({
    type: PlanActionResponse,
    description: 'The owner reports progress; the plan’s keepers may also move the date',
  })
  updateAction(
    @Param('id', uuid) id: string,
    @Body() body: UpdatePlanActionRequest,
    @CurrentActor() actor: Actor,
  ): Promise<PlanActionResponse> {
    return this.actions.update(actor, id, body);
  }

  @Get('me/actions')
  @Policy('list', 'PlanAction')
  @ApiQueryFrom(MyActionsQuery)
  @ApiPage(MyActionResponse, 'Your open and overdue actions across cases, soonest due first')
  mine(
    @Query() query: MyActionsQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<MyActionResponse>> {
    return this.plans.myActions(actor, query);
  }
}

/** SIG: eligibility by the municipality's age range, exceptions, risk and protective factors. */
@ApiTags('sig')
@Controller()
export class SigController {
  constructor(private readonly sig: SigService) {}

  @Get('cases/:id/sig-eligibility')
  @Policy('read', 'SigEligibility')
  @ApiOkResponse({ type: SigEligibilityResponse })
  eligibility(
    @Param('id', uuid) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<SigEligibilityResponse> {
    return this.sig.eligibility(actor, id);
  }

  @Post('cases/:id/sig-eligibility/exception')
  @Policy('create', 'SigEligibility')
  @ApiCreatedResponse({
    type: SigEligibilityResponse,
    description: 'A justified exception, by social services',
  })
  exception(
    @Param('id', uuid) id: string,
    @Body() body: SigExceptionRequest,
    @CurrentActor() actor: Actor,
  ): Promise<SigEligibilityResponse> {
    return this.sig.recordException(actor, id, body);
  }

  @Get('cases/:id/risk-assessments')
  @Policy('list', 'RiskAssessment')
  @ApiQueryFrom(PageQuery)
  @ApiPage(RiskAssessmentResponse, 'Newest first: the history')
  assessments(
    @Param('id', uuid) id: string,
    @Query() query: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<RiskAssessmentResponse>> {
    return this.sig.assessments(actor, id, query);
  }

  @Post('cases/:id/risk-assessments')
  @Policy('create', 'RiskAssessment')
  @ApiCreatedResponse({ type: RiskAssessmentResponse })
  assess(
    @Param('id', uuid) id: string,
    @Body() body: CreateRiskAssessmentRequest,
    @CurrentActor() actor: Actor,
  ): Promise<RiskAssessmentResponse> {
    return this.sig.assess(actor, id, body);
  }

  @Get('risk-factor-items')
  @Policy('list', 'RiskFactorItem')
  @ApiQueryFrom(PageQuery)
  @ApiPage(RiskFactorItem, 'The municipality’s item set, in its order')
  items(@Query() query: PageQuery, @CurrentActor() actor: Actor): Promise<Page<RiskFactorItem>> {
    return this.sig.items(actor, query);
  }

  @Put('risk-factor-items')
  @Policy('create', 'RiskFactorItem')
  @ApiOkResponse({
    type: RiskFactorItem,
    isArray: true,
    description: 'The municipality’s item set, replaced',
  })
  replaceItems(
    @Body() body: RiskFactorItemsRequest,
    @CurrentActor() actor: Actor,
  ): Promise<RiskFactorItem[]> {
    return this.sig.replaceItems(actor, body);
  }
}
