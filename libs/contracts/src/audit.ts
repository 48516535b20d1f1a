import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDateString,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from './pagination.js';
import { Optional } from './validators.js';

export class AuditQuery extends PageQuery {
  @Optional() @IsUUID() personId?: string;
  @Optional() @IsUUID() actorUserId?: string;
  @Optional() @IsString() @MaxLength(80) action?: string;
}

export class AuditEventResponse {
  @IsString() id!: string;
  @IsDateString() occurredAt!: string;
  @IsString() action!: string;
  @IsOptional() @IsUUID() actorUserId!: string | null;
  @IsOptional() @IsString() actorName!: string | null;
  @IsOptional() @IsUUID() actorUnitId!: string | null;
  @IsOptional() @IsString() recordType!: string | null;
  @IsOptional() @IsString() recordId!: string | null;
  @IsOptional() @IsUUID() personId!: string | null;
  @IsOptional() @IsString() requestId!: string | null;
  /** The legal basis of a disclosure read (consent id or statute citation). */
  @IsOptional() @IsString() legalBasis!: string | null;
  /** The reason the caller gave (e.g. for emergency access). */
  @IsOptional() @IsString() reason!: string | null;
  /** Who a message was delivered to, live (each received the person's data): message sends. */
  @IsOptional() @IsUUID(undefined, { each: true }) recipientUserIds!: string[] | null;
}

export class BrokenLink {
  @IsString() chain!: string;
  @IsInt() seq!: number;
  @IsOptional() @IsString() eventId!: string | null;
  @IsString() reason!: string;
}

export class AuditVerifyResponse {
  @IsBoolean() ok!: boolean;
  @IsInt() chainsChecked!: number;
  @IsInt() eventsChecked!: number;
  @IsOptional() @ValidateNested() @Type(() => BrokenLink) firstBrokenLink!: BrokenLink | null;
  /** The first broken link of each chain that has one: a break does not stop the check. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => BrokenLink) brokenLinks!: BrokenLink[];
}
