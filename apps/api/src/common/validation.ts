import {
  type ArgumentMetadata,
  type PipeTransform,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { FieldError } from '@samverka/contracts';
import { badRequest } from './problems.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldError[] = error.constraints
      ? [
          {
            field,
            reasons: Object.entries(error.constraints).map(([name, message]) =>
              name === 'whitelistValidation' ? `${field} is not a known field` : message,
            ),
          },
        ]
      : [];
    return [...own, ...flatten(error.children ?? [], field)];
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

/** The paths of strings in parsed JSON that are not well-formed text (a lone surrogate). */
export function malformedTextPaths(value: unknown, parent = ''): string[] {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? [parent || '(body)'] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    malformedTextPaths(child, parent ? `${parent}.${key}` : key),
  );
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
    const errors = [
      ...(checked ? prototypeKeys(value) : []).map((field) => ({
        field,
        reasons: [`${field} is not a known field`],
      })),
      // Stored as it came, a lone surrogate would turn into a replacement character: refused.
      ...(checked ? malformedTextPaths(value) : []).map((field) => ({
        field,
        reasons: [`${field} is not valid text (it holds half of a character)`],
      })),
    ];
    if (errors.length > 0) {
      throw badRequest(errors.map((error) => error.reasons[0]).join('; '), errors);
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
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
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
