/** The kinds of agency that take part in the collaboration. */
export const AGENCY_TYPES = ['school', 'social_services', 'police', 'leisure', 'health'] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];

/** What a user may do; a user has one or more. */
export const ROLES = [
  'coordinator',
  'school_staff',
  'police_liaison',
  'social_worker',
  'case_holder',
  'leisure_staff',
  'health_staff',
  'auditor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that work with young people (as opposed to auditing or administering the system). */
export const STAFF_ROLES: readonly Role[] = [
  'coordinator',
  'school_staff',
  'police_liaison',
  'social_worker',
  'case_holder',
  'leisure_staff',
  'health_staff',
];

/** Roles that may be responsible for a case (open it for someone, hold it). */
export const RESPONSIBLE_ROLES: readonly Role[] = ['coordinator', 'case_holder'];

/**
 * The agencies a role belongs to: a user's unit must be of one of them (a police liaison works at a
 * police unit). `null`: a role of any agency (auditors and administrators).
 */
export const ROLE_AGENCY: Readonly<Record<Role, readonly AgencyType[] | null>> = {
  // An SSPF coordinator is the municipality's: not the police's nor the region's (health), who
  // as coordinators would learn of every case of the area.
  coordinator: ['social_services', 'school', 'leisure'],
  school_staff: ['school'],
  police_liaison: ['police'],
  social_worker: ['social_services'],
  case_holder: ['social_services'],
  leisure_staff: ['leisure'],
  health_staff: ['health'],
  auditor: null,
  admin: null,
};

/**
 * Skyddade personuppgifter: `flagged` = sekretessmarkering, `protected_registration` = skyddad
 * folkbokföring, `assumed_identity` = fingerade personuppgifter.
 */
export const PROTECTION_LEVELS = [
  'none',
  'flagged',
  'protected_registration',
  'assumed_identity',
] as const;
export type ProtectionLevel = (typeof PROTECTION_LEVELS)[number];

export const IDENTITY_KINDS = ['personnummer', 'samordningsnummer', 'reserve'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
