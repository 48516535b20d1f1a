import { validate } from 'class-validator';
import type { IdentityKind } from './enums.js';
import {
  formatIdentityNumber,
  luhnCheckDigit,
  parseIdentityNumber,
  type IdentityNumberResult,
  type ParsedIdentityNumber,
} from './identity-number.js';
import { IsIdentityNumber } from './validators.js';

/** A fixed "today" so that the century of 10-digit numbers and the future check are deterministic. */
const TODAY = new Date('2025-06-15T12:00:00Z');

// --- An independent Luhn implementation (not the code under test) -----------------------------

/** Classic Luhn validation: double every second digit from the right; the sum must end in 0. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((char, i) => {
    let digit = Number(char);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  });
  return sum % 10 === 0;
}

/** The digit that makes `nineDigits` + digit Luhn-valid, found by trying all ten. */
function referenceCheckDigit(nineDigits: string): number {
  const found = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => luhnValid(`${nineDigits}${d}`));
  if (found.length !== 1) throw new Error(`no unique check digit for ${nineDigits}`);
  return found[0] as number;
}

/**
 * Builds an identity number with a correct check digit: `date` is YYYYMMDD or YYMMDD (day plus 60
 * for a samordningsnummer), the check digit is computed over the last six date digits + serial.
 */
function num(date: string, separator = '-', serial = '123'): string {
  return `${date}${separator}${serial}${referenceCheckDigit(`${date.slice(-6)}${serial}`)}`;
}

/** Like `num`, but with a check digit that is wrong by `offset`. */
function wrongCheck(date: string, separator = '-', serial = '123', offset = 1): string {
  const right = referenceCheckDigit(`${date.slice(-6)}${serial}`);
  return `${date}${separator}${serial}${(right + offset) % 10}`;
}

function expectOk(result: IdentityNumberResult): ParsedIdentityNumber {
  if (!result.ok) throw new Error(`expected a valid number, got: ${result.reason}`);
  return { kind: result.kind, normalized: result.normalized, birthDate: result.birthDate };
}

function expectReason(result: IdentityNumberResult): string {
  if (result.ok) throw new Error(`expected a rejection, got ${result.normalized}`);
  return result.reason;
}

/** A small deterministic generator, so the Luhn cross-check covers many inputs reproducibly. */
function pseudoRandomDigits(count: number, length: number): string[] {
  let state = 20250615;
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let s = '';
    for (let i = 0; i < length; i++) {
      state = (state * 1103515245 + 12345) % 2147483648;
      s += String(Math.floor((state / 2147483648) * 10));
    }
    out.push(s);
  }
  return out;
}

// --- The test helpers themselves -------------------------------------------------------------

describe('test helpers (reference Luhn)', () => {
  it.each([
    ['8112189876', true], // Skatteverket's example personnummer 811218-9876
    ['7010632391', true], // Skatteverket's example samordningsnummer 701063-2391
    ['1212121212', true], // Skatteverket's test number 121212-1212
    ['8112189875', false],
    ['8112189867', false],
    ['7010632392', false],
  ])('luhnValid(%s) is %s', (digits, expected) => {
    expect(luhnValid(digits)).toBe(expected);
  });

  it('num() builds the well-known examples', () => {
    expect(num('811218', '-', '987')).toBe('811218-9876');
    expect(num('19701063', '-', '239')).toBe('19701063-2391');
    expect(wrongCheck('811218', '-', '987')).toBe('811218-9877');
  });
});

// --- luhnCheckDigit --------------------------------------------------------------------------

describe('luhnCheckDigit', () => {
  it.each([
    ['811218987', 6],
    ['701063239', 1],
    ['121212121', 2],
    ['000000000', 0],
    ['000000001', 8],
    ['100000000', 8],
    ['999999999', 9],
  ])('luhnCheckDigit(%s) = %i', (nine, expected) => {
    expect(luhnCheckDigit(nine)).toBe(expected);
  });

  it.each(pseudoRandomDigits(300, 9))('agrees with the reference Luhn for %s', (nine) => {
    const digit = luhnCheckDigit(nine);
    expect(digit).toBe(referenceCheckDigit(nine));
    expect(luhnValid(`${nine}${digit}`)).toBe(true);
  });

  it('returns a single digit for every input', () => {
    for (const nine of pseudoRandomDigits(100, 9)) {
      const digit = luhnCheckDigit(nine);
      expect(Number.isInteger(digit)).toBe(true);
      expect(digit).toBeGreaterThanOrEqual(0);
      expect(digit).toBeLessThanOrEqual(9);
    }
  });
});

