import { accessibleWhere, CASE_SQL_FIELDS, type Action } from '@samverka/authz';
import type { CaseKind } from '@samverka/contracts';
import type { Actor } from '../common/actor.js';
import type { SqlParams } from '../common/sql-params.js';

export const CASE_COLUMNS = `k.id, k.municipality_id, k.kind, k.status, k.area_id, k.person_id, k.owning_unit_id,
  k.responsible_user_id, k.created_at, k.updated_at`;

export interface CaseRow {
  id: string;
  municipality_id: string;
  kind: CaseKind;
  status: string;
  area_id: string;
  person_id: string;
  owning_unit_id: string;
  responsible_user_id: string;
  created_at: Date;
  updated_at: Date;
}

/** The cases (`collab_case k`) the actor may `action`, always within their municipality. */
export function caseWhere(actor: Actor, action: Action, params: SqlParams): string {
  const tenant = `k.municipality_id = ${params.bind(actor.principal.municipalityId)}`;
  return `${tenant} AND ${accessibleWhere(actor.ability, action, 'Case', CASE_SQL_FIELDS, params.bind)}`;
}
