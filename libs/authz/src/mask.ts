import { subject } from '@casl/ability';
import { MASKABLE_FIELDS, type MaskableSubject } from './fields.js';
import type { AppAbility } from './subjects.js';

/**
 * The field-level enforcement point. Row access is settled first (in SQL, from the same policy);
 * this then replaces every maskable field that a `cannot` rule of the policy denies on this record
 * (e.g. a protected person's identity for a user who is not cleared) with its neutral value.
 * The record must carry the attributes those rules read (`id`, `protectionLevel`, …).
 */
export function applyFieldMasks<T extends Record<string, unknown>>(
  ability: AppAbility,
  subjectType: MaskableSubject,
  record: T,
): { value: T; masked: boolean } {
  const replacements = MASKABLE_FIELDS[subjectType] as Record<string, unknown>;
  // The record carries what the rules read; CASL only needs the tag to pick the rules.
  const tagged = subject(subjectType, { ...record }) as unknown as Parameters<
    AppAbility['relevantRuleFor']
  >[1];
  const value: Record<string, unknown> = { ...record };
  let masked = false;
  for (const [field, neutral] of Object.entries(replacements)) {
    if (!(field in record)) continue;
    if (ability.relevantRuleFor('read', tagged, field)?.inverted) {
      value[field] = Array.isArray(neutral) ? [] : neutral;
      masked = true;
    }
  }
  return { value: value as T, masked };
}
