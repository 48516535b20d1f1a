import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import { STAFF_ROLES } from '@samverka/contracts';
import { PROTECTED_PERSON_FIELDS } from './fields.js';
import { conditionsMatcher } from './matcher.js';
import type { Principal } from './principal.js';
import type { AppAbility } from './subjects.js';

/**
 * Relationships of the principal that the rules read. They live in the cached ability, so every
 * change to them bumps the user's authorisation version. Consent and disclosure state is never
 * cached: rules name it as record attributes (`disclosedTo`) that are evaluated at read time, in
 * SQL, so a revocation or an expiry applies to the very next read.
 */
export interface PolicyContext {
  /** Cases the user is a member of. */
  memberCaseIds: readonly string[];
}

/** Roles of social services that handle concern reports sent to their unit. */
const CONCERN_HANDLERS = new Set(['social_worker', 'case_holder']);

/** Roles that see the aggregated follow-up overview (there is no unit-manager role yet). */
const FOLLOW_UP_READERS = new Set(['coordinator', 'auditor']);

/** Roles that may open a case. */
const CASE_OPENERS = new Set(['coordinator', 'case_holder', 'social_worker']);

/** Roles that may call a meeting. */
const MEETING_ORGANISERS = new Set(['coordinator', 'case_holder', 'social_worker']);

/**
 * The secrecy policy: what this principal may do, on which records, which fields.
 * Deny by default: anything not granted here is refused. Later rules override earlier ones,
 * so the `cannot` rules for protected identities come last.
 */
