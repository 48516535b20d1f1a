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
import { defineAbilityFor, type PolicyContext } from './policy.js';
import type { Principal } from './principal.js';
import {
  ACTIONS,
  SUBJECTS,
  type Action,
  type AppAbility,
  type CaseScoped,
  type MeetingScoped,
  type SubjectRecords,
  type SubjectType,
} from './subjects.js';

/** What `ability.can` accepts as its subject argument. */
type Subject = Parameters<AppAbility['can']>[1];

const MUNICIPALITY = 'mun-home';
const OTHER_MUNICIPALITY = 'mun-other';
const USER_ID = 'user-self';
const OTHER_USER_ID = 'user-colleague';
const CASE_ID = 'case-1';
const OTHER_CASE_ID = 'case-2';
/** The principal's own unit and area (see `principalFor`), and ones that are not theirs. */
const OWN_UNIT = 'unit-1';
const OWN_AREA = 'area-1';
const FOREIGN_UNIT = 'unit-9';
const FOREIGN_AREA = 'area-9';

const NO_CASES: PolicyContext = { memberCaseIds: [] };
const MEMBER_OF_CASE: PolicyContext = { memberCaseIds: [CASE_ID] };

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
    unitId: OWN_UNIT,
    agency: AGENCY_OF[roles[0] ?? 'school_staff'],
    areaIds: [OWN_AREA],
    roles,
    clearedPersonIds: [],
    ...overrides,
  };
}

