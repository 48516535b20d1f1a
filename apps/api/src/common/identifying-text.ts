import { parseIdentityNumber } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import { fieldError } from './problems.js';

/**
 * How a notice's text is read when looking for people in it: as a reader sees it, not as it is
 * encoded. Full-width and other compatibility forms fold to their plain letters and digits
 * (NFKC), any script's decimal digits count as digits, Cyrillic and Greek letters that look
 * like Latin ones read as those, and inside a number the letters O, l and I read as 0 and 1.
 */

/** Lower-case Cyrillic and Greek letters that look like Latin ones, and the Latin they read as. */
const LOOKALIKES: Record<string, string> = Object.fromEntries(
  [...'авекмнорстухіјѕԁһӏԛԝαβεικνορτυχγ'].map((letter, i) => [
    letter,
    'abekmhopctyxijsdhlqwabeikvoptuxy'[i]!,
  ]),
);

/** The value of a decimal digit of any script: its place in its run of ten. */
function digitValue(digit: string): string {
  const point = digit.codePointAt(0)!;
  let start = point;
  while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
  return String((point - start) % 10);
}

/** Right-to-left overrides and embeddings: what follows may show in the reverse order. */
const RIGHT_TO_LEFT = /[\u202B\u202E\u2067]/u;

/**
 * Text as it reads: percent-encoded printable characters decoded (a link's `%32%30…`),
 * characters that show as nothing dropped (zero-width and bidirectional marks, fillers, tags),
 * compatibility forms folded, lower case, look-alike letters and digits plain. Text that turns
 * right to left is read both ways.
 */
export function readAs(text: string): string {
  const read = text
    .replace(/%([0-9a-f]{2})/giu, (encoded, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : encoded;
    })
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\p{Nd}/gu, (digit) => (/[0-9]/.test(digit) ? digit : digitValue(digit)))
    .replace(/[^\p{ASCII}]/gu, (letter) => LOOKALIKES[letter] ?? letter)
    .normalize('NFC');
  return RIGHT_TO_LEFT.test(text) ? `${read} ${[...read].reverse().join('')}` : read;
}

/** What may stand between or inside names: spaces (also invisible ones), punctuation, hyphens. */
export const SEPARATORS = `\\s\u00A0\u00AD\u200B-\u200D\u2060\uFEFF,.;:!?/()"'\u2010-\u2015_-`;

/**
 * What separates words in a text being checked: the above, and every other punctuation mark or
 * symbol ("Alva+Lind", "Alva&Lind", "@Lind", "?who=Lind" read as the words they join). A
 * regular expression character class body (with the `u` flag); the register's names are read
 * with `SEPARATORS` alone (in SQL).
 */
const TEXT_SEPARATORS = `\\p{P}\\p{S}${SEPARATORS}`; // SEPARATORS ends with a literal -

/** Latin letters with a diacritic (either case), and the plain lower-case letter each reads as. */
const ACCENTED: [string, string][] = Array.from({ length: 0x250 - 0xc0 }, (_, i) =>
  String.fromCodePoint(0xc0 + i),
).flatMap((letter): [string, string][] => {
  const plain = (
    { ı: 'i', ø: 'o', ł: 'l', đ: 'd', ħ: 'h', ŧ: 't' }[letter.toLowerCase()] ??
    letter.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')
  ).normalize('NFC');
  return /^[a-z]$/.test(plain) ? [[letter, plain]] : [];
});
const PLAIN_OF = new Map(ACCENTED);
const ACCENTED_LETTER = new RegExp(`[${ACCENTED.map(([letter]) => letter).join('')}]`, 'gu');

/**
 * Text as names are compared: read as above, letters without their diacritics (a reader knows
 * "Asa Oberg" for Åsa Öberg), and nothing between the letters, so that however a name is spaced,
 * hyphenated or punctuated it reads the same.
 */
export const compactName = (text: string) =>
  plainLetters(text)
    .replace(new RegExp(`[${SEPARATORS}]+`, 'gu'), '')
    // Other punctuation and symbols too, except between digits: "Sjövägen 5+7" holds number 5.
    .replace(/(?<!\p{N})[\p{P}\p{S}]+|[\p{P}\p{S}]+(?!\p{N})/gu, '');

/** Text read as above, with its letters' diacritics dropped. */
const plainLetters = (text: string) =>
  readAs(text).replace(ACCENTED_LETTER, (letter) => PLAIN_OF.get(letter)!);

