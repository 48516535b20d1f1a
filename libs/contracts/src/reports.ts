import {
  IsArray,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
} from 'class-validator';
import { IsCalendarDate, Nested, Optional } from './validators.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class FollowUpQuery {
  /** First day of the period (Europe/Stockholm), inclusive. */
  @IsCalendarDate()
  from!: string;
  /** Last day of the period, inclusive. */
  @IsCalendarDate()
  to!: string;
  /** One area instead of the whole municipality. */
  @Optional() @IsUUID() areaId?: string;
  @Optional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

/**
 * One table of the overview. `cells[r][c]` is a count, "<5" (1–4, hidden), "x" (hidden so that a
 * hidden count cannot be worked out from the totals), or for medians and shares a text.
 */
export class ReportTableResponse {
  @IsString() id!: string;
  @IsString() title!: string;
  @IsArray() @IsString({ each: true }) rows!: string[];
  @IsArray() @IsString({ each: true }) columns!: string[];
  @IsArray() cells!: (number | string)[][];
}

export class FollowUpReportResponse {
  @Matches(ISO_DATE) from!: string;
  @Matches(ISO_DATE) to!: string;
  @IsOptional() @IsUUID() areaId!: string | null;
  /** The area's name, for an area's view. */
  @IsOptional() @IsString() areaName!: string | null;
  @IsDateString() generatedAt!: string;
  /** How to read "<5" and "x", and what is left out. */
  @IsString() legend!: string;
  @IsArray()
  @Nested(() => ReportTableResponse, { each: true })
  tables!: ReportTableResponse[];
}
