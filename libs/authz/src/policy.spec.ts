import { subject } from '@casl/ability';
import {
  AGENCY_TYPES,
  PROTECTION_LEVELS,
  ROLES,
  STAFF_ROLES,
  type AgencyType,
  type ProtectionLevel,
  type Role,
} from '@samverka/contracts';
import { PROTECTED_PERSON_FIELDS } from './fields.js';
import { defineAbilityFor } from './policy.js';
import type { Principal } from './principal.js';
import {
  ACTIONS,
  SUBJECTS,
  type Action,
  type AppAbility,
  type SubjectRecords,
  type SubjectType,
} from './subjects.js';

/** What `ability.can` accepts as its subject argument. */
type Subject = Parameters<AppAbility['can']>[1];

const MUNICIPALITY = 'mun-home';
const OTHER_MUNICIPALITY = 'mun-other';
const USER_ID = 'user-self';
const OTHER_USER_ID = 'user-colleague';

/** The agency each role typically works in (admin and auditor sit somewhere too). */
const AGENCY_OF: Record<Role, AgencyType> = {
  coordinator: 'social_services',
  school_staff: 'school',
  police_liaison: 'police',
  social_worker: 'social_services',
  case_holder: 'social_services',
  leisure_staff: 'leisure',
  health_staff: 'health',
  auditor: 'social_services',
  admin: 'school',
};

const PROTECTED_LEVELS = PROTECTION_LEVELS.filter((level) => level !== 'none');
const NON_STAFF_ROLES = ROLES.filter((role) => !STAFF_ROLES.includes(role));

function principalFor(roles: readonly Role[], overrides: Partial<Principal> = {}): Principal {
  return {
    userId: USER_ID,
    municipalityId: MUNICIPALITY,
    unitId: 'unit-1',
    agency: AGENCY_OF[roles[0] ?? 'school_staff'],
    areaIds: ['area-1'],
    roles,
    clearedPersonIds: [],
    ...overrides,
  };
}

function abilityFor(roles: readonly Role[], overrides: Partial<Principal> = {}): AppAbility {
  return defineAbilityFor(principalFor(roles, overrides));
}

function person(
  overrides: Partial<SubjectRecords['Person']> = {},
): SubjectRecords['Person'] & Record<string, unknown> {
  return {
    id: 'person-1',
    municipalityId: MUNICIPALITY,
    protectionLevel: 'none',
    linkedAgencies: ['school'],
    givenName: 'Alva',
    familyName: 'Lind',
    identityNumber: '20100101-1234',
    ...overrides,
  };
}

/**
 * The most favourable in-tenant record of each type for `principal`: its own user, its own
 * municipality, an unprotected person linked to its agency (and cleared for, to be sure).
 */
function recordFor(type: SubjectType, principal: Principal, municipalityId: string): Subject {
  switch (type) {
    case 'Municipality':
      return subject('Municipality', { id: municipalityId });
    case 'Area':
      return subject('Area', { id: 'area-1', municipalityId });
    case 'Unit':
      return subject('Unit', { id: 'unit-1', municipalityId });
    case 'User':
      return subject('User', { id: principal.userId, municipalityId });
    case 'Person':
      return subject(
        'Person',
        person({ id: 'person-1', municipalityId, linkedAgencies: [principal.agency] }),
      );
    case 'PersonClearance':
      return subject('PersonClearance', { personId: 'person-1', municipalityId });
    case 'AuditEvent':
      return subject('AuditEvent', { municipalityId });
  }
}

type Grants = Partial<Record<SubjectType, readonly Action[]>>;

const EVERYONE: Grants = {
  Municipality: ['read'],
  Area: ['list'],
  Unit: ['list'],
  User: ['read'],
};
const STAFF: Grants = {
  ...EVERYONE,
  Person: ['create', 'read', 'update', 'list', 'search'],
};

/** What each role may do on its most favourable in-tenant record; everything else is refused. */
const EXPECTED: Record<Role, Grants> = {
  coordinator: STAFF,
  school_staff: STAFF,
  police_liaison: STAFF,
  social_worker: STAFF,
  case_holder: STAFF,
  leisure_staff: STAFF,
  health_staff: STAFF,
  auditor: { ...EVERYONE, AuditEvent: ['list', 'verify'] },
  admin: {
    ...EVERYONE,
    Municipality: ['read', 'update'],
    Area: ['list', 'create'],
    Unit: ['list', 'create'],
    User: ['create', 'read', 'list', 'update', 'disable'],
    PersonClearance: ['grant', 'list'],
  },
};