function abilityFor(
  roles: readonly Role[],
  overrides: Partial<Principal> = {},
  context?: PolicyContext,
): AppAbility {
  return defineAbilityFor(principalFor(roles, overrides), context);
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
 * Who may know a case exists, by default a case the principal of `principalFor` has no way into:
 * not a member (unless the context says so), another unit, another area.
 */
function caseScope(overrides: Partial<CaseScoped> = {}): CaseScoped {
  return {
    municipalityId: MUNICIPALITY,
    caseId: CASE_ID,
    caseAreaId: FOREIGN_AREA,
    caseUnitIds: [FOREIGN_UNIT],
    ...overrides,
  };
}

function collabCase(overrides: Partial<SubjectRecords['Case']> = {}): SubjectRecords['Case'] {
  const scope = caseScope(overrides);
  return { id: scope.caseId, responsibleUserId: OTHER_USER_ID, ...scope, ...overrides };
}

function entry(overrides: Partial<SubjectRecords['CaseEntry']> = {}): SubjectRecords['CaseEntry'] {
  return {
    id: 'entry-1',
    authorAgency: 'health',
    disclosedTo: [],
    disclosedToUnits: [],
    ...caseScope(overrides),
    ...overrides,
  };
}

function consent(overrides: Partial<SubjectRecords['Consent']> = {}): SubjectRecords['Consent'] {
  return { id: 'consent-1', ...caseScope(overrides), ...overrides };
}

/** Every way into the case at once (membership also needs `MEMBER_OF_CASE` as the context). */
function allWaysIn(principal: Principal, municipalityId: string): CaseScoped {
  return caseScope({
    municipalityId,
    caseAreaId: principal.areaIds[0] ?? OWN_AREA,
    caseUnitIds: [FOREIGN_UNIT, principal.unitId],
  });
}

/** Every way into a meeting at once: organiser, invited by name and by unit, of my area. */
function meetingScope(principal: Principal, municipalityId: string): MeetingScoped {
  return {
    municipalityId,
    meetingId: 'meeting-1',
    meetingAreaId: principal.areaIds[0] ?? OWN_AREA,
    organiserId: principal.userId,
    inviteeUserIds: [principal.userId],
    inviteeUnitIds: [principal.unitId],
    caseOpenToUnit: [principal.unitId],
  };
}

/** Roles that may open a case (in their municipality, before any case exists). */
const CASE_OPENER_ROLES: readonly Role[] = ['coordinator', 'case_holder', 'social_worker'];

function caseCreateFor(role: Role): Action[] {
  return CASE_OPENER_ROLES.includes(role) ? ['create'] : [];
}

/** `actions` in `ACTIONS` order, as `allowedActions` returns them. */
function sorted(actions: readonly Action[]): Action[] {
  return ACTIONS.filter((action) => actions.includes(action));
}

/** The actions `ability` allows on `record`, in `ACTIONS` order. */
function allowedActions(ability: AppAbility, record: Subject): Action[] {
  return ACTIONS.filter((action) => ability.can(action, record));
}

/**
 * The most favourable in-tenant record of each type for `principal`: its own user, its own
 * municipality, an unprotected person linked to its agency (and cleared for, to be sure), a case
 * it has every way into (with `MEMBER_OF_CASE`) and is responsible for, an entry written by its
 * agency and disclosed to its agency and unit as well.
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
    case 'InformationCategory':
      return subject('InformationCategory', { municipalityId });
    case 'LegalBasis':
      return subject('LegalBasis', { municipalityId });
    case 'Case':
      return subject(
        'Case',
        collabCase({
          ...allWaysIn(principal, municipalityId),
          responsibleUserId: principal.userId,
        }),
      );
    case 'CaseEntry':
      return subject(
        'CaseEntry',
        entry({
          ...allWaysIn(principal, municipalityId),
          authorAgency: principal.agency,
          disclosedTo: [principal.agency],
          disclosedToUnits: [principal.unitId],
        }),
      );
    case 'Consent':
      return subject('Consent', consent(allWaysIn(principal, municipalityId)));
    case 'CaseMessage':
      return subject('CaseMessage', {
        ...allWaysIn(principal, municipalityId),
        id: 'message-1',
        authorAgency: principal.agency,
        category: 'general',
        consentCoversAgencies: [principal.agency],
        consentCoversUnits: [principal.unitId],
      });
    case 'Notice':
      return subject('Notice', {
        id: 'notice-1',
        municipalityId,
        authorUserId: principal.userId,
        recipientUserIds: [principal.userId],
      });
    case 'ConcernReport':
      return subject('ConcernReport', {
        id: 'concern-1',
        municipalityId,
        reporterUserId: principal.userId,
        receivingUnitId: principal.unitId,
      });
    case 'FollowUpReport':
      return subject('FollowUpReport', { municipalityId });
    case 'RetentionRule':
      return subject('RetentionRule', { municipalityId });
    case 'RetentionRun':
      return subject('RetentionRun', { municipalityId });
    case 'LegalHold':
      return subject('LegalHold', { municipalityId });
    case 'Notification':
      return subject('Notification', { municipalityId, userId: principal.userId });
    case 'Meeting':
      return subject('Meeting', { ...meetingScope(principal, municipalityId), id: 'meeting-1' });
    case 'AgendaItem':
      return subject('AgendaItem', {
        ...meetingScope(principal, municipalityId),
        id: 'item-1',
        caseId: null,
        caseOwnerUnitId: principal.unitId,
        coveredUnits: [principal.unitId],
      });
    case 'Plan':
      return subject('Plan', {
        ...allWaysIn(principal, municipalityId),
        id: 'plan-1',
        responsibleUserId: principal.userId,
        caseOwnerUnitId: principal.unitId,
        consentNamesUnit: [principal.unitId],
      });
    case 'PlanAction':
      return subject('PlanAction', {
        ...allWaysIn(principal, municipalityId),
        id: 'action-1',
        responsibleUserId: principal.userId,
        caseOwnerUnitId: principal.unitId,
        consentNamesUnit: [principal.unitId],
        actionOwnerId: principal.userId,
        actionUnitId: principal.unitId,
        caseOpenToUnit: [principal.unitId],
      });
    case 'SigEligibility':
      return subject('SigEligibility', allWaysIn(principal, municipalityId));
    case 'RiskAssessment':
      return subject('RiskAssessment', {
        ...allWaysIn(principal, municipalityId),
        id: 'ra-1',
        coveredUnits: [principal.unitId],
      });
    case 'RiskFactorItem':
      return subject('RiskFactorItem', { municipalityId });
  }
}

type Grants = Partial<Record<SubjectType, readonly Action[]>>;

const EVERYONE: Grants = {
  Municipality: ['read'],
  Area: ['list'],
  Unit: ['list'],
  User: ['read'],
  Notification: ['list', 'update'],
};
const STAFF: Grants = {
  ...EVERYONE,
  Person: ['create', 'read', 'update', 'list', 'search', 'identify'],
  InformationCategory: ['list'],
  LegalBasis: ['list'],
  // Seen through a way in; run only by a responsible coordinator or case holder (see RESPONSIBLE).
  Case: ['read', 'list', 'search'],
  Consent: ['read', 'list', 'create', 'revoke'],
  CaseEntry: ['create', 'read', 'list', 'search', 'disclose'],
  CaseMessage: ['create', 'read', 'list'],
  Notice: ['read', 'list', 'acknowledge'],
  // Filed by them, sent to their unit: the reporter's own view and feedback.
  ConcernReport: ['create', 'read', 'list', 'feedback'],
  Meeting: ['read', 'list', 'update', 'respond'],
  AgendaItem: ['create', 'read', 'list', 'update'],
  Plan: ['read'],
  // An action's owner reads and updates it.
  PlanAction: ['read', 'list', 'update'],
  SigEligibility: ['read'],
  RiskAssessment: ['read', 'list'],
  RiskFactorItem: ['list'],
};
/** Staff roles that may also open a case and call a meeting (all of social services). */
const CASE_OPENER: Grants = {
  ...STAFF,
  Case: [...(STAFF.Case ?? []), 'create'],
  Meeting: [...(STAFF.Meeting ?? []), 'create'],
  SigEligibility: ['create', 'read'],
  RiskAssessment: ['create', 'read', 'list'],
};
/** Social workers and case holders also handle the concern reports sent to their unit. */
const CONCERN_HANDLER: Grants = {
  ...CASE_OPENER,
  ConcernReport: [...(STAFF.ConcernReport ?? []), 'handle'],
};

/** Coordinators and case holders run the cases they are responsible for, and keep their plans. */
const RESPONSIBLE = (grants: Grants): Grants => ({
  ...grants,
  Case: [...(grants.Case ?? []), 'update'],
  Plan: [...(grants.Plan ?? []), 'update'],
  PlanAction: [...(grants.PlanAction ?? []), 'create'],
});

/** What each role may do on its most favourable in-tenant record; everything else is refused. */
const EXPECTED: Record<Role, Grants> = {
  coordinator: RESPONSIBLE({ ...CASE_OPENER, FollowUpReport: ['read'] }),
  school_staff: STAFF,
  police_liaison: { ...STAFF, Notice: [...(STAFF.Notice ?? []), 'create'] },
  social_worker: CONCERN_HANDLER,
  case_holder: RESPONSIBLE(CONCERN_HANDLER),
  leisure_staff: STAFF,
  health_staff: STAFF,
  auditor: {
    ...EVERYONE,
    AuditEvent: ['list', 'verify'],
    FollowUpReport: ['read'],
    RetentionRule: ['list'],
    RetentionRun: ['read'],
  },
  admin: {
    ...EVERYONE,
    Municipality: ['read', 'update'],
    Area: ['list', 'create'],
    Unit: ['list', 'create'],
    User: ['create', 'read', 'list', 'update', 'disable'],
    PersonClearance: ['grant', 'list'],
    InformationCategory: ['list', 'create'],
    LegalBasis: ['list', 'create'],
    RiskFactorItem: ['list', 'create'],
    RetentionRule: ['list', 'update'],
    RetentionRun: ['read'],
    LegalHold: ['create', 'revoke'],
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
      const ability = defineAbilityFor(principal, MEMBER_OF_CASE);
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
        const ability = defineAbilityFor(principal, MEMBER_OF_CASE);
        expect(ability.can(action, recordFor(type, principal, OTHER_MUNICIPALITY))).toBe(false);
      },
    );

    it('a principal holding every role still sees nothing of another municipality', () => {
      const principal = principalFor(ROLES, { clearedPersonIds: ['person-1'] });
      const ability = defineAbilityFor(principal, MEMBER_OF_CASE);
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

    it('a principal without roles may only read itself, its municipality and its own notifications, and list the organisation', () => {
      const principal = principalFor([]);
      const ability = defineAbilityFor(principal, MEMBER_OF_CASE);
      const allowed = SUBJECTS.flatMap((type) =>
        ACTIONS.filter((action) =>
          ability.can(action, recordFor(type, principal, MUNICIPALITY)),
        ).map((action) => `${action} ${type}`),
      );
      expect(allowed.sort()).toEqual([
        'list Area',
        'list Notification',
        'list Unit',
        'read Municipality',
        'read User',
        'update Notification',
      ]);
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
  describe('cases: who may know a case exists', () => {
    const CASE_SEEN: readonly Action[] = ['read', 'list', 'search'];
    const CONSENT_ALLOWED: readonly Action[] = ['create', 'read', 'list', 'revoke'];
    /** What a way in alone allows on an entry that is neither the agency's nor disclosed to it. */
    const ENTRY_WAY_IN_ONLY: readonly Action[] = ['create'];

    /** Each way in on its own; everything else about the case points elsewhere. */
    const WAYS_IN: ReadonlyArray<{
      way: string;
      scope: Partial<CaseScoped>;
      context: PolicyContext;
      coordinatorsOnly: boolean;
    }> = [
      { way: 'membership', scope: {}, context: MEMBER_OF_CASE, coordinatorsOnly: false },
      {
        way: 'owning unit',
        scope: { caseUnitIds: [OWN_UNIT] },
        context: NO_CASES,
        coordinatorsOnly: false,
      },
      {
        way: 'participating unit',
        scope: { caseUnitIds: [FOREIGN_UNIT, 'unit-8', OWN_UNIT] },
        context: NO_CASES,
        coordinatorsOnly: false,
      },
      {
        way: 'area (coordinators)',
        scope: { caseAreaId: OWN_AREA },
        context: NO_CASES,
        coordinatorsOnly: true,
      },
    ];

    const ROLE_WAYS = STAFF_ROLES.flatMap((role) =>
      WAYS_IN.map((way) => ({
        role,
        ...way,
        opens: !way.coordinatorsOnly || role === 'coordinator',
      })),
    );

    it.each(ROLE_WAYS)(
      '$role, $way alone: opens the case → $opens',
      ({ role, way, scope, context, opens }) => {
        const ability = abilityFor([role], {}, context);
        const agency = AGENCY_OF[role];
        const seenCase = allowedActions(ability, subject('Case', collabCase(scope)));
        const seenConsent = allowedActions(ability, subject('Consent', consent(scope)));
        const ownEntry = allowedActions(
          ability,
          subject('CaseEntry', entry({ ...scope, authorAgency: agency })),
        );
        const otherEntry = allowedActions(
          ability,
          subject(
            'CaseEntry',
            entry({ ...scope, authorAgency: agency === 'health' ? 'police' : 'health' }),
          ),
        );
        // Opening a case needs no way in; updating one is for the responsible user and for the
        // coordinators of its area, so the area way in also lets a coordinator update.
        const caseRegardless: Action[] = [
          ...caseCreateFor(role),
          ...(way === 'area (coordinators)' && role === 'coordinator' ? (['update'] as const) : []),
        ];
        expect({ seenCase, seenConsent, ownEntry, otherEntry }).toEqual(
          opens
            ? {
                seenCase: sorted([...CASE_SEEN, ...caseRegardless]),
                seenConsent: sorted(CONSENT_ALLOWED),
                ownEntry: sorted(['create', 'read', 'list', 'search', 'disclose']),
                otherEntry: ENTRY_WAY_IN_ONLY,
              }
            : {
                seenCase: sorted(caseRegardless),
                seenConsent: [],
                ownEntry: [],
                otherEntry: [],
              },
        );
      },
    );

    it.each(STAFF_ROLES)('%s without any way in sees nothing of the case', (role) => {
      const ability = abilityFor([role], {}, { memberCaseIds: [OTHER_CASE_ID] });
      const agency = AGENCY_OF[role];
      expect(ability.can('read', subject('Case', collabCase()))).toBe(false);
      // What remains on a case one has no way into is only what the role may do regardless.
      const seenCase = allowedActions(ability, subject('Case', collabCase()));
      expect(seenCase).toEqual(caseCreateFor(role));
      expect(allowedActions(ability, subject('Consent', consent()))).toEqual([]);
      // Not even an entry of the agency's own that is disclosed to the agency and the unit.
      const favourable = entry({
        authorAgency: agency,
        disclosedTo: [...AGENCY_TYPES],
        disclosedToUnits: [OWN_UNIT],
      });
      expect(allowedActions(ability, subject('CaseEntry', favourable))).toEqual([]);
    });

    it('being a member of case A does not reveal case B', () => {
      const ability = abilityFor(['case_holder'], {}, { memberCaseIds: ['case-A'] });
      const caseA = { caseId: 'case-A' };
      const caseB = { caseId: 'case-B' };
      expect(allowedActions(ability, subject('Case', collabCase(caseA)))).toEqual(
        sorted(['create', 'list', 'read', 'search']),
      );
      expect(allowedActions(ability, subject('Case', collabCase(caseB)))).toEqual(['create']);
      expect(allowedActions(ability, subject('Consent', consent(caseB)))).toEqual([]);
      expect(
        allowedActions(
          ability,
          subject('CaseEntry', entry({ ...caseB, authorAgency: 'social_services' })),
        ),
      ).toEqual([]);
      // The entry carries the case it belongs to; its own id is no way in.
      expect(
        allowedActions(
          ability,
          subject('CaseEntry', entry({ ...caseB, id: 'case-A', authorAgency: 'social_services' })),
        ),
      ).toEqual([]);
    });

    it('being in another unit of the case does not help: the principal unit must be listed', () => {
      const ability = abilityFor(['school_staff']);
      const record = collabCase({ caseUnitIds: ['unit-2', 'unit-3'] });
      expect(allowedActions(ability, subject('Case', record))).toEqual([]);
    });

    it('a coordinator of another area sees nothing of the case and cannot update it', () => {
      const ability = abilityFor(['coordinator'], { areaIds: ['area-2', 'area-3'] });
      const scope = { caseAreaId: OWN_AREA };
      expect(allowedActions(ability, subject('Case', collabCase(scope)))).toEqual(['create']);
      expect(allowedActions(ability, subject('Consent', consent(scope)))).toEqual([]);
      expect(
        allowedActions(
          ability,
          subject('CaseEntry', entry({ ...scope, authorAgency: 'social_services' })),
        ),
      ).toEqual([]);
    });

    it('a coordinator without areas sees cases only through the other ways in', () => {
      const ability = abilityFor(['coordinator'], { areaIds: [] });
      expect(
        allowedActions(ability, subject('Case', collabCase({ caseAreaId: OWN_AREA }))),
      ).toEqual(['create']);
      expect(
        allowedActions(ability, subject('Case', collabCase({ caseUnitIds: [OWN_UNIT] }))),
      ).toEqual(sorted(['create', 'list', 'read', 'search']));
    });
  });

  describe('case entries: the author agency, and disclosures that hold', () => {
    const OPEN = { caseUnitIds: [OWN_UNIT] };
    const STAFF_CASES = STAFF_ROLES.map((role) => {
      const agency = AGENCY_OF[role];
      const other = AGENCY_TYPES.find((candidate) => candidate !== agency) ?? 'health';
      const third = AGENCY_TYPES.find((candidate) => candidate !== agency && candidate !== other);
      return { role, agency, other, third: third ?? 'health' };
    });
    const READ_ONLY = sorted(['create', 'list', 'read', 'search']);

    it.each(STAFF_CASES)(
      '$role ($agency): an entry written by $agency is readable and disclosable',
      ({ role, agency }) => {
        const ability = abilityFor([role]);
        const record = entry({ ...OPEN, authorAgency: agency });
        expect(allowedActions(ability, subject('CaseEntry', record))).toEqual(
          sorted(['create', 'disclose', 'list', 'read', 'search']),
        );
      },
    );

    it.each(STAFF_CASES)(
      '$role ($agency): an entry of $other disclosed to $agency is readable, not disclosable',
      ({ role, agency, other }) => {
        const ability = abilityFor([role]);
        const record = entry({ ...OPEN, authorAgency: other, disclosedTo: [other, agency] });
        expect(allowedActions(ability, subject('CaseEntry', record))).toEqual(READ_ONLY);
      },
    );

    it.each(STAFF_CASES)(
      "$role ($agency): an entry of $other disclosed to the principal's unit is readable, not disclosable",
      ({ role, other }) => {
        const ability = abilityFor([role]);
        const record = entry({
          ...OPEN,
          authorAgency: other,
          disclosedToUnits: ['unit-7', OWN_UNIT],
        });
        expect(allowedActions(ability, subject('CaseEntry', record))).toEqual(READ_ONLY);
      },
    );

    it.each(STAFF_CASES)(
      '$role ($agency): an entry of $other disclosed to nobody is hidden',
      ({ role, other }) => {
        const ability = abilityFor([role]);
        const record = entry({ ...OPEN, authorAgency: other });
        expect(allowedActions(ability, subject('CaseEntry', record))).toEqual(['create']);
      },
    );

    it.each(STAFF_CASES)(
      '$role ($agency): a disclosure to $third (another agency) or another unit does not help',
      ({ role, other, third }) => {
        const ability = abilityFor([role]);
        const record = entry({
          ...OPEN,
          authorAgency: other,
          disclosedTo: [third],
          disclosedToUnits: [FOREIGN_UNIT],
        });
        expect(allowedActions(ability, subject('CaseEntry', record))).toEqual(['create']);
      },
    );

    it.each(STAFF_CASES)(
      '$role ($agency): a disclosure to $agency does not open a case without a way in',
      ({ role, agency, other }) => {
        const ability = abilityFor([role]);
        for (const record of [
          entry({ authorAgency: other, disclosedTo: [agency] }),
          entry({ authorAgency: other, disclosedToUnits: [OWN_UNIT] }),
          entry({ authorAgency: agency }),
        ]) {
          expect(allowedActions(ability, subject('CaseEntry', record))).toEqual([]);
        }
      },
    );

    it('the agency comes from the principal, not from the role', () => {
      const ability = abilityFor(['school_staff'], { agency: 'police' });
      const police = entry({ ...OPEN, authorAgency: 'police' });
      const school = entry({ ...OPEN, authorAgency: 'school' });
      expect(ability.can('read', subject('CaseEntry', police))).toBe(true);
      expect(ability.can('disclose', subject('CaseEntry', police))).toBe(true);
      expect(ability.can('read', subject('CaseEntry', school))).toBe(false);
      const toSchool = entry({ ...OPEN, authorAgency: 'health', disclosedTo: ['school'] });
      expect(ability.can('read', subject('CaseEntry', toSchool))).toBe(false);
    });

    it('disclosing to a unit opens the entry to that unit only, not to its whole agency', () => {
      const record = entry({
        caseUnitIds: [OWN_UNIT, 'unit-2'],
        authorAgency: 'police',
        disclosedToUnits: ['unit-2'],
      });
      const colleague = abilityFor(['school_staff'], { unitId: 'unit-2' });
      const sameAgencyOtherUnit = abilityFor(['school_staff'], { unitId: OWN_UNIT });
      expect(colleague.can('read', subject('CaseEntry', record))).toBe(true);
      expect(sameAgencyOtherUnit.can('read', subject('CaseEntry', record))).toBe(false);
    });
  });

  describe('running and opening cases', () => {
    it.each(ROLES)('%s may open a case in their municipality only if a case opener', (role) => {
      const ability = abilityFor([role]);
      const opens = CASE_OPENER_ROLES.includes(role);
      expect(ability.can('create', 'Case')).toBe(opens);
      expect(ability.can('create', subject('Case', collabCase()))).toBe(opens);
      expect(
        ability.can('create', subject('Case', collabCase({ municipalityId: OTHER_MUNICIPALITY }))),
      ).toBe(false);
    });

    it.each(STAFF_ROLES)(
      '%s may update a case they are responsible for, as coordinator or case holder',
      (role) => {
        const ability = abilityFor([role]);
        // No way in besides being responsible; the role must still be one that holds responsibility.
        const record = collabCase({ responsibleUserId: USER_ID });
        expect(ability.can('update', subject('Case', record))).toBe(
          role === 'coordinator' || role === 'case_holder',
        );
        expect(
          ability.can('update', subject('Case', { ...record, municipalityId: OTHER_MUNICIPALITY })),
        ).toBe(false);
      },
    );

    it.each(STAFF_ROLES.filter((role) => role !== 'coordinator'))(
      '%s cannot update a case they only see (member, unit, area)',
      (role) => {
        const ability = abilityFor([role], {}, MEMBER_OF_CASE);
        const record = collabCase({ caseUnitIds: [OWN_UNIT], caseAreaId: OWN_AREA });
        expect(ability.can('read', subject('Case', record))).toBe(true);
        expect(ability.can('update', subject('Case', record))).toBe(false);
      },
    );

    it('a coordinator updates the cases of their areas, not those of other areas', () => {
      const ability = abilityFor(['coordinator'], { areaIds: ['area-2', OWN_AREA] });
      expect(ability.can('update', subject('Case', collabCase({ caseAreaId: OWN_AREA })))).toBe(
        true,
      );
      expect(ability.can('update', subject('Case', collabCase({ caseAreaId: 'area-2' })))).toBe(
        true,
      );
      expect(ability.can('update', subject('Case', collabCase()))).toBe(false);
      const memberOnly = abilityFor(['coordinator'], { areaIds: [] }, MEMBER_OF_CASE);
      expect(memberOnly.can('read', subject('Case', collabCase()))).toBe(true);
      expect(memberOnly.can('update', subject('Case', collabCase()))).toBe(false);
      expect(
        ability.can(
          'update',
          subject('Case', collabCase({ caseAreaId: OWN_AREA, municipalityId: OTHER_MUNICIPALITY })),
        ),
      ).toBe(false);
    });
  });

  describe('auditors and admins never see cases', () => {
    it.each(NON_STAFF_ROLES)(
      '%s: nothing on a case, consent or entry, even with every way in',
      (role) => {
        const principal = principalFor([role]);
        const ability = defineAbilityFor(principal, MEMBER_OF_CASE);
        for (const type of ['Case', 'Consent', 'CaseEntry'] as const) {
          expect({
            type,
            allowed: allowedActions(ability, recordFor(type, principal, MUNICIPALITY)),
          }).toEqual({
            type,
            allowed: [],
          });
        }
      },
    );

    it('admin and auditor together still see no case', () => {
      const principal = principalFor(['admin', 'auditor']);
      const ability = defineAbilityFor(principal, MEMBER_OF_CASE);
      for (const type of ['Case', 'Consent', 'CaseEntry'] as const) {
        expect(allowedActions(ability, recordFor(type, principal, MUNICIPALITY))).toEqual([]);
      }
    });
  });

  describe('information categories and legal bases', () => {
    it.each(ROLES)('%s: list for staff and admin, create for admin only', (role) => {
      const ability = abilityFor([role]);
      const listed = STAFF_ROLES.includes(role) || role === 'admin';
      for (const type of ['InformationCategory', 'LegalBasis'] as const) {
        const record = subject(type, { municipalityId: MUNICIPALITY });
        expect({
          type,
          list: ability.can('list', record),
          create: ability.can('create', record),
        }).toEqual({
          type,
          list: listed,
          create: role === 'admin',
        });
        expect(ability.can('list', subject(type, { municipalityId: OTHER_MUNICIPALITY }))).toBe(
          false,
        );
        expect(ability.can('create', subject(type, { municipalityId: OTHER_MUNICIPALITY }))).toBe(
          false,
        );
      }
    });
  });

  describe('cases: tenant isolation', () => {
    const CASE_SUBJECTS = [
      'Case',
      'Consent',
      'CaseEntry',
      'InformationCategory',
      'LegalBasis',
    ] as const;

    it.each(ROLES)(
      '%s: nothing on case records of another municipality, whatever the ways in',
      (role) => {
        // The same ids everywhere: member of the case, its unit, its area, responsible for it.
        const principal = principalFor([role]);
        const ability = defineAbilityFor(principal, MEMBER_OF_CASE);
        for (const type of CASE_SUBJECTS) {
          expect({
            type,
            allowed: allowedActions(ability, recordFor(type, principal, OTHER_MUNICIPALITY)),
          }).toEqual({ type, allowed: [] });
        }
      },
    );

    it('a principal of the other municipality with every role and every way in sees nothing here', () => {
      const principal = principalFor(ROLES, { municipalityId: OTHER_MUNICIPALITY });
      const ability = defineAbilityFor(principal, MEMBER_OF_CASE);
      for (const type of CASE_SUBJECTS) {
        expect({
          type,
          allowed: allowedActions(ability, recordFor(type, principal, MUNICIPALITY)),
        }).toEqual({ type, allowed: [] });
      }
      // …while the same records in its own municipality are open to it.
      expect(
        allowedActions(ability, recordFor('CaseEntry', principal, OTHER_MUNICIPALITY)).length,
      ).toBeGreaterThan(0);
    });

    it('each way in alone stays inside the municipality', () => {
      const ways: ReadonlyArray<{ scope: Partial<CaseScoped>; context: PolicyContext }> = [
        { scope: {}, context: MEMBER_OF_CASE },
        { scope: { caseUnitIds: [OWN_UNIT] }, context: NO_CASES },
        { scope: { caseAreaId: OWN_AREA }, context: NO_CASES },
      ];
      for (const { scope, context } of ways) {
        const ability = abilityFor(['coordinator'], {}, context);
        const here = { ...scope, municipalityId: MUNICIPALITY };
        const there = { ...scope, municipalityId: OTHER_MUNICIPALITY };
        expect(ability.can('read', subject('Case', collabCase(here)))).toBe(true);
        expect(ability.can('read', subject('Case', collabCase(there)))).toBe(false);
        expect(ability.can('read', subject('Consent', consent(there)))).toBe(false);
        expect(ability.can('revoke', subject('Consent', consent(there)))).toBe(false);
        expect(ability.can('create', subject('CaseEntry', entry(there)))).toBe(false);
        const ownEntry = entry({ ...there, authorAgency: 'social_services' });
        expect(allowedActions(ability, subject('CaseEntry', ownEntry))).toEqual([]);
      }
    });
  });
});

describe('concern reports', () => {
  const report = (overrides: Partial<SubjectRecords['ConcernReport']> = {}) =>
    subject('ConcernReport', {
      id: 'concern-1',
      municipalityId: MUNICIPALITY,
      reporterUserId: OTHER_USER_ID,
      receivingUnitId: OWN_UNIT,
      ...overrides,
    });

  it('lets the social workers of the receiving unit handle it, not the unit’s other roles', () => {
    expect(abilityFor(['social_worker']).can('handle', report())).toBe(true);
    expect(abilityFor(['case_holder']).can('read', report())).toBe(true);
    for (const role of ['coordinator', 'auditor', 'admin'] as const) {
      expect({ role, read: abilityFor([role]).can('read', report()) }).toEqual({
        role,
        read: false,
      });
    }
  });

  it('does not let a social worker of another agency’s unit handle it', () => {
    const ability = abilityFor(['social_worker'], { agency: 'school' });
    expect(ability.can('read', report())).toBe(false);
  });

  it('shows the reporter their own report and feedback, but never the handling', () => {
    const ability = abilityFor(['school_staff']);
    const own = report({ reporterUserId: USER_ID, receivingUnitId: FOREIGN_UNIT });
    expect(allowedActions(ability, own)).toEqual(['create', 'read', 'list', 'feedback']);
    expect(allowedActions(ability, report({ receivingUnitId: FOREIGN_UNIT }))).toEqual(['create']);
  });
});
