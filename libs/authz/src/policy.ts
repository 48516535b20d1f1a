import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import { STAFF_ROLES } from '@samverka/contracts';
import { PROTECTED_PERSON_FIELDS } from './fields.js';
import type { Principal } from './principal.js';
import type { AppAbility } from './subjects.js';

/** Facts beyond the principal that later rules read (consents, disclosures, memberships). */
export type PolicyContext = Record<string, never>;

/**
 * The secrecy policy: what this principal may do, on which records, which fields.
 * Deny by default: anything not granted here is refused. Later rules override earlier ones,
 * so the `cannot` rules for protected identities come last.
 */
export function defineAbilityFor(principal: Principal, _context: PolicyContext = {}): AppAbility {
  const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  const tenant = { municipalityId: principal.municipalityId };
  const roles = new Set(principal.roles);

  // Everyone signed in: their own account and the organisation they work in.
  can('read', 'User', { ...tenant, id: principal.userId });
  can('read', 'Municipality', { id: principal.municipalityId });
  can('list', ['Area', 'Unit'], tenant);

  if (roles.has('admin')) {
    can(['create', 'read', 'list', 'update', 'disable'], 'User', tenant);
    can('create', ['Area', 'Unit'], tenant);
    can('update', 'Municipality', { id: principal.municipalityId });
    can(['grant', 'list'], 'PersonClearance', tenant);
  }

  if (STAFF_ROLES.some((role) => roles.has(role))) {
    // The person register: each agency sees the people it has registered (or that reach it
    // later through a case); registering a person again links them to the caller's agency.
    can('create', 'Person', tenant);
    can(['read', 'update', 'list', 'search'], 'Person', {
      ...tenant,
      linkedAgencies: principal.agency,
    });
  }

  if (roles.has('auditor')) {
    can(['list', 'verify'], 'AuditEvent', tenant);
  }

  // Protected identities: only users cleared for the person see who it is, find them in a
  // search, or change them.
  const notCleared = {
    protectionLevel: { $ne: 'none' as const },
    id: { $nin: [...principal.clearedPersonIds] },
  };
  cannot('read', 'Person', PROTECTED_PERSON_FIELDS, notCleared);
  cannot(['search', 'list', 'update'], 'Person', notCleared);

  return build();
}
