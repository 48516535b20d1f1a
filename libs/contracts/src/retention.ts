import {
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import { HasText, IsOffsetDateTime, Nested, Optional } from './validators.js';

// ── Retention (gallring) ───────────────────────────────────────────────────────────────────────

/**
 * The kinds of record a municipality sets a retention period for, and from when each is counted.
 * A record of a case under legal hold (or linked to one) is never removed.
 */
export const RETENTION_RECORD_TYPES = [
  'closed_case',
  'case_message',
  'notice',
  'concern_not_opened',
  'concern_investigated',
] as const;
export type RetentionRecordType = (typeof RETENTION_RECORD_TYPES)[number];

export const RETENTION_ACTIONS = ['delete', 'anonymise'] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];

/** What each kind covers, and the moment its period runs from. */
export const RETENTION_COUNTED_FROM: Record<RetentionRecordType, string> = {
  closed_case:
    'SSPF, SIG and SIP cases with status closed, from when they were closed; the case goes with its entries, consents, disclosures, messages, plan, assessments, its own meetings and agenda items about it elsewhere',
  case_message: 'messages in a case conversation, from when they were written',
  notice: 'police notices, from when they expire (or were posted, if they never expire)',
  concern_not_opened:
    'concern reports closed without an investigation (not opened), from the decision',
  concern_investigated:
    'concern reports closed after an investigation (with or without intervention, after a follow-up, or joined to one already running), from when they were closed',
};

/**
 * The actions each kind allows. A message may be anonymised: its text goes, the conversation
 * keeps its shape (sequence numbers that clients catch up by, replies, who wrote when). The
 * others are deleted: without the young person they are about nothing of them is worth keeping,
 * and the follow-up overview covers recent periods only.
 */
export const RETENTION_ALLOWED_ACTIONS: Record<RetentionRecordType, readonly RetentionAction[]> = {
  closed_case: ['delete'],
  case_message: ['anonymise', 'delete'],
  notice: ['delete'],
  concern_not_opened: ['delete'],
  concern_investigated: ['delete'],
};

/** An ISO 8601 period of years, months, weeks and days: `P5Y`, `P18M`, `P2W`, `P30D`, `P1Y6M`. */
/** Years, months, weeks and days, each bounded so that a period stays within a few centuries. */
export const RETENTION_PERIOD = /^P(?=\d)(\d{1,2}Y)?(\d{1,3}M)?(\d{1,3}W)?(\d{1,4}D)?$/;

export class RetentionRuleResponse {
  @IsIn(RETENTION_RECORD_TYPES) recordType!: RetentionRecordType;
  /** What the kind covers and when its period starts. */
  @IsString() countedFrom!: string;
  @IsArray() @IsIn(RETENTION_ACTIONS, { each: true }) allowedActions!: RetentionAction[];
  /** The retention period (ISO 8601); null: no rule, nothing of this kind is removed. */
  @IsOptional() @Matches(RETENTION_PERIOD) period!: string | null;
  @IsOptional() @IsIn(RETENTION_ACTIONS) action!: RetentionAction | null;
  @IsOptional() @IsDateString() updatedAt!: string | null;
  @IsOptional() @IsUUID() updatedBy!: string | null;
}

export class SetRetentionRuleRequest {
  /** ISO 8601 period of years, months, weeks and days, at least one day: `P5Y`, `P18M`, `P30D`. */
  @Matches(RETENTION_PERIOD, {
    message:
      'period must be an ISO 8601 period of years (up to 99), months, weeks and days, e.g. P5Y or P18M',
  })
  period!: string;
  @IsIn(RETENTION_ACTIONS) action!: RetentionAction;
}

export class RetentionDryRunQuery {
  /** Preview as of this instant instead of now (ISO 8601 with an offset). */
  @Optional() @IsOffsetDateTime() at?: string;
}

/** What a run removes (or a dry run would) of one kind: counts and ids, never content. */
export class RetentionOutcomeResponse {
  @IsIn(RETENTION_RECORD_TYPES) recordType!: RetentionRecordType;
  @IsIn(RETENTION_ACTIONS) action!: RetentionAction;
  @IsString() period!: string;
  /** Records older than this go. */
  @IsDateString() cutoff!: string;
  @IsInt() count!: number;
  /** The ids (at most 10,000; `idsTruncated` says when there are more). */
  @IsArray() @IsUUID('all', { each: true }) ids!: string[];
  @IsBoolean() idsTruncated!: boolean;
}

export class RetentionDryRunResponse {
  @IsDateString() at!: string;
  @IsArray()
  @Nested(() => RetentionOutcomeResponse, { each: true })
  outcomes!: RetentionOutcomeResponse[];
}

// ── Legal hold ─────────────────────────────────────────────────────────────────────────────────

export class PlaceLegalHoldRequest {
  /** Why the case must be kept (a request for documents, a complaint, a court case, …). */
  @IsString() @Length(3, 500) @HasText(3) reason!: string;
}

export class LegalHoldResponse {
  @IsUUID() caseId!: string;
  @IsString() reason!: string;
  @IsUUID() placedBy!: string;
  @IsDateString() placedAt!: string;
}