export function defineAbilityFor(
  principal: Principal,
  context: PolicyContext = { memberCaseIds: [] },
): AppAbility {
  const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  const tenant = { municipalityId: principal.municipalityId };
  const roles = new Set(principal.roles);

  // Everyone signed in: their own account and the organisation they work in.
  can('read', 'User', { ...tenant, id: principal.userId });
  can('read', 'Municipality', { id: principal.municipalityId });
  can('list', ['Area', 'Unit'], tenant);
  can(['list', 'update'], 'Notification', { ...tenant, userId: principal.userId });

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

  if (STAFF_ROLES.some((role) => roles.has(role))) {
    can('list', ['InformationCategory', 'LegalBasis'], tenant);
    // Matching a person by name or identity number where the record is found another way (e.g. a
    // case search): allowed unless the person is protected and the user is not cleared.
    can('identify', 'Person', tenant);

    // Who may know a case exists: its members, the users of its owning and participating units,
    // and the coordinators of its area. Each is a separate rule (the ways in are alternatives).
    const caseAccess: Record<string, unknown>[] = [
      { caseId: { $in: [...context.memberCaseIds] } },
      { caseUnitIds: principal.unitId },
    ];
    if (roles.has('coordinator')) caseAccess.push({ caseAreaId: { $in: [...principal.areaIds] } });

    for (const access of caseAccess) {
      const scoped = { ...tenant, ...access };
      can(['read', 'list', 'search'], 'Case', scoped);
      can(['read', 'list', 'create', 'revoke'], 'Consent', scoped);
      can('create', 'CaseEntry', scoped);
      // An entry is readable by its author's agency, and by the agencies (or units) it was
      // disclosed to while the basis of that disclosure holds.
      can(['read', 'list', 'search', 'disclose'], 'CaseEntry', {
        ...scoped,
        authorAgency: principal.agency,
      });
      can(['read', 'list', 'search'], 'CaseEntry', { ...scoped, disclosedTo: principal.agency });
      can(['read', 'list', 'search'], 'CaseEntry', {
        ...scoped,
        disclosedToUnits: principal.unitId,
      });
      // The case's plan is the joint work a consent is given for: it reaches the unit holding the
      // case, and another unit while a consent in force on the case names it or its agency
      // (whatever its categories); a revocation or an expiry takes it away at once, as it does a
      // disclosed entry. Its keepers (below) read it too. Whether the case is eligible for SIG is
      // case content: whoever may know the case.
      for (const rests of [
        { caseOwnerUnitId: principal.unitId },
        { consentNamesUnit: principal.unitId },
      ]) {
        can('read', 'Plan', { ...scoped, ...rests });
        can(['read', 'list'], 'PlanAction', { ...scoped, ...rests });
      }
      can('read', 'SigEligibility', scoped);
      if (principal.agency === 'social_services') {
        // A SIG risk assessment and an age exception (its justification) are social services'
        // records and decisions.
        can(['read', 'list', 'create'], 'RiskAssessment', scoped);
        can('create', 'SigEligibility', scoped);
      } else {
        // Another agency reads them only while a consent in force on the case covers it (or its
        // unit) for `social_assessment`: a revocation or an expiry takes them away at once.
        can(['read', 'list'], 'RiskAssessment', { ...scoped, coveredUnits: principal.unitId });
      }
    }
    // The owner of a plan action sees it (and reports its progress) even from outside the case,
    // without seeing anything else of the case.
    // Only while the case is open to the owner's unit: a revoked consent takes the action away.
    can(['read', 'list', 'update'], 'PlanAction', {
      ...tenant,
      actionOwnerId: principal.userId,
      caseOpenToUnit: principal.unitId,
    });
    // An action given to a unit without naming anyone is its staff's: each of them owns it.
    can(['read', 'list', 'update'], 'PlanAction', {
      ...tenant,
      actionOwnerId: null,
      actionUnitId: principal.unitId,
      caseOpenToUnit: principal.unitId,
    });
    can('list', 'RiskFactorItem', tenant);

    // Meetings: known to the organiser, the invited users, the users of invited units and the
    // coordinators of the meeting's area. A meeting about a case reaches an invitee only while the
    // case is open to the invitee's unit (a revoked consent uninvites those it let in).
    const meetingAccess: Record<string, unknown>[] = [
      { organiserId: principal.userId },
      { inviteeUserIds: principal.userId, caseOpenToUnit: principal.unitId },
      { inviteeUnitIds: principal.unitId, caseOpenToUnit: principal.unitId },
    ];
    if (roles.has('coordinator')) {
      meetingAccess.push({ meetingAreaId: { $in: [...principal.areaIds] } });
    }
    for (const access of meetingAccess) {
      const scoped = { ...tenant, ...access };
      can(['read', 'list'], 'Meeting', scoped);
      // An agenda item about a young person reaches an agency only while a consent in force (or a
      // statutory basis) covers it; the unit holding the case (which knows it) always sees it.
      can(['read', 'list'], 'AgendaItem', { ...scoped, caseId: null });
      can(['read', 'list'], 'AgendaItem', { ...scoped, caseOwnerUnitId: principal.unitId });
      can(['read', 'list'], 'AgendaItem', { ...scoped, coveredUnits: principal.unitId });
    }
    for (const invited of meetingAccess.slice(1, 3))
      can('respond', 'Meeting', { ...tenant, ...invited });
    // The organiser, and the area's coordinators, run the meeting: agenda, minutes, changes.
    const runsMeeting: Record<string, unknown>[] = [{ organiserId: principal.userId }];
    if (roles.has('coordinator')) {
      runsMeeting.push({ meetingAreaId: { $in: [...principal.areaIds] } });
    }
    for (const access of runsMeeting) {
      can('update', 'Meeting', { ...tenant, ...access });
      can(['create', 'update'], 'AgendaItem', { ...tenant, ...access });
    }
    if ([...roles].some((role) => MEETING_ORGANISERS.has(role))) can('create', 'Meeting', tenant);

    // A case's conversation is its members': a message reaches a member's agency when it wrote
    // it, or while a consent in force covers that agency (or unit) and the message's category.
    const members = { ...tenant, caseId: { $in: [...context.memberCaseIds] } };
    can('create', 'CaseMessage', members);
    can(['read', 'list'], 'CaseMessage', { ...members, authorAgency: principal.agency });
    can(['read', 'list'], 'CaseMessage', { ...members, consentCoversAgencies: principal.agency });
    can(['read', 'list'], 'CaseMessage', { ...members, consentCoversUnits: principal.unitId });

    // Notices reach the users they were posted to; their author follows them up.
    can(['read', 'list', 'acknowledge'], 'Notice', {
      ...tenant,
      recipientUserIds: principal.userId,
    });
    can(['read', 'list'], 'Notice', { ...tenant, authorUserId: principal.userId });
    if (roles.has('police_liaison')) can('create', 'Notice', tenant);

    if ([...roles].some((role) => CASE_OPENERS.has(role))) can('create', 'Case', tenant);
    // The responsible user, and the coordinators of the area, run the case. Responsibility goes
    // with the role: a user who is no longer a coordinator or case holder runs nothing by it.
    const responsible = roles.has('coordinator') || roles.has('case_holder');
    if (responsible) can('update', 'Case', { ...tenant, responsibleUserId: principal.userId });
    if (roles.has('coordinator')) {
      can('update', 'Case', { ...tenant, caseAreaId: { $in: [...principal.areaIds] } });
    }
    // They also keep the plan: goals, actions, reviews, agreement.
    if (responsible) {
      can(['read', 'update'], 'Plan', { ...tenant, responsibleUserId: principal.userId });
      can(['read', 'list', 'create', 'update'], 'PlanAction', {
        ...tenant,
        responsibleUserId: principal.userId,
      });
    }
    if (roles.has('coordinator')) {
      const area = { ...tenant, caseAreaId: { $in: [...principal.areaIds] } };
      can(['read', 'update'], 'Plan', area);
      can(['read', 'list', 'create', 'update'], 'PlanAction', area);
    }
  }

  if (STAFF_ROLES.some((role) => roles.has(role))) {
    // Concern reports (orosanmälan): anyone working with young people may file one. The reporter
    // sees what they filed and may ask for the feedback the law allows, never the handling.
    can('create', 'ConcernReport', tenant);
    can(['read', 'list', 'feedback'], 'ConcernReport', {
      ...tenant,
      reporterUserId: principal.userId,
    });
  }
  if (
    principal.agency === 'social_services' &&
    [...roles].some((role) => CONCERN_HANDLERS.has(role))
  ) {
    // Social workers and case holders of the receiving unit work the report through.
    can(['read', 'list', 'handle'], 'ConcernReport', {
      ...tenant,
      receivingUnitId: principal.unitId,
    });
  }
  if ([...roles].some((role) => FOLLOW_UP_READERS.has(role))) {
    can('read', 'FollowUpReport', tenant);
  }

  if (roles.has('admin')) {
    can('create', ['InformationCategory', 'LegalBasis', 'RiskFactorItem'], tenant);
    can('list', ['InformationCategory', 'LegalBasis', 'RiskFactorItem'], tenant);
    // Retention (gallring): the periods from the archive plan, what a run would remove, and
    // legal holds that stop it for a case. Ids and counts only, never case content.
    can(['list', 'update'], 'RetentionRule', tenant);
    can('read', 'RetentionRun', tenant);
    can(['create', 'revoke'], 'LegalHold', tenant);
  }

  if (roles.has('auditor')) {
    can(['list', 'verify'], 'AuditEvent', tenant);
    can('list', 'RetentionRule', tenant);
    can('read', 'RetentionRun', tenant);
  }

  // Protected identities: only users cleared for the person see who it is, find them in a
  // search, or change them.
  const notCleared = {
    protectionLevel: { $ne: 'none' as const },
    id: { $nin: [...principal.clearedPersonIds] },
  };
  cannot('read', 'Person', PROTECTED_PERSON_FIELDS, notCleared);
  cannot(['search', 'list', 'update', 'identify'], 'Person', notCleared);
  // Emergency access is for seeing, for a while: a change (lifting the protection, say) needs a
  // clearance for good.
  cannot('update', 'Person', {
    protectionLevel: { $ne: 'none' as const },
    id: { $in: [...(principal.emergencyPersonIds ?? [])] },
  });

  return build({ conditionsMatcher });
}