// --- parseIdentityNumber ---------------------------------------------------------------------

/** The 12-digit stored form the test expects: the century plus the ten digits of the input. */
function stored(century: string, input: string): string {
  return `${century}${input.replace(/\D/g, '').slice(-10)}`;
}

describe('parseIdentityNumber: valid personnummer', () => {
  it.each([
    // [input, normalized, birthDate]
    ['19811218-9876', '198112189876', '1981-12-18'],
    ['198112189876', '198112189876', '1981-12-18'],
    ['811218-9876', '198112189876', '1981-12-18'],
    ['8112189876', '198112189876', '1981-12-18'],
    ['19121212-1212', '191212121212', '1912-12-12'],
    ['121212-1212', '201212121212', '2012-12-12'],
    ['1212121212', '201212121212', '2012-12-12'],
    // '+' in the 10-digit form: the person is 100 or older, the century is 100 years earlier.
    ['121212+1212', '191212121212', '1912-12-12'],
    [num('990101'), stored('19', num('990101')), '1999-01-01'],
    [num('990101', '+'), stored('18', num('990101')), '1899-01-01'],
    [num('000101'), stored('20', num('000101')), '2000-01-01'],
    [num('000101', '+'), stored('19', num('000101')), '1900-01-01'],
    // YY above this year's YY: last century.
    [num('260101'), stored('19', num('260101')), '1926-01-01'],
    [num('260101', ''), stored('19', num('260101')), '1926-01-01'],
    // Born this year, before today.
    [num('250101'), stored('20', num('250101')), '2025-01-01'],
    // Turns 100 this year: '+' from 1 January, even before the birthday.
    [num('250101', '+'), stored('19', num('250101')), '1925-01-01'],
    [num('250616', '+'), stored('19', num('250616')), '1925-06-16'],
    // Born today (the birth date is not in the future).
    [num('250615'), stored('20', num('250615')), '2025-06-15'],
    [num('20250615'), stored('20', num('250615')), '2025-06-15'],
    [num('20250615', ''), stored('20', num('250615')), '2025-06-15'],
    // 130 years old is the oldest accepted, in both forms.
    [num('18950101'), stored('18', num('950101')), '1895-01-01'],
    [num('950101', '+'), stored('18', num('950101')), '1895-01-01'],
    [num('19260101'), stored('19', num('260101')), '1926-01-01'],
  ])('accepts %s as %s (born %s)', (input, normalized, birthDate) => {
    expect(parseIdentityNumber(input, undefined, TODAY)).toStrictEqual({
      ok: true,
      kind: 'personnummer',
      normalized,
      birthDate,
    });
  });

  it.each(['personnummer', undefined] as const)(
    'accepts 811218-9876 with kind %s',
    (kind: IdentityKind | undefined) => {
      expect(expectOk(parseIdentityNumber('811218-9876', kind, TODAY))).toEqual({
        kind: 'personnummer',
        normalized: '198112189876',
        birthDate: '1981-12-18',
      });
    },
  );

  it('uses the current date when no `today` is given', () => {
    expect(expectOk(parseIdentityNumber('811218-9876'))).toEqual({
      kind: 'personnummer',
      normalized: '198112189876',
      birthDate: '1981-12-18',
    });
  });
});

describe('parseIdentityNumber: `today` decides the century of a 10-digit number', () => {
  it.each([
    // [today, input, birthDate]
    ['2025-06-15T12:00:00Z', num('500101'), '1950-01-01'],
    ['2049-12-31T23:59:59Z', num('500101'), '1950-01-01'],
    ['2050-01-01T00:00:00Z', num('500101'), '2050-01-01'],
    ['2050-01-01T00:00:00Z', num('500101', '+'), '1950-01-01'],
    ['2100-06-15T00:00:00Z', num('000101'), '2100-01-01'],
    ['2100-06-15T00:00:00Z', num('990101'), '2099-01-01'],
    ['2100-06-15T00:00:00Z', num('000101', '+'), '2000-01-01'],
    ['1999-06-15T00:00:00Z', num('000101'), '1900-01-01'],
  ])('on %s, %s is born %s', (today, input, birthDate) => {
    expect(expectOk(parseIdentityNumber(input, undefined, new Date(today))).birthDate).toBe(
      birthDate,
    );
  });

  it.each([
    // [today, input, reason]
    ['2025-06-15T12:00:00Z', num('250616'), 'the birth date 2025-06-16 is in the future'],
    ['2025-06-15T12:00:00Z', num('251231'), 'the birth date 2025-12-31 is in the future'],
    ['2049-12-31T23:59:59Z', num('500101', '+'), 'the birth year 1850 is not plausible'],
  ])('on %s, %s is rejected: %s', (today, input, reason) => {
    expect(expectReason(parseIdentityNumber(input, undefined, new Date(today)))).toBe(reason);
  });
});

