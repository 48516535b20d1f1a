import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { IDENTITY_KINDS, type IdentityKind } from './enums.js';
import { parseIdentityNumber } from './identity-number.js';

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
