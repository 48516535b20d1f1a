import { accessibleWhere, PERSON_SQL_FIELDS, type Action } from '@samverka/authz';
import type { Gender, IdentityKind, ProtectionLevel } from '@samverka/contracts';
import type { Actor } from '../common/actor.js';
import type { SqlParams } from '../common/sql-params.js';

/** Person columns as the queries here select them (alias `p`). */
export const PERSON_COLUMNS = `p.id, p.municipality_id, p.identity_kind, p.identity_number, p.given_name, p.family_name,
  p.birth_date::text AS birth_date, p.gender, p.address, p.school, p.protection_level, p.created_at, p.updated_at`;

export interface PersonRow {
  id: string;
  municipality_id: string;
  identity_kind: IdentityKind;
  identity_number: string;
  given_name: string;
  family_name: string;
  birth_date: string | null;
  gender: Gender | null;
  address: string | null;
  school: string | null;
  protection_level: ProtectionLevel;
  created_at: Date;
  updated_at: Date;
}

/**
 * Whether the actor may know who `person p` is (not masked for them): the policy's `identify`,
 * without the tenant (the caller adds it where the row is not already of their municipality).
 */
export function personIdentifiable(actor: Actor, params: SqlParams): string {
  return accessibleWhere(actor.ability, 'identify', 'Person', PERSON_SQL_FIELDS, params.bind);
}

/** The rows of `person p` the actor may `action`, always within their municipality. */
export function personWhere(actor: Actor, action: Action, params: SqlParams): string {
  const tenant = `p.municipality_id = ${params.bind(actor.principal.municipalityId)}`;
  return `${tenant} AND ${accessibleWhere(actor.ability, action, 'Person', PERSON_SQL_FIELDS, params.bind)}`;
}