describe('parseIdentityNumber: calendar dates', () => {
  it.each([
    // [date part, birthDate]
    ['20120229', '2012-02-29'], // leap year
    ['19960229', '1996-02-29'],
    ['20000229', '2000-02-29'], // divisible by 400: leap year
    ['20110228', '2011-02-28'],
    ['20240101', '2024-01-01'],
    ['20240131', '2024-01-31'],
    ['20240331', '2024-03-31'],
    ['20240430', '2024-04-30'],
    ['20241130', '2024-11-30'],
    ['20241231', '2024-12-31'],
    ['120229', '2012-02-29'],
    ['000229', '2000-02-29'],
  ])('accepts the date in %s (born %s)', (date, birthDate) => {
    const parsed = expectOk(parseIdentityNumber(num(date), undefined, TODAY));
    expect(parsed.birthDate).toBe(birthDate);
    expect(parsed.kind).toBe('personnummer');
    expect(parsed.normalized).toBe(stored(birthDate.slice(0, 2), num(date)));
  });

  it.each([
    // [input, reason]; the check digits are right, so the date is the only thing wrong.
    [num('20110229'), '2011-02 has no day 29'], // not a leap year
    [num('110229'), '2011-02 has no day 29'],
    [num('19000229'), '1900-02 has no day 29'], // divisible by 100, not by 400: not a leap year
    [num('000229', '+'), '1900-02 has no day 29'],
    [num('20120230'), '2012-02 has no day 30'],
    [num('20240431'), '2024-04 has no day 31'],
    [num('20240631'), '2024-06 has no day 31'],
    [num('20240132'), '2024-01 has no day 32'],
    [num('811232'), '1981-12 has no day 32'],
    [num('20240100'), '2024-01 has no day 00'],
    [num('811200'), '1981-12 has no day 00'],
    [num('20240145'), '2024-01 has no day 45'],
    [num('20240160'), '2024-01 has no day 60'],
    [num('20241301'), 'month 13 does not exist'],
    [num('811318'), 'month 13 does not exist'],
    [num('20240001'), 'month 00 does not exist'],
    [num('19819918'), 'month 99 does not exist'],
  ])('rejects %s: %s', (input, reason) => {
    expect(expectReason(parseIdentityNumber(input, undefined, TODAY))).toBe(reason);
  });
});

describe('parseIdentityNumber: samordningsnummer (day + 60)', () => {
  it.each([
    // [input, normalized, birthDate]
    ['701063-2391', '197010632391', '1970-10-03'], // Skatteverket's example
    ['7010632391', '197010632391', '1970-10-03'],
    ['19701063-2391', '197010632391', '1970-10-03'],
    ['197010632391', '197010632391', '1970-10-03'],
    [num('20240161'), stored('20', num('240161')), '2024-01-01'], // day 1
    [num('20240191'), stored('20', num('240191')), '2024-01-31'], // day 31
    [num('20240490'), stored('20', num('240490')), '2024-04-30'],
    [num('20120289'), stored('20', num('120289')), '2012-02-29'], // leap day
    [num('000289'), stored('20', num('000289')), '2000-02-29'],
    [num('100189', '+'), stored('19', num('100189')), '1910-01-29'],
  ])('accepts %s as %s (born %s)', (input, normalized, birthDate) => {
    for (const kind of [undefined, 'samordningsnummer'] as const) {
      expect(parseIdentityNumber(input, kind, TODAY)).toStrictEqual({
        ok: true,
        kind: 'samordningsnummer',
        normalized,
        birthDate,
      });
    }
  });

  it.each([
    [num('20240192'), '2024-01 has no day 32 (day 92 minus 60)'],
    [num('20240199'), '2024-01 has no day 39 (day 99 minus 60)'],
    [num('20120290'), '2012-02 has no day 30 (day 90 minus 60)'], // 30 February + 60
    [num('20110289'), '2011-02 has no day 29 (day 89 minus 60)'], // not a leap year
    [num('19000289'), '1900-02 has no day 29 (day 89 minus 60)'],
    [num('20240491'), '2024-04 has no day 31 (day 91 minus 60)'],
    [num('701092'), '1970-10 has no day 32 (day 92 minus 60)'],
    [num('20241361'), 'month 13 does not exist'],
  ])('rejects %s: %s', (input, reason) => {
    expect(expectReason(parseIdentityNumber(input, undefined, TODAY))).toBe(reason);
  });
});

