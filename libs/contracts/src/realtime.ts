import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
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
import { DecimalInt, HasText, IsOffsetDateTime, Optional } from './validators.js';
import { AGENCY_TYPES, type AgencyType } from './enums.js';
import { MAX_PAGE_SIZE } from './pagination.js';

// ── Case conversations ─────────────────────────────────────────────────────────────────────────

/** At most this many characters in a message. */
export const MAX_MESSAGE_LENGTH = 4_000;

export class SendMessageRequest {
  /** The sender's own id for this message: sending it again returns the first one (idempotent). */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{8,64}$/, { message: 'clientId must be 8–64 letters, digits, _ or -' })
  clientId!: string;
  @IsString() @MinLength(1) @HasText(1) @MaxLength(MAX_MESSAGE_LENGTH) body!: string;
  /** An information category of the municipality, e.g. `school_attendance` or `general`. */
  @IsString() @MaxLength(40) category!: string;
  @Optional() @IsUUID() replyToId?: string;
}

/** Over the socket: a message to a case's conversation. */
export class SocketSendMessage extends SendMessageRequest {
  @IsUUID() caseId!: string;
}

export class MessageResponse {
  @IsUUID() id!: string;
  @IsUUID() caseId!: string;
  /** Position in the case's conversation (1, 2, …); a reader sees only the messages they may. */
  @IsInt() seq!: number;
  @IsString() clientId!: string;
  @IsString() body!: string;
  @IsString() category!: string;
  @IsOptional() @IsUUID() replyToId!: string | null;
  @IsUUID() authorUserId!: string;
  @IsString() authorName!: string;
  @IsIn(AGENCY_TYPES) authorAgency!: AgencyType;
  /** Members who have read it ("seen by"). */
  @IsArray() @IsUUID('all', { each: true }) seenBy!: string[];
  @IsDateString() createdAt!: string;
}

/** What the sender gets back: the server's id and the sequence number. */
export class MessageAck {
  @IsUUID() id!: string;
  @IsInt() seq!: number;
  @IsString() clientId!: string;
  /** `false` when this clientId had already been sent (the first message is returned). */
  @IsBoolean() created!: boolean;
}

/** A conversation's sequence numbers are 32-bit: anything past the largest is no sequence number. */
export const MAX_SEQ = 2_147_483_647;

export class MessageHistoryQuery {
  /** Only messages after this sequence number (what a client missed since its last one). */
  // An empty `after=` is no number (not 0): a 400 like any other that is not one.
  @Optional()
  @DecimalInt()
  @IsInt()
  @Min(0)
  @Max(MAX_SEQ)
  after?: number;
  @Optional() @DecimalInt() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
  /** The list convention's way to the next page: a `nextCursor` (instead of `after`). */
  @Optional() @IsString() @MaxLength(1024) cursor?: string;
}

export class MessageHistory {
  @IsArray() items!: MessageResponse[];
  /** Pass as `after` for the next page; null when there is nothing more. */
  @IsOptional() @IsInt() nextAfter!: number | null;
  /** The same place as `nextAfter`, as the list convention's opaque cursor. */
  @IsOptional() @IsString() nextCursor!: string | null;
}

export class MarkReadRequest {
  /** Everything up to and including this sequence number has been read. */
  @IsInt() @Min(1) @Max(MAX_SEQ) seq!: number;
}

export class ConversationSummary {
  @IsUUID() caseId!: string;
  /** The highest sequence number the user may see (0: none). */
  @IsInt() lastSeq!: number;
  @IsInt() readSeq!: number;
  @IsInt() unread!: number;
}

// ── Police notices ─────────────────────────────────────────────────────────────────────────────

