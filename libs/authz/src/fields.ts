import { PROTECTED_LABEL } from '@samverka/contracts';
import type { SubjectType } from './subjects.js';

/**
 * Fields that the policy may hide, per subject type, and what a caller sees in their place.
 * Every output that carries such a record (REST, sockets, notifications, calendar, exports)
 * masks it through `maskRecord`.
 */
export const MASKABLE_FIELDS = {
  Person: {
    givenName: PROTECTED_LABEL,
    familyName: '',
    identityNumber: null,
    identityKind: null,
    birthDate: null,
    gender: null,
    address: null,
    school: null,
    guardians: [],
    protectionLevel: null,
  },
} as const satisfies Partial<Record<SubjectType, Record<string, unknown>>>;

export type MaskableSubject = keyof typeof MASKABLE_FIELDS;

/** The fields a protected identity hides from everyone not cleared for the person. */
export const PROTECTED_PERSON_FIELDS = Object.keys(MASKABLE_FIELDS.Person);
