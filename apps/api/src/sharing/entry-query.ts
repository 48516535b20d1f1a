import { accessibleWhere, ENTRY_SQL_FIELDS, type Action } from '@samverka/authz';
import type { AgencyType, EntryResponse } from '@samverka/contracts';
import { protectedVersionSql, textFor, type PersonNames } from '../people/protected-texts.js';
import type { Actor } from '../common/actor.js';
import { CONSENT_BASIS_PREFIX, LEGAL_BASIS_MAX } from './consent-basis.js';
import type { SqlParams } from '../common/sql-params.js';

export interface EntryRow {
  id: string;
  case_id: string;
  person_id: string;
  category: string;
  body: string;
  author_agency: AgencyType;
  author_user_id: string;
  author_name: string;
  author_unit_id: string;
  created_at: Date;
  /** The bases on which the entry reaches the reader (null: their own agency's entry). */
  legal_basis: string | null;
  /** The version of the municipality's protected people (`protectedVersionSql`). */
  protected_version: string;
}

/** Entries (`case_entry e JOIN collab_case k`) the actor may `action`, within their municipality. */
export function entryWhere(actor: Actor, action: Action, params: SqlParams): string {
  const tenant = `e.municipality_id = ${params.bind(actor.principal.municipalityId)}`;
  return `${tenant} AND ${accessibleWhere(actor.ability, action, 'CaseEntry', ENTRY_SQL_FIELDS, params.bind)}`;
}

/**
 * Entry columns for a reader, with the legal basis of the disclosures that reach them now (the
 * same condition as the policy's `disclosedTo`): it goes into the audit event of the read; and
 * the version of the municipality's protected people, whose names a body may not show the reader.
 */
export function entryColumns(actor: Actor, params: SqlParams): string {
  return `e.id, e.case_id, k.person_id, e.category, e.body, e.author_agency, e.author_user_id, u.display_name AS author_name,
    e.author_unit_id, e.created_at, ${entryBasisSql(actor, params)} AS legal_basis,
    ${protectedVersionSql(`${params.bind(actor.principal.municipalityId)}::uuid`)} AS protected_version`;
}

/**
 * The legal basis on which entry `e` reaches the actor now: none for their own agency's, else the
 * disclosures that reach them (consent in force, or statute). Every output of an entry (its read,
 * a list, a search, a meeting's minutes) audits the read with it.
 */
export function entryBasisSql(actor: Actor, params: SqlParams): string {
  const agency = params.bind(actor.principal.agency);
  const unit = params.bind(actor.principal.unitId);
  return `CASE WHEN e.author_agency = ${agency} THEN NULL ELSE (
      SELECT left(string_agg(DISTINCT CASE d.basis_kind WHEN 'consent' THEN '${CONSENT_BASIS_PREFIX}' || d.consent_id ELSE lb.code END, '; '), ${LEGAL_BASIS_MAX})
      FROM disclosure d LEFT JOIN legal_basis lb ON lb.id = d.legal_basis_id
      WHERE d.entry_id = e.id AND d.to_agency = ${agency} AND (d.to_unit_id IS NULL OR d.to_unit_id = ${unit})
        AND (d.basis_kind = 'statutory' OR consent_in_force(d.consent_id, now()))
    ) END`;
}

export const ENTRY_FROM =
  'case_entry e JOIN collab_case k ON k.id = e.case_id JOIN app_user u ON u.id = e.author_user_id';

/**
 * Entries as the reader sees them: a body that may name a protected person the reader may not
 * see (`hidden`) reads as hidden (`textFor`).
 */
export const entryPresenter =
  (hidden: readonly PersonNames[]) =>
  (row: EntryRow): EntryResponse => ({
    id: row.id,
    caseId: row.case_id,
    category: row.category,
    body: textFor(row.body, row.person_id, hidden),
    authorAgency: row.author_agency,
    authorUserId: row.author_user_id,
    authorName: row.author_name,
    authorUnitId: row.author_unit_id,
    access: row.legal_basis ?? 'own_agency',
    createdAt: row.created_at.toISOString(),
  });