export const NOTICE_KINDS = ['area', 'person'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export class CreateNoticeRequest {
  @IsIn(NOTICE_KINDS) kind!: NoticeKind;
  @IsString() @MinLength(1) @HasText(1) @MaxLength(200) title!: string;
  @IsString() @MinLength(1) @HasText(1) @MaxLength(4_000) body!: string;
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  areaIds!: string[];
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(AGENCY_TYPES, { each: true })
  agencies!: AgencyType[];
  /** Kind `person`: the case it is about, and the legal basis that allows telling the receivers. */
  @Optional() @IsUUID() caseId?: string;
  /** `consent`, or the code of a statutory basis in the municipality's catalogue. */
  @Optional() @IsString() @MaxLength(40) legalBasis?: string;
  @Optional() @IsString() @MaxLength(2_000) harmAssessment?: string;
  @Optional() @IsBoolean() acknowledgementRequired?: boolean;
  /** When it stops being shown to its recipients (the author still sees it); in the future. */
  @Optional()
  @IsOffsetDateTime()
  expiresAt?: string;
}

export class NoticeResponse {
  @IsUUID() id!: string;
  @IsIn(NOTICE_KINDS) kind!: NoticeKind;
  @IsString() title!: string;
  @IsString() body!: string;
  @IsArray() areaIds!: string[];
  @IsArray() agencies!: AgencyType[];
  @IsOptional() @IsUUID() caseId!: string | null;
  @IsOptional() @IsString() legalBasis!: string | null;
  /** Why telling does no harm, where its statutory basis asks for that (null: none given). */
  @IsOptional() @IsString() harmAssessment!: string | null;
  @IsUUID() authorUserId!: string;
  @IsString() authorName!: string;
  @IsBoolean() acknowledgementRequired!: boolean;
  @IsOptional() @IsDateString() expiresAt!: string | null;
  /** For the reader: when they acknowledged it (null: not yet). */
  @IsOptional() @IsDateString() acknowledgedAt!: string | null;
  /** For the author: how many recipients have acknowledged, of how many. */
  @IsOptional() @IsInt() acknowledged!: number | null;
  @IsOptional() @IsInt() recipients!: number | null;
  @IsDateString() createdAt!: string;
}

// ── Socket events ──────────────────────────────────────────────────────────────────────────────

/** Why a socket lost (some of) a case's traffic. */
export const ACCESS_CHANGE_REASONS = [
  'consent_revoked',
  'consent_expired',
  /** It stopped being in force under changed rules (a lower youth consent age). */
  'consent_lapsed',
  'member_removed',
  'unit_removed',
] as const;
export type AccessChangeReason = (typeof ACCESS_CHANGE_REASONS)[number];

export class CaseAccessChanged {
  @IsUUID() caseId!: string;
  @IsIn(ACCESS_CHANGE_REASONS) reason!: AccessChangeReason;
  /** The consent concerned (revoked, expired or lapsed). */
  @IsOptional() @IsUUID() consentId?: string;
  /** `true` when the user is no longer a member: no more of the case's conversation at all. */
  @IsBoolean() lostConversation!: boolean;
}

/** Messages of a case's conversation now read as hidden (they named someone now protected). */
export class MessagesHidden {
  @IsUUID() caseId!: string;
}

export class MessageReadEvent {
  @IsUUID() caseId!: string;
  @IsUUID() userId!: string;
  @IsInt() seq!: number;
}

export class SyncRequest {
  @IsUUID() caseId!: string;
  @IsInt() @Min(0) @Max(MAX_SEQ) after!: number;
}

export class SessionEnded {
  @IsIn(['logout', 'expired', 'revoked', 'disabled']) reason!: string;
}

/** What happened to a meeting: fetch it (REST) to see what you may of it. */
export const MEETING_CHANGES = [
  'invited',
  'changed',
  'cancelled',
  'uninvited',
  'responded',
  'agenda',
  'agenda_hidden',
] as const;
export type MeetingChange = (typeof MEETING_CHANGES)[number];

export class MeetingUpdated {
  @IsUUID() meetingId!: string;
  @IsIn(MEETING_CHANGES) change!: MeetingChange;
}

export class PlanChanged {
  @IsUUID() caseId!: string;
  /** e.g. `plan.update`, `plan.action_create`, `plan.review`. */
  @IsString() change!: string;
}

export class NotificationCreated {
  @IsUUID() notificationId!: string;
  @IsString() kind!: string;
}

export class NoticeEscalated {
  @IsUUID() noticeId!: string;
  @IsInt() unacknowledged!: number;
}

/** A notice about a person no longer reaches you (fetching it is a 404 now), and why. */
export class NoticeWithdrawn {
  @IsUUID() noticeId!: string;
  @IsIn(ACCESS_CHANGE_REASONS) reason!: AccessChangeReason;
}

/** Every socket event, server → client, with its payload type. */
export interface ServerToClientEvents {
  'message.created': (message: MessageResponse) => void;
  'message.read': (event: MessageReadEvent) => void;
  'messages.hidden': (event: MessagesHidden) => void;
  'case.access_changed': (event: CaseAccessChanged) => void;
  'notice.created': (notice: NoticeResponse) => void;
  'notice.escalated': (event: NoticeEscalated) => void;
  'notice.withdrawn': (event: NoticeWithdrawn) => void;
  'session.ended': (event: SessionEnded) => void;
  'meeting.updated': (event: MeetingUpdated) => void;
  'plan.changed': (event: PlanChanged) => void;
  'notification.created': (event: NotificationCreated) => void;
}

/** The problem of a refused event, as in the REST API's errors: a 400 names each field and why. */
export interface SocketProblem {
  status: number;
  title: string;
  detail: string;
  errors?: { field: string; reasons: string[] }[];
}

/** An ack: the result, or a problem (as in the REST API's errors). */
export type SocketAck<T> = (
  result: { ok: true; data: T } | { ok: false; error: SocketProblem },
) => void;

/** Every socket event, client → server, with its payload and ack. */
export interface ClientToServerEvents {
  'message.send': (message: SocketSendMessage, ack: SocketAck<MessageAck>) => void;
  'messages.sync': (request: SyncRequest, ack: SocketAck<MessageHistory>) => void;
  'messages.read': (request: SyncRequest, ack: SocketAck<{ seq: number }>) => void;
}

/** The event map, for documentation (`GET /api/docs-realtime`). */
export const SOCKET_EVENTS = {
  serverToClient: {
    'message.created': {
      payload: 'MessageResponse',
      when: 'a message you may see was sent to one of your cases',
    },
    'message.read': {
      payload: 'MessageReadEvent',
      when: 'a member of one of your cases read up to a sequence number',
    },
    'messages.hidden': {
      payload: 'MessagesHidden',
      when: 'messages of one of your cases now read as hidden, as they named someone whose identity became protected: fetch its history again',
    },
    'case.access_changed': {
      payload: 'CaseAccessChanged',
      when: 'a consent was revoked or expired, or you or your unit were removed: restricted traffic stops, the history shrinks',
    },
    'notice.created': {
      payload: 'NoticeResponse',
      when: 'a police notice reached your area and agency',
    },
    'notice.escalated': {
      payload: 'NoticeEscalated',
      when: '(coordinators) a notice in your area went unacknowledged too long',
    },
    'notice.withdrawn': {
      payload: 'NoticeWithdrawn',
      when: 'a notice about a person you received no longer reaches you: the consent it rested on was revoked or expired, or you or your unit left its case',
    },
    'meeting.updated': {
      payload: 'MeetingUpdated',
      when: 'you were invited to, or a meeting you take part in changed, was cancelled, got an answer or agenda item; organisers also hear when an item was hidden after a revocation',
    },
    'plan.changed': {
      payload: 'PlanChanged',
      when: 'the plan of one of your cases changed (goals, actions, reviews)',
    },
    'notification.created': {
      payload: 'NotificationCreated',
      when: 'a receipt, a reminder or (auditors) an emergency access alert for you (fetch /api/v1/me/notifications)',
    },
    'session.ended': {
      payload: 'SessionEnded',
      when: 'sign-out, token expiry, revocation or a disabled account: the socket is closed next',
    },
  },
  clientToServer: {
    'message.send': {
      payload: 'SocketSendMessage',
      ack: 'MessageAck',
      when: 'send a message (persisted, then delivered; resend with the same clientId is safe)',
    },
    'messages.sync': {
      payload: 'SyncRequest',
      ack: 'MessageHistory',
      when: 'after any reconnect: everything since your last sequence number',
    },
    'messages.read': {
      payload: 'SyncRequest (after = the last read seq)',
      ack: '{ seq }',
      when: 'mark read up to a sequence number',
    },
  },
} as const;
