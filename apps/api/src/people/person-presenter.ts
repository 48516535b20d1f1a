import { applyFieldMasks, type AppAbility } from '@samverka/authz';
import {
  formatIdentityNumber,
  type GuardianResponse,
  type PersonResponse,
} from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { AuditEntry } from '../audit/audit.service.js';
import type { PersonRow } from './person-query.js';

interface GuardianRow {
  child_id: string;
  guardian_id: string;
  custody: boolean;
  given_name: string;
  family_name: string;
  protection_level: PersonResponse['protectionLevel'];
  municipality_id: string;
}

/**
 * A view that names a person's guardians is a read of each guardian's data too: the audit events
 * that put it in each guardian's own trail ("who accessed my data"), one per guardian shown, as
 * `action` of the record that showed them.
 */
export function guardianReads(people: PersonResponse[], action: string): AuditEntry[] {
  return people.flatMap((person) =>
    person.guardians.flatMap(({ personId }) =>
      // A guardian shown masked ("Skyddad identitet", no id) had none of their data read.
      personId === null
        ? []
        : [
            {
              action,
              recordType: 'Person',
              recordId: person.id,
              personId,
              details: { as: 'guardian' },
            },
          ],
    ),
  );
}

/**
 * Person views for every output. Each view, and each guardian named in it, passes the policy's
 * field masks: a protected person's identity reaches only users cleared for them.
 */
export class PersonPresenter {
  constructor(private readonly ability: AppAbility) {}

  async present(manager: EntityManager, rows: PersonRow[]): Promise<PersonResponse[]> {
    if (rows.length === 0) return [];
    const guardians = await manager.query<GuardianRow[]>(
      `SELECT g.child_id, g.guardian_id, g.custody, p.given_name, p.family_name, p.protection_level, p.municipality_id
       FROM person_guardian g JOIN person p ON p.id = g.guardian_id
       WHERE g.child_id = ANY($1::uuid[]) ORDER BY p.family_name, p.given_name`,
      [rows.map((row) => row.id)],
    );
    return rows.map((row) =>
      this.view(
        row,
        guardians.filter((guardian) => guardian.child_id === row.id),
      ),
    );
  }

  private view(row: PersonRow, guardians: GuardianRow[]): PersonResponse {
    const full = {
      id: row.id,
      municipalityId: row.municipality_id,
      identityKind: row.identity_kind,
      identityNumber: formatIdentityNumber(row.identity_number),
      givenName: row.given_name,
      familyName: row.family_name,
      birthDate: row.birth_date,
      gender: row.gender,
      address: row.address,
      school: row.school,
      protectionLevel: row.protection_level,
      guardians: guardians.map((guardian) => this.guardian(guardian)),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
    const { value, masked } = applyFieldMasks(this.ability, 'Person', full);
    const { municipalityId: _tenant, ...view } = value;
    return { ...view, masked };
  }

  private guardian(row: GuardianRow): GuardianResponse {
    const { value, masked } = applyFieldMasks(this.ability, 'Person', {
      id: row.guardian_id,
      municipalityId: row.municipality_id,
      protectionLevel: row.protection_level,
      givenName: row.given_name,
      familyName: row.family_name,
    });
    return {
      // A protected guardian's id would tie the children they share together: only the cleared see it.
      personId: masked ? null : row.guardian_id,
      name: [value.givenName, value.familyName].filter(Boolean).join(' '),
      custody: row.custody,
    };
  }
}