/** Endings of a name's genitive or of a form derived from it ("Linds", "Lindska villan"). */
const GENITIVES = ['s', 'ska', 'ske', 'skan', 'skas'];

/** A run of at most this many short words may spell a name out ("H e m l i g s s o n"). */
const SPELLED_WORDS = 24;
const SHORT_WORD = 4;

/**
 * Every run of two or more consecutive short words, joined: a name written in pieces
 * ("Hem ligs son", "H.e.m.l.i.g.s.s.o.n") reads as one of them.
 */
function spelledOut(words: string[]): string[] {
  const joined = new Set<string>();
  words.forEach((_, start) => {
    let text = '';
    for (let end = start; end < words.length && end - start < SPELLED_WORDS; end += 1) {
      if (words[end]!.length > SHORT_WORD) break;
      text += words[end];
      if (end > start) joined.add(text);
    }
  });
  return [...joined];
}

/** {@link SEPARATORS} as a bracket expression of a Postgres regular expression, in a literal. */
const SEPARATORS_SQL = `'[${SEPARATORS.replace("'", "''").replace('\\s', '[:space:]')}]+'`;

/** The same in SQL, for a column of the register (written plainly: no look-alikes to fold). */
export const compactNameSql = (column: string) =>
  `regexp_replace(translate(lower(normalize(${column}, NFC)), '${ACCENTED.map(([letter]) => letter).join('')}', '${ACCENTED.map(([, plain]) => plain).join('')}'), ${SEPARATORS_SQL}, '', 'g')`;

/**
 * Particles of a family name ("af Klint", "von Sydow"): not a part that names anyone on its
 * own beside a given name ("Anna af" is no name).
 */
const PARTICLES = ['af', 'av', 'von', 'van', 'der', 'den', 'de', 'la', 'le', 'du', 'di', 'da'];

/**
 * The parts of a name of the register in SQL (split where a separator stands, each compacted),
 * the ones of two letters or more, and for a family name not its particles.
 */
const namePartsSql = (column: string, particles: boolean) =>
  `ARRAY(SELECT x FROM (SELECT ${compactNameSql('s.part')} AS x
           FROM regexp_split_to_table(${column}, ${SEPARATORS_SQL}) AS s(part)) q
         WHERE length(x) > 1${particles ? ` AND x <> ALL('{${PARTICLES.join(',')}}'::text[])` : ''})`;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A name part as a pattern over words joined by single spaces: whole, or spelled out in pieces. */
const partPattern = (part: string) => [...part].map(escapeRegExp).join(' ?');

/**
 * Whether the text names someone by one of their given names and one of their family names
 * standing next to each other, in either order: "Anna Svensson" or "Svensson, Maria" names Anna
 * Maria Svensson, "Lisa Berg" Lisa Berg-Lind. Each is a word (or words: spelled out in pieces) of
 * its own, the family name also in the genitive ("Maria Svenssons"): "Lisa Bergström" does not
 * name Lisa Berg-Lind, nor "Kärlek" Karl Ek. Parts are compacted (`compactName`).
 */
export function namesByParts(text: string, givenParts: string[], familyParts: string[]): boolean {
  const words = ` ${plainLetters(text)
    .split(new RegExp(`[${TEXT_SEPARATORS}]+`, 'u'))
    .filter(Boolean)
    .join(' ')} `;
  const pair = (first: string, second: string) =>
    new RegExp(` ${partPattern(first)} ${partPattern(second)}(?:${GENITIVES.join('|')})? `, 'u');
  return givenParts.some((given) =>
    familyParts.some(
      (family) => pair(given, family).test(words) || pair(family, given).test(words),
    ),
  );
}

/**
 * Whether compacted text (`compactName`) holds a compacted street address. An address that ends
 * in a number names that number only: "Storgatan 12" is not in "Storgatan 120", nor
 * "Lövvägen 3" in "Lövvägen 33".
 */
export function holdsStreet(text: string, street: string): boolean {
  const endsInNumber = /[0-9]$/.test(street);
  for (let at = text.indexOf(street); at >= 0; at = text.indexOf(street, at + 1)) {
    if (!endsInNumber || !/[0-9]/.test(text.charAt(at + street.length))) return true;
  }
  return false;
}

