import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { HasText, IsOffsetDateTime, Nested, Nullable, Optional } from './validators.js';
import { AGENCY_TYPES, type AgencyType } from './enums.js';
import { PageQuery } from './pagination.js';
import type { CaseKind } from './cases.js';

/** The time zone meetings are held in: times are shown in it, whatever offset they came with. */
export const MEETING_TIME_ZONE = 'Europe/Stockholm';

/**
 * SSPF working group (many young people), network meeting about one young person (SSPF), SIG and
 * SIP meetings, and area-level (strategic) meetings where no person may be identifiable.
 */
export const MEETING_KINDS = ['sspf_working_group', 'network', 'sig', 'sip', 'area'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** What a calendar shows for each kind (Swedish, as the users read it). */
export const MEETING_KIND_LABELS: Record<MeetingKind, string> = {
  sspf_working_group: 'SSPF arbetsgrupp',
  network: 'SSPF nätverksmöte',
  sig: 'SIG-möte',
  sip: 'SIP-möte',
  area: 'Områdesmöte (strategiskt)',
};

/** The kind of case a meeting about one young person belongs to (`null`: no case). */
export const MEETING_CASE_KIND: Record<MeetingKind, CaseKind | null> = {
  sspf_working_group: null,
  network: 'sspf',
  sig: 'sig',
  sip: 'sip',
  area: null,
};

export const MEETING_STATUSES = ['scheduled', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const RSVP_RESPONSES = ['pending', 'accepted', 'tentative', 'declined'] as const;
export type RsvpResponse = (typeof RSVP_RESPONSES)[number];

export class MeetingInviteesInput {
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  userIds?: string[];
  @Optional()
  @IsArray()
  @ArrayMaxSize(30)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  unitIds?: string[];
}

export class ConflictOverride {
  /** Why the meeting is booked although invitees are busy (recorded with the meeting). */
  @IsString() @MinLength(3) @HasText(3) @MaxLength(500) reason!: string;
}

export class CreateMeetingRequest {
  @IsIn(MEETING_KINDS) kind!: MeetingKind;
  /** Shown to the invitees, never in calendar feeds. */
  @IsString() @MinLength(1) @HasText(1) @MaxLength(200) title!: string;
  @IsUUID() areaId!: string;
  /** The case of a network, SIG or SIP meeting. */
  @Optional() @IsUUID() caseId?: string;
  @IsOffsetDateTime()
  startsAt!: string;
  @IsOffsetDateTime()
  endsAt!: string;
  @Optional() @IsString() @MaxLength(300) place?: string;
  @Optional()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  @MaxLength(500)
  videoLink?: string;
  @Optional() @Nested(() => MeetingInviteesInput) invitees?: MeetingInviteesInput;
  /** Book despite invitees being busy at that time (otherwise a 409 lists who). */
  @Optional()
  @Nested(() => ConflictOverride)
  overrideConflicts?: ConflictOverride;
}

export class UpdateMeetingRequest {
  @Optional() @IsString() @MinLength(1) @HasText(1) @MaxLength(200) title?: string;
  @Optional()
  @IsOffsetDateTime()
  startsAt?: string;
  @Optional()
  @IsOffsetDateTime()
  endsAt?: string;
  /** `null` clears the place or the video link (an empty place clears it too). */
  @Nullable() @IsString() @MaxLength(300) place?: string | null;
  @Nullable()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  @MaxLength(500)
  videoLink?: string | null;
  @Optional()
  @Nested(() => ConflictOverride)
  overrideConflicts?: ConflictOverride;
}

export class CancelMeetingRequest {
  @IsString() @MinLength(3) @HasText(3) @MaxLength(500) reason!: string;
}

export class RsvpRequest {
  @IsIn(RSVP_RESPONSES.filter((response) => response !== 'pending')) response!: RsvpResponse;
}

export class MeetingQuery extends PageQuery {
  /** Meetings ending after this instant (ISO with offset). */
  @Optional() @IsOffsetDateTime() from?: string;
  /** Meetings starting before this instant. */
  @Optional() @IsOffsetDateTime() to?: string;
  @Optional() @IsIn(MEETING_KINDS) kind?: MeetingKind;
  @Optional() @IsUUID() caseId?: string;
}

export class MeetingInviteeResponse {
  @IsUUID() id!: string;
  @IsOptional() @IsUUID() userId!: string | null;
  @IsOptional() @IsUUID() unitId!: string | null;
  /** The user's display name or the unit's name. */
  @IsString() name!: string;
  @IsIn(AGENCY_TYPES) agency!: AgencyType;
  @IsIn(RSVP_RESPONSES) response!: RsvpResponse;
  @IsOptional() @IsDateString() respondedAt!: string | null;
}

/** An invitee already booked in another meeting at that time. */
export class MeetingConflict {
  @IsUUID() userId!: string;
  @IsString() name!: string;
  @IsDateString() busyFrom!: string;
  @IsDateString() busyUntil!: string;
}

export class ConflictOverrideResponse {
  @IsArray() @IsUUID('all', { each: true }) userIds!: string[];
  @IsString() reason!: string;
  @IsUUID() overriddenBy!: string;
  @IsDateString() overriddenAt!: string;
}

/** For the organiser: agenda items no longer shown to agencies (e.g. after a revoked consent). */
export class AgendaNotice {
  @IsUUID() agendaItemId!: string;
  @IsArray() @IsIn(AGENCY_TYPES, { each: true }) hiddenFrom!: AgencyType[];
}

export class MeetingResponse {
  @IsUUID() id!: string;
  @IsIn(MEETING_KINDS) kind!: MeetingKind;
  @IsString() title!: string;
  @IsUUID() areaId!: string;
  @IsOptional() @IsUUID() caseId!: string | null;
  @IsIn(MEETING_STATUSES) status!: MeetingStatus;
  @IsOptional() @IsString() cancelReason!: string | null;
  /** UTC instants. */
  @IsDateString() startsAt!: string;
  @IsDateString() endsAt!: string;
  /** The same instants in Europe/Stockholm local time, with the offset in force then. */
  @IsString() startsAtLocal!: string;
  @IsString() endsAtLocal!: string;
  @IsString() timeZone!: string;
  @IsOptional() @IsString() place!: string | null;
  @IsOptional() @IsString() videoLink!: string | null;
  @IsUUID() organiserId!: string;
  @IsString() organiserName!: string;
  @IsArray()
  @Nested(() => MeetingInviteeResponse, { each: true })
  invitees!: MeetingInviteeResponse[];
  @IsArray()
  @Nested(() => ConflictOverrideResponse, { each: true })
  conflictOverrides!: ConflictOverrideResponse[];
  /** Agenda items hidden from invited agencies now (shown to those who run the meeting). */
  @IsArray()
  @Nested(() => AgendaNotice, { each: true })
  agendaNotices!: AgendaNotice[];
  @IsInt() @Min(0) hiddenItems!: number;
  @IsDateString() createdAt!: string;
  @IsDateString() updatedAt!: string;
}

// ── Agenda and minutes ────────────────────────────────────────────────────────────────────────

export class CreateAgendaItemRequest {
  /** Never a name or identity number in an area-level meeting. */
  @IsString() @MinLength(1) @HasText(1) @MaxLength(200) title!: string;
  /** The case (young person) the item is about; every invited agency must be covered. */
  @Optional() @IsUUID() caseId?: string;
  /** The information category discussed (consent must cover it); defaults to `general`. */
  @Optional() @IsString() @MaxLength(40) category?: string;
  /** Another legal basis than consent, from the municipality's catalogue. */
  @Optional() @IsString() @MaxLength(60) legalBasisCode?: string;
  @Optional() @IsString() @MinLength(10) @HasText(10) @MaxLength(4000) harmAssessment?: string;
}

export class AgendaPersonResponse {
  @IsUUID() id!: string;
  /** A neutral label when the identity is protected and you are not cleared. */
  @IsString() name!: string;
  @IsBoolean() masked!: boolean;
}

export class AgendaItemResponse {
  @IsUUID() id!: string;
  @IsUUID() meetingId!: string;
  @IsInt() position!: number;
  @IsString() title!: string;
  @IsOptional() @IsUUID() caseId!: string | null;
  @IsOptional()
  @Nested(() => AgendaPersonResponse)
  person!: AgendaPersonResponse | null;
  @IsString() category!: string;
  @IsOptional() @IsString() legalBasisCode!: string | null;
  @IsDateString() createdAt!: string;
}

export class CreateAgendaNoteRequest {
  @IsString() @MaxLength(40) category!: string;
  @IsString() @MinLength(1) @HasText(1) @MaxLength(20_000) body!: string;
}

export class AgendaNoteResponse {
  @IsUUID() id!: string;
  /** Notes about a case are case entries, visible by the same rules. */
  @IsOptional() @IsUUID() entryId!: string | null;
  @IsString() category!: string;
  @IsString() body!: string;
  @IsIn(AGENCY_TYPES) authorAgency!: AgencyType;
  @IsUUID() authorUserId!: string;
  @IsDateString() createdAt!: string;
}

export class CreateDecisionRequest {
  @IsString() @MinLength(1) @HasText(1) @MaxLength(4000) text!: string;
}

export class DecisionResponse {
  @IsUUID() id!: string;
  @IsString() text!: string;
  @IsUUID() decidedBy!: string;
  @IsDateString() createdAt!: string;
}

export class MinutesResponse {
  @IsUUID() agendaItemId!: string;
  @IsArray()
  @Nested(() => AgendaNoteResponse, { each: true })
  notes!: AgendaNoteResponse[];
  @IsArray()
  @Nested(() => DecisionResponse, { each: true })
  decisions!: DecisionResponse[];
  /** Action items of this agenda item, in the case's plan. */
  @IsArray() @IsUUID('all', { each: true }) actionIds!: string[];
}

// ── Calendar feed ─────────────────────────────────────────────────────────────────────────────

/** Nothing to choose yet: a new address replaces any previous one. */
export class CalendarFeedResponse {
  /** The secret address of your iCalendar feed; shown once, revocable. */
  @IsString() url!: string;
  @IsDateString() createdAt!: string;
}

export class AddInviteesRequest extends MeetingInviteesInput {
  @Optional()
  @Nested(() => ConflictOverride)
  overrideConflicts?: ConflictOverride;
}
