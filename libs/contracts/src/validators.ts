import {
  IsDateString,
  Matches,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { Transform, Type } from 'class-transformer';
import { JSONSchema } from 'class-validator-jsonschema';
import { IDENTITY_KINDS, type IdentityKind } from './enums.js';
import { parseIdentityNumber } from './identity-number.js';

/** The name of the rule `@Optional()` adds: a field's null is refused by it, and only by it. */
export const IS_NOT_NULL = 'isNotNull';

/**
 * A field a client may leave out, but not send as `null`: a null is a 400 that names the field
 * ("must not be null"). Use it for every optional field of a request instead of class-validator's
 * `@IsOptional()`, which lets null through as if the field were absent: the service then reads
 * it as "no change", stores it, or hands it to a NOT NULL column (a 500).
 */
export function Optional(options?: ValidationOptions) {
  return (target: object, propertyName: string) => {
    ValidateIf((_object: object, value: unknown) => value !== undefined, options)(
      target,
      propertyName,
    );
    registerDecorator({
      name: IS_NOT_NULL,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => value !== null,
        defaultMessage: (args: ValidationArguments) => `${args.property} must not be null`,
      },
    });
  };
}

/** The rule `@Nested()` adds: the field's value is a JSON object. */
export const IS_NESTED_OBJECT = 'isNestedObject';
/** The rule `@Nested(…, { each: true })` adds: each value of the field's list is a JSON object. */
export const ARE_NESTED_OBJECTS = 'areNestedObjects';

/** A JSON object (what class-transformer made of one): not an array, not null, not a lone value. */
export const isJsonObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A field whose value is an object of `type`'s fields (`{ each: true }`: a list of such objects),
 * validated field by field. Use it for every nested object of a request instead of
 * class-validator's `@ValidateNested()` with class-transformer's `@Type()`, which take an array
 * there for a list of such objects (and validate each as if it were the field: the service then
 * reads the array's fields, which are not there, as left out, or crashes on them) and say of a
 * string "must be either object or array". Anything but an object is a 400 that names the field
 * ("must be an object"); in a list, each value that is not one is named by its place
 * (`parties.0`), for `fieldErrorsOf` to tell. That the field is a list is `@IsArray()`'s to say.
 */
export function Nested(type: () => new () => object, options?: ValidationOptions) {
  const each = options?.each === true;
  return (target: object, propertyName: string) => {
    ValidateNested(options)(target, propertyName);
    Type(type)(target, propertyName);
    registerDecorator({
      name: each ? ARE_NESTED_OBJECTS : IS_NESTED_OBJECT,
      target: target.constructor,
      propertyName,
      // Each value is checked here, so that the list as a whole fails once, not each value.
      options: { ...options, each: false },
      validator: {
        validate: (value: unknown) =>
          each ? !Array.isArray(value) || value.every(isJsonObject) : isJsonObject(value),
        defaultMessage: (args: ValidationArguments) =>
          each
            ? `each value in ${args.property} must be an object`
            : `${args.property} must be an object`,
      },
    });
  };
}

/**
 * How the rules above appear in a JSON schema, for class-validator-jsonschema's
 * `additionalConverters`: the not-null rule adds nothing (a rule it does not know, it would
 * document by the field's TypeScript type: a number as `number` over `@IsInt`'s `integer`).
 */
export const SCHEMA_CONVERTERS = {
  [IS_NOT_NULL]: {},
  [IS_NESTED_OBJECT]: {},
  [ARE_NESTED_OBJECTS]: {},
};

/**
 * A field of a change where `null` deliberately clears the value (a meeting's place, a person's
 * address): left out it is unchanged, null empties it. Documented as nullable in the OpenAPI
 * document. (It sets the field's JSON schema: put no other schema-setting decorator beside it.)
 */
export function Nullable(options?: ValidationOptions) {
  return (target: object, propertyName: string) => {
    ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null, options)(
      target,
      propertyName,
    );
    JSONSchema({ nullable: true })(target, propertyName);
  };
}

