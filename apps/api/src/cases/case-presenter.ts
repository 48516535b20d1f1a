import { applyFieldMasks, type AppAbility } from '@samverka/authz';
import {
  allowedTransitions,
  formatIdentityNumber,
  type CaseMemberResponse,
  type CasePersonResponse,
  type CaseResponse,
  type CaseUnitResponse,
  type ProtectionLevel,
} from '@samverka/contracts';
import { CASE_COLUMNS, type CaseRow } from './case-query.js';

/** The young person of a record, as `PERSON_JSON` (over `person p`) gathers it. */
export interface PersonRow {
  id: string;
  municipality_id: string;
  given_name: string;
  family_name: string;
  birth_date: string | null;
  identity_number: string;
  protection_level: ProtectionLevel;
}

/** A case row with what its view shows, gathered by the same statement (no N+1, one round trip). */
export interface CaseViewRow extends CaseRow {
  person: PersonRow;
  owning_unit: CaseUnitResponse;
  participating_units: CaseUnitResponse[];
  members: { user_id: string; display_name: string; unit_id: string; agency: string }[];
}

/** A `PersonRow` of `person p` as JSON. */
export const PERSON_JSON = `json_build_object('id', p.id, 'municipality_id', p.municipality_id, 'given_name', p.given_name,
     'family_name', p.family_name, 'birth_date', p.birth_date::text, 'identity_number', p.identity_number,
     'protection_level', p.protection_level)`;

/** Columns of `collab_case k` for `CaseViewRow`. */
export const CASE_VIEW_COLUMNS = `${CASE_COLUMNS},
  (SELECT ${PERSON_JSON} FROM person p WHERE p.id = k.person_id) AS person,
  (SELECT json_build_object('id', u.id, 'name', u.name, 'agency', u.agency)
     FROM unit u WHERE u.id = k.owning_unit_id) AS owning_unit,
  (SELECT COALESCE(json_agg(json_build_object('id', u.id, 'name', u.name, 'agency', u.agency) ORDER BY u.name), '[]')
     FROM case_unit cu JOIN unit u ON u.id = cu.unit_id WHERE cu.case_id = k.id) AS participating_units,
  (SELECT COALESCE(json_agg(json_build_object('user_id', u.id, 'display_name', u.display_name, 'unit_id', u.unit_id,
     'agency', un.agency) ORDER BY u.display_name), '[]')
     FROM case_member cm JOIN app_user u ON u.id = cm.user_id JOIN unit un ON un.id = u.unit_id
     WHERE cm.case_id = k.id) AS members`;

/** Case views with their units, members and young person (masked where the policy says so). */
export class CasePresenter {
  constructor(private readonly ability: AppAbility) {}

  present(row: CaseViewRow): CaseResponse {
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      allowedTransitions: allowedTransitions(row.kind, row.status),
      areaId: row.area_id,
      person: presentPerson(this.ability, row.person),
      owningUnit: row.owning_unit,
      responsibleUserId: row.responsible_user_id,
      participatingUnits: row.participating_units,
      members: row.members.map((member): CaseMemberResponse => ({
        userId: member.user_id,
        displayName: member.display_name,
        unitId: member.unit_id,
        agency: member.agency,
        role: member.user_id === row.responsible_user_id ? 'responsible' : 'member',
      })),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

/** The young person of a record, masked where the policy says so. */
export function presentPerson(ability: AppAbility, row: PersonRow): CasePersonResponse {
  const { value, masked } = applyFieldMasks(ability, 'Person', {
    id: row.id,
    municipalityId: row.municipality_id,
    protectionLevel: row.protection_level,
    givenName: row.given_name,
    familyName: row.family_name,
    birthDate: row.birth_date,
    identityNumber: formatIdentityNumber(row.identity_number),
  });
  return {
    id: row.id,
    name: [value.givenName, value.familyName].filter(Boolean).join(' '),
    birthDate: value.birthDate,
    identityNumber: value.identityNumber,
    masked,
  };
}
