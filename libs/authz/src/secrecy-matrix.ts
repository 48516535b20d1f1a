import { subject } from '@casl/ability';
import {
  AGENCY_TYPES,
  DEFAULT_LEGAL_BASES,
  PROTECTION_LEVELS,
  ROLES,
  type AgencyType,
  type Role,
} from '@samverka/contracts';
import { MASKABLE_FIELDS, PROTECTED_PERSON_FIELDS } from './fields.js';
import { defineAbilityFor, type PolicyContext } from './policy.js';
import type { Principal } from './principal.js';
import type {
  Action,
  AppAbility,
  CaseScoped,
  MeetingScoped,
  SubjectRecords,
  SubjectType,
} from './subjects.js';

/**
 * The secrecy policy as a table, evaluated from `defineAbilityFor` itself: one principal per role
 * against named scenario records per subject. `npm run secrecy-matrix` writes it to
 * docs/secrecy-matrix.md and `npm run secrecy-matrix -- --check` fails when that file is stale.
 * Pure and deterministic: the same policy always renders the same text.
 */

/** What `ability.can` accepts as its subject argument. */
type Subject = Parameters<AppAbility['can']>[1];

// ── The world the principals live in ───────────────────────────────────────────────────────────

const MUNICIPALITY = 'municipality-mine';
const OTHER_MUNICIPALITY = 'municipality-other';
const MY_UNIT = 'unit-mine';
const OTHER_UNIT = 'unit-other';
const MY_AREA = 'area-mine';
const OTHER_AREA = 'area-other';
const ME = 'user-me';
const COLLEAGUE = 'user-colleague';
const MEMBER_CASE = 'case-member';
const UNIT_CASE = 'case-unit';
const AREA_CASE = 'case-area';
const CLOSED_CASE = 'case-closed';
const PERSON = 'person-1';
const CLEARED_PERSON = 'person-cleared';

/** The agency of each role's principal. */
const AGENCY_OF: Record<Role, AgencyType> = {
  coordinator: 'social_services',
  school_staff: 'school',
  police_liaison: 'police',
  social_worker: 'social_services',
  case_holder: 'social_services',
  leisure_staff: 'leisure',
  health_staff: 'health',
  auditor: 'social_services',
  admin: 'social_services',
};

/** Every principal is a member of one case and cleared for one protected person. */
const CONTEXT: PolicyContext = { memberCaseIds: [MEMBER_CASE] };

function principalFor(role: Role): Principal {
  return {
    userId: ME,
    municipalityId: MUNICIPALITY,
    unitId: MY_UNIT,
    agency: AGENCY_OF[role],
    areaIds: [MY_AREA],
    roles: [role],
    clearedPersonIds: [CLEARED_PERSON],
  };
}

/** The first agency that is none of `agencies`: "another agency" as seen by the principal. */
function agencyOtherThan(...agencies: AgencyType[]): AgencyType {
  const other = AGENCY_TYPES.find((agency) => !agencies.includes(agency));
  if (!other) throw new Error('no agency left');
  return other;
}

const PROTECTED_LEVELS = PROTECTION_LEVELS.filter((level) => level !== 'none');

// ── Scenario records ───────────────────────────────────────────────────────────────────────────

/**
 * A fresh tagged record (CASL marks the object it tags, so never share one between checks).
 * TypeScript cannot correlate a generic `K` with the union of tagged records, hence the cast.
 */
function tag<K extends SubjectType>(type: K, record: SubjectRecords[K]): Subject {
  return subject(type, { ...record }) as unknown as Subject;
}

/** Ways into a case, each as the case-scoped attributes of its variants. */
type Way = 'member' | 'unit' | 'area' | 'none' | 'elsewhere';

function scopes(way: Way): CaseScoped[] {
  const base = { municipalityId: MUNICIPALITY, caseAreaId: OTHER_AREA, caseUnitIds: [OTHER_UNIT] };
  switch (way) {
    case 'member':
      return [{ ...base, caseId: MEMBER_CASE }];
    case 'unit':
      return [
        { ...base, caseId: UNIT_CASE, caseUnitIds: [MY_UNIT] },
        { ...base, caseId: UNIT_CASE, caseUnitIds: [OTHER_UNIT, MY_UNIT] },
      ];
    case 'area':
      return [{ ...base, caseId: AREA_CASE, caseAreaId: MY_AREA }];
    case 'none':
      return [{ ...base, caseId: CLOSED_CASE }];
    case 'elsewhere':
      return [
        {
          municipalityId: OTHER_MUNICIPALITY,
          caseId: MEMBER_CASE,
          caseAreaId: MY_AREA,
          caseUnitIds: [MY_UNIT],
        },
      ];
  }
}

function cases(way: Way, responsibleUserId = COLLEAGUE): Subject[] {
  return scopes(way).map((scope) => tag('Case', { ...scope, id: scope.caseId, responsibleUserId }));
}

function consents(way: Way): Subject[] {
  return scopes(way).map((scope) => tag('Consent', { ...scope, id: 'consent-1' }));
}

function concerns(
  shape: Pick<SubjectRecords['ConcernReport'], 'reporterUserId' | 'receivingUnitId'> & {
    municipalityId?: string;
  },
): Subject[] {
  return [tag('ConcernReport', { id: 'concern-1', municipalityId: MUNICIPALITY, ...shape })];
}

type EntryShape = Pick<
  SubjectRecords['CaseEntry'],
  'authorAgency' | 'disclosedTo' | 'disclosedToUnits'
>;

/** Subjects whose records carry nothing but their municipality: the tenant is their only rule. */
type TenantOnly = {
  [K in SubjectType]: { municipalityId: string } extends SubjectRecords[K] ? K : never;
}[SubjectType];

/** A record of my municipality and one of another: the two rows of a tenant-only subject. */
function tenantScenarios(
  type: TenantOnly,
  actions: readonly Action[],
  mine: string,
  theirs: string,
): Scenario[] {
  return [
    { label: mine, actions, records: () => [tag(type, { municipalityId: MUNICIPALITY })] },
    { label: theirs, actions, records: () => [tag(type, { municipalityId: OTHER_MUNICIPALITY })] },
  ];
}

function messages(
  way: Way,
  authorAgency: AgencyType,
  shape: Partial<SubjectRecords['CaseMessage']> = {},
): Subject[] {
  return scopes(way).map((scope) =>
    tag('CaseMessage', {
      ...scope,
      id: 'message-1',
      authorAgency,
      category: 'general',
      consentCoversAgencies: [],
      consentCoversUnits: [],
      ...shape,
    }),
  );
}

