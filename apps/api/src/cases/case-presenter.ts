import { applyFieldMasks, type AppAbility } from '@samverka/authz';
import {
  allowedTransitions,
  formatIdentityNumber,
  type CaseMemberResponse,
  type CaseResponse,
  type CaseUnitResponse,
  type ProtectionLevel,
} from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { CaseRow } from './case-query.js';

interface PersonRow {
  id: string;
  municipality_id: string;
  given_name: string;
  family_name: string;
  birth_date: string | null;
  identity_number: string;
  protection_level: ProtectionLevel;
}

/** Case views with their units, members and young person (masked where the policy says so). */
export class CasePresenter {
  constructor(private readonly ability: AppAbility) {}

  async present(manager: EntityManager, rows: CaseRow[]): Promise<CaseResponse[]> {
    if (rows.length === 0) return [];
    const caseIds = rows.map((row) => row.id);
    // One query each (no N+1), one after another: a transaction's connection runs one at a time.
    const people = await manager.query<PersonRow[]>(
      `SELECT id, municipality_id, given_name, family_name, birth_date::text AS birth_date, identity_number, protection_level
         FROM person WHERE id = ANY($1::uuid[])`,
      [rows.map((row) => row.person_id)],
    );
    const units = await manager.query<(CaseUnitResponse & { case_id: string; owning: boolean })[]>(
      `SELECT k.id AS case_id, u.id, u.name, u.agency, true AS owning
         FROM collab_case k JOIN unit u ON u.id = k.owning_unit_id WHERE k.id = ANY($1::uuid[])
         UNION ALL
         SELECT cu.case_id, u.id, u.name, u.agency, false FROM case_unit cu JOIN unit u ON u.id = cu.unit_id
         WHERE cu.case_id = ANY($1::uuid[])
         ORDER BY name`,
      [caseIds],
    );
    const members = await manager.query<
      { case_id: string; user_id: string; display_name: string; unit_id: string; agency: string }[]
    >(
      `SELECT cm.case_id, u.id AS user_id, u.display_name, u.unit_id, un.agency
         FROM case_member cm JOIN app_user u ON u.id = cm.user_id JOIN unit un ON un.id = u.unit_id
         WHERE cm.case_id = ANY($1::uuid[]) ORDER BY u.display_name`,
      [caseIds],
    );
    return rows.map((row) => {
      const person = people.find((candidate) => candidate.id === row.person_id)!;
      const owning = units.find((unit) => unit.case_id === row.id && unit.owning)!;
      return {
        id: row.id,
        kind: row.kind,
        status: row.status,
        allowedTransitions: allowedTransitions(row.kind, row.status),
        areaId: row.area_id,
        person: this.person(person),
        owningUnit: { id: owning.id, name: owning.name, agency: owning.agency },
        responsibleUserId: row.responsible_user_id,
        participatingUnits: units
          .filter((unit) => unit.case_id === row.id && !unit.owning)
          .map(({ id, name, agency }) => ({ id, name, agency })),
        members: members
          .filter((member) => member.case_id === row.id)
          .map((member): CaseMemberResponse => ({
            userId: member.user_id,
            displayName: member.display_name,
            unitId: member.unit_id,
            agency: member.agency,
            role: member.user_id === row.responsible_user_id ? 'responsible' : 'member',
          })),
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      };
    });
  }

  private person(row: PersonRow): CaseResponse['person'] {
    const { value, masked } = applyFieldMasks(this.ability, 'Person', {
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
}
