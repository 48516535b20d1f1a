import { PolicyTranslationError, type FieldMap } from './sql.js';

/**
 * The policy's subject fields as SQL over the tables that hold them, so that every list and
 * search filters with the same rules that guard single records.
 */

/** `Person` over `person p`. */
export const PERSON_SQL_FIELDS: FieldMap = {
  id: 'p.id',
  municipalityId: 'p.municipality_id',
  protectionLevel: 'p.protection_level',
  linkedAgencies: (operator, value, bind) => {
    if (operator === 'eq') {
      return `EXISTS (SELECT 1 FROM person_agency pa WHERE pa.person_id = p.id AND pa.agency = ${bind(value)})`;
    }
    if (operator === 'in') {
      return `EXISTS (SELECT 1 FROM person_agency pa WHERE pa.person_id = p.id AND pa.agency = ANY(${bind(value)}))`;
    }
    throw new PolicyTranslationError(`linkedAgencies does not support ${operator}`);
  },
};

/** Whether case `k` is one of the unit's cases (owning or participating). */
const caseUnit = (operator: string, value: unknown, bind: (value: unknown) => string) => {
  if (operator !== 'eq')
    throw new PolicyTranslationError(`caseUnitIds does not support ${operator}`);
  const unit = bind(value);
  return `(k.owning_unit_id = ${unit} OR EXISTS (SELECT 1 FROM case_unit cu WHERE cu.case_id = k.id AND cu.unit_id = ${unit}))`;
};

/**
 * Whether case `kase` (an SQL expression of its id) is open to unit `unit`: the unit holds it or
 * takes part in it, or a consent in force covers the unit (or its agency) for the case's general
 * information. What is about the case (a meeting of it, an action of its plan) reaches a unit only
 * while this holds, so a revoked consent takes it away on the next read; the meeting gate
 * (`meeting_uncovered`) invites by the same rule.
 */
export const caseOpenToUnitSql = (kase: string, unit: string) => `EXISTS (
  SELECT 1 FROM collab_case ok WHERE ok.id = ${kase} AND (ok.owning_unit_id = ${unit}
    OR EXISTS (SELECT 1 FROM case_unit ocu WHERE ocu.case_id = ok.id AND ocu.unit_id = ${unit})
    OR case_info_covers(ok.id, 'general', NULL, (SELECT ou.agency FROM unit ou WHERE ou.id = ${unit}), ${unit}, now())))`;

/** A field whose condition (equality with a unit id) is `sql` of the bound unit. */
export const unitCondition =
  (field: string, sql: (unit: string) => string) =>
  (operator: string, value: unknown, bind: (value: unknown) => string) => {
    if (operator !== 'eq')
      throw new PolicyTranslationError(`${field} does not support ${operator}`);
    return sql(`${bind(value)}::uuid`);
  };

/** Case-scoped fields over `collab_case k`. */
export const CASE_SCOPE: FieldMap = {
  caseId: 'k.id',
  caseAreaId: 'k.area_id',
  caseUnitIds: caseUnit,
};

/** `Case` over `collab_case k`. */
export const CASE_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  id: 'k.id',
  municipalityId: 'k.municipality_id',
  responsibleUserId: 'k.responsible_user_id',
};

/** `Consent` over `consent c JOIN collab_case k ON k.id = c.case_id`. */
export const CONSENT_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  id: 'c.id',
  municipalityId: 'c.municipality_id',
};

/** A disclosure of entry `e` to the receiver that holds now: statutory, or on a consent in force. */
const disclosedWhere = (receiver: string) =>
  `EXISTS (SELECT 1 FROM disclosure d WHERE d.entry_id = e.id AND ${receiver}
     AND (d.basis_kind = 'statutory' OR consent_in_force(d.consent_id, now())))`;

/** A consent in force for case `m.case_id` that covers the message's category and the receiver. */
const consentCoversWhere = (receiver: string) =>
  `EXISTS (SELECT 1 FROM consent c WHERE c.case_id = m.case_id AND m.category = ANY(c.scope_categories)
     AND ${receiver} AND consent_in_force(c.id, now()))`;

/** `CaseMessage` over `case_message m JOIN collab_case k ON k.id = m.case_id`. */
export const MESSAGE_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  id: 'm.id',
  municipalityId: 'm.municipality_id',
  authorAgency: 'm.author_agency',
  category: 'm.category',
  consentCoversAgencies: (operator, value, bind) => {
    if (operator !== 'eq')
      throw new PolicyTranslationError(`consentCoversAgencies does not support ${operator}`);
    return consentCoversWhere(`${bind(value)} = ANY(c.scope_agencies)`);
  },
  consentCoversUnits: (operator, value, bind) => {
    if (operator !== 'eq')
      throw new PolicyTranslationError(`consentCoversUnits does not support ${operator}`);
    return consentCoversWhere(`${bind(value)}::uuid = ANY(c.scope_unit_ids)`);
  },
};

/** `Notice` over `notice n`. */
export const NOTICE_SQL_FIELDS: FieldMap = {
  id: 'n.id',
  municipalityId: 'n.municipality_id',
  authorUserId: 'n.author_user_id',
  recipientUserIds: (operator, value, bind) => {
    if (operator !== 'eq')
      throw new PolicyTranslationError(`recipientUserIds does not support ${operator}`);
    return `EXISTS (SELECT 1 FROM notice_recipient nr WHERE nr.notice_id = n.id AND nr.user_id = ${bind(value)})`;
  },
};

/** `CaseEntry` over `case_entry e JOIN collab_case k ON k.id = e.case_id`. */
export const ENTRY_SQL_FIELDS: FieldMap = {
  ...CASE_SCOPE,
  id: 'e.id',
  municipalityId: 'e.municipality_id',
  authorAgency: 'e.author_agency',
  disclosedTo: (operator, value, bind) => {
    if (operator !== 'eq')
      throw new PolicyTranslationError(`disclosedTo does not support ${operator}`);
    return disclosedWhere(`d.to_agency = ${bind(value)} AND d.to_unit_id IS NULL`);
  },
  disclosedToUnits: (operator, value, bind) => {
    if (operator !== 'eq')
      throw new PolicyTranslationError(`disclosedToUnits does not support ${operator}`);
    return disclosedWhere(`d.to_unit_id = ${bind(value)}`);
  },
};

/** `ConcernReport` over `concern_report r`. */
export const CONCERN_SQL_FIELDS: FieldMap = {
  id: 'r.id',
  municipalityId: 'r.municipality_id',
  reporterUserId: 'r.reporter_user_id',
  receivingUnitId: 'r.receiving_unit_id',
};

/** `Notification` over `notification n`. */
export const NOTIFICATION_SQL_FIELDS: FieldMap = {
  municipalityId: 'n.municipality_id',
  userId: 'n.user_id',
};