const MATRIX = ROLES.flatMap((role) =>
  SUBJECTS.flatMap((type) =>
    ACTIONS.map((action) => ({
      role,
      type,
      action,
      allowed: EXPECTED[role][type]?.includes(action) ?? false,
    })),
  ),
);

describe('defineAbilityFor', () => {
  describe('role matrix (in-tenant, most favourable record)', () => {
    it.each(MATRIX)('$role: $action $type → $allowed', ({ role, type, action, allowed }) => {
      const principal = principalFor([role]);
      const ability = defineAbilityFor(principal);
      expect(ability.can(action, recordFor(type, principal, MUNICIPALITY))).toBe(allowed);
    });

    it('every role is covered by the expectations', () => {
      expect(Object.keys(EXPECTED).sort()).toEqual([...ROLES].sort());
    });
  });

  describe('tenant isolation', () => {
    it.each(MATRIX)(
      '$role: cannot $action a $type of another municipality',
      ({ role, type, action }) => {
        const principal = principalFor([role]);
        const ability = defineAbilityFor(principal);
        expect(ability.can(action, recordFor(type, principal, OTHER_MUNICIPALITY))).toBe(false);
      },
    );

    it('a principal holding every role still sees nothing of another municipality', () => {
      const principal = principalFor(ROLES, { clearedPersonIds: ['person-1'] });
      const ability = defineAbilityFor(principal);
      for (const type of SUBJECTS) {
        for (const action of ACTIONS) {
          expect({
            type,
            action,
            allowed: ability.can(action, recordFor(type, principal, OTHER_MUNICIPALITY)),
          }).toEqual({ type, action, allowed: false });
        }
      }
    });

    it('a protected person of another municipality stays hidden even if cleared for them', () => {
      const target = person({
        id: 'p-x',
        municipalityId: OTHER_MUNICIPALITY,
        protectionLevel: 'flagged',
      });
      const ability = abilityFor(['school_staff'], { clearedPersonIds: ['p-x'] });
      for (const action of ACTIONS) {
        expect(ability.can(action, subject('Person', target))).toBe(false);
      }
      expect(ability.can('read', subject('Person', target), 'givenName')).toBe(false);
    });
  });

  describe('deny by default', () => {
    it('the auditor cannot read a Person, even one linked to their agency', () => {
      const ability = abilityFor(['auditor']);
      const target = subject('Person', person({ linkedAgencies: [...AGENCY_TYPES] }));
      expect(ability.can('read', target)).toBe(false);
      expect(ability.can('read', target, 'id')).toBe(false);
      expect(ability.can('list', target)).toBe(false);
    });

    it('the admin cannot read a Person, even one linked to their agency', () => {
      const ability = abilityFor(['admin']);
      const target = subject('Person', person({ linkedAgencies: [...AGENCY_TYPES] }));
      expect(ability.can('read', target)).toBe(false);
      expect(ability.can('search', target)).toBe(false);
      expect(ability.can('create', target)).toBe(false);
    });

    it('school staff cannot list, create or update users', () => {
      const ability = abilityFor(['school_staff']);
      const colleague = subject('User', { id: OTHER_USER_ID, municipalityId: MUNICIPALITY });
      expect(ability.can('list', 'User')).toBe(false);
      expect(ability.can('list', colleague)).toBe(false);
      expect(ability.can('create', colleague)).toBe(false);
      expect(ability.can('update', colleague)).toBe(false);
    });

    it.each(ROLES.filter((role) => role !== 'auditor'))(
      '%s cannot list or verify the audit trail',
      (role) => {
        const ability = abilityFor([role]);
        const event = subject('AuditEvent', { municipalityId: MUNICIPALITY });
        expect(ability.can('list', event)).toBe(false);
        expect(ability.can('verify', event)).toBe(false);
        expect(ability.can('list', 'AuditEvent')).toBe(false);
      },
    );

    it('the auditor can list and verify the audit trail of their municipality', () => {
      const ability = abilityFor(['auditor']);
      expect(ability.can('list', subject('AuditEvent', { municipalityId: MUNICIPALITY }))).toBe(
        true,
      );
      expect(ability.can('verify', subject('AuditEvent', { municipalityId: MUNICIPALITY }))).toBe(
        true,
      );
    });

    it('a principal without roles may only read itself and its municipality and list the organisation', () => {
      const principal = principalFor([]);
      const ability = defineAbilityFor(principal);
      const allowed = SUBJECTS.flatMap((type) =>
        ACTIONS.filter((action) =>
          ability.can(action, recordFor(type, principal, MUNICIPALITY)),
        ).map((action) => `${action} ${type}`),
      );
      expect(allowed.sort()).toEqual(['list Area', 'list Unit', 'read Municipality', 'read User']);
    });
  });

  describe('the person register: staff see the people linked to their agency', () => {
    const STAFF_CASES = STAFF_ROLES.map((role) => ({ role, agency: AGENCY_OF[role] }));

    it.each(STAFF_CASES)('$role ($agency) may work with a person linked to $agency', ({ role }) => {
      const ability = abilityFor([role]);
      const target = subject('Person', person({ linkedAgencies: ['leisure', AGENCY_OF[role]] }));
      for (const action of ['read', 'update', 'list', 'search'] as const) {
        expect(ability.can(action, target)).toBe(true);
      }
    });

    it.each(STAFF_CASES)(
      '$role ($agency) cannot see a person linked only to other agencies',
      ({ role, agency }) => {
        const ability = abilityFor([role]);
        const others = AGENCY_TYPES.filter((other) => other !== agency);
        for (const linkedAgencies of [others, [] as AgencyType[]]) {
          const target = subject('Person', person({ linkedAgencies }));
          for (const action of ['read', 'update', 'list', 'search'] as const) {
            expect(ability.can(action, target)).toBe(false);
          }
          expect(ability.can('read', target, 'id')).toBe(false);
        }
      },
    );

    it.each(STAFF_CASES)('$role may register a person in their municipality', ({ role }) => {
      const ability = abilityFor([role]);
      expect(ability.can('create', 'Person')).toBe(true);
      expect(ability.can('create', subject('Person', person({ linkedAgencies: [] })))).toBe(true);
      expect(
        ability.can(
          'create',
          subject('Person', person({ municipalityId: OTHER_MUNICIPALITY, linkedAgencies: [] })),
        ),
      ).toBe(false);
    });

    it('the agency comes from the principal, not from the role', () => {
      const ability = abilityFor(['school_staff'], { agency: 'police' });
      expect(ability.can('read', subject('Person', person({ linkedAgencies: ['police'] })))).toBe(
        true,
      );
      expect(ability.can('read', subject('Person', person({ linkedAgencies: ['school'] })))).toBe(
        false,
      );
    });
  });

  describe('protected identities', () => {
    const CASES = STAFF_ROLES.flatMap((role) =>
      PROTECTED_LEVELS.map((protectionLevel) => ({ role, protectionLevel })),
    );

    function protectedPerson(role: Role, protectionLevel: ProtectionLevel | null) {
      return subject(
        'Person',
        person({ id: 'p-protected', protectionLevel, linkedAgencies: [AGENCY_OF[role]] }),
      );
    }

    it.each(CASES)(
      '$role, not cleared: $protectionLevel person keeps its row but hides its identity',
      ({ role, protectionLevel }) => {
        const ability = abilityFor([role], { clearedPersonIds: ['someone-else'] });
        const target = protectedPerson(role, protectionLevel);
        expect(ability.can('read', target)).toBe(true);
        for (const field of PROTECTED_PERSON_FIELDS) {
          expect({ field, readable: ability.can('read', target, field) }).toEqual({
            field,
            readable: false,
          });
        }
        for (const field of ['id', 'municipalityId', 'linkedAgencies']) {
          expect({ field, readable: ability.can('read', target, field) }).toEqual({
            field,
            readable: true,
          });
        }
      },
    );

    it.each(CASES)(
      '$role, not cleared: cannot search, list or update a $protectionLevel person',
      ({ role, protectionLevel }) => {
        const ability = abilityFor([role]);
        const target = protectedPerson(role, protectionLevel);
        expect(ability.can('search', target)).toBe(false);
        expect(ability.can('list', target)).toBe(false);
        expect(ability.can('update', target)).toBe(false);
      },
    );

    it.each(CASES)(
      '$role, cleared: sees and works with a $protectionLevel person like any other',
      ({ role, protectionLevel }) => {
        const ability = abilityFor([role], { clearedPersonIds: ['other', 'p-protected'] });
        const target = protectedPerson(role, protectionLevel);
        for (const action of ['read', 'search', 'list', 'update'] as const) {
          expect(ability.can(action, target)).toBe(true);
        }
        for (const field of PROTECTED_PERSON_FIELDS) {
          expect({ field, readable: ability.can('read', target, field) }).toEqual({
            field,
            readable: true,
          });
        }
      },
    );

    it('a person whose protection level is unknown (null) is treated as protected', () => {
      const ability = abilityFor(['school_staff']);
      const target = protectedPerson('school_staff', null);
      expect(ability.can('read', target)).toBe(true);
      expect(ability.can('read', target, 'givenName')).toBe(false);
      expect(ability.can('search', target)).toBe(false);
    });

    it('a clearance does not open a person that is not linked to the agency', () => {
      const ability = abilityFor(['school_staff'], { clearedPersonIds: ['p-protected'] });
      const target = subject(
        'Person',
        person({ id: 'p-protected', protectionLevel: 'flagged', linkedAgencies: ['police'] }),
      );
      for (const action of ['read', 'search', 'list', 'update'] as const) {
        expect(ability.can(action, target)).toBe(false);
      }
    });

    it.each(STAFF_ROLES)('%s: an unprotected person is fully readable', (role) => {
      const ability = abilityFor([role]);
      const target = subject('Person', person({ linkedAgencies: [AGENCY_OF[role]] }));
      for (const field of [...PROTECTED_PERSON_FIELDS, 'id', 'municipalityId', 'linkedAgencies']) {
        expect({ field, readable: ability.can('read', target, field) }).toEqual({
          field,
          readable: true,
        });
      }
      for (const action of ['search', 'list', 'update'] as const) {
        expect(ability.can(action, target)).toBe(true);
      }
    });

    it('the protected fields are exactly the identity fields', () => {
      expect([...PROTECTED_PERSON_FIELDS].sort()).toEqual(
        [
          'address',
          'birthDate',
          'familyName',
          'gender',
          'givenName',
          'guardians',
          'identityKind',
          'identityNumber',
          'protectionLevel',
          'school',
        ].sort(),
      );
    });
  });

  describe('user accounts', () => {
    const self = subject('User', { id: USER_ID, municipalityId: MUNICIPALITY });
    const colleague = subject('User', { id: OTHER_USER_ID, municipalityId: MUNICIPALITY });

    it.each(ROLES)('%s can read their own account', (role) => {
      expect(abilityFor([role]).can('read', self)).toBe(true);
    });

    it.each(ROLES.filter((role) => role !== 'admin'))(
      "%s cannot read a colleague's account nor change their own",
      (role) => {
        const ability = abilityFor([role]);
        expect(ability.can('read', colleague)).toBe(false);
        expect(ability.can('update', self)).toBe(false);
        expect(ability.can('disable', self)).toBe(false);
      },
    );

    it("the admin can read and manage colleagues' accounts in their municipality", () => {
      const ability = abilityFor(['admin']);
      for (const action of ['read', 'list', 'update', 'disable'] as const) {
        expect(ability.can(action, colleague)).toBe(true);
      }
      expect(
        ability.can(
          'read',
          subject('User', { id: OTHER_USER_ID, municipalityId: OTHER_MUNICIPALITY }),
        ),
      ).toBe(false);
    });

    it('no one reads their own account through another municipality', () => {
      for (const role of NON_STAFF_ROLES.concat(STAFF_ROLES)) {
        const ability = abilityFor([role]);
        expect(
          ability.can('read', subject('User', { id: USER_ID, municipalityId: OTHER_MUNICIPALITY })),
        ).toBe(false);
      }
    });
  });
});
