import {
  accessibleWhere,
  AGENDA_ITEM_SQL_FIELDS,
  applyFieldMasks,
  type Action,
  type AppAbility,
} from '@samverka/authz';
import type { AgendaItemResponse, ProtectionLevel } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { consentsCoveringSql, LEGAL_BASIS_MAX } from '../sharing/consent-basis.js';

/** Agenda items (`agenda_item ai JOIN meeting m`) the actor may `action`, in their municipality. */
export function agendaWhere(actor: Actor, action: Action, params: SqlParams): string {
  const tenant = `ai.municipality_id = ${params.bind(actor.principal.municipalityId)}`;
  return `${tenant} AND ${accessibleWhere(actor.ability, action, 'AgendaItem', AGENDA_ITEM_SQL_FIELDS, params.bind)}`;
}

export interface AgendaItemRow {
  id: string;
  meeting_id: string;
  municipality_id: string;
  position: number;
  title: string;
  case_id: string | null;
  category: string;
  legal_basis_code: string | null;
  created_at: Date;
  person_id: string | null;
  person_municipality_id: string | null;
  given_name: string | null;
  family_name: string | null;
  protection_level: ProtectionLevel | null;
  /**
   * The legal basis on which an item about a case reaches the reader (null when their unit holds
   * the case): its statutory basis and the consents in force that cover them for its category (a
   * unit taking part in the case reads it on those too). It goes into the audit event of the read.
   */
  reader_basis: string | null;
}

/** Agenda item rows, with the reader's legal basis (`basis`, over `ai`, `pk` and `lb`). */
const itemSql = (
  basis: string,
) => `SELECT ai.id, ai.meeting_id, ai.municipality_id, ai.position, ai.title, ai.case_id, ai.category,
    lb.code AS legal_basis_code, ai.created_at, p.id AS person_id, p.municipality_id AS person_municipality_id,
    p.given_name, p.family_name, p.protection_level, ${basis} AS reader_basis
  FROM agenda_item ai JOIN meeting m ON m.id = ai.meeting_id
  LEFT JOIN legal_basis lb ON lb.id = ai.legal_basis_id
  LEFT JOIN collab_case pk ON pk.id = ai.case_id LEFT JOIN person p ON p.id = pk.person_id`;

/** Agenda items the actor may see now (consent evaluated in the same statement). */
export async function readItems(
  manager: EntityManager,
  actor: Actor,
  action: Action,
  filter: (params: SqlParams) => string,
): Promise<AgendaItemRow[]> {
  const params = new SqlParams();
  const where = [agendaWhere(actor, action, params), filter(params)];
  const basis = `CASE WHEN ai.case_id IS NULL OR pk.owning_unit_id = ${params.bind(actor.principal.unitId)}::uuid
    THEN NULL ELSE NULLIF(left(concat_ws('; ', lb.code,
      ${consentsCoveringSql(actor, params, 'ai.case_id', 'ai.category')}), ${LEGAL_BASIS_MAX}), '') END`;
  return manager.query<AgendaItemRow[]>(
    `${itemSql(basis)} WHERE ${where.join(' AND ')} ORDER BY ai.position, ai.id`,
    params.values,
  );
}

/** One item the actor may see now (404 otherwise, also when its consent no longer covers them). */
export async function findItem(
  manager: EntityManager,
  actor: Actor,
  itemId: string,
): Promise<AgendaItemRow> {
  const [row] = await readItems(
    manager,
    actor,
    'read',
    (params) => `ai.id = ${params.bind(itemId)}`,
  );
  if (!row) throw notFound('The agenda item');
  return row;
}

/** The item, with the young person masked where the policy says so. */
export function presentItem(ability: AppAbility, row: AgendaItemRow): AgendaItemResponse {
  let person: AgendaItemResponse['person'] = null;
  if (row.person_id) {
    const { value, masked } = applyFieldMasks(ability, 'Person', {
      id: row.person_id,
      municipalityId: row.person_municipality_id,
      protectionLevel: row.protection_level,
      givenName: row.given_name,
      familyName: row.family_name,
    });
    person = {
      id: row.person_id,
      name: [value.givenName, value.familyName].filter(Boolean).join(' '),
      masked,
    };
  }
  return {
    id: row.id,
    meetingId: row.meeting_id,
    position: row.position,
    title: row.title,
    caseId: row.case_id,
    person,
    category: row.category,
    legalBasisCode: row.legal_basis_code,
    createdAt: row.created_at.toISOString(),
  };
}