describe('parseIdentityNumber: kind mismatch', () => {
  const notPersonnummer =
    'the day is above 60, which makes this a samordningsnummer, not a personnummer';
  const notSamordningsnummer =
    'a samordningsnummer has the birth day plus 60 (61–91); this day is not';

  it.each([
    // [input, kind, reason]
    ['701063-2391', 'personnummer', notPersonnummer],
    ['19701063-2391', 'personnummer', notPersonnummer],
    [num('20240161'), 'personnummer', notPersonnummer],
    ['811218-9876', 'samordningsnummer', notSamordningsnummer],
    ['19811218-9876', 'samordningsnummer', notSamordningsnummer],
    [num('20240131'), 'samordningsnummer', notSamordningsnummer],
    [num('20240160'), 'samordningsnummer', notSamordningsnummer],
  ] as const)('rejects %s as %s', (input, kind, reason) => {
    expect(expectReason(parseIdentityNumber(input, kind, TODAY))).toBe(reason);
  });
});

describe('parseIdentityNumber: birth dates in the future or implausibly far back', () => {
  it.each([
    [num('20250616'), 'the birth date 2025-06-16 is in the future'], // tomorrow
    [num('20251231'), 'the birth date 2025-12-31 is in the future'],
    [num('20300101'), 'the birth date 2030-01-01 is in the future'],
    [num('29991231'), 'the birth date 2999-12-31 is in the future'],
    [num('250616'), 'the birth date 2025-06-16 is in the future'],
    [num('20250676'), 'the birth date 2025-06-16 is in the future'], // samordningsnummer
  ])('rejects %s: %s', (input, reason) => {
    expect(expectReason(parseIdentityNumber(input, undefined, TODAY))).toBe(reason);
  });

  it.each([
    [num('18941231'), 'the birth year 1894 is not plausible'],
    [num('17990101'), 'the birth year 1799 is not plausible'],
    [num('09990101'), 'the birth year 999 is not plausible'],
    [num('00010101'), 'the birth year 1 is not plausible'],
    // The 10-digit '+' form goes back up to 199 years; it gets the same 130-year limit.
    [num('941231', '+'), 'the birth year 1894 is not plausible'],
    [num('300101', '+'), 'the birth year 1830 is not plausible'],
    [num('260101', '+'), 'the birth year 1826 is not plausible'],
  ])('rejects %s: %s', (input, reason) => {
    expect(expectReason(parseIdentityNumber(input, undefined, TODAY))).toBe(reason);
  });
});

describe('parseIdentityNumber: separators', () => {
  it.each(['19811218+9876', '19121212+1212', num('20000229', '+'), '19701063+2391'])(
    'rejects the + separator in the 12-digit form: %s',
    (input) => {
      expect(expectReason(parseIdentityNumber(input, undefined, TODAY))).toBe(
        'the + separator belongs to the 10-digit form only',
      );
    },
  );

  it('reads the same 10 digits differently with - and +', () => {
    const dash = expectOk(parseIdentityNumber('121212-1212', undefined, TODAY));
    const plus = expectOk(parseIdentityNumber('121212+1212', undefined, TODAY));
    expect(dash.birthDate).toBe('2012-12-12');
    expect(plus.birthDate).toBe('1912-12-12');
    expect(dash.normalized).not.toBe(plus.normalized);
  });
});

