import {
  accessibleWhere,
  applyFieldMasks,
  SIG_RECORD_CATEGORY,
  SIG_RECORD_SQL_FIELDS,
} from '@samverka/authz';
import type { CaseStatus, ProtectionLevel, SigEligibilityResponse } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { CaseRow } from '../cases/case-query.js';
import type { Actor } from '../common/actor.js';
import { conflict } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { consentsCoveringSql } from '../sharing/consent-basis.js';
import { ageOn, withinSigRange } from './plan-rules.js';

/**
 * The legal basis on which social services' SIG records of case `caseId` (an SQL expression: an
 * assessment, an age exception's justification) reach the actor now: none for social services
 * (their own records), else the consents in force on the case that cover the actor's agency or
 * unit for `social_assessment` (the policy's `coveredUnits`). The audit of a read carries it, as
 * an entry's read carries its disclosures (`entryBasisSql`).
 */
export function sigRecordBasisSql(actor: Actor, params: SqlParams, caseId: string): string {
  if (actor.principal.agency === 'social_services') return 'NULL';
  return consentsCoveringSql(actor, params, caseId, `'${SIG_RECORD_CATEGORY}'`);
}

/** The eligibility as a viewer sees it, and the basis its exception's justification reached them on. */
export interface SigEligibilityRead {
  view: SigEligibilityResponse;
  /** Set only when another agency is shown the justification: the consents it rests on. */
  legalBasis: string | null;
}

/**
 * The young person's age today (Stockholm), the municipality's range and any recorded exception.
 * With the viewer: for a viewer who may not see the person's date of birth (protected identity)
 * the age and whether it is within the range are left out (null); the justification of an
 * exception, social services' record, only for a viewer who may read their SIG records of the
 * case (the policy's `read RiskAssessment`), with the basis it reaches another agency on. Whether
 * the young person is eligible is told to all.
 */
export async function readSigEligibility(
  manager: EntityManager,
  kase: CaseRow,
  viewer?: Actor,
): Promise<SigEligibilityRead> {
  const params = new SqlParams([kase.person_id, kase.municipality_id, kase.id]);
  const readable = viewer
    ? accessibleWhere(viewer.ability, 'read', 'RiskAssessment', SIG_RECORD_SQL_FIELDS, params.bind)
    : 'TRUE';
  const basis = viewer ? sigRecordBasisSql(viewer, params, 'k.id') : 'NULL';
  const [row] = await manager.query<
    {
      birth_date: string | null;
      protection_level: ProtectionLevel;
      today: string;
      sig_min_age: number;
      sig_max_age: number;
      excepted: boolean;
      justification: string | null;
      legal_basis: string | null;
      decided_by: string | null;
    }[]
  >(
    `SELECT p.birth_date::text AS birth_date, p.protection_level, (now() AT TIME ZONE 'Europe/Stockholm')::date::text AS today,
            s.sig_min_age, s.sig_max_age, x.justification IS NOT NULL AS excepted,
            CASE WHEN ${readable} THEN x.justification END AS justification,
            CASE WHEN x.justification IS NOT NULL AND ${readable} THEN ${basis} END AS legal_basis,
            x.decided_by
     FROM person p JOIN municipal_settings s ON s.municipality_id = $2
     JOIN collab_case k ON k.id = $3
     LEFT JOIN LATERAL (SELECT e.justification, e.decided_by FROM sig_age_exception e WHERE e.case_id = $3
                        ORDER BY e.decided_at DESC LIMIT 1) x ON true
     WHERE p.id = $1`,
    params.values,
  );
  const age = row!.birth_date ? ageOn(row!.birth_date, row!.today) : null;
  const withinRange = withinSigRange(age, row!.sig_min_age, row!.sig_max_age);
  const hidden =
    viewer &&
    applyFieldMasks(viewer.ability, 'Person', {
      id: kase.person_id,
      municipalityId: kase.municipality_id,
      protectionLevel: row!.protection_level,
      birthDate: row!.birth_date,
    }).masked;
  return {
    view: {
      caseId: kase.id,
      age: hidden ? null : age,
      minAge: row!.sig_min_age,
      maxAge: row!.sig_max_age,
      withinRange: hidden ? null : withinRange,
      // An exception lets in someone younger (or of no known age), never someone above the range.
      eligible: withinRange || (row!.excepted && !(age !== null && age > row!.sig_max_age)),
      exceptionJustification: row!.justification,
      exceptionDecidedBy: row!.decided_by,
    },
    legalBasis: row!.legal_basis,
  };
}

/** The eligibility as it is (no viewer: nothing left out), for the workflow's own checks. */
export async function sigEligibility(
  manager: EntityManager,
  kase: CaseRow,
): Promise<SigEligibilityResponse> {
  return (await readSigEligibility(manager, kase)).view;
}

/** The statuses a SIG case reaches (past the eligibility step, short of closing) only when eligible. */
const SIG_ELIGIBLE_ONLY: ReadonlySet<CaseStatus> = new Set<CaseStatus>([
  'consent_pending',
  'joint_decision',
  'group_formed',
  'action_plan',
  'active',
  'review',
]);

export const sigNeedsEligibility = (status: string): boolean =>
  SIG_ELIGIBLE_ONLY.has(status as CaseStatus);

/**
 * 409 `sig-not-eligible` unless the young person is in the age range or an exception applies. The
 * message is the same whatever the age (the caller may be one the date of birth is hidden from).
 */
export async function assertSigEligible(manager: EntityManager, kase: CaseRow): Promise<void> {
  const eligibility = await sigEligibility(manager, kase);
  if (!eligibility.eligible) {
    throw conflict(
      `The young person is not eligible for SIG: outside the SIG age range ${eligibility.minAge}–${eligibility.maxAge} (or of no known age) with no exception that applies; social services may record a justified exception for someone younger`,
      'sig-not-eligible',
    );
  }
}
