import type { AgencyType, Gender, ProtectionLevel, Role } from '@samverka/contracts';
import { luhnCheckDigit } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import { seedCatalog } from './seed-catalog.js';

export interface MunicipalitySpec {
  name: string;
  areas: string[];
  /** One unit per agency type per area is created, named by this function. */
  unitName: (agency: AgencyType, area: string) => string;
  users: { email: string; displayName: string; roles: Role[]; agency: AgencyType; area: string }[];
  people: {
    key: string;
    givenName: string;
    familyName: string;
    birthDate: string;
    serial: string;
    gender?: Gender;
    address?: string;
    school?: string;
    protectionLevel?: ProtectionLevel;
    guardians?: { key: string; custody: boolean }[];
    /** Agencies that have registered the person. */
    agencies: AgencyType[];
    /** Emails of users cleared for a protected person. */
    clearedUsers?: string[];
  }[];
}

export interface SeededMunicipality {
  municipalityId: string;
  areaIds: Record<string, string>;
  unitIds: Record<string, string>;
  userIds: Record<string, string>;
  personIds: Record<string, string>;
}

export const AGENCIES: AgencyType[] = ['school', 'social_services', 'police', 'leisure', 'health'];

/** A valid personnummer (12 digits) for a birth date and a three-digit serial. */
export function personnummer(birthDate: string, serial: string): string {
  const digits = birthDate.replace(/-/g, '');
  return `${digits}${serial}${luhnCheckDigit(`${digits.slice(2)}${serial}`)}`;
}

/** Creates a municipality with its areas, units, users and people, in the caller's transaction. */
export async function seedMunicipality(
  manager: EntityManager,
  audit: AuditService,
  spec: MunicipalitySpec,
  passwordHash: string,
): Promise<SeededMunicipality> {
  const [municipality] = await manager.query<{ id: string }[]>(
    'INSERT INTO municipality (name) VALUES ($1) RETURNING id',
    [spec.name],
  );
  const municipalityId = municipality!.id;
  await manager.query('INSERT INTO municipal_settings (municipality_id) VALUES ($1)', [
    municipalityId,
  ]);
  await seedCatalog(manager, municipalityId);
  const areaIds: Record<string, string> = {};
  const unitIds: Record<string, string> = {};
  for (const area of spec.areas) {
    const [row] = await manager.query<{ id: string }[]>(
      'INSERT INTO area (municipality_id, name) VALUES ($1, $2) RETURNING id',
      [municipalityId, area],
    );
    areaIds[area] = row!.id;
    for (const agency of AGENCIES) {
      const [unit] = await manager.query<{ id: string }[]>(
        'INSERT INTO unit (municipality_id, area_id, name, agency) VALUES ($1, $2, $3, $4) RETURNING id',
        [municipalityId, row!.id, spec.unitName(agency, area), agency],
      );
      unitIds[`${agency}:${area}`] = unit!.id;
    }
  }
  const userIds: Record<string, string> = {};
  for (const user of spec.users) {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO app_user (municipality_id, unit_id, email, display_name, password_hash, roles)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        municipalityId,
        unitIds[`${user.agency}:${user.area}`],
        user.email,
        user.displayName,
        passwordHash,
        user.roles,
      ],
    );
    userIds[user.email] = row!.id;
  }
  const personIds: Record<string, string> = {};
  for (const person of spec.people) {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO person (municipality_id, identity_kind, identity_number, given_name, family_name, birth_date,
                           gender, address, school, protection_level)
       VALUES ($1, 'personnummer', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        municipalityId,
        personnummer(person.birthDate, person.serial),
        person.givenName,
        person.familyName,
        person.birthDate,
        person.gender ?? null,
        person.address ?? null,
        person.school ?? null,
        person.protectionLevel ?? 'none',
      ],
    );
    personIds[person.key] = row!.id;
    for (const agency of person.agencies) {
      await manager.query('INSERT INTO person_agency (person_id, agency) VALUES ($1, $2)', [
        row!.id,
        agency,
      ]);
    }
    for (const guardian of person.guardians ?? []) {
      await manager.query(
        'INSERT INTO person_guardian (child_id, guardian_id, custody) VALUES ($1, $2, $3)',
        [row!.id, personIds[guardian.key], guardian.custody],
      );
    }
    for (const email of person.clearedUsers ?? []) {
      await manager.query(
        `INSERT INTO person_clearance (person_id, user_id, granted_by, reason) VALUES ($1, $2, $2, 'demo data')`,
        [row!.id, userIds[email]],
      );
    }
  }
  await audit.record(
    manager,
    { municipalityId, actorUserId: null, actorUnitId: null, requestId: null },
    [{ action: 'seed.municipality', recordType: 'Municipality', recordId: municipalityId }],
  );
  return { municipalityId, areaIds, unitIds, userIds, personIds };
}