describe('parseIdentityNumber: check digit', () => {
  const luhnReason = 'the check digit (Luhn) does not match';

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9])(
    'rejects every wrong check digit (right digit + %i)',
    (offset) => {
      for (const [date, separator, serial] of [
        ['811218', '-', '987'],
        ['19811218', '-', '987'],
        ['811218', '', '987'],
        ['121212', '+', '121'],
        ['701063', '-', '239'], // samordningsnummer
        ['20120229', '-', '456'],
      ] as const) {
        const input = wrongCheck(date, separator, serial, offset);
        expect(luhnValid(input.replace(/\D/g, '').slice(-10))).toBe(false);
        expect(expectReason(parseIdentityNumber(input, undefined, TODAY))).toBe(luhnReason);
      }
    },
  );

  it.each(['811218-9875', '811218-9867', '811218-8976', '811281-9876', '19811218-9877'])(
    'rejects %s (a typo in a valid number)',
    (input) => {
      expect(luhnValid(input.replace(/\D/g, '').slice(-10))).toBe(false);
      expect(expectReason(parseIdentityNumber(input, undefined, TODAY))).toBe(luhnReason);
    },
  );

  it('computes the check digit over YYMMDDNNNN only, not over the century', () => {
    const overTwelve = referenceCheckDigit('19811218987');
    expect(overTwelve).not.toBe(6);
    expect(expectReason(parseIdentityNumber(`19811218-987${overTwelve}`, undefined, TODAY))).toBe(
      luhnReason,
    );
    expect(parseIdentityNumber('19811218-9876', undefined, TODAY).ok).toBe(true);
  });

  it.each(pseudoRandomDigits(40, 3))('accepts the right check digit for serial %s', (serial) => {
    const input = num('19850704', '-', serial);
    expect(expectOk(parseIdentityNumber(input, undefined, TODAY)).normalized).toBe(
      input.replace('-', ''),
    );
  });
});

describe('parseIdentityNumber: malformed input', () => {
  it.each([
    '',
    '   ',
    'abc',
    'personnummer',
    '811218-987', // 9 digits
    '811218-98765', // 11 digits
    '81121898761',
    '1981121898760', // 13 digits
    '19811218-98760',
    '19811218--9876',
    '811218+-9876',
    '811218_9876',
    '811218/9876',
    '811218.9876',
    '811218–9876', // en dash
    '８１１２１８-９８７６', // full-width digits
    '811218-98a6',
    '-8112189876',
    '8112189876-',
    '+8112189876',
    '81-12-18-9876',
    '1981-12-18-9876',
    '0x8112189876',
    'RES-2024-ABC', // a reserve number needs kind 'reserve'
  ])('rejects %j as malformed', (input) => {
    expect(expectReason(parseIdentityNumber(input, undefined, TODAY))).toBe(
      'expected YYYYMMDD-NNNN or YYMMDD-NNNN (10 or 12 digits, separator - or +)',
    );
  });

  it.each(['personnummer', 'samordningsnummer'] as const)(
    'rejects malformed input with kind %s too',
    (kind) => {
      expect(expectReason(parseIdentityNumber('RES-2024-ABC', kind, TODAY))).toMatch(
        /^expected YYYYMMDD-NNNN/,
      );
    },
  );
});

describe('parseIdentityNumber: whitespace', () => {
  it.each([
    '  811218-9876  ',
    '\t19811218-9876\n',
    ' 8112189876',
    '198112189876 ',
    '811218 - 9876',
    '19811218 9876',
    '811218\u00a09876',
  ])('ignores the whitespace in %j', (input) => {
    expect(expectOk(parseIdentityNumber(input, undefined, TODAY))).toEqual({
      kind: 'personnummer',
      normalized: '198112189876',
      birthDate: '1981-12-18',
    });
  });
});

describe('parseIdentityNumber: reserve numbers', () => {
  it.each([
    // [input, normalized]
    ['RES-2024-ABC123', 'RES-2024-ABC123'],
    ['res-2024-abc123', 'RES-2024-ABC123'],
    ['Res-2024-XyZ', 'RES-2024-XYZ'],
    ['  res-2024-abc  ', 'RES-2024-ABC'],
    ['\tabcd\n', 'ABCD'],
    ['ABCD', 'ABCD'], // 4 characters: the shortest
    ['a1b2', 'A1B2'],
    ['0000', '0000'],
    ['1---', '1---'],
    ['A'.repeat(32), 'A'.repeat(32)], // 32 characters: the longest
    ['x'.repeat(32), 'X'.repeat(32)],
    ['811218-9875', '811218-9875'], // no valid personnummer (wrong check digit): taken as it is
    ['20101321-4827', '20101321-4827'], // month 13: no personnummer
  ])('accepts %j as %s', (input, normalized) => {
    expect(parseIdentityNumber(input, 'reserve', TODAY)).toStrictEqual({
      ok: true,
      kind: 'reserve',
      normalized,
      birthDate: null,
    });
  });

  it.each([
    '',
    '   ',
    'ab',
    'ABC', // 3 characters
    ' AB ',
    'A'.repeat(33),
    `RES-${'0'.repeat(29)}`, // 33 characters
    '-ABC', // starts with a dash
    '-RES-2024',
    'AB C',
    'RES 2024 ABC',
    'ÅÄÖÅ',
    'RES-2024-ÅSA',
    'RES_2024',
    'RES.2024',
    'RES/2024',
    'RES–2024', // en dash
    '811218+9876',
  ])('rejects %j', (input) => {
    expect(expectReason(parseIdentityNumber(input, 'reserve', TODAY))).toBe(
      'a reserve number is 4 to 32 letters, digits or dashes and starts with a letter or digit',
    );
  });
});

