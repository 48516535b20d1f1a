import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { HasText, Nested, Optional } from './validators.js';
import { AGENCY_TYPES, type AgencyType } from './enums.js';
import { PageQuery } from './pagination.js';

/** Meeting reminders: at most this many, from 5 minutes to 14 days before the start. */
export const MAX_MEETING_REMINDERS = 5;
export const MIN_MEETING_REMINDER_MINUTES = 5;
export const MAX_MEETING_REMINDER_MINUTES = 14 * 24 * 60;

/** Per-municipality settings that the rules read (never hard-coded constants). */
export class MunicipalSettings {
  /** From this age a young person's own consent is required besides the guardians'. */
  @IsInt() @Min(10) @Max(18) youthConsentAge!: number;
  /** SIG eligibility (Stockholm: 12–20; some districts 12–29). */
  @IsInt() @Min(0) @Max(30) sigMinAge!: number;
  @IsInt() @Min(0) @Max(30) sigMaxAge!: number;
  /** Minutes before a meeting starts when its participants are reminded (e.g. 1440 and 60). */
  @IsArray()
  @ArrayMaxSize(MAX_MEETING_REMINDERS)
  @IsInt({ each: true })
  @Min(MIN_MEETING_REMINDER_MINUTES, { each: true })
  @Max(MAX_MEETING_REMINDER_MINUTES, { each: true })
  meetingReminderMinutes!: number[];
}

export class UpdateMunicipalSettingsRequest {
  @Optional() @IsInt() @Min(10) @Max(18) youthConsentAge?: number;
  @Optional() @IsInt() @Min(0) @Max(30) sigMinAge?: number;
  @Optional() @IsInt() @Min(0) @Max(30) sigMaxAge?: number;
  /** Replaces the reminder offsets; `[]` turns meeting reminders off. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_MEETING_REMINDERS)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(MIN_MEETING_REMINDER_MINUTES, { each: true })
  @Max(MAX_MEETING_REMINDER_MINUTES, { each: true })
  meetingReminderMinutes?: number[];
}

export class MunicipalityResponse {
  @IsUUID() id!: string;
  @IsString() name!: string;
  @Nested(() => MunicipalSettings) settings!: MunicipalSettings;
}

export class AreaResponse {
  @IsUUID() id!: string;
  @IsString() name!: string;
}

export class CreateAreaRequest {
  @IsString() @MinLength(1) @HasText(1) @MaxLength(120) name!: string;
}

export class UnitResponse {
  @IsUUID() id!: string;
  @IsString() name!: string;
  @IsIn(AGENCY_TYPES) agency!: AgencyType;
  @IsUUID() areaId!: string;
}

export class CreateUnitRequest {
  @IsString() @MinLength(1) @HasText(1) @MaxLength(160) name!: string;
  @IsIn(AGENCY_TYPES) agency!: AgencyType;
  @IsUUID() areaId!: string;
}

export class UnitQuery extends PageQuery {
  @Optional() @IsUUID() areaId?: string;
  @Optional() @IsIn(AGENCY_TYPES) agency?: AgencyType;
}