/**
 * The same in SQL, over SQL expressions of compacted text and street: the street as a regular
 * expression with its punctuation escaped (every metacharacter is ASCII punctuation, and a
 * backslash before punctuation reads it as itself), a number at its end ending there.
 */
const holdsStreetSql = (text: string, street: string) =>
  `${text} ~ (regexp_replace(${street}, '([[:punct:]])', '\\\\\\1', 'g')
              || CASE WHEN ${street} ~ '[0-9]$' THEN '(?![0-9])' ELSE '' END)`;

/**
 * The text with its numbers as they read: in a run of digits and the spaces, dashes (also the
 * minus sign), pluses, dots, slashes and underscores between them that holds at least four
 * digits, O reads as 0 and l or I as 1 (`2O11O314-2384`); such a run's separators become one dash
 * (`2011.03.14.2384` → `2011-03-14-2384`; `840502+2420` and `840502−2420` → `840502-2420`: the
 * number a reader takes it for, whatever the plus says of the century).
 */
export function numbersAs(text: string): string {
  return readAs(text).replace(
    /[\doli](?:[\doli\s\u00A0\u2010-\u2015\u2212./_+-]*[\doli])?/gu,
    (run) =>
      (run.match(/\d/g) ?? []).length < 4
        ? run
        : run
            .replace(/o/g, '0')
            .replace(/[li]/g, '1')
            .replace(/[\s\u00A0\u2010-\u2015\u2212./_+-]+/gu, '-'),
  );
}

/**
 * Shaped like a Swedish personal identity or coordination number (with or without century): six
 * or eight digits of a possible day (a coordination number's day is 61–91), then four. It is one
 * only if it is valid (a real day and the check digit): a phone number such as 0701234567 has
 * the shape, and an organisation number (month 20 or more) not even that.
 */
const IDENTITY_NUMBER =
  /(?<!\d)(?:\d{2})?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[-+]?\d{4}(?!\d)/g;

/** The digits of each number in the text as it reads. */
const numberRuns = (text: string) =>
  (numbersAs(text).match(/\d[\d-]*/g) ?? []).map((run) => run.replace(/\D/g, ''));

/**
 * The valid identity numbers the text holds (their last ten digits: the number without its
 * century), written as one or as a number however grouped (`2011 03 14 2384`) whose ten or twelve
 * digits are one.
 */
export function identityNumbersIn(text: string): string[] {
  const written = [
    ...(numbersAs(text).match(IDENTITY_NUMBER) ?? []),
    ...numberRuns(text).filter((digits) => digits.length === 10 || digits.length === 12),
  ];
  const valid = written.flatMap((number) => {
    const parsed = parseIdentityNumber(number);
    return parsed.ok ? [parsed.normalized.slice(-10)] : [];
  });
  return [...new Set(valid)];
}

/** The text holds a valid identity number (`identityNumbersIn`). */
export const looksLikeIdentityNumber = (text: string) => identityNumbersIn(text).length > 0;

/** 400 naming the field when its text carries a Swedish identity number (however written). */
export function refuseIdentityNumbers(field: string, text: string): void {
  if (looksLikeIdentityNumber(text)) {
    throw fieldError(field, `${field} must not contain an identity number`);
  }
}

/**
 * The digits of each number in the text as it reads, a space between numbers: where a register
 * number is looked for (the digits of unrelated numbers are not run together).
 */
export const digitsOf = (text: string) => numberRuns(text).join(' ');

/**
 * The person of the municipality's register the text names (their id; null for none): a given
 * and family name together (either order, however written; also one of several given names beside one part of a
 * double family name, as words of their own: "Anna Svensson" names Anna Maria Svensson, "Lisa
 * Berg" Lisa Berg-Lind), a register identity number (either form, however its digits are written;
 * a reserve number as a whole, "RES-2026-0042" or "55443322"), or, for a person with a protected
 * identity, the family name alone as a word of its own (also in the genitive: "Linds", or spelled
 * out in pieces: "H e m l i g s s o n") or their street address ("Tallstigen 12", not
 * "Tallstigen 120").
 * Diacritics do not matter ("Asa Oberg" names Åsa Öberg). `except` is a person who may be named (a
 * case's young person, unless protected: then, in their own case's text, even their given name
 * alone names them, and so does their school — the case tells who is meant); `onlyProtected` looks only for people with a protected
 * identity; `only` for that one person.
 */