describe('parseIdentityNumber: a reserve number is no personnummer or samordningsnummer', () => {
  it.each([
    // [input, the kind it really is]
    ['811218-9876', 'personnummer'],
    ['19811218-9876', 'personnummer'],
    ['198112189876', 'personnummer'],
    ['8112189876', 'personnummer'],
    ['1981-12-18-9876', 'personnummer'], // dashes anywhere
    ['20100621-4827', 'personnummer'],
    ['701063-2391', 'samordningsnummer'],
    ['19701063-2391', 'samordningsnummer'],
    // Nor one that carries such a number inside it.
    ['RES-811218-9876', 'personnummer'],
    ['R20110314-2384', 'personnummer'],
    ['X1103142384', 'personnummer'],
  ] as const)('rejects %j as a reserve number: it holds a valid %s', (input, kind) => {
    expect(expectReason(parseIdentityNumber(input, 'reserve', TODAY))).toBe(
      `this holds a valid ${kind}: register the person with it, not as a reserve number (reserve numbers are for people with neither personnummer nor samordningsnummer)`,
    );
  });
});

// --- formatIdentityNumber --------------------------------------------------------------------

describe('formatIdentityNumber', () => {
  it.each([
    ['198112189876', '19811218-9876'],
    ['197010632391', '19701063-2391'],
    ['191212121212', '19121212-1212'],
    ['000000000000', '00000000-0000'],
    // Anything but 12 digits is returned as it is.
    ['RES-2024-ABC', 'RES-2024-ABC'],
    ['ABCD', 'ABCD'],
    ['8112189876', '8112189876'],
    ['19811218-9876', '19811218-9876'],
    ['1981121898760', '1981121898760'],
    ['19811218987', '19811218987'],
    ['', ''],
  ])('formats %j as %j', (normalized, formatted) => {
    expect(formatIdentityNumber(normalized)).toBe(formatted);
  });

  it.each([
    // [input, kind, formatted]
    ['811218-9876', undefined, '19811218-9876'],
    ['8112189876', undefined, '19811218-9876'],
    ['121212+1212', undefined, '19121212-1212'],
    [' 198112189876 ', undefined, '19811218-9876'],
    ['701063-2391', 'samordningsnummer', '19701063-2391'],
    ['res-2024-abc', 'reserve', 'RES-2024-ABC'],
  ] as const)('formats the parsed %j (%s) as %s', (input, kind, formatted) => {
    const parsed = expectOk(parseIdentityNumber(input, kind, TODAY));
    expect(formatIdentityNumber(parsed.normalized)).toBe(formatted);
  });
});

// --- IsIdentityNumber ------------------------------------------------------------------------

class PersonDto {
  @IsIdentityNumber() identityNumber?: unknown;
  identityKind?: unknown;
}

class CustomKindDto {
  @IsIdentityNumber('kind') number?: unknown;
  kind?: unknown;
  identityKind?: unknown;
}

class CustomMessageDto {
  @IsIdentityNumber(undefined, { message: 'please check the identity number' })
  identityNumber?: unknown;
}

/** The isIdentityNumber messages class-validator reports for `object`, by property. */
async function messages(object: object): Promise<Record<string, string | undefined>> {
  const errors = await validate(object);
  return Object.fromEntries(errors.map((e) => [e.property, e.constraints?.isIdentityNumber]));
}

function person(identityNumber: unknown, identityKind?: unknown): PersonDto {
  return Object.assign(new PersonDto(), { identityNumber, identityKind });
}