function kindOf(args: ValidationArguments, kindProperty: string): IdentityKind | undefined {
  const kind = (args.object as Record<string, unknown>)[kindProperty];
  return typeof kind === 'string' && (IDENTITY_KINDS as readonly string[]).includes(kind)
    ? (kind as IdentityKind)
    : undefined;
}

/**
 * A Swedish identity number; the error says what is wrong with it (date, check digit, separator).
 * `kindProperty` names the sibling property that holds the identity kind, if any.
 */
export function IsIdentityNumber(kindProperty = 'identityKind', options?: ValidationOptions) {
  return (target: object, propertyName: string) => {
    registerDecorator({
      name: 'isIdentityNumber',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          return (
            typeof value === 'string' && parseIdentityNumber(value, kindOf(args, kindProperty)).ok
          );
        },
        defaultMessage(args: ValidationArguments) {
          if (typeof args.value !== 'string') return `${args.property} must be a string`;
          const result = parseIdentityNumber(args.value, kindOf(args, kindProperty));
          return result.ok
            ? `${args.property} is valid`
            : `${args.property} is not valid: ${result.reason}`;
        },
      },
    });
  };
}

/** Text as it shows: without invisible format characters (zero-width spaces, joiners, soft hyphens) and the spaces at its ends. */
export const visibleText = (text: string) => text.replace(/\p{Cf}/gu, '').trim();

/**
 * Free text with at least `min` characters besides the spaces at its ends (and invisible ones): text of only spaces
 * is no text. Goes beside `@MinLength`/`@MaxLength`, which still document the bounds (and report
 * text that is too short even with its spaces).
 */
export function HasText(min = 1, options?: ValidationOptions) {
  return (target: object, propertyName: string) => {
    registerDecorator({
      name: 'hasText',
      target: target.constructor,
      propertyName,
      constraints: [min],
      options,
      validator: {
        // Too short as it stands is `@MinLength`'s to say; this catches what only spaces pad out.
        validate: (value: unknown) =>
          typeof value !== 'string' || value.length < min || visibleText(value).length >= min,
        defaultMessage: (args: ValidationArguments) =>
          min <= 1
            ? `${args.property} must not be empty or only spaces`
            : `${args.property} must have at least ${min} characters besides spaces`,
      },
    });
  };
}

/** An ISO 8601 date-time with its offset: a local time without one is ambiguous around DST. */
export const OFFSET_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
export const OFFSET_MESSAGE = (field: string) =>
  `${field} must be an ISO 8601 date-time with an offset (Z or ±hh:mm), e.g. 2026-03-29T10:00:00+02:00`;

/**
 * A moment: an ISO 8601 date-time with its offset, that exists on the calendar and the clock
 * (no 30 February, no 23:60, no +25:00). Either failure is a 400 that names the field.
 */
export function IsOffsetDateTime(options?: ValidationOptions) {
  return (target: object, propertyName: string) => {
    Matches(OFFSET_DATE_TIME, { ...options, message: OFFSET_MESSAGE(propertyName) })(
      target,
      propertyName,
    );
    IsDateString(
      { strict: true },
      { ...options, message: `${propertyName} must be a date and time that exists` },
    )(target, propertyName);
    JSONSchema({ type: 'string', format: 'date-time', pattern: OFFSET_DATE_TIME.source })(
      target,
      propertyName,
    );
  };
}

/** A calendar day as YYYY-MM-DD that exists (no 30 February); a 400 names the field otherwise. */
export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) => {
    Matches(/^\d{4}-\d{2}-\d{2}$/, {
      ...options,
      message: `${propertyName} must be a date as YYYY-MM-DD`,
    })(target, propertyName);
    IsDateString(
      { strict: true },
      { ...options, message: `${propertyName} must be a date that exists` },
    )(target, propertyName);
    // Documented as the day it is, not as a date-time.
    JSONSchema({ type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' })(
      target,
      propertyName,
    );
  };
}

/**
 * An integer as a query string writes it: decimal digits, perhaps a minus (`0x10`, `1e2`, `+3`,
 * ` 5` and `2.0` are not, and are refused rather than read as some number). A number (a socket
 * payload's) passes as it is; an empty value is no number.
 */
export function DecimalInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (/^-?\d+$/.test(value) ? Number(value) : Number.NaN) : value,
  );
}
