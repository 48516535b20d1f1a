import {
  type ArgumentMetadata,
  type PipeTransform,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { isUUID } from 'class-validator';
import {
  ARE_NESTED_OBJECTS,
  IS_NESTED_OBJECT,
  IS_NOT_NULL,
  type FieldError,
} from '@samverka/contracts';
import { badRequest } from './problems.js';

/**
 * The rules that say what kind of value a field takes. When one fails the value is of another
 * kind, and the rules about its size or range (which fail too, a string being no number) say
 * nothing true about it: only the kind is given ("must be an integer", not also "must not be
 * greater than 18"), and nothing about what the value holds (an array where an object must be
 * is not read field by field). `nestedValidation` ("must be either object or array") only where
 * no other of them speaks.
 */
const KIND_RULES = new Set([
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'isDate',
  IS_NESTED_OBJECT,
  'nestedValidation',
]);

/** The reasons of one field, the one that tells the story where one does; and whether the value is of the wrong kind. */
function reasonsOf(error: ValidationError, field: string): { reasons: string[]; kind: boolean } {
  const constraints = { ...error.constraints };
  // The values of a list that are not objects are named each by its place (see fieldErrorsOf).
  delete constraints[ARE_NESTED_OBJECTS];
  const rules = Object.keys(constraints);
  if (rules.length === 0) return { reasons: [], kind: false };
  // A null where a value must be: that is the whole story (not also "must be a string").
  const notNull = constraints[IS_NOT_NULL];
  if (notNull !== undefined) return { reasons: [notNull], kind: true };
  // Left out: an optional field's absence is not checked at all, so this one is required, and
  // that is all there is to say (not its length, its range and its kind).
  if (error.value === undefined && !rules.includes('whitelistValidation')) {
    return { reasons: [`${field} is required`], kind: true };
  }
  // Null is no value: sent for a required field, it is refused as null, not for its kind.
  if (
    error.value === null &&
    !rules.includes('whitelistValidation') &&
    !rules.includes(IS_NESTED_OBJECT)
  ) {
    return { reasons: [`${field} must not be null`], kind: true };
  }
  const kinds = rules.filter((rule) => KIND_RULES.has(rule));
  const kind = kinds.length > 1 ? kinds.filter((rule) => rule !== 'nestedValidation') : kinds;
  const reasons = (kind.length > 0 ? kind : rules).map((rule) => {
    if (rule === 'whitelistValidation') return `${field} is not a known field`;
    if (rule === IS_NESTED_OBJECT) return mustBeAnObject(field, error.value);
    return constraints[rule]!;
  });
  return { reasons, kind: kind.length > 0 };
}

/** Why a value that is not a JSON object cannot be one: its kind, and what it is instead. */
function mustBeAnObject(field: string, value: unknown): string {
  const kind = notAnObject(value);
  return kind ? `${field} must be an object, not ${kind}` : `${field} must be an object`;
}

/**
 * The values of a list of objects (`@Nested(…, { each: true })`) that are not objects, each
 * named by its place in the list as class-validator names a nested value's fields (`parties.0`).
 */
function notObjectsIn(error: ValidationError, field: string): FieldError[] {
  if (error.constraints?.[ARE_NESTED_OBJECTS] === undefined || !Array.isArray(error.value)) {
    return [];
  }
  return (error.value as unknown[]).flatMap((value, index) =>
    notAnObject(value)
      ? [{ field: `${field}.${index}`, reasons: [mustBeAnObject(`${field}.${index}`, value)] }]
      : [],
  );
}

/**
 * class-validator's errors as the fields they name and why, nested fields by their path. The
 * errors must carry their values (`validationError.value`, class-validator's default): a
 * missing field is told by its value, `undefined`. A value of the wrong kind (an array, a string
 * where an object must be) is told by its kind alone: what class-validator made of its insides,
 * read as if it were the object, names fields the client never sent.
 */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const { reasons, kind } = reasonsOf(error, field);
    const own: FieldError[] = reasons.length > 0 ? [{ field, reasons }] : [];
    if (kind) return own;
    const notObjects = notObjectsIn(error, field);
    const told = new Set(notObjects.map((notObject) => notObject.field));
    const children = (error.children ?? []).filter(
      (child) => !told.has(`${field}.${child.property}`),
    );
    return [...own, ...notObjects, ...fieldErrorsOf(children, field)];
  });
}