function entries(way: Way, shape: EntryShape): Subject[] {
  return scopes(way).map((scope) => tag('CaseEntry', { ...scope, id: 'entry-1', ...shape }));
}

const own = (p: Principal): EntryShape => ({
  authorAgency: p.agency,
  disclosedTo: [],
  disclosedToUnits: [],
});

const foreign = (p: Principal, shape: Partial<EntryShape> = {}): EntryShape => ({
  authorAgency: agencyOtherThan(p.agency),
  disclosedTo: [],
  disclosedToUnits: [],
  ...shape,
});

function person(
  p: Principal,
  shape: Partial<SubjectRecords['Person']> = {},
): SubjectRecords['Person'] {
  return {
    id: PERSON,
    municipalityId: MUNICIPALITY,
    protectionLevel: 'none',
    linkedAgencies: [p.agency],
    ...shape,
  };
}

/** The same person at every protection level (the policy should treat them alike). */
function protectedPeople(p: Principal, shape: Partial<SubjectRecords['Person']>): Subject[] {
  return PROTECTED_LEVELS.map((protectionLevel) =>
    tag('Person', person(p, { protectionLevel, ...shape })),
  );
}

// Meetings: the ways a principal may know one exists.
type MeetingWay = 'organiser' | 'invited' | 'unit' | 'area' | 'none' | 'elsewhere' | 'closed-case';

function meetingScope(way: MeetingWay): MeetingScoped {
  const base: MeetingScoped = {
    municipalityId: MUNICIPALITY,
    meetingId: 'meeting-1',
    meetingAreaId: OTHER_AREA,
    organiserId: COLLEAGUE,
    inviteeUserIds: [],
    inviteeUnitIds: [OTHER_UNIT],
    caseOpenToUnit: [OTHER_UNIT, MY_UNIT],
  };
  switch (way) {
    case 'closed-case':
      return { ...base, inviteeUserIds: [ME], inviteeUnitIds: [MY_UNIT], caseOpenToUnit: [] };
    case 'organiser':
      return { ...base, organiserId: ME };
    case 'invited':
      return { ...base, inviteeUserIds: [ME] };
    case 'unit':
      return { ...base, inviteeUnitIds: [OTHER_UNIT, MY_UNIT] };
    case 'area':
      return { ...base, meetingAreaId: MY_AREA };
    case 'none':
      return base;
    case 'elsewhere':
      return {
        ...base,
        municipalityId: OTHER_MUNICIPALITY,
        organiserId: ME,
        inviteeUserIds: [ME],
        meetingAreaId: MY_AREA,
      };
  }
}

const meeting = (way: MeetingWay): Subject[] => [
  tag('Meeting', { ...meetingScope(way), id: 'meeting-1' }),
];

type ItemShape = Pick<SubjectRecords['AgendaItem'], 'caseId' | 'caseOwnerUnitId' | 'coveredUnits'>;

const agendaItem = (way: MeetingWay, shape: ItemShape): Subject[] => [
  tag('AgendaItem', { ...meetingScope(way), id: 'item-1', ...shape }),
];

const generalItem: ItemShape = { caseId: null, caseOwnerUnitId: null, coveredUnits: [] };
const personItem = (p: Principal, shape: Partial<ItemShape> = {}): ItemShape => ({
  caseId: 'case-x',
  caseOwnerUnitId: 'unit-elsewhere',
  coveredUnits: [],
  ...shape,
});

interface PlanShape {
  responsibleUserId?: string;
  /** Units a consent in force names (default: mine). */
  consentNamesUnit?: string[];
  /** Only the variants where my unit holds the case (true) or does not (false). */
  holding?: boolean;
  /** An action's responsible unit (default: another unit). */
  actionUnitId?: string;
}

/** The case scopes of `way` with what a plan rests on: the unit holding it, and the consents. */
const planScopes = (way: Way, shape: PlanShape) =>
  scopes(way)
    .filter(
      (scope) =>
        shape.holding === undefined || (scope.caseUnitIds[0] === MY_UNIT) === shape.holding,
    )
    .map((scope) => ({
      ...scope,
      responsibleUserId: shape.responsibleUserId ?? COLLEAGUE,
      caseOwnerUnitId: scope.caseUnitIds[0]!,
      consentNamesUnit: shape.consentNamesUnit ?? [MY_UNIT],
    }));

const plans = (way: Way, shape: PlanShape = {}): Subject[] =>
  planScopes(way, shape).map((scope) => tag('Plan', { ...scope, id: 'plan-1' }));

const planActions = (
  way: Way,
  actionOwnerId: string | null = COLLEAGUE,
  caseOpenToUnit = [MY_UNIT],
  shape: PlanShape = {},
): Subject[] =>
  planScopes(way, shape).map((scope) =>
    tag('PlanAction', {
      ...scope,
      id: 'action-1',
      actionOwnerId,
      actionUnitId: shape.actionUnitId ?? OTHER_UNIT,
      caseOpenToUnit,
    }),
  );

/** Social services' SIG records of a case, `coveredUnits` on consent for `social_assessment`. */
const assessments = (way: Way, coveredUnits: string[]): Subject[] =>
  scopes(way).map((scope) => tag('RiskAssessment', { ...scope, id: 'assessment-1', coveredUnits }));

const caseRecords = (type: 'SigEligibility' | 'RiskAssessment', way: Way): Subject[] =>
  type === 'SigEligibility'
    ? scopes(way).map((scope) => tag('SigEligibility', scope))
    : assessments(way, [MY_UNIT]);

// ── The scenarios ──────────────────────────────────────────────────────────────────────────────

interface Scenario {
  /** The row label: what the record is, from the principal's point of view. */
  label: string;
  actions: readonly Action[];
  /** Its variants as `principal` sees them; a cell is ✓ only when every variant is allowed. */
  records: (principal: Principal) => Subject[];
  /** Shown under the table when the label needs explaining. */
  note?: string;
}

interface Section {
  title: string;
  intro: string;
  scenarios: readonly Scenario[];
}