export async function namesRegisterPerson(
  manager: EntityManager,
  municipalityId: string,
  text: string,
  options: { except?: string | null; onlyProtected?: boolean; only?: string } = {},
): Promise<string | null> {
  const words = plainLetters(text)
    .split(new RegExp(`[${TEXT_SEPARATORS}]+`, 'u'))
    .filter(Boolean);
  // A word and, when it could be a genitive or a derived form of a name, its stem.
  const stems = words.flatMap((word) => [
    word,
    ...GENITIVES.filter((ending) => word.length > ending.length + 1 && word.endsWith(ending)).map(
      (ending) => word.slice(0, -ending.length),
    ),
  ]);
  const candidates = [
    ...new Set([
      ...stems,
      ...words.slice(1).map((word, i) => words[i] + word),
      ...spelledOut(words),
    ]),
  ];
  // Whom to look for: not the person who may be named (unless protected), perhaps only the
  // protected, perhaps only one.
  const whom = `p.municipality_id = $1
       AND (p.id IS DISTINCT FROM $2::uuid OR p.protection_level <> 'none')
       AND (NOT $3 OR p.protection_level <> 'none') AND ($4::uuid IS NULL OR p.id = $4::uuid)`;
  const people = [
    municipalityId,
    options.except ?? null,
    options.onlyProtected ?? false,
    options.only ?? null,
  ];
  const compact = compactName(text);
  // A reserve number is looked for as a whole (in pieces too: "RES 2026 0042"), among the words
  // of the text with its numbers as they read.
  const numberWords = numbersAs(text)
    .replace(ACCENTED_LETTER, (letter) => PLAIN_OF.get(letter)!)
    .split(new RegExp(`[${TEXT_SEPARATORS}]+`, 'u'))
    .filter(Boolean)
    .join(' ');
  const [named] = await manager.query<{ id: string }[]>(
    `SELECT p.id FROM person p,
       LATERAL (SELECT ${compactNameSql('p.given_name')} AS given, ${compactNameSql('p.family_name')} AS family,
                       ${compactNameSql("split_part(COALESCE(p.address, ''), ',', 1)")} AS street,
                       ${compactNameSql("COALESCE(p.school, '')")} AS school,
                       regexp_replace(lower(p.identity_number), '[^a-z0-9]', '', 'g') AS reserve) n
     WHERE ${whom} AND length(n.given) > 1 AND length(n.family) > 1
       AND (position(n.given || n.family IN $5) > 0 OR position(n.family || n.given IN $5) > 0
            OR (p.identity_kind <> 'reserve'
                AND position(right(regexp_replace(p.identity_number, '[^0-9]', '', 'g'), 10) IN $6) > 0)
            OR (p.identity_kind = 'reserve' AND length(n.reserve) > 3
                AND $8 ~ ('(^| )' || regexp_replace(n.reserve, '(.)', '\\1 ?', 'g') || '( |$)'))
            OR (p.protection_level <> 'none' AND n.family = ANY($7::text[]))
            OR (p.id = $2::uuid AND p.protection_level <> 'none'
                AND (n.given = ANY($7::text[]) OR (length(n.school) > 3 AND position(n.school IN $5) > 0)))
            OR (p.protection_level <> 'none' AND length(n.street) > 3 AND ${holdsStreetSql('$5', 'n.street')}))
     LIMIT 1`,
    [...people, compact, digitsOf(text), candidates, numberWords],
  );
  if (named) return named.id;
  // One of several given names, or a part of a double family name, beside the other: the people
  // one of whose given names and one of whose family name parts stand somewhere in the text (a
  // cheap test), then whether they stand next to each other as words of their own.
  const parted = await manager.query<{ id: string; given: string[]; family: string[] }[]>(
    `SELECT p.id, n.given, n.family FROM person p,
       LATERAL (SELECT ${namePartsSql('p.given_name', false)} AS given,
                       ${namePartsSql('p.family_name', true)} AS family) n
     WHERE ${whom}
       AND EXISTS (SELECT 1 FROM unnest(n.given) g WHERE position(g IN $5) > 0)
       AND EXISTS (SELECT 1 FROM unnest(n.family) f WHERE position(f IN $5) > 0)`,
    [...people, compact],
  );
  return parted.find((person) => namesByParts(text, person.given, person.family))?.id ?? null;
}
