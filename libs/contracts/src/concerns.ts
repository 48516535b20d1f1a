import {
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  IsArray,
} from 'class-validator';
import { HasText, IsCalendarDate, IsOffsetDateTime, Nested, Optional } from './validators.js';
import { CasePersonResponse } from './cases.js';
import { PageQuery } from './pagination.js';

// ── The workflow ───────────────────────────────────────────────────────────────────────────────

/**
 * How social services works a concern report (orosanmälan), as in domain.md: from each status,
 * the statuses it may move to. `not_opened`, `already_running`, `closed_with_intervention`,
 * `closed_without_intervention` and `closed` end it; `closed_declined` (an offered intervention
 * was declined) leaves two months for a follow-up before it is closed.
 */
export const CONCERN_TRANSITIONS = {
  received: ['preliminary_assessment'],
  preliminary_assessment: ['investigation', 'not_opened', 'already_running'],
  investigation: ['closed_with_intervention', 'closed_without_intervention', 'closed_declined'],
  closed_declined: ['follow_up', 'closed'],
  follow_up: ['closed'],
  not_opened: [],
  already_running: [],
  closed_with_intervention: [],
  closed_without_intervention: [],
  closed: [],
} as const satisfies Record<string, readonly string[]>;

export type ConcernStatus = keyof typeof CONCERN_TRANSITIONS;
export const CONCERN_STATUSES = Object.keys(CONCERN_TRANSITIONS) as ConcernStatus[];

/** Moving to these needs a reason (a decision not to act, or to end the work). */
export const CONCERN_STATUSES_NEEDING_REASON: readonly ConcernStatus[] = [
  'not_opened',
  'closed_without_intervention',
  'closed_declined',
  'closed',
];

export function concernTransitions(status: string): ConcernStatus[] {
  return [...((CONCERN_TRANSITIONS as Record<string, readonly ConcernStatus[]>)[status] ?? [])];
}

/** The steps with a statutory deadline. */
export const DEADLINE_STEPS = [
  'protection_assessment',
  'preliminary_assessment',
  'investigation',
  'follow_up',
] as const;
export type DeadlineStep = (typeof DEADLINE_STEPS)[number];

/** The deadline that runs while a report is in a status (none once it is finished). */
export const DEADLINE_STEP_OF: Partial<Record<ConcernStatus, DeadlineStep>> = {
  received: 'protection_assessment',
  preliminary_assessment: 'preliminary_assessment',
  investigation: 'investigation',
  closed_declined: 'follow_up',
  follow_up: 'follow_up',
};

/**
 * What the reporter may be told (återkoppling): whether an investigation was opened, not opened,
 * or already running — never its content. `pending` until the preliminary assessment is decided.
 */
export const FEEDBACK_OUTCOMES = [
  'pending',
  'investigation_opened',
  'not_opened',
  'already_running',
] as const;
export type FeedbackOutcome = (typeof FEEDBACK_OUTCOMES)[number];

export const GUARDIANS_INFORMED = ['yes', 'no', 'unknown'] as const;
export type GuardiansInformed = (typeof GUARDIANS_INFORMED)[number];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// ── Requests ───────────────────────────────────────────────────────────────────────────────────

export class CreateConcernRequest {
  /** The child, from the person register (as you can see it). */
  @IsUUID() personId!: string;
  /** The child's area: the report goes to that area's social-services unit. */
  @IsUUID() areaId!: string;
  /** What was observed, in your own words. */
  @IsString() @MinLength(10) @HasText(10) @MaxLength(5000) observation!: string;
  /** When it was observed (not in the future). */
  @IsOffsetDateTime() observedAt!: string;
  /** Is the child in immediate danger? */
  @IsBoolean() immediateDanger!: boolean;
  @IsIn(GUARDIANS_INFORMED) guardiansInformed!: GuardiansInformed;
  /** How social services can reach you. */
  @IsString() @MinLength(3) @HasText(3) @MaxLength(200) reporterContact!: string;
}

export class UpdateConcernRequest {
  /** Move along the workflow; a status not allowed from the current one is a 409 naming those that are. */
  @Optional() @IsIn(CONCERN_STATUSES) status?: ConcernStatus;
  @Optional() @IsString() @MinLength(3) @HasText(3) @MaxLength(1000) reason?: string;
  /** The responsible social worker: a social worker or case holder of the receiving unit. */
  @Optional() @IsUUID() handlerUserId?: string;
}

export class ExtendInvestigationRequest {
  /** The new last day (Europe/Stockholm calendar date), after the current one. */
  @IsCalendarDate()
  newDueDate!: string;
  @IsString() @MinLength(10) @HasText(10) @MaxLength(1000) reason!: string;
}

export class LinkConcernCaseRequest {
  /** An SSPF or SIG case about the same child, started when consent was given. */
  @IsUUID() caseId!: string;
}

