import { ValidationPipe, type ValidationError } from '@nestjs/common';
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
