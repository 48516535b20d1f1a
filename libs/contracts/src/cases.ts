import {
  ArrayMaxSize,
  IsBoolean,
  IsInt,
  Max,
  Min,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { HasText, Nested, Optional } from './validators.js';
import { MAX_PAGE_SIZE, PageQuery } from './pagination.js';

export const CASE_KINDS = ['sspf', 'sig', 'sip'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/**
 * The workflows of domain.md: from each status, the statuses a case may move to. Every open
 * status may also move to `closed` (goals met, consent withdrawn, moved, aged out, …).
 */
export const CASE_WORKFLOWS = {
  sspf: {
    initial: 'concern_raised',
    transitions: {
      concern_raised: ['screening'],
      screening: ['consent_pending'],
      consent_pending: ['consented'],
      consented: ['mapping'],
      mapping: ['network_meeting'],
      network_meeting: ['plan_active'],
      plan_active: ['follow_up', 'escalated'],
      follow_up: ['plan_active', 'escalated'],
      escalated: [],
      closed: [],
    },
  },
  sig: {
    initial: 'referral',
    transitions: {
      referral: ['eligibility'],
      eligibility: ['consent_pending'],
      consent_pending: ['joint_decision'],
      joint_decision: ['group_formed'],
      group_formed: ['action_plan'],
      action_plan: ['active'],
      active: ['review'],
      review: ['active'],
      closed: [],
    },
  },
  sip: {
    initial: 'need_identified',
    transitions: {
      need_identified: ['consent_pending'],
      consent_pending: ['called'],
      called: ['meeting'],
      meeting: ['plan_agreed'],
      plan_agreed: ['follow_up'],
      follow_up: ['revised'],
      revised: ['follow_up'],
      closed: [],
    },
  },
} as const satisfies Record<
  CaseKind,
  { initial: string; transitions: Record<string, readonly string[]> }
>;

export type CaseStatus = {
  [K in CaseKind]: keyof (typeof CASE_WORKFLOWS)[K]['transitions'];
}[CaseKind];

/** Statuses that end a case: nothing moves on from them. */
export const TERMINAL_STATUSES: readonly string[] = ['closed', 'escalated'];

/** The statuses a case of `kind` may move to from `status` (closing is always allowed while open). */
export function allowedTransitions(kind: CaseKind, status: string): string[] {
  const transitions = CASE_WORKFLOWS[kind].transitions as Record<string, readonly string[]>;
  const next = transitions[status];
  if (next === undefined || TERMINAL_STATUSES.includes(status)) return [...(next ?? [])];
  return [...next, 'closed'];
}

export function caseStatuses(kind: CaseKind): string[] {
  return Object.keys(CASE_WORKFLOWS[kind].transitions);
}

/**
 * Whether a case of `kind` in `status` is past `consent_pending` in its workflow (from the first
 * status after it on): its joint work rests on a consent given. False before and at
 * `consent_pending`, and for statuses the workflow does not reach from there.
 */
export function pastConsentPending(kind: CaseKind, status: string): boolean {
  const transitions = CASE_WORKFLOWS[kind].transitions as Record<string, readonly string[]>;
  const reached = new Set<string>();
  const next = [...(transitions['consent_pending'] ?? [])];
  for (let current = next.pop(); current !== undefined; current = next.pop()) {
    if (reached.has(current) || current === 'consent_pending') continue;
    reached.add(current);
    next.push(...(transitions[current] ?? []));
  }
  return reached.has(status);
}

/** Every status of any workflow: what a filter by status may name. */
export const ALL_CASE_STATUSES: readonly string[] = [...new Set(CASE_KINDS.flatMap(caseStatuses))];

export class CaseUnitResponse {
  @IsUUID() id!: string;
  @IsString() name!: string;
  @IsString() agency!: string;
}

export class CaseMemberResponse {
  @IsUUID() userId!: string;
  @IsString() displayName!: string;
  @IsUUID() unitId!: string;
  @IsString() agency!: string;
  @IsIn(['responsible', 'member']) role!: 'responsible' | 'member';
}

export class CasePersonResponse {
  @IsUUID() id!: string;
  /** The young person's name; a neutral label when protected and you are not cleared. */
  @IsString() name!: string;
  @IsOptional() @IsDateString() birthDate!: string | null;
  @IsOptional() @IsString() identityNumber!: string | null;
  @IsBoolean() masked!: boolean;
}

export class CaseResponse {
  @IsUUID() id!: string;
  @IsIn(CASE_KINDS) kind!: CaseKind;
  @IsString() status!: string;
  /** Where the case may go from here. */
  /**
   * The statuses the workflow leads to from this one. From `consent_pending` on, a move other than
   * closing (or escalating an SSPF case) also needs a consent of the case in force (409
   * `consent-required` otherwise).
   */
  @IsArray() @IsString({ each: true }) allowedTransitions!: string[];
  @IsUUID() areaId!: string;
  @Nested(() => CasePersonResponse) person!: CasePersonResponse;
  @Nested(() => CaseUnitResponse) owningUnit!: CaseUnitResponse;
  @IsUUID() responsibleUserId!: string;
  @IsArray()
  @Nested(() => CaseUnitResponse, { each: true })
  participatingUnits!: CaseUnitResponse[];
  @IsArray()
  @Nested(() => CaseMemberResponse, { each: true })
  members!: CaseMemberResponse[];
  @IsDateString() createdAt!: string;
  @IsDateString() updatedAt!: string;
}

/** One move of a case along its workflow. */
export class CaseStatusChangeResponse {
  @IsUUID() id!: string;
  /** null for the status the case was opened in. */
  @IsOptional() @IsString() fromStatus!: string | null;
  @IsString() toStatus!: string;
  /**
   * Why, as its keeper recorded it: shown to those who read the case's plan (the unit holding
   * the case, its keepers, and units a consent in force names); null for others.
   */
  @IsOptional() @IsString() reason!: string | null;
  @IsUUID() changedByUserId!: string;
  @IsDateString() changedAt!: string;
}

export class CreateCaseRequest {
  @IsIn(CASE_KINDS) kind!: CaseKind;
  /** The young person, from the person register. */
  @IsUUID() personId!: string;
  @IsUUID() areaId!: string;
  /** Defaults to your unit. */
  @Optional() @IsUUID() owningUnitId?: string;
  /** A coordinator or case holder; defaults to you. */
  @Optional() @IsUUID() responsibleUserId?: string;
  @Optional()
  @IsArray()
  @ArrayMaxSize(30)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  participatingUnitIds?: string[];
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  memberUserIds?: string[];
}

export class UpdateCaseRequest {
  /**
   * Move along the workflow; a status not allowed from the current one (the current one itself
   * included) is a 409 naming those open now (without a consent in force, only the ends).
   */
  @Optional() @IsString() @MaxLength(40) status?: string;
  /** Why the case moves: only with `status` (a 400 naming `reason` otherwise); closing needs one. */
  @Optional() @IsString() @MinLength(3) @HasText(3) @MaxLength(500) reason?: string;
  @Optional() @IsUUID() responsibleUserId?: string;
}

export class AddMemberRequest {
  @IsUUID() userId!: string;
}

export class AddUnitRequest {
  @IsUUID() unitId!: string;
}

export class CaseQuery extends PageQuery {
  @Optional() @IsIn(CASE_KINDS) kind?: CaseKind;
  @Optional() @IsIn(ALL_CASE_STATUSES) status?: string;
  @Optional() @IsUUID() personId?: string;
  @Optional() @IsUUID() areaId?: string;
  /** Only the cases this user is responsible for (yours: your own id). */
  @Optional() @IsUUID() responsibleUserId?: string;
  /** Only the cases this user is a member of (yours: your own id). */
  @Optional() @IsUUID() memberUserId?: string;
}

export class SearchCasesRequest {
  /** Name or identity number of the young person (never in a URL). */
  @Optional() @IsString() @MinLength(2) @MaxLength(100) query?: string;
  @Optional() @IsIn(CASE_KINDS) kind?: CaseKind;
  @Optional() @IsIn(ALL_CASE_STATUSES) status?: string;
  @Optional() @IsString() @MaxLength(1024) cursor?: string;
  @Optional() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
}