const ENTRY_READ: readonly Action[] = ['read', 'list', 'search', 'disclose'];
const ENTRY_WRITE: readonly Action[] = ['create', ...ENTRY_READ];
const CASE_ACTIONS: readonly Action[] = ['read', 'list', 'search', 'update'];
const CONSENT_ACTIONS: readonly Action[] = ['read', 'list', 'create', 'revoke'];
const PERSON_ACTIONS: readonly Action[] = ['read', 'list', 'search', 'update', 'identify'];
const CATALOG_ACTIONS: readonly Action[] = ['list', 'create'];
const MESSAGE_ACTIONS: readonly Action[] = ['create', 'read', 'list'];
const NOTICE_ACTIONS: readonly Action[] = ['create', 'read', 'list', 'acknowledge'];
const CONCERN_ACTIONS: readonly Action[] = ['read', 'list', 'feedback', 'handle'];
const MEETING_ACTIONS: readonly Action[] = ['read', 'list', 'update', 'respond'];
const ITEM_ACTIONS: readonly Action[] = ['read', 'list', 'create', 'update'];
const PLAN_ACTIONS: readonly Action[] = ['read', 'update'];
const ACTION_ACTIONS: readonly Action[] = ['read', 'list', 'create', 'update'];

/** Every subject of the policy, in the order the document presents them. */
const SECTIONS: Record<SubjectType, Section> = {
  CaseEntry: {
    title: 'case entries',
    intro:
      'What one agency records about the young person in a case. Readable by the agency that wrote it, and by the agencies or units it was disclosed to while the basis of that disclosure holds, and only by users who have a way into the case (membership, their unit, or their area as coordinator). Only the author’s agency may disclose it further.',
    scenarios: [
      {
        label: 'Entry by my own agency in a case I am a member of',
        actions: ENTRY_WRITE,
        records: (p) => entries('member', own(p)),
      },
      {
        label: 'Entry by another agency in a case I am a member of, not disclosed to me',
        actions: ENTRY_READ,
        records: (p) => entries('member', foreign(p)),
      },
      {
        label:
          'Entry by another agency, disclosed to my agency on a basis that holds now (consent in force or statute)',
        actions: ENTRY_READ,
        records: (p) => entries('member', foreign(p, { disclosedTo: [p.agency] })),
      },
      {
        label:
          'Entry by another agency, disclosed to my agency on consent now revoked or expired (no longer holds)',
        actions: ENTRY_READ,
        records: (p) => entries('member', foreign(p)),
        note: 'A disclosure on consent counts only while the consent is in force at the time of the read; once it is revoked or has expired the entry is, for the receiver, as if it had never been disclosed.',
      },
      {
        label: 'Entry by another agency, disclosed to my unit only',
        actions: ENTRY_READ,
        records: (p) => entries('member', foreign(p, { disclosedToUnits: [p.unitId] })),
      },
      {
        label: 'Entry by another agency, disclosed to another unit of my agency only',
        actions: ENTRY_READ,
        records: (p) => entries('member', foreign(p, { disclosedToUnits: [OTHER_UNIT] })),
      },
      {
        label: 'Entry by another agency, disclosed to a third agency (not mine)',
        actions: ENTRY_READ,
        records: (p) =>
          entries(
            'member',
            foreign(p, { disclosedTo: [agencyOtherThan(p.agency, agencyOtherThan(p.agency))] }),
          ),
      },
      {
        label: 'Entry by my own agency in a case of my unit (owning or participating)',
        actions: ENTRY_WRITE,
        records: (p) => entries('unit', own(p)),
        note: 'Not a member of the case; the case is owned by my unit, or my unit participates in it.',
      },
      {
        label: 'Entry by my own agency in a case of my area (coordinators only)',
        actions: ENTRY_WRITE,
        records: (p) => entries('area', own(p)),
        note: 'A case of another unit in an area I work in; not a member.',
      },
      {
        label:
          'Entry in a case I have no way into (by my agency, or disclosed to my agency or unit)',
        actions: ENTRY_WRITE,
        records: (p) => [
          ...entries('none', own(p)),
          ...entries('none', foreign(p, { disclosedTo: [p.agency] })),
          ...entries('none', foreign(p, { disclosedToUnits: [p.unitId] })),
        ],
        note: 'Not a member, not a case of my unit, not a case of my area: a disclosure alone does not let anyone into a case.',
      },
      {
        label: 'Entry in another municipality (by my agency, in a case otherwise open to me)',
        actions: ENTRY_WRITE,
        records: (p) => entries('elsewhere', own(p)),
      },
    ],
  },
  Person: {
    title: 'the person register',
    intro:
      'The young people and their guardians. Each agency sees the people linked to it (registered by it, or reaching it through a case). A protected identity (any protection level: sekretessmarkering, skyddad folkbokföring, fingerade personuppgifter) stays hidden from everyone who is not explicitly cleared for that person: the row may be visible, but its identity fields are masked (next table), and it cannot be found by search, listed, identified or changed.',
    scenarios: [
      {
        label: 'Unprotected person linked to my agency',
        actions: PERSON_ACTIONS,
        records: (p) => [tag('Person', person(p))],
      },
      {
        label: 'Unprotected person not linked to my agency',
        actions: PERSON_ACTIONS,
        records: (p) => [tag('Person', person(p, { linkedAgencies: [agencyOtherThan(p.agency)] }))],
        note: '`identify`: matching a person found another way (e.g. through a case) by name or identity number.',
      },
      {
        label: 'Protected person linked to my agency, I am not cleared',
        actions: PERSON_ACTIONS,
        records: (p) => protectedPeople(p, {}),
        note: '`read` ✓ means the row itself is visible (e.g. as a party to a case), with its identity fields masked (next table).',
      },
      {
        label: 'Protected person linked to my agency, I am cleared for them',
        actions: PERSON_ACTIONS,
        records: (p) => protectedPeople(p, { id: CLEARED_PERSON }),
      },
      {
        label: 'Protected person not linked to my agency, I am not cleared',
        actions: PERSON_ACTIONS,
        records: (p) => protectedPeople(p, { linkedAgencies: [agencyOtherThan(p.agency)] }),
      },
      {
        label: 'Registering a person in my municipality (new, or again to link them to my agency)',
        actions: ['create'],
        records: (p) => [tag('Person', person(p, { linkedAgencies: [] }))],
      },
      {
        label: 'Person in another municipality (linked to my agency)',
        actions: ['create', ...PERSON_ACTIONS],
        records: (p) => [tag('Person', person(p, { municipalityId: OTHER_MUNICIPALITY }))],
      },
    ],
  },
  Case: {
    title: 'cases',
    intro:
      'That a case exists about a young person is itself secret: only its members, the users of its owning and participating units, and the coordinators of its area know of it. The responsible user and the area’s coordinators run it.',
    scenarios: [
      {
        label: 'A case I am a member of',
        actions: CASE_ACTIONS,
        records: () => cases('member'),
      },
      {
        label: 'A case I am a member of and responsible for',
        actions: CASE_ACTIONS,
        records: () => cases('member', ME),
      },
      {
        label: 'A case of my unit (owning or participating)',
        actions: CASE_ACTIONS,
        records: () => cases('unit'),
      },
      {
        label: 'A case of my area (coordinators only)',
        actions: CASE_ACTIONS,
        records: () => cases('area'),
      },
      {
        label: 'A case I have no way into',
        actions: CASE_ACTIONS,
        records: () => cases('none'),
      },
      {
        label: 'Opening a new case in my municipality',
        actions: ['create'],
        records: () => cases('none', ME),
      },
      {
        label: 'A case in another municipality (otherwise open to me)',
        actions: ['create', ...CASE_ACTIONS],
        records: () => cases('elsewhere', ME),
      },
    ],
  },
  CaseMessage: {
    title: 'case conversations (messages)',
    intro:
      'A case’s conversation belongs to its members. Each message has an information category and is delivered — live and in the history — only to the members whose agency may see that category in that case right now: the author’s agency always, other agencies (or named units) while a consent in force covers them and the category. A revocation or expiry stops delivery and shrinks the history at once.',
    scenarios: [
      {
        label: 'Message by my own agency in a case I am a member of',
        actions: MESSAGE_ACTIONS,
        records: (p) => messages('member', p.agency),
      },
      {
        label: 'Message by another agency, a consent in force covers my agency and its category',
        actions: MESSAGE_ACTIONS,
        records: (p) =>
          messages('member', agencyOtherThan(p.agency), { consentCoversAgencies: [p.agency] }),
      },
      {
        label:
          'Message by another agency, a consent in force names my unit and covers its category',
        actions: MESSAGE_ACTIONS,
        records: (p) =>
          messages('member', agencyOtherThan(p.agency), { consentCoversUnits: [p.unitId] }),
      },
      {
        label:
          'Message by another agency, no consent in force covers me and its category (none, revoked, expired, out of scope)',
        actions: MESSAGE_ACTIONS,
        records: (p) => messages('member', agencyOtherThan(p.agency)),
      },
      {
        label: 'Message in a case of my unit or area that I am not a member of',
        actions: MESSAGE_ACTIONS,
        records: (p) => [...messages('unit', p.agency), ...messages('area', p.agency)],
        note: 'The conversation is for the case’s members: a way into the case alone does not bring its messages.',
      },
      {
        label: 'Message in another municipality',
        actions: MESSAGE_ACTIONS,
        records: (p) => messages('elsewhere', p.agency),
      },
    ],
  },
  Notice: {
    title: 'police notices',
    intro:
      'Notices from the police liaison to chosen areas and agency types. The recipients are fixed when the notice is posted; each sees it and acknowledges it. The author follows it up. Only police liaisons post notices. A notice about a person given on consent reaches a recipient only while a consent in force covers their agency or unit for police observations (checked at read time, in the notices’ SQL): revoked or expired, it is gone for them; the author’s agency keeps it, and a statutory basis stands on its own.',
    scenarios: [
      {
        label: 'Notice that reached me',
        actions: NOTICE_ACTIONS,
        records: () => [
          tag('Notice', {
            id: 'notice-1',
            municipalityId: MUNICIPALITY,
            authorUserId: COLLEAGUE,
            recipientUserIds: [ME],
          }),
        ],
      },
      {
        label: 'Notice I posted',
        actions: NOTICE_ACTIONS,
        records: () => [
          tag('Notice', {
            id: 'notice-1',
            municipalityId: MUNICIPALITY,
            authorUserId: ME,
            recipientUserIds: [],
          }),
        ],
      },
      {
        label: 'Notice to others (another area or agency)',
        actions: NOTICE_ACTIONS,
        records: () => [
          tag('Notice', {
            id: 'notice-1',
            municipalityId: MUNICIPALITY,
            authorUserId: COLLEAGUE,
            recipientUserIds: [COLLEAGUE],
          }),
        ],
      },
      {
        label: 'Notice in another municipality that named me',
        actions: NOTICE_ACTIONS,
        records: () => [
          tag('Notice', {
            id: 'notice-1',
            municipalityId: OTHER_MUNICIPALITY,
            authorUserId: COLLEAGUE,
            recipientUserIds: [ME],
          }),
        ],
      },
    ],
  },
  Consent: {
    title: 'consents (OSL 12:2)',
    intro:
      'The consents recorded in a case: who consented, to which receivers and categories, for how long. Whoever may know of the case may see them, record a new one and record a revocation.',
    scenarios: [
      {
        label: 'Consent in a case I am a member of',
        actions: CONSENT_ACTIONS,
        records: () => consents('member'),
      },
      {
        label: 'Consent in a case of my unit',
        actions: CONSENT_ACTIONS,
        records: () => consents('unit'),
      },
      {
        label: 'Consent in a case of my area (coordinators only)',
        actions: CONSENT_ACTIONS,
        records: () => consents('area'),
      },
      {
        label: 'Consent in a case I have no way into',
        actions: CONSENT_ACTIONS,
        records: () => consents('none'),
      },
      {
        label: 'Consent in another municipality',
        actions: CONSENT_ACTIONS,
        records: () => consents('elsewhere'),
      },
    ],
  },
  ConcernReport: {
    title: 'concern reports (orosanmälan)',
    intro:
      'A report to social services that a child may be harmed (the duty to report, old SoL 14:1). Anyone working with young people may file one. The reporter sees what they filed and may ask for the feedback the law allows (investigation opened, not opened or already running), never the handling; the social workers and case holders of the receiving unit (the social-services unit of the child’s area) work it through. Nobody else learns that it exists: colleagues of the reporter, coordinators and other agencies get a 404.',
    scenarios: [
      {
        label: 'A report I filed',
        actions: CONCERN_ACTIONS,
        records: () => concerns({ reporterUserId: ME, receivingUnitId: OTHER_UNIT }),
      },
      {
        label: 'A report sent to my unit, filed by someone else',
        actions: CONCERN_ACTIONS,
        records: () => concerns({ reporterUserId: COLLEAGUE, receivingUnitId: MY_UNIT }),
        note: '`handle` (the full view, the workflow, deadlines, extensions, linking a case) needs a social-services principal with the social-worker or case-holder role.',
      },
      {
        label: 'A report filed by a colleague to another unit',
        actions: CONCERN_ACTIONS,
        records: () => concerns({ reporterUserId: COLLEAGUE, receivingUnitId: OTHER_UNIT }),
      },
      {
        label: 'Filing a new report in my municipality',
        actions: ['create'],
        records: () => concerns({ reporterUserId: ME, receivingUnitId: OTHER_UNIT }),
      },
      {
        label: 'A report in another municipality (filed by me, sent to my unit)',
        actions: ['create', ...CONCERN_ACTIONS],
        records: () =>
          concerns({
            reporterUserId: ME,
            receivingUnitId: MY_UNIT,
            municipalityId: OTHER_MUNICIPALITY,
          }),
      },
    ],
  },
  FollowUpReport: {
    title: 'the follow-up overview',
    intro:
      'Counts per period and area of concern reports, deadlines met and cases, with counts below five suppressed so that nobody can be identified. Coordinators and auditors read it (there is no unit-manager role yet).',
    scenarios: tenantScenarios(
      'FollowUpReport',
      ['read'],
      'The overview of my municipality',
      'The overview of another municipality',
    ),
  },
  RetentionRule: {
    title: 'retention rules (gallring)',
    intro:
      'The retention period and action (delete or anonymise) per kind of record, set by the administrator from the municipality’s archive plan (dokumenthanteringsplan); auditors read them.',
    scenarios: tenantScenarios(
      'RetentionRule',
      ['list', 'update'],
      'The rules of my municipality',
      'The rules of another municipality',
    ),
  },
  RetentionRun: {
    title: 'retention runs',
    intro:
      'What retention removes: the dry run lists kinds, counts and ids, never content. Administrators and auditors read it; the run itself is a scheduled job.',
    scenarios: tenantScenarios(
      'RetentionRun',
      ['read'],
      'A dry run in my municipality',
      'A dry run in another municipality',
    ),
  },
  LegalHold: {
    title: 'legal holds',
    intro:
      'A legal hold keeps a case and everything belonging to it (entries, messages, consents, plan, meetings and agenda items about it, linked concern reports) from retention. The administrator places it with a reason and lifts it; both are audited.',
    scenarios: tenantScenarios(
      'LegalHold',
      ['create', 'revoke'],
      'A case of my municipality',
      'A case of another municipality',
    ),
  },
  Notification: {
    title: 'notifications',
    intro:
      'Receipts and deadline reminders addressed to one user (ids and dates, never names or identity numbers).',
    scenarios: [
      {
        label: 'A notification to me',
        actions: ['list', 'update'],
        records: () => [tag('Notification', { municipalityId: MUNICIPALITY, userId: ME })],
      },
      {
        label: 'A notification to a colleague',
        actions: ['list', 'update'],
        records: () => [tag('Notification', { municipalityId: MUNICIPALITY, userId: COLLEAGUE })],
      },
    ],
  },
  Meeting: {
    title: 'meetings',
    intro:
      'SSPF working groups, network, SIG, SIP and area-level meetings. Known to the organiser, the users invited by name, the users of invited units (for a meeting about a case, only while the case is open to their unit: it holds it, takes part in it, or a consent in force covers it) and the coordinators of the meeting’s area; the organiser and those coordinators change it. Invitees answer (RSVP).',
    scenarios: [
      {
        label: 'A meeting I organise',
        actions: MEETING_ACTIONS,
        records: () => meeting('organiser'),
      },
      {
        label: 'A meeting I am invited to by name',
        actions: MEETING_ACTIONS,
        records: () => meeting('invited'),
      },
      {
        label: 'A meeting my unit is invited to',
        actions: MEETING_ACTIONS,
        records: () => meeting('unit'),
      },
      {
        label:
          'A meeting I or my unit am invited to, about a case no longer open to my unit (a consent revoked)',
        actions: MEETING_ACTIONS,
        records: () => meeting('closed-case'),
      },
      {
        label: 'A meeting of my area I am not invited to (coordinators only)',
        actions: MEETING_ACTIONS,
        records: () => meeting('area'),
      },
      {
        label: 'A meeting I have no part in',
        actions: MEETING_ACTIONS,
        records: () => meeting('none'),
      },
      { label: 'Calling a new meeting', actions: ['create'], records: () => meeting('organiser') },
      {
        label: 'A meeting in another municipality (otherwise open to me)',
        actions: ['create', ...MEETING_ACTIONS],
        records: () => meeting('elsewhere'),
      },
    ],
  },
  AgendaItem: {
    title: 'agenda items and minutes',
    intro:
      'An agenda item about a young person reaches an invited agency only while a consent in force (or a statutory basis) covers that agency or unit and the item’s information category, evaluated at read time: after a revocation the item is hidden from the agencies no longer covered, and the organiser is told. The agency holding the case always sees it. Items without a young person are seen by everyone who may know the meeting. Minutes (notes, decisions, actions) are written by those who run the meeting; notes about a case are case entries, visible by the rules of case entries.',
    scenarios: [
      {
        label: 'Item without a young person, in a meeting I am invited to',
        actions: ITEM_ACTIONS,
        records: () => agendaItem('invited', generalItem),
      },
      {
        label: 'Item about a young person whose case my unit holds, in a meeting I am invited to',
        actions: ITEM_ACTIONS,
        records: (p) => agendaItem('invited', personItem(p, { caseOwnerUnitId: p.unitId })),
      },
      {
        label: 'Item about a young person, consent in force covers my unit',
        actions: ITEM_ACTIONS,
        records: (p) => agendaItem('unit', personItem(p, { coveredUnits: [p.unitId] })),
      },
      {
        label:
          'Item about a young person, not covered for my unit (consent revoked, expired or missing)',
        actions: ITEM_ACTIONS,
        records: (p) => agendaItem('invited', personItem(p)),
      },
      {
        label: 'Item about a young person, not covered for my unit, in a meeting I organise',
        actions: ITEM_ACTIONS,
        records: (p) => agendaItem('organiser', personItem(p)),
        note: 'The organiser adds items only when every invited agency is covered; a later revocation hides the item from them too unless their agency holds the case.',
      },
      {
        label: 'Item in a meeting I have no part in',
        actions: ITEM_ACTIONS,
        records: (p) => [
          ...agendaItem('none', generalItem),
          ...agendaItem('none', personItem(p, { coveredUnits: [p.unitId] })),
        ],
      },
      {
        label: 'Item in another municipality',
        actions: ITEM_ACTIONS,
        records: () => agendaItem('elsewhere', generalItem),
      },
    ],
  },
  Plan: {
    title: 'plans (åtagandeplan, SIG and SIP plans)',
    intro:
      'The plan of a case: goals, actions, follow-ups and reviews. The joint work a consent is given for: it reaches the unit holding the case, and another unit with a way into the case while a consent in force on the case names that unit or its agency (whatever its categories); a revocation or an expiry takes it away at once. Kept (and read) by its responsible user and the coordinators of its area.',
    scenarios: [
      {
        label: 'The plan of a case I am responsible for',
        actions: PLAN_ACTIONS,
        records: () => plans('member', { responsibleUserId: ME, consentNamesUnit: [] }),
      },
      {
        label:
          'The plan of a case I am a member of, while a consent in force names my unit or agency',
        actions: PLAN_ACTIONS,
        records: () => plans('member'),
      },
      {
        label:
          'The plan of a case I am a member of, with no consent in force naming my unit or agency (none yet, revoked or expired)',
        actions: PLAN_ACTIONS,
        records: () => plans('member', { consentNamesUnit: [] }),
      },
      {
        label: 'The plan of a case my unit holds',
        actions: PLAN_ACTIONS,
        records: () => plans('unit', { holding: true, consentNamesUnit: [] }),
      },
      {
        label:
          'The plan of a case my unit takes part in, while a consent in force names it or its agency',
        actions: PLAN_ACTIONS,
        records: () => plans('unit', { holding: false }),
      },
      {
        label: 'The plan of a case my unit takes part in, with no consent in force naming it',
        actions: PLAN_ACTIONS,
        records: () => plans('unit', { holding: false, consentNamesUnit: [] }),
      },
      {
        label: 'The plan of a case of my area (coordinators only)',
        actions: PLAN_ACTIONS,
        records: () => plans('area', { consentNamesUnit: [] }),
      },
      {
        label: 'The plan of a case I have no way into',
        actions: PLAN_ACTIONS,
        records: () => plans('none'),
      },
      {
        label: 'The plan of a case in another municipality',
        actions: PLAN_ACTIONS,
        records: () => plans('elsewhere', { responsibleUserId: ME }),
      },
    ],
  },
  PlanAction: {
    title: 'plan actions',
    intro:
      'What someone commits to do by when. Seen by whoever reads the plan; the owner of an action sees it and reports its progress even from outside the case (without seeing anything else of the case), while the case is open to the owner’s unit.',
    scenarios: [
      {
        label:
          'An action in a case I am a member of, while a consent in force names my unit or agency',
        actions: ACTION_ACTIONS,
        records: () => planActions('member'),
      },
      {
        label:
          'An action in a case I am a member of, with no consent in force naming my unit or agency',
        actions: ACTION_ACTIONS,
        records: () => planActions('member', COLLEAGUE, [MY_UNIT], { consentNamesUnit: [] }),
      },
      {
        label: 'An action in a case of my area (coordinators only)',
        actions: ACTION_ACTIONS,
        records: () => planActions('area', COLLEAGUE, [MY_UNIT], { consentNamesUnit: [] }),
      },
      {
        label: 'An action I own, in a case I have no way into',
        actions: ACTION_ACTIONS,
        records: () => planActions('none', ME),
      },
      {
        label:
          'An action I own, in a case I have no way into and no longer open to my unit (a consent revoked)',
        actions: ACTION_ACTIONS,
        records: () => planActions('none', ME, []),
      },
      {
        label: 'An action given to my unit, no one named, in a case I have no way into',
        actions: ACTION_ACTIONS,
        records: () => planActions('none', null, [MY_UNIT], { actionUnitId: MY_UNIT }),
        note: 'Each of the unit’s staff owns it; only while the case is open to the unit.',
      },
      {
        label: 'Someone else’s action in a case I have no way into',
        actions: ACTION_ACTIONS,
        records: () => planActions('none'),
      },
      {
        label: 'An action I own in another municipality',
        actions: ACTION_ACTIONS,
        records: () => planActions('elsewhere', ME),
      },
    ],
  },
  SigEligibility: {
    title: 'SIG eligibility',
    intro:
      'Whether a young person is within the municipality’s SIG age range. Below it (or of no known age), SIG needs a recorded, justified exception by a social-services user with a way into the case and cleared for a protected young person; above it, none is possible. The age, and whether it is within the range, are left out for a reader the date of birth is hidden from; the justification is social services’ record and is shown by the rules of `RiskAssessment`.',
    scenarios: [
      {
        label: 'A case I am a member of',
        actions: ['read', 'create'],
        records: () => caseRecords('SigEligibility', 'member'),
      },
      {
        label: 'A case I have no way into',
        actions: ['read', 'create'],
        records: () => caseRecords('SigEligibility', 'none'),
      },
      {
        label: 'A case in another municipality',
        actions: ['read', 'create'],
        records: () => caseRecords('SigEligibility', 'elsewhere'),
      },
    ],
  },
  RiskAssessment: {
    title: 'SIG risk and protective factor assessments',
    intro:
      'Structured, dated assessments with history (a configurable item set, not the text of proprietary instruments), and the justification of a SIG age exception. Social services’ records: made and read by social services users with a way into the case; another agency’s users with a way into the case read them only while a consent in force on the case covers their agency or unit for `social_assessment` (evaluated at read time, in SQL: a revocation or an expiry hides them at once).',
    scenarios: [
      {
        label:
          'An assessment in a case I am a member of, a consent in force covers my agency or unit for `social_assessment`',
        actions: ['read', 'list', 'create'],
        records: () => caseRecords('RiskAssessment', 'member'),
      },
      {
        label:
          'An assessment in a case I am a member of, no consent in force covers me for `social_assessment` (none, revoked, expired, out of scope)',
        actions: ['read', 'list', 'create'],
        records: () => assessments('member', [OTHER_UNIT]),
      },
      {
        label: 'An assessment in a case of my unit (owning or participating), no consent covers me',
        actions: ['read', 'list'],
        records: () => assessments('unit', []),
      },
      {
        label: 'An assessment in a case of my area (coordinators only), no consent covers me',
        actions: ['read', 'list'],
        records: () => assessments('area', []),
        note: 'The coordinator here is of social services; a coordinator of another agency (school, leisure) reads social services’ SIG records only on a consent that covers them.',
      },
      {
        label: 'An assessment in a case I have no way into',
        actions: ['read', 'list', 'create'],
        records: () => caseRecords('RiskAssessment', 'none'),
      },
      {
        label: 'An assessment in another municipality',
        actions: ['read', 'list', 'create'],
        records: () => caseRecords('RiskAssessment', 'elsewhere'),
      },
    ],
  },
  RiskFactorItem: {
    title: 'the risk and protective factor item set',
    intro: 'The items an assessment scores; configured per municipality by administrators.',
    scenarios: tenantScenarios(
      'RiskFactorItem',
      CATALOG_ACTIONS,
      'The item set of my municipality',
      'The item set of another municipality',
    ),
  },
  PersonClearance: {
    title: 'clearances for protected people',
    intro: 'Who is cleared to see a protected identity. Granted by administrators.',
    scenarios: [
      {
        label: 'Clearance for a person in my municipality',
        actions: ['list', 'grant'],
        records: () => [tag('PersonClearance', { personId: PERSON, municipalityId: MUNICIPALITY })],
      },
      {
        label: 'Clearance for a person in another municipality',
        actions: ['list', 'grant'],
        records: () => [
          tag('PersonClearance', { personId: PERSON, municipalityId: OTHER_MUNICIPALITY }),
        ],
      },
    ],
  },
  User: {
    title: 'user accounts',
    intro:
      'Everyone sees their own account; administrators manage the accounts of their municipality.',
    scenarios: [
      {
        label: 'My own account',
        actions: ['read', 'list', 'create', 'update', 'disable'],
        records: () => [tag('User', { id: ME, municipalityId: MUNICIPALITY })],
      },
      {
        label: 'Another user in my municipality',
        actions: ['read', 'list', 'create', 'update', 'disable'],
        records: () => [tag('User', { id: COLLEAGUE, municipalityId: MUNICIPALITY })],
      },
      {
        label: 'A user in another municipality',
        actions: ['read', 'list', 'create', 'update', 'disable'],
        records: () => [tag('User', { id: COLLEAGUE, municipalityId: OTHER_MUNICIPALITY })],
      },
    ],
  },
  AuditEvent: {
    title: 'the audit trail',
    intro:
      'Every access to personal data is recorded in a hash-chained audit trail; auditors read and verify it.',
    scenarios: tenantScenarios(
      'AuditEvent',
      ['list', 'verify'],
      'Audit events of my municipality',
      'Audit events of another municipality',
    ),
  },
  Municipality: {
    title: 'municipalities',
    intro: 'The tenant. Everyone sees their own; administrators change it.',
    scenarios: [
      {
        label: 'My municipality',
        actions: ['read', 'update'],
        records: () => [tag('Municipality', { id: MUNICIPALITY })],
      },
      {
        label: 'Another municipality',
        actions: ['read', 'update'],
        records: () => [tag('Municipality', { id: OTHER_MUNICIPALITY })],
      },
    ],
  },
  Area: {
    title: 'areas',
    intro: 'The geographical areas of a municipality (coordinators work per area).',
    scenarios: [
      {
        label: 'An area of my municipality',
        actions: CATALOG_ACTIONS,
        records: () => [tag('Area', { id: MY_AREA, municipalityId: MUNICIPALITY })],
      },
      {
        label: 'An area of another municipality',
        actions: CATALOG_ACTIONS,
        records: () => [tag('Area', { id: OTHER_AREA, municipalityId: OTHER_MUNICIPALITY })],
      },
    ],
  },
  Unit: {
    title: 'units',
    intro: 'The units (a school, a social services group, a police district, …) users work in.',
    scenarios: [
      {
        label: 'A unit of my municipality',
        actions: CATALOG_ACTIONS,
        records: () => [tag('Unit', { id: OTHER_UNIT, municipalityId: MUNICIPALITY })],
      },
      {
        label: 'A unit of another municipality',
        actions: CATALOG_ACTIONS,
        records: () => [tag('Unit', { id: OTHER_UNIT, municipalityId: OTHER_MUNICIPALITY })],
      },
    ],
  },
  InformationCategory: {
    title: 'information categories',
    intro: 'The kinds of information entries are filed under, which consents and disclosures name.',
    scenarios: tenantScenarios(
      'InformationCategory',
      CATALOG_ACTIONS,
      'A category of my municipality',
      'A category of another municipality',
    ),
  },
  LegalBasis: {
    title: 'the catalogue of legal bases',
    intro: 'The statutory bases a disclosure may rest on (see the top of this document).',
    scenarios: tenantScenarios(
      'LegalBasis',
      CATALOG_ACTIONS,
      'A legal basis of my municipality',
      'A legal basis of another municipality',
    ),
  },
};

