import { CASE_SCOPE, caseOpenToUnitSql, unitCondition } from './sql-fields.js';
import type { FieldMap } from './sql.js';

/** What a case's plan rests on (`PlanShared`), over `collab_case k`. */
const PLAN_SHARED: FieldMap = {
  caseOwnerUnitId: 'k.owning_unit_id',
  consentNamesUnit: unitCondition(
    'consentNamesUnit',
    (unit) => `EXISTS (SELECT 1 FROM consent c WHERE c.case_id = k.id
      AND ((SELECT su.agency FROM unit su WHERE su.id = ${unit}) = ANY(c.scope_agencies)
        OR ${unit} = ANY(c.scope_unit_ids))
      AND consent_in_force(c.id, now()))`,
  ),
};

/**
 * `Plan` over `collab_case k LEFT JOIN case_plan pl ON pl.case_id = k.id`: a case has its plan
 * before anything is written to it, so the conditions read the case.
 */
export const PLAN_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  ...PLAN_SHARED,
  id: 'pl.id',
  municipalityId: 'k.municipality_id',
  responsibleUserId: 'k.responsible_user_id',
};

/** `PlanAction` over `plan_action pa JOIN collab_case k ON k.id = pa.case_id`. */
export const PLAN_ACTION_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  ...PLAN_SHARED,
  id: 'pa.id',
  municipalityId: 'pa.municipality_id',
  responsibleUserId: 'k.responsible_user_id',
  actionOwnerId: 'pa.responsible_user_id',
  actionUnitId: 'pa.responsible_unit_id',
  caseOpenToUnit: unitCondition('caseOpenToUnit', (unit) => caseOpenToUnitSql('k.id', unit)),
};

/** `SigEligibility` over `collab_case k`. */
export const SIG_ELIGIBILITY_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  municipalityId: 'k.municipality_id',
};

/** The information category of social services' SIG records (risk assessments, age exceptions). */
export const SIG_RECORD_CATEGORY = 'social_assessment';

/**
 * Whether a consent in force on case `k` covers the unit, or its agency, for social services' SIG
 * records (`case_info_covers` with no statutory basis: the consent rule of every category).
 */
const sigRecordCoveredUnits = unitCondition(
  'coveredUnits',
  (unit) =>
    `case_info_covers(k.id, '${SIG_RECORD_CATEGORY}', NULL, (SELECT su.agency FROM unit su WHERE su.id = ${unit}), ${unit}, now())`,
);

/**
 * `RiskAssessment` over `collab_case k` alone: who may read (or record) social services' SIG
 * records of a case, where no assessment row is at hand (an age exception's justification).
 */
export const SIG_RECORD_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  municipalityId: 'k.municipality_id',
  coveredUnits: sigRecordCoveredUnits,
};

/** `RiskAssessment` over `risk_assessment ra JOIN collab_case k ON k.id = ra.case_id`. */
export const RISK_ASSESSMENT_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  id: 'ra.id',
  municipalityId: 'ra.municipality_id',
  coveredUnits: sigRecordCoveredUnits,
};
