import type { IdentityKind } from './enums.js';

/**
 * Swedish identity numbers: personnummer (YYYYMMDD-NNNN, Luhn check digit, `+` separator in the
 * 10-digit form from the year the person turns 100), samordningsnummer (the day plus 60) and
 * local reserve numbers for people with neither.
 */
export interface ParsedIdentityNumber {
  kind: IdentityKind;
  /** Stored form: 12 digits for personnummer/samordningsnummer, upper case for reserve numbers. */
  normalized: string;
  /** ISO date (YYYY-MM-DD) when the number gives it. */
  birthDate: string | null;
}

export type IdentityNumberResult =
  ({ ok: true } & ParsedIdentityNumber) | { ok: false; reason: string };

const RESERVE_PATTERN = /^[A-Z0-9][A-Z0-9-]{3,31}$/;
const NUMBER_PATTERN = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+])?(\d{3})(\d)$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The Luhn check digit for the nine digits YYMMDDNNN. */
export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    let product = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (product > 9) product -= 9;
    sum += product;
  }
  return (10 - (sum % 10)) % 10;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * Parses and validates an identity number. `kind` is optional for personnummer and
 * samordningsnummer (the day tells them apart) and required for reserve numbers. `today` decides
 * the century of a 10-digit number.
 */
export function parseIdentityNumber(
  input: string,
  kind?: IdentityKind,
  today: Date = new Date(),
): IdentityNumberResult {
  const raw = input.trim();
  if (kind === 'reserve') {
    const upper = raw.toUpperCase();
    if (!RESERVE_PATTERN.test(upper)) {
      return {
        ok: false,
        reason:
          'a reserve number is 4 to 32 letters, digits or dashes and starts with a letter or digit',
      };
    }
    // Reserve numbers are for people with neither a personnummer nor a samordningsnummer: one
    // that is such a number (however its dashes are placed) would stand beside that person's own
    // entry, past the register's duplicate and protection checks.
    // Nor may one carry such a number inside it (`R20110314-2384`): it would travel wherever
    // the reserve number goes.
    for (const run of upper.replace(/-/g, '').match(/\d{10,}/g) ?? []) {
      for (const length of [12, 10]) {
        for (let start = 0; start + length <= run.length; start += 1) {
          const actual = parseIdentityNumber(run.slice(start, start + length), undefined, today);
          if (actual.ok) {
            return {
              ok: false,
              reason: `this holds a valid ${actual.kind}: register the person with it, not as a reserve number (reserve numbers are for people with neither personnummer nor samordningsnummer)`,
            };
          }
        }
      }
    }
    return { ok: true, kind: 'reserve', normalized: upper, birthDate: null };
  }
  const match = NUMBER_PATTERN.exec(raw.replace(/\s/g, ''));
  if (!match) {
    return {
      ok: false,
      reason: 'expected YYYYMMDD-NNNN or YYMMDD-NNNN (10 or 12 digits, separator - or +)',
    };
  }
  const [, century, yy, mm, dd, separator, serial, check] = match as unknown as string[];
  const month = Number(mm);
  const rawDay = Number(dd);
  const coordination = rawDay > 60;
  const day = coordination ? rawDay - 60 : rawDay;
  const detected: IdentityKind = coordination ? 'samordningsnummer' : 'personnummer';
  if (kind && kind !== detected) {
    return {
      ok: false,
      reason: coordination
        ? 'the day is above 60, which makes this a samordningsnummer, not a personnummer'
        : 'a samordningsnummer has the birth day plus 60 (61–91); this day is not',
    };
  }

  const thisYear = today.getUTCFullYear();
  let year: number;
  if (century !== undefined) {
    if (separator === '+') {
      return { ok: false, reason: 'the + separator belongs to the 10-digit form only' };
    }
    year = Number(`${century}${yy}`);
  } else {
    year = Math.floor(thisYear / 100) * 100 + Number(yy);
    if (year > thisYear) year -= 100;
    if (separator === '+') year -= 100;
  }
  if (thisYear - year > 130) {
    return { ok: false, reason: `the birth year ${year} is not plausible` };
  }

  if (month < 1 || month > 12) return { ok: false, reason: `month ${mm} does not exist` };
  if (day < 1 || day > daysInMonth(year, month)) {
    return {
      ok: false,
      reason: `${year}-${mm} has no day ${pad(day)}${coordination ? ` (day ${dd} minus 60)` : ''}`,
    };
  }
  const birthDate = `${year}-${mm}-${pad(day)}`;
  const todayIso = today.toISOString().slice(0, 10);
  if (birthDate > todayIso)
    return { ok: false, reason: `the birth date ${birthDate} is in the future` };

  const expected = luhnCheckDigit(`${yy}${mm}${dd}${serial}`);
  if (expected !== Number(check)) {
    return { ok: false, reason: 'the check digit (Luhn) does not match' };
  }
  return {
    ok: true,
    kind: detected,
    normalized: `${year}${mm}${dd}${serial}${check}`,
    birthDate,
  };
}

/** YYYYMMDD-NNNN for a stored 12-digit number; reserve numbers as they are. */
export function formatIdentityNumber(normalized: string): string {
  return /^\d{12}$/.test(normalized)
    ? `${normalized.slice(0, 8)}-${normalized.slice(8)}`
    : normalized;
}
