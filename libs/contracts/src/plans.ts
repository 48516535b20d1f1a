import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { HasText, IsCalendarDate, Nested, Optional } from './validators.js';
import type { CaseKind } from './cases.js';
import { PageQuery } from './pagination.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const PLAN_STATUSES = ['draft', 'agreed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Who provides an intervention in a SIP: the municipality, the region, or someone else. */
export const PROVIDERS = ['municipality', 'region', 'other'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const GOAL_ATTAINMENTS = ['not_started', 'not_met', 'partly_met', 'met'] as const;
export type GoalAttainment = (typeof GOAL_ATTAINMENTS)[number];

/** What a plan is called for each kind of case (SSPF: åtagandeplan). */
export const PLAN_NAMES: Record<CaseKind, string> = {
  sspf: 'Åtagandeplan',
  sig: 'Handlingsplan (SIG)',
  sip: 'Samordnad individuell plan (SIP)',
};

export class UpdatePlanRequest {
  /** The follow-up date: a changed one is today or later (Europe/Stockholm). */
  @Optional() @IsCalendarDate() followUpDate?: string;
  /** SIP: who holds overall responsibility. */
  @Optional() @IsUUID() overallResponsibleUserId?: string;
  /** SIP: measures taken by others (outside this plan). */
  @Optional() @IsString() @MaxLength(4000) otherMeasures?: string;
  /** Mark the plan agreed; a SIP must then be complete (a 400 lists what is missing). */
  @Optional() @IsIn(PLAN_STATUSES) status?: PlanStatus;
}

export class CreateGoalRequest {
  @IsString() @MinLength(3) @HasText(3) @MaxLength(1000) text!: string;
}

export class CreatePlanActionRequest {
  /** What is to be done. */
  @IsString() @MinLength(3) @HasText(3) @MaxLength(1000) what!: string;
  @IsUUID() responsibleUnitId!: string;
  /** The action's owner: an active staff user of the responsible unit. */
  @Optional() @IsUUID() responsibleUserId?: string;
  /** Today or later (Europe/Stockholm). */
  @IsCalendarDate() dueDate!: string;
  @Optional() @IsUUID() goalId?: string;
  /**
   * SIP: which principal provides it, the responsible unit's: `region` for health, `municipality`
   * for school, social services and leisure, `other` for the police.
   */
  @Optional() @IsIn(PROVIDERS) provider?: Provider;
}

export class UpdatePlanActionRequest {
  @Optional() @IsIn(ACTION_STATUSES) status?: ActionStatus;
  /** SIP: which principal provides it, the responsible unit's (the plan's keepers only). */
  @Optional() @IsIn(PROVIDERS) provider?: Provider;
  /** A changed due date is today or later (Europe/Stockholm; the plan's keepers only). */
  @Optional() @IsCalendarDate() dueDate?: string;
}

export class GoalAttainmentInput {
  @IsUUID() goalId!: string;
  @IsIn(GOAL_ATTAINMENTS) attainment!: GoalAttainment;
}

export class CreateReviewRequest {
  @IsString() @MinLength(3) @HasText(3) @MaxLength(4000) progressNote!: string;
  @IsArray()
  @ArrayMaxSize(50)
  @Nested(() => GoalAttainmentInput, { each: true })
  goals!: GoalAttainmentInput[];
  /** The next follow-up date: today or later (Europe/Stockholm). */
  @Optional() @IsCalendarDate() nextFollowUp?: string;
}

export class PlanGoalResponse {
  @IsUUID() id!: string;
  @IsString() text!: string;
  @IsDateString() createdAt!: string;
}

export class PlanActionResponse {
  @IsUUID() id!: string;
  @IsUUID() caseId!: string;
  @IsOptional() @IsUUID() goalId!: string | null;
  @IsString() what!: string;
  @IsUUID() responsibleUnitId!: string;
  @IsString() responsibleUnitName!: string;
  @IsOptional() @IsUUID() responsibleUserId!: string | null;
  @Matches(DATE) dueDate!: string;
  @IsIn(ACTION_STATUSES) status!: ActionStatus;
  /** Open or in progress, in a case not closed, and due before today (Europe/Stockholm). */
  @IsBoolean() overdue!: boolean;
  @IsOptional() @IsIn(PROVIDERS) provider!: Provider | null;
  @IsOptional() @IsUUID() agendaItemId!: string | null;
  @IsDateString() createdAt!: string;
  @IsDateString() updatedAt!: string;
}

export class PlanReviewResponse {
  @IsUUID() id!: string;
  @IsString() progressNote!: string;
  @IsArray()
  @Nested(() => GoalAttainmentInput, { each: true })
  goals!: GoalAttainmentInput[];
  /** SIG: the risk assessment the plan was reviewed against; null for a reader who may not read it. */
  @IsOptional() @IsUUID() assessmentId!: string | null;
  @IsOptional() @Matches(DATE) nextFollowUp!: string | null;
  @IsUUID() reviewedBy!: string;
  @IsDateString() reviewedAt!: string;
}

export class PlanResponse {
  /** Null until something is written to the plan. */
  @IsOptional() @IsUUID() id!: string | null;
  @IsUUID() caseId!: string;
  @IsString() name!: string;
  @IsIn(PLAN_STATUSES) status!: PlanStatus;
  @IsOptional() @Matches(DATE) followUpDate!: string | null;
  @IsOptional() @IsUUID() overallResponsibleUserId!: string | null;
  @IsOptional() @IsString() otherMeasures!: string | null;
  @IsArray()
  @Nested(() => PlanGoalResponse, { each: true })
  goals!: PlanGoalResponse[];
  @IsArray()
  @Nested(() => PlanActionResponse, { each: true })
  actions!: PlanActionResponse[];
  @IsArray()
  @Nested(() => PlanReviewResponse, { each: true })
  reviews!: PlanReviewResponse[];
  @IsOptional() @IsDateString() agreedAt!: string | null;
  @IsDateString() updatedAt!: string;
}

/** One of your own actions, across cases: no case content beyond the action itself. */
export class MyActionResponse extends PlanActionResponse {
  @IsString() caseKind!: CaseKind;
}

export class MyActionsQuery extends PageQuery {
  /** Only overdue actions. */
  @Optional() @IsIn(['true', 'false']) overdue?: 'true' | 'false';
}

// ── SIG: eligibility and assessment ──────────────────────────────────────────────────────────

export class SigEligibilityResponse {
  @IsUUID() caseId!: string;
  /** The young person's age today (Europe/Stockholm); null without a birth date. */
  @IsOptional() @IsInt() age!: number | null;
  @IsInt() minAge!: number;
  @IsInt() maxAge!: number;
  /** Null for a viewer the young person's date of birth is hidden from (protected identity). */
  @IsOptional() @IsBoolean() withinRange!: boolean | null;
  /** Within the range, or younger (or of no known age) with a recorded exception. */
  @IsBoolean() eligible!: boolean;
  /**
   * Why the exception was made: social services' record, null (also when one is recorded) for a
   * viewer of another agency that no consent in force covers for `social_assessment`.
   */
  @IsOptional() @IsString() exceptionJustification!: string | null;
  /** Who recorded the latest exception (null: none is recorded). */
  @IsOptional() @IsUUID() exceptionDecidedBy!: string | null;
}

export class SigExceptionRequest {
  /** Why SIG is right for this young person although outside the age range. */
  @IsString() @MinLength(20) @HasText(20) @MaxLength(4000) justification!: string;
}

export const RISK_FACTOR_KINDS = ['risk', 'protective'] as const;
export type RiskFactorKind = (typeof RISK_FACTOR_KINDS)[number];

export class RiskFactorItem {
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, {
    message: 'code must be 2–40 lower-case letters, digits or _',
  })
  code!: string;
  @IsString() @MinLength(2) @HasText(2) @MaxLength(200) label!: string;
  @IsIn(RISK_FACTOR_KINDS) kind!: RiskFactorKind;
  @IsInt() @Min(1) @Max(10) maxScore!: number;
}

