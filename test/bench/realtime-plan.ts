/**
 * The shape of the realtime benchmark's data, as plain rules: which agency each user works for,
 * which consent each case has, which categories messages carry. The generator writes the data
 * from these rules and the harness computes from the same rules — independently of the server's
 * SQL — who may receive each message.
 */
import { AGENCY_TYPES, type AgencyType } from '@samverka/contracts';

/** Members per case: every user is a member of exactly one case. */
export const CASE_SIZE = 20;

/** Member `i` of a case (0–19) works for agency `AGENCY_TYPES[i % 5]`: four of each per case. */
export const memberAgency = (user: number): AgencyType =>
  AGENCY_TYPES[(user % CASE_SIZE) % AGENCY_TYPES.length]!;

export const caseOf = (user: number): number => Math.floor(user / CASE_SIZE);

/** The categories messages are sent in, in turn. */
export const MESSAGE_CATEGORIES = [
  'general',
  'school_attendance',
  'social_assessment',
  'police_observation',
] as const;

export interface ConsentKind {
  name: string;
  /** Whether the consent is in force (all parties, inside validity, not revoked). */
  inForce: boolean;
  /** 'revoked' | 'expired' when not in force. */
  problem?: 'revoked' | 'expired';
  agencies: readonly AgencyType[];
  categories: readonly string[];
}

/** Case `c` has consent kind `CONSENT_KINDS[c % 8]` (null: no consent). */
export const CONSENT_KINDS: readonly (ConsentKind | null)[] = [
  null,
  {
    name: 'school+social, general+school_attendance',
    inForce: true,
    agencies: ['school', 'social_services'],
    categories: ['general', 'school_attendance'],
  },
  {
    name: 'every agency, general only',
    inForce: true,
    agencies: AGENCY_TYPES,
    categories: ['general'],
  },
  {
    name: 'every agency and category, expired',
    inForce: false,
    problem: 'expired',
    agencies: AGENCY_TYPES,
    categories: [...MESSAGE_CATEGORIES],
  },
  null,
  {
    name: 'police+leisure, police_observation',
    inForce: true,
    agencies: ['police', 'leisure'],
    categories: ['police_observation'],
  },
  {
    name: 'every agency and category',
    inForce: true,
    agencies: AGENCY_TYPES,
    categories: [...MESSAGE_CATEGORIES],
  },
  {
    name: 'every agency and category, revoked',
    inForce: false,
    problem: 'revoked',
    agencies: AGENCY_TYPES,
    categories: [...MESSAGE_CATEGORIES],
  },
];

export const consentOf = (kase: number): ConsentKind | null =>
  CONSENT_KINDS[kase % CONSENT_KINDS.length] ?? null;

/**
 * The policy, from the generated data: may `user` see a message of `category` by `author` in
 * its case? Only members of the case; the author's agency always; other agencies while a
 * consent in force covers them and the category.
 */
export function mayReceive(user: number, author: number, category: string): boolean {
  const kase = caseOf(author);
  if (caseOf(user) !== kase) return false;
  const agency = memberAgency(user);
  if (agency === memberAgency(author)) return true;
  const consent = consentOf(kase);
  return (
    !!consent &&
    consent.inForce &&
    consent.agencies.includes(agency) &&
    consent.categories.includes(category)
  );
}

/** Mean recipients per message over every author and category (messages spread evenly). */
export function meanRecipients(cases: number): number {
  let total = 0;
  let messages = 0;
  for (let kase = 0; kase < Math.min(cases, CONSENT_KINDS.length); kase++) {
    for (let j = 0; j < CASE_SIZE; j++) {
      const author = kase * CASE_SIZE + j;
      for (const category of MESSAGE_CATEGORIES) {
        messages++;
        for (let i = 0; i < CASE_SIZE; i++)
          if (mayReceive(kase * CASE_SIZE + i, author, category)) total++;
      }
    }
  }
  return total / messages;
}

/**
 * Message `k` of a client process that serves `cases` (case numbers): a case in turn, a
 * different member and category each round.
 */
export function pickMessage(
  k: number,
  cases: readonly number[],
): { author: number; kase: number; category: string } {
  const round = Math.floor(k / cases.length);
  const slot = k % cases.length;
  const kase = cases[slot]!;
  const member = (round * 7 + slot) % CASE_SIZE;
  const category = MESSAGE_CATEGORIES[(round + Math.floor(round / CASE_SIZE)) % 4]!;
  return { author: kase * CASE_SIZE + member, kase, category };
}
