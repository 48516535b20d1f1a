import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { DecimalInt, Optional } from './validators.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `?limit=&cursor=` on every list. */
export class PageQuery {
  @Optional()
  @DecimalInt()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @Optional() @IsString() @MaxLength(1024) cursor?: string;
}