/** Keys that would set an object's prototype rather than a field: never a known field. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The paths of such keys anywhere in parsed JSON. */
export function prototypeKeys(value: unknown, parent = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = parent ? `${parent}.${key}` : key;
    return PROTOTYPE_KEYS.has(key) ? [path] : prototypeKeys(child, path);
  });
}

/** A UTF-16 surrogate without its pair: not a character, and not storable as text. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What text may not hold, and why: each is refused rather than stored altered or not at all. */
const MALFORMED: readonly { holds: (text: string) => boolean; reason: string }[] = [
  {
    holds: (text) => LONE_SURROGATE.test(text),
    reason: 'is not valid text (it holds half of a character)',
  },
  // PostgreSQL text cannot hold U+0000: it would reach the database as an error naming nothing.
  {
    holds: (text) => text.includes('\u0000'),
    reason: 'is not valid text (it holds a NUL character, U+0000)',
  },
  // What a decoder puts where bytes were not UTF-8 (a Latin-1 `ö`): stored, the text would be
  // altered without a word.
  {
    holds: (text) => text.includes('\uFFFD'),
    reason:
      'is not valid text (it holds U+FFFD, the mark of bytes that were not UTF-8: send UTF-8)',
  },
];

/**
 * The strings in parsed input (a body, a query, a socket payload) that are not well-formed text,
 * each with its path and why: half of a character (a lone surrogate), a NUL, or the replacement
 * character a decoder put for bytes that were not UTF-8.
 */
export function malformedText(value: unknown, parent = ''): FieldError[] {
  if (typeof value === 'string') {
    const field = parent || '(body)';
    const reasons = MALFORMED.filter(({ holds }) => holds(value)).map(
      ({ reason }) => `${field} ${reason}`,
    );
    return reasons.length > 0 ? [{ field, reasons }] : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    malformedText(child, parent ? `${parent}.${key}` : key),
  );
}

/** What a JSON value is when it is not an object (`an array`, `a string`), or null if it is one. */
export function notAnObject(value: unknown): string | null {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return null;
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/**
 * class-validator with unknown fields rejected; a 400 lists each field and why. `__proto__` and
 * its kin are refused as unknown fields before class-transformer could take them for a prototype.
 */
class SamverkaValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Only bodies this pipe validates: a socket payload (typed `unknown`) is the gateway's to
    // check, so that its refusal is an ack rather than an exception event.
    const checked = metadata.type === 'body' && this.toValidate(metadata);
    // Text from a query or the path goes to the database like a body's: checked alike.
    const text = checked || metadata.type === 'query' || metadata.type === 'param';
    const errors = [
      ...(checked ? prototypeKeys(value) : []).map((field) => ({
        field,
        reasons: [`${field} is not a known field`],
      })),
      // Stored as it came, a lone surrogate would turn into a replacement character, and a NUL
      // cannot be stored at all: refused, naming the field.
      ...(text ? malformedText(value, metadata.type === 'param' ? (metadata.data ?? '') : '') : []),
    ];
    // No query parameter is a list: one given twice (`?from=…&from=…`) comes as an array, and
    // would be refused for its type, as if its values were wrong.
    if (metadata.type === 'query' && value && typeof value === 'object') {
      for (const [field, given] of Object.entries(value)) {
        if (Array.isArray(given))
          errors.push({ field, reasons: [`${field} is given more than once: give it once`] });
      }
    }
    if (errors.length > 0) {
      throw badRequest(errors.flatMap((error) => error.reasons).join('; '), errors);
    }
    // A body of fields is an object: an array (or a lone value) is not read field by field as
    // if it were one, whose errors would name fields the client never sent.
    if (checked && value !== undefined && value !== null) {
      const kind = notAnObject(value);
      if (kind) {
        const reason = `the body must be a JSON object, not ${kind}`;
        throw badRequest(reason, [{ field: '(body)', reasons: [reason] }]);
      }
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new SamverkaValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The values stay on the errors for fieldErrorsOf (a missing field is one without a value);
    // they go no further: the problem names fields and reasons only.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => {
      const fieldErrors = fieldErrorsOf(errors);
      const summary = fieldErrors.map((error) => error.reasons.join(', ')).join('; ');
      return badRequest(summary || 'The request is not valid', fieldErrors);
    },
  });
}

/** A path parameter that must be a UUID: a 400 that names it otherwise. */
class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (isUUID(value)) return value;
    const field = metadata.data ?? 'id';
    const reason = `${field} must be a UUID`;
    throw badRequest(reason, [{ field, reasons: [reason] }]);
  }
}

export const uuid = new UuidParamPipe();
