import type { Actor } from '../common/actor.js';
import type { SqlParams } from '../common/sql-params.js';

/** The longest legal basis an audit event keeps (`audit_event.legal_basis`). */
export const LEGAL_BASIS_MAX = 200;

/** What names a consent as a legal basis, before its id (OSL 12:2: the individual waives secrecy). */
export const CONSENT_BASIS_PREFIX = 'OSL 12:2 samtycke ';

/** A consent as the legal basis an audit event names. */
export const consentBasis = (consentId: string): string => `${CONSENT_BASIS_PREFIX}${consentId}`;

/** Consents as one audit event's legal basis: each named, within `LEGAL_BASIS_MAX`. */
export const consentsBasis = (consentIds: readonly string[]): string =>
  consentIds.map(consentBasis).join('; ').slice(0, LEGAL_BASIS_MAX);

/**
 * SQL: the consents in force now on case `caseSql` that cover the actor's agency or unit (for
 * the category `categorySql`, an SQL expression, when given), as the legal basis of the actor's
 * read — `OSL 12:2 samtycke <id>; …`, as `consentsBasis` writes it — or NULL when none does.
 * Every read that rests on a consent is audited with it: messages, agenda items, plans, plan
 * actions, SIG records.
 */
export function consentsCoveringSql(
  actor: Actor,
  params: SqlParams,
  caseSql: string,
  categorySql?: string,
): string {
  const agency = params.bind(actor.principal.agency);
  const unit = `${params.bind(actor.principal.unitId)}::uuid`;
  return `(SELECT left(string_agg('${CONSENT_BASIS_PREFIX}' || c.id, '; ' ORDER BY c.id), ${LEGAL_BASIS_MAX})
    FROM consent c WHERE c.case_id = ${caseSql}
      ${categorySql ? `AND ${categorySql} = ANY(c.scope_categories)` : ''}
      AND (${agency} = ANY(c.scope_agencies) OR ${unit} = ANY(c.scope_unit_ids))
      AND consent_in_force(c.id, now()))`;
}
