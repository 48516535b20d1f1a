import { CASE_SCOPE, caseOpenToUnitSql, unitCondition } from './sql-fields.js';
import type { FieldMap } from './sql.js';

/**
 * `Plan` over `collab_case k LEFT JOIN case_plan pl ON pl.case_id = k.id`: a case has its plan
 * before anything is written to it, so the conditions read the case.
 */
export const PLAN_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  id: 'pl.id',
  municipalityId: 'k.municipality_id',
  responsibleUserId: 'k.responsible_user_id',
};

/** `PlanAction` over `plan_action pa JOIN collab_case k ON k.id = pa.case_id`. */
export const PLAN_ACTION_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  id: 'pa.id',
  municipalityId: 'pa.municipality_id',
  responsibleUserId: 'k.responsible_user_id',
  actionOwnerId: 'pa.responsible_user_id',
  caseOpenToUnit: unitCondition('caseOpenToUnit', (unit) => caseOpenToUnitSql('k.id', unit)),
};

/** `SigEligibility` over `collab_case k`. */
export const SIG_ELIGIBILITY_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  municipalityId: 'k.municipality_id',
};

/** `RiskAssessment` over `risk_assessment ra JOIN collab_case k ON k.id = ra.case_id`. */
export const RISK_ASSESSMENT_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  id: 'ra.id',
  municipalityId: 'ra.municipality_id',
};
