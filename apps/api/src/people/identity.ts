import { parseIdentityNumber, type IdentityKind } from '@samverka/contracts';
import { randomInt } from 'node:crypto';
import { fieldError } from '../common/problems.js';
import { stockholmDate } from '../concerns/deadlines.js';

export interface ResolvedIdentity {
  kind: IdentityKind;
  normalized: string;
  birthDate: string | null;
}

const RESERVE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A local reserve number (reservnummer) for a person with neither personnummer nor samordningsnummer. */
export function newReserveNumber(today = new Date()): string {
  const suffix = Array.from(
    { length: 6 },
    () => RESERVE_ALPHABET[randomInt(RESERVE_ALPHABET.length)],
  ).join('');
  return `RES-${today.getUTCFullYear()}-${suffix}`;
}

/** Validates the identity of a person being registered or corrected; 400s name the field. */
export function resolveIdentity(
  number: string | undefined,
  kind: IdentityKind | undefined,
): ResolvedIdentity {
  if (number === undefined) {
    if (kind === 'reserve')
      return { kind: 'reserve', normalized: newReserveNumber(), birthDate: null };
    throw fieldError(
      'identityNumber',
      'identityNumber is required; for a person without personnummer or samordningsnummer send identityKind "reserve"',
    );
  }
  const parsed = parseIdentityNumber(number, kind);
  if (!parsed.ok)
    throw fieldError('identityNumber', `identityNumber is not valid: ${parsed.reason}`);
  return { kind: parsed.kind, normalized: parsed.normalized, birthDate: parsed.birthDate };
}

/** The birth date to store: the number's, or the one given (they must agree). */
export function resolveBirthDate(identity: ResolvedIdentity, given: string | undefined): string {
  if (identity.birthDate) {
    if (given !== undefined && given !== identity.birthDate) {
      throw fieldError(
        'birthDate',
        `birthDate ${given} does not match the identity number (${identity.birthDate})`,
      );
    }
    return identity.birthDate;
  }
  if (given === undefined)
    throw fieldError('birthDate', 'birthDate is required with a reserve number');
  if (given > stockholmDate(new Date()))
    throw fieldError('birthDate', 'birthDate cannot be in the future');
  if (given < '1900-01-01') throw fieldError('birthDate', 'birthDate cannot be before 1900');
  return given;
}
