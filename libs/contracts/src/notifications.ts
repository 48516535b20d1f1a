import {
  IsBoolean,
  IsDateString,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { PageQuery } from './pagination.js';
import { Optional } from './validators.js';

/** What a notification is about. Notifications carry ids and dates only, never personal data. */
export const NOTIFICATION_KINDS = [
  'concern.receipt',
  'concern.filed',
  'concern.reminder',
  'meeting.reminder',
  'person.emergency_access',
  'case.access_changed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What `unread` selects, for the OpenAPI document. */
export const NOTIFICATION_UNREAD_FILTER =
  '`true`: only unread notifications; `false`: only read ones; left out: all of them.';

export class NotificationQuery extends PageQuery {
  /** `true`: only unread notifications; `false`: only read ones; left out: all of them. */
  @JSONSchema({ description: NOTIFICATION_UNREAD_FILTER })
  @Optional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

export class NotificationResponse {
  @IsUUID() id!: string;
  @IsIn(NOTIFICATION_KINDS) kind!: NotificationKind;
  /** A short text (Swedish) without names or identity numbers. */
  @IsString() title!: string;
  @IsString() recordType!: string;
  @IsUUID() recordId!: string;
  /** Ids, codes and dates the client needs to link to the record. */
  /** Ids, codes, dates, counts and flags (never names or identity numbers). */
  @IsObject() details!: Record<string, string | number | boolean>;
  @IsDateString() createdAt!: string;
  @IsOptional() @IsDateString() readAt!: string | null;
}

export class UpdateNotificationRequest {
  /** `true` marks it read, `false` unread again. */
  @IsBoolean() read!: boolean;
}
