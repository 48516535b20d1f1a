import { caseOpenToUnitSql, unitCondition } from './sql-fields.js';
import { PolicyTranslationError, type Bind, type FieldMap } from './sql.js';

/** Whether meeting `m` has an invitee row with `column` = value. */
const invited =
  (column: 'user_id' | 'unit_id', field: string) =>
  (operator: string, value: unknown, bind: Bind) => {
    if (operator !== 'eq')
      throw new PolicyTranslationError(`${field} does not support ${operator}`);
    return `EXISTS (SELECT 1 FROM meeting_invitee mi WHERE mi.meeting_id = m.id AND mi.${column} = ${bind(value)})`;
  };

/** Meeting-scoped fields over `meeting m`. */
export const MEETING_SCOPE: FieldMap = {
  meetingId: 'm.id',
  meetingAreaId: 'm.area_id',
  organiserId: 'm.organiser_id',
  inviteeUserIds: invited('user_id', 'inviteeUserIds'),
  inviteeUnitIds: invited('unit_id', 'inviteeUnitIds'),
  /** A meeting without a case, or one whose case is open to the unit (`caseOpenToUnitSql`). */
  caseOpenToUnit: unitCondition(
    'caseOpenToUnit',
    (unit) => `(m.case_id IS NULL OR ${caseOpenToUnitSql('m.case_id', unit)})`,
  ),
};

/** `Meeting` over `meeting m`. */
export const MEETING_SQL_FIELDS: FieldMap = {
  ...MEETING_SCOPE,
  id: 'm.id',
  municipalityId: 'm.municipality_id',
};

/**
 * `AgendaItem` over `agenda_item ai JOIN meeting m ON m.id = ai.meeting_id`. Whether the item's
 * information reaches a unit is decided at read time by the database (`case_info_covers`: a
 * consent in force that names the unit or its agency and the item's category, or the item's
 * statutory basis), so a revoked consent hides the item on the very next read.
 */
export const AGENDA_ITEM_SQL_FIELDS: FieldMap = {
  ...MEETING_SCOPE,
  id: 'ai.id',
  municipalityId: 'ai.municipality_id',
  caseId: 'ai.case_id',
  caseOwnerUnitId: (operator, value, bind) => {
    if (operator !== 'eq')
      throw new PolicyTranslationError(`caseOwnerUnitId does not support ${operator}`);
    return `EXISTS (SELECT 1 FROM collab_case ck WHERE ck.id = ai.case_id AND ck.owning_unit_id = ${bind(value)})`;
  },
  coveredUnits: (operator, value, bind) => {
    if (operator !== 'eq')
      throw new PolicyTranslationError(`coveredUnits does not support ${operator}`);
    const unit = bind(value);
    return `case_info_covers(ai.case_id, ai.category, ai.legal_basis_id,
      (SELECT cu.agency FROM unit cu WHERE cu.id = ${unit}), ${unit}::uuid, now())`;
  },
};