export class ConcernQuery extends PageQuery {
  @Optional() @IsIn(CONCERN_STATUSES) status?: ConcernStatus;
  /** Only reports whose current deadline has passed (social services' view). */
  @Optional() @IsIn(['true', 'false']) overdue?: 'true' | 'false';
  /** Only the reports this social worker handles (yours: your own id). */
  @Optional() @IsUUID() handlerUserId?: string;
}

// ── Responses ──────────────────────────────────────────────────────────────────────────────────

export class ConcernUnitResponse {
  @IsUUID() id!: string;
  @IsString() name!: string;
}

export class ConcernReporterResponse {
  @IsUUID() userId!: string;
  @IsString() displayName!: string;
  @IsString() agency!: string;
}

/** The deadline that runs now, in Europe/Stockholm calendar days. */
export class DeadlineResponse {
  @IsIn(DEADLINE_STEPS) step!: DeadlineStep;
  /** The last day (Europe/Stockholm). */
  @Matches(ISO_DATE) dueDate!: string;
  /** The moment the last day ends (midnight Europe/Stockholm). */
  @IsDateString() dueAt!: string;
  @IsIn(['due', 'overdue']) state!: 'due' | 'overdue';
  /** Calendar days left (0 on the last day); negative when overdue. */
  @IsInt() daysLeft!: number;
}

export class ExtensionResponse {
  @Matches(ISO_DATE) previousDueDate!: string;
  @Matches(ISO_DATE) newDueDate!: string;
  @IsString() reason!: string;
  @IsUUID() decidedBy!: string;
  @IsDateString() decidedAt!: string;
}

/** One move of a report along its workflow, with the reason recorded for it. */
export class ConcernMoveResponse {
  /** null for the status it was received in. */
  @IsOptional() @IsIn(CONCERN_STATUSES) fromStatus!: ConcernStatus | null;
  @IsIn(CONCERN_STATUSES) toStatus!: ConcernStatus;
  @IsOptional() @IsString() reason!: string | null;
  @IsUUID() changedByUserId!: string;
  @IsDateString() changedAt!: string;
}

/** Social services' side of a report: the workflow, its deadlines and decisions. */
export class ConcernHandlingResponse {
  @IsIn(CONCERN_STATUSES) status!: ConcernStatus;
  @IsArray() @IsIn(CONCERN_STATUSES, { each: true }) allowedTransitions!: ConcernStatus[];
  @IsOptional() @IsUUID() handlerUserId!: string | null;
  @IsOptional() @Nested(() => DeadlineResponse) deadline!: DeadlineResponse | null;
  @IsOptional() @IsDateString() protectionAssessedAt!: string | null;
  @IsOptional() @IsDateString() preliminaryDecidedAt!: string | null;
  @IsOptional() @IsDateString() investigationOpenedAt!: string | null;
  @IsOptional() @Matches(ISO_DATE) investigationDueDate!: string | null;
  @IsOptional() @IsDateString() closedAt!: string | null;
  @IsOptional() @Matches(ISO_DATE) followUpDueDate!: string | null;
  @IsArray()
  @Nested(() => ExtensionResponse, { each: true })
  extensions!: ExtensionResponse[];
  /** Its moves along the workflow, oldest first, each with its reason (the decisions' grounds). */
  @IsArray()
  @Nested(() => ConcernMoveResponse, { each: true })
  moves!: ConcernMoveResponse[];
  /** The SSPF or SIG case the concern led to, once linked. */
  @IsOptional() @IsUUID() caseId!: string | null;
}

export class ConcernReportResponse {
  @IsUUID() id!: string;
  /** The child; a neutral label when protected and you are not cleared. */
  @Nested(() => CasePersonResponse) person!: CasePersonResponse;
  @IsUUID() areaId!: string;
  @Nested(() => ConcernUnitResponse) receivingUnit!: ConcernUnitResponse;
  @Nested(() => ConcernReporterResponse) reporter!: ConcernReporterResponse;
  @IsString() observation!: string;
  @IsDateString() observedAt!: string;
  @IsBoolean() immediateDanger!: boolean;
  @IsIn(GUARDIANS_INFORMED) guardiansInformed!: GuardiansInformed;
  @IsString() reporterContact!: string;
  /** The receipt: when social services received it. */
  @IsDateString() receivedAt!: string;
  /** Social services' handling; `null` in the reporter's view (they may ask for feedback). */
  @IsOptional()
  @Nested(() => ConcernHandlingResponse)
  handling!: ConcernHandlingResponse | null;
}

/** The feedback the law allows the reporter (återkoppling): never the content of the work. */
export class ConcernFeedbackResponse {
  @IsUUID() reportId!: string;
  @IsDateString() receivedAt!: string;
  @IsIn(FEEDBACK_OUTCOMES) outcome!: FeedbackOutcome;
}