describe('IsIdentityNumber', () => {
  it.each([
    // [value, identityKind]
    ['19811218-9876', undefined],
    ['811218-9876', undefined],
    ['8112189876', undefined],
    ['  811218-9876  ', undefined],
    ['121212+1212', undefined],
    ['701063-2391', undefined],
    ['811218-9876', 'personnummer'],
    ['701063-2391', 'samordningsnummer'],
    ['res-2024-abc', 'reserve'],
    ['RES-2024-ABC', 'reserve'],
    // A kind that is not one of the identity kinds is ignored.
    ['811218-9876', 'passport'],
    ['701063-2391', 42],
  ])('accepts %j with identityKind %j', async (value, kind) => {
    expect(await validate(person(value, kind))).toEqual([]);
  });

  it.each([
    // [value, identityKind, message]
    ['811218-9875', undefined, 'the check digit (Luhn) does not match'],
    [num('20110229'), undefined, '2011-02 has no day 29'],
    [num('19000229'), undefined, '1900-02 has no day 29'],
    [num('19811318'), undefined, 'month 13 does not exist'],
    [num('19810100'), undefined, '1981-01 has no day 00'],
    [num('20120290'), undefined, '2012-02 has no day 30 (day 90 minus 60)'],
    [num('19810192'), undefined, '1981-01 has no day 32 (day 92 minus 60)'],
    ['19811218+9876', undefined, 'the + separator belongs to the 10-digit form only'],
    [
      '701063-2391',
      'personnummer',
      'the day is above 60, which makes this a samordningsnummer, not a personnummer',
    ],
    [
      '811218-9876',
      'samordningsnummer',
      'a samordningsnummer has the birth day plus 60 (61–91); this day is not',
    ],
    [num('29990101'), undefined, 'the birth date 2999-01-01 is in the future'],
    [num('17990101'), undefined, 'the birth year 1799 is not plausible'],
    [
      'RES-2024-ABC',
      undefined,
      'expected YYYYMMDD-NNNN or YYMMDD-NNNN (10 or 12 digits, separator - or +)',
    ],
    [
      'RES-2024-ABC',
      'passport',
      'expected YYYYMMDD-NNNN or YYMMDD-NNNN (10 or 12 digits, separator - or +)',
    ],
    [
      'AB',
      'reserve',
      'a reserve number is 4 to 32 letters, digits or dashes and starts with a letter or digit',
    ],
    ['', undefined, 'expected YYYYMMDD-NNNN or YYMMDD-NNNN (10 or 12 digits, separator - or +)'],
  ])('rejects %j with identityKind %j: %s', async (value, kind, reason) => {
    const errors = await validate(person(value, kind));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.property).toBe('identityNumber');
    expect(errors[0]?.value).toBe(value);
    expect(errors[0]?.constraints).toEqual({
      isIdentityNumber: `identityNumber is not valid: ${reason}`,
    });
  });

  it.each([[8112189876], [null], [undefined], [['811218-9876']], [{ number: '811218-9876' }]])(
    'rejects the non-string %j',
    async (value) => {
      expect(await messages(person(value))).toEqual({
        identityNumber: 'identityNumber must be a string',
      });
    },
  );

  it('reads the kind from the property named by kindProperty', async () => {
    const dto = (values: Partial<CustomKindDto>): CustomKindDto =>
      Object.assign(new CustomKindDto(), values);

    expect(await validate(dto({ number: 'res-2024-abc', kind: 'reserve' }))).toEqual([]);
    expect(await validate(dto({ number: '701063-2391', kind: 'samordningsnummer' }))).toEqual([]);
    // identityKind is not the kind property here.
    expect(await messages(dto({ number: 'res-2024-abc', identityKind: 'reserve' }))).toEqual({
      number:
        'number is not valid: expected YYYYMMDD-NNNN or YYMMDD-NNNN (10 or 12 digits, separator - or +)',
    });
    expect(await messages(dto({ number: '701063-2391', kind: 'personnummer' }))).toEqual({
      number:
        'number is not valid: the day is above 60, which makes this a samordningsnummer, not a personnummer',
    });
  });

  it('uses a message given in the options', async () => {
    const dto = Object.assign(new CustomMessageDto(), { identityNumber: '811218-9875' });
    expect(await messages(dto)).toEqual({ identityNumber: 'please check the identity number' });
    const valid = Object.assign(new CustomMessageDto(), { identityNumber: '811218-9876' });
    expect(await validate(valid)).toEqual([]);
  });
});
