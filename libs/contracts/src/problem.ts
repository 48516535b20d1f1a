import { IsArray, IsInt, IsOptional, IsString } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { Nested } from './validators.js';

export class FieldError {
  /** Dotted path of the offending field, e.g. `guardians.0.personId`. */
  @IsString() field!: string;
  @IsArray() @IsString({ each: true }) reasons!: string[];
}

/** RFC 9457 problem details: the body of every error response. */
@JSONSchema({ description: 'Problem details (RFC 9457): the body of every error response' })
export class ProblemDetails {
  @IsString() type!: string;
  @IsString() title!: string;
  @IsInt() status!: number;
  @IsString() detail!: string;
  @IsOptional() @IsString() requestId?: string;
  @IsOptional()
  @IsArray()
  @Nested(() => FieldError, { each: true })
  errors?: FieldError[];
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass as `cursor` to get the next page. `null` on the last page. */
  nextCursor: string | null;
}
