import { fieldError } from './problems.js';
import type { SqlParams } from './sql-params.js';

/** `text` as a literal inside a LIKE pattern. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Name search over `person p`: every word (up to four) must begin the given or the family name.
 * Returns one condition per word.
 */
export function nameMatches(name: string, params: SqlParams, field = 'name'): string[] {
  const words = name.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 4);
  if (words.length === 0) throw fieldError(field, `${field} must contain a word to search for`);
  return words.map((word) => {
    const pattern = params.bind(`${escapeLike(word)}%`);
    return `(lower(p.given_name) LIKE ${pattern} OR lower(p.family_name) LIKE ${pattern})`;
  });
}
