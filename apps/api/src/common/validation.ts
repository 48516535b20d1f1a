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

/** class-validator with unknown fields rejected; a 400 lists each field and why. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
