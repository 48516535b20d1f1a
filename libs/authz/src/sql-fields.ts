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