// ── Evaluation ─────────────────────────────────────────────────────────────────────────────────

const ALLOWED = '✓';
const REFUSED = '–';
/** Allowed on some variants of a scenario and not others (the policy treats them differently). */
const PARTLY = 'partly';

interface Viewer {
  role: Role;
  principal: Principal;
  ability: AppAbility;
}

function viewers(): Viewer[] {
  return ROLES.map((role) => {
    const principal = principalFor(role);
    return { role, principal, ability: defineAbilityFor(principal, CONTEXT) };
  });
}

function verdict(results: readonly boolean[]): string {
  if (results.every(Boolean)) return ALLOWED;
  if (!results.some(Boolean)) return REFUSED;
  return PARTLY;
}

function allowed(viewer: Viewer, scenario: Scenario, action: Action): string {
  const records = scenario.records(viewer.principal);
  return verdict(records.map((record) => viewer.ability.can(action, record)));
}

/** For one viewer and scenario: the Person fields it may not read, per variant. */
function masking(viewer: Viewer, scenario: Scenario): string {
  const records = scenario.records(viewer.principal);
  if (!records.some((record) => viewer.ability.can('read', record))) return REFUSED;
  if (!records.every((record) => viewer.ability.can('read', record))) return PARTLY;
  const masked = records.map((record) =>
    PROTECTED_PERSON_FIELDS.filter((field) => !viewer.ability.can('read', record, field)),
  );
  const [first = []] = masked;
  if (masked.some((fields) => fields.join() !== first.join())) return PARTLY;
  if (first.length === 0) return 'none';
  if (first.length === PROTECTED_PERSON_FIELDS.length) return 'identity';
  return first.map((field) => `\`${field}\``).join(', ');
}