/**
 * A generic item set of risk and protective factors (not the text of proprietary instruments
 * such as EARL or SAVRY); each municipality may configure its own.
 */
export const DEFAULT_RISK_FACTOR_ITEMS: readonly RiskFactorItem[] = [
  { code: 'peer_criminality', label: 'Kriminella kamrater', kind: 'risk', maxScore: 3 },
  { code: 'school_absence', label: 'Hög frånvaro från skolan', kind: 'risk', maxScore: 3 },
  { code: 'substance_use', label: 'Bruk av alkohol eller droger', kind: 'risk', maxScore: 3 },
  { code: 'prior_offending', label: 'Tidigare brottslighet', kind: 'risk', maxScore: 3 },
  { code: 'family_support', label: 'Stöd från familjen', kind: 'protective', maxScore: 3 },
  { code: 'school_engagement', label: 'Engagemang i skolan', kind: 'protective', maxScore: 3 },
  { code: 'prosocial_leisure', label: 'Prosocial fritid', kind: 'protective', maxScore: 3 },
];

export class RiskFactorItemsRequest {
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(60)
  @Nested(() => RiskFactorItem, { each: true })
  items!: RiskFactorItem[];
}

export class RiskFactorScoreInput {
  @IsString() @MaxLength(40) code!: string;
  @IsInt() @Min(0) @Max(10) score!: number;
}

export class CreateRiskAssessmentRequest {
  @IsCalendarDate() assessedOn!: string;
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(60)
  @Nested(() => RiskFactorScoreInput, { each: true })
  scores!: RiskFactorScoreInput[];
  @Optional() @IsString() @MaxLength(4000) note?: string;
}

export class RiskFactorScore extends RiskFactorItem {
  @IsInt() score!: number;
}

export class RiskAssessmentResponse {
  @IsUUID() id!: string;
  @IsUUID() caseId!: string;
  @Matches(DATE) assessedOn!: string;
  @IsArray()
  @Nested(() => RiskFactorScore, { each: true })
  scores!: RiskFactorScore[];
  @IsInt() riskScore!: number;
  @IsInt() protectiveScore!: number;
  @IsOptional() @IsString() note!: string | null;
  @IsUUID() assessedBy!: string;
  @IsDateString() createdAt!: string;
}
