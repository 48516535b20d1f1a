import type { ForcedSubject, MongoAbility } from '@casl/ability';
import type { AgencyType, ProtectionLevel } from '@samverka/contracts';

export const ACTIONS = [
  'create',
  'read',
  'update',
  'list',
  'search',
  'disable',
  'grant',
  'verify',
  'disclose',
  'revoke',
  'identify',
  'acknowledge',
  'handle',
  'feedback',
  'respond',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The attributes of each subject that the policy's conditions read. */
/** What a case's plan rests on, for the units other than the one holding the case. */
interface PlanShared {
  /** The unit holding the case (it wrote the plan with the others, and knows it). */
  caseOwnerUnitId: string;
  /** Units a consent in force on the case names, by themselves or by their agency, now. */
  consentNamesUnit: string[];
}

export interface SubjectRecords {
  Municipality: { id: string };
  Area: { id: string; municipalityId: string };
  Unit: { id: string; municipalityId: string };
  User: { id: string; municipalityId: string };
  Person: {
    id: string;
    municipalityId: string;
    protectionLevel: ProtectionLevel | null;
    /** Agencies of the municipality that know of the person. */
    linkedAgencies: AgencyType[];
  };
  PersonClearance: { personId: string; municipalityId: string };
  AuditEvent: { municipalityId: string };
  InformationCategory: { municipalityId: string };
  LegalBasis: { municipalityId: string };
  Case: CaseScoped & { id: string; responsibleUserId: string };
  CaseEntry: CaseScoped & {
    id: string;
    authorAgency: AgencyType;
    /** Agencies the entry is disclosed to (whole agency) on a basis that holds now. */
    disclosedTo: AgencyType[];
    /** Units the entry is disclosed to on a basis that holds now. */
    disclosedToUnits: string[];
  };
  Consent: CaseScoped & { id: string };
  CaseMessage: CaseScoped & {
    id: string;
    authorAgency: AgencyType;
    category: string;
    /** Agencies a consent in force covers for this case and the message's category. */
    consentCoversAgencies: AgencyType[];
    /** Units a consent in force names for this case and the message's category. */
    consentCoversUnits: string[];
  };
  Notice: {
    id: string;
    municipalityId: string;
    authorUserId: string;
    /** The users the notice reached when it was posted. */
    recipientUserIds: string[];
  };
  ConcernReport: {
    id: string;
    municipalityId: string;
    /** Who filed it: they see what they filed and may ask for feedback. */
    reporterUserId: string;
    /** The social-services unit of the child's area that handles it. */
    receivingUnitId: string;
  };
  /** The aggregated follow-up overview (no personal data; small counts suppressed). */
  FollowUpReport: { municipalityId: string };
  Notification: { municipalityId: string; userId: string };
  Meeting: MeetingScoped & { id: string };
  AgendaItem: MeetingScoped & {
    id: string;
    /** The case (young person) the item is about, if any. */
    caseId: string | null;
    /** The case's owning unit: it holds the information discussed (and knows the case). */
    caseOwnerUnitId: string | null;
    /** Units the item's information reaches now: consent in force (or a statutory basis). */
    coveredUnits: string[];
  };
  Plan: CaseScoped & PlanShared & { id: string; responsibleUserId: string };
  PlanAction: CaseScoped &
    PlanShared & {
      id: string;
      /** The case's responsible user. */
      responsibleUserId: string;
      /** The user who owns the action (may be of another agency, outside the case). */
      actionOwnerId: string | null;
      /** The unit responsible for it (its staff own it when no user is named). */
      actionUnitId: string;
      /** Units the case is open to now (holding it, taking part, or covered by a consent in force). */
      caseOpenToUnit: string[];
    };
  SigEligibility: CaseScoped;
  /** Social services' SIG records of a case: its risk assessments, an age exception's justification. */
  RiskAssessment: CaseScoped & {
    id: string;
    /** Units a consent in force on the case covers (the unit or its agency) for `social_assessment`. */
    coveredUnits: string[];
  };
  RiskFactorItem: { municipalityId: string };
  /** A municipality's retention periods (gallring) per kind of record. */
  RetentionRule: { municipalityId: string };
  /** What retention removes: a dry run lists kinds, counts and ids, never content. */
  RetentionRun: { municipalityId: string };
  /** A legal hold that keeps a case and all that belongs to it from retention. */
  LegalHold: { municipalityId: string };
}

/** Attributes of a meeting and what belongs to it: who may know the meeting exists. */
export interface MeetingScoped {
  municipalityId: string;
  meetingId: string;
  meetingAreaId: string;
  organiserId: string;
  /** Users invited by name. */
  inviteeUserIds: string[];
  /** Units invited (every user of the unit). */
  inviteeUnitIds: string[];
  /**
   * Units the meeting's case is open to now (holding it, taking part, or covered by a consent in
   * force); every unit when the meeting has no case. An invitation reaches a unit only while so.
   */
  caseOpenToUnit: string[];
}

/** Attributes of every record that belongs to a case: who may know the case exists. */
export interface CaseScoped {
  municipalityId: string;
  caseId: string;
  caseAreaId: string;
  /** The owning unit and the participating units. */
  caseUnitIds: string[];
}

export type SubjectType = keyof SubjectRecords;
export const SUBJECTS = [
  'Municipality',
  'Area',
  'Unit',
  'User',
  'Person',
  'PersonClearance',
  'AuditEvent',
  'InformationCategory',
  'LegalBasis',
  'Case',
  'CaseEntry',
  'Consent',
  'CaseMessage',
  'Notice',
  'ConcernReport',
  'FollowUpReport',
  'Notification',
  'Meeting',
  'AgendaItem',
  'Plan',
  'PlanAction',
  'SigEligibility',
  'RiskAssessment',
  'RiskFactorItem',
  'RetentionRule',
  'RetentionRun',
  'LegalHold',
] as const satisfies readonly SubjectType[];

/** Each subject type as its users name such records (in refusals: "… allow you to create units"). */
export const SUBJECT_NOUNS: Record<SubjectType, string> = {
  Municipality: 'municipalities',
  Area: 'areas',
  Unit: 'units',
  User: 'user accounts',
  Person: 'people in the register',
  PersonClearance: 'clearances for protected people',
  AuditEvent: 'the audit trail',
  InformationCategory: 'information categories',
  LegalBasis: 'legal bases',
  Case: 'cases',
  CaseEntry: 'case entries',
  Consent: 'consents',
  CaseMessage: 'case conversations',
  Notice: 'police notices',
  ConcernReport: 'concern reports',
  FollowUpReport: 'the follow-up overview',
  Notification: 'notifications',
  Meeting: 'meetings',
  AgendaItem: 'agenda items',
  Plan: 'plans',
  PlanAction: 'plan actions',
  SigEligibility: 'SIG eligibility',
  RiskAssessment: 'risk and protective factor assessments',
  RiskFactorItem: 'the risk and protective factor items',
  RetentionRule: 'retention rules',
  RetentionRun: 'retention runs',
  LegalHold: 'legal holds',
};

type TaggedRecord = { [K in SubjectType]: SubjectRecords[K] & ForcedSubject<K> }[SubjectType];

export type AppAbility = MongoAbility<[Action, SubjectType | TaggedRecord]>;

/** A route's declared permission: the action on the subject type, before any record is known. */
export interface RoutePolicy {
  action: Action;
  subject: SubjectType;
}