// ── Markdown ───────────────────────────────────────────────────────────────────────────────────

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

/** A Markdown table with padded columns; `centered` columns are centred. */
function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  centered: (column: number) => boolean = () => false,
): string[] {
  const all = [header, ...rows].map((row) => row.map(escapeCell));
  const widths = header.map((_, column) =>
    Math.max(3, ...all.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => pad(cell, widths[column] ?? 0, centered(column))).join(' | ')} |`;
  const rule = widths.map((width, column) =>
    centered(column) ? `:${'-'.repeat(width - 2)}:` : '-'.repeat(width),
  );
  const [head = [], ...body] = all;
  return [line(head), `| ${rule.join(' | ')} |`, ...body.map(line)];
}

function pad(text: string, width: number, centered: boolean): string {
  const room = width - text.length;
  if (room <= 0) return text;
  if (!centered) return text + ' '.repeat(room);
  const left = Math.floor(room / 2);
  return ' '.repeat(left) + text + ' '.repeat(room - left);
}

const code = (text: string) => `\`${text}\``;
const agencies = (list: readonly AgencyType[]) =>
  list.length === AGENCY_TYPES.length ? 'any agency' : list.map(code).join(', ');

function header(): string[] {
  return [
    '# Secrecy matrix: who can see what, on which basis',
    '',
    '> Generated from the policy (`libs/authz/src/policy.ts`) by `npm run secrecy-matrix`. Do not edit',
    '> this file by hand: CI fails when it differs from what the policy renders.',
    '',
    'Everything the agencies record about a young person is secret under the Public Access to',
    'Information and Secrecy Act (offentlighets- och sekretesslagen, OSL). An agency reads what it',
    'wrote itself; another agency’s entry reaches it only through a disclosure that the author’s',
    'agency decides, entry by entry, on one of two bases:',
    '',
    '- **Consent (OSL 12:2).** Secrecy that protects an individual may be waived by that individual:',
    '  the young person and, where required, their guardians consent to named receivers (agencies or',
    '  units), information categories and this case, for a stated period.',
    '- **A statutory basis** from the municipality’s catalogue of legal bases. Every municipality',
    '  starts with the bases below and may add its own:',
    '',
    ...table(
      ['Basis', 'Title', 'From', 'To', 'Harm assessment', 'About'],
      DEFAULT_LEGAL_BASES.map((basis) => [
        basis.code,
        basis.title,
        agencies(basis.fromAgencies),
        agencies(basis.toAgencies),
        basis.requiresHarmAssessment ? 'required' : 'no',
        basis.personUnderAge === null ? 'anyone' : `a person under ${basis.personUnderAge}`,
      ]),
    ),
    '',
    'Consent state is evaluated at read time, never cached: a disclosure on consent holds only while',
    'the consent is in force (every party has consented, the period has begun and not ended, nothing',
    'is revoked) at the moment of each read, in the SQL that filters every read, list and search. A',
    'revocation or an expiry therefore hides the entry from the receiver on the very next read. A',
    'statutory disclosure does not depend on consent. Protected identities are masked field by field',
    'for everyone who is not explicitly cleared for the person.',
    '',
    '## How to read the tables',
    '',
    `Each column is one user with a single role, evaluated with \`defineAbilityFor\`; each row is a`,
    'scenario record (as that user sees it) and an action. Anything not granted is refused. Every',
    'user works in one unit of one area of their municipality, is a member of one case and is cleared',
    'for one protected person. Their agencies:',
    '',
    ...table(
      ['Role', 'Agency'],
      ROLES.map((role) => [code(role), code(AGENCY_OF[role])]),
    ),
    '',
    `${ALLOWED} allowed · ${REFUSED} refused · *${PARTLY}*: allowed for some variants of the scenario`,
    '(e.g. some protection levels) but not others. A refused read of a list or search means the',
    'record is left out of the result, not that the request fails.',
  ];
}

function section(type: SubjectType, spec: Section, all: readonly Viewer[]): string[] {
  const roleColumn = (column: number) => column >= 2;
  const rows = spec.scenarios.flatMap((scenario) =>
    scenario.actions.map((action) => [
      scenario.label,
      code(action),
      ...all.map((viewer) => allowed(viewer, scenario, action)),
    ]),
  );
  const lines = [
    `## ${code(type)}: ${spec.title}`,
    '',
    spec.intro,
    '',
    ...table(['Scenario', 'Action', ...all.map((viewer) => viewer.role)], rows, roleColumn),
  ];
  const notes = spec.scenarios.filter((scenario) => scenario.note);
  if (notes.length > 0) {
    lines.push('', ...notes.map((scenario) => `- *${scenario.label}*: ${scenario.note ?? ''}`));
  }
  if (type === 'Person') lines.push('', ...maskingSection(spec, all));
  return lines;
}

function maskingSection(spec: Section, all: readonly Viewer[]): string[] {
  const readable = spec.scenarios.filter((scenario) => scenario.actions.includes('read'));
  const replacements = MASKABLE_FIELDS.Person as Record<string, unknown>;
  return [
    '### Person: masked fields',
    '',
    'For each user who may read the row: the fields it gets with a neutral value in their place',
    `(${REFUSED}: the row is not readable at all; *identity*: every field in the list below).`,
    '',
    ...table(
      ['Scenario', ...all.map((viewer) => viewer.role)],
      readable.map((scenario) => [
        scenario.label,
        ...all.map((viewer) => masking(viewer, scenario)),
      ]),
      (column) => column >= 1,
    ),
    '',
    ...table(
      ['Identity field', 'Shown in its place'],
      PROTECTED_PERSON_FIELDS.map((field) => [
        code(field),
        code(JSON.stringify(replacements[field])),
      ]),
    ),
  ];
}

/** The policy as a Markdown document (docs/secrecy-matrix.md). */
export function renderSecrecyMatrix(): string {
  const all = viewers();
  const lines = header();
  for (const [type, spec] of Object.entries(SECTIONS) as [SubjectType, Section][]) {
    lines.push('', ...section(type, spec, all));
  }
  return `${lines.join('\n')}\n`;
}
