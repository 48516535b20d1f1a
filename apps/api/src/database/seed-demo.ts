import type { AgencyType } from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import { hashPassword } from '../auth/passwords.js';
import { seedRetentionRules } from '../retention/default-rules.js';
import { seedMunicipality, type MunicipalitySpec } from './seed-municipality.js';

export const DEMO_MUNICIPALITY = 'Demo kommun';
/** Public, and therefore refused in production. */
export const DEMO_PASSWORD = 'demo-password-123';

const UNIT_NAMES: Record<AgencyType, string> = {
  school: 'Skolan',
  social_services: 'Socialtjänsten',
  police: 'Polisen',
  leisure: 'Fritidsgården',
  health: 'BUP',
};

export const DEMO_USERS = [
  {
    email: 'samordnare@demo.test',
    displayName: 'Sara Samordnare',
    roles: ['coordinator'],
    agency: 'social_services',
  },
  {
    email: 'skola@demo.test',
    displayName: 'Karin Kurator',
    roles: ['school_staff'],
    agency: 'school',
  },
  {
    email: 'polis@demo.test',
    displayName: 'Per Polis',
    roles: ['police_liaison'],
    agency: 'police',
  },
  {
    email: 'socialsekreterare@demo.test',
    displayName: 'Sofia Socialsekreterare',
    roles: ['social_worker'],
    agency: 'social_services',
  },
  {
    email: 'sig@demo.test',
    displayName: 'Simon SIG',
    roles: ['case_holder'],
    agency: 'social_services',
  },
  {
    email: 'fritid@demo.test',
    displayName: 'Fatima Fritidsledare',
    roles: ['leisure_staff'],
    agency: 'leisure',
  },
  { email: 'bup@demo.test', displayName: 'Bengt BUP', roles: ['health_staff'], agency: 'health' },
  {
    email: 'revisor@demo.test',
    displayName: 'Rut Revisor',
    roles: ['auditor'],
    agency: 'social_services',
  },
  {
    email: 'admin@demo.test',
    displayName: 'Anders Admin',
    roles: ['admin'],
    agency: 'social_services',
  },
] as const satisfies { email: string; displayName: string; roles: string[]; agency: AgencyType }[];

export const DEMO_SPEC: MunicipalitySpec = {
  name: DEMO_MUNICIPALITY,
  areas: ['Norra', 'Södra'],
  unitName: (agency, area) => `${UNIT_NAMES[agency]} ${area}`,
  users: DEMO_USERS.map((user) => ({ ...user, roles: [...user.roles], area: 'Norra' })),
  people: [
    {
      key: 'anna',
      givenName: 'Anna',
      familyName: 'Andersson',
      birthDate: '1984-05-02',
      serial: '242',
      gender: 'female',
      agencies: ['school', 'social_services'],
    },
    {
      key: 'bo',
      givenName: 'Bo',
      familyName: 'Andersson',
      birthDate: '1981-11-23',
      serial: '215',
      gender: 'male',
      agencies: ['school', 'social_services'],
    },
    {
      key: 'elias',
      givenName: 'Elias',
      familyName: 'Andersson',
      birthDate: '2011-03-14',
      serial: '238',
      gender: 'male',
      school: 'Norraskolan',
      address: 'Storgatan 1',
      agencies: ['school', 'social_services', 'police'],
      guardians: [
        { key: 'anna', custody: true },
        { key: 'bo', custody: true },
      ],
    },
    {
      key: 'maria',
      givenName: 'Maria',
      familyName: 'Nilsson',
      birthDate: '1979-08-30',
      serial: '266',
      gender: 'female',
      agencies: ['school'],
    },
    {
      key: 'nora',
      givenName: 'Nora',
      familyName: 'Nilsson',
      birthDate: '2012-09-07',
      serial: '124',
      gender: 'female',
      school: 'Norraskolan',
      agencies: ['school', 'leisure'],
      guardians: [{ key: 'maria', custody: true }],
    },
    {
      key: 'leo',
      givenName: 'Leo',
      familyName: 'Karlsson',
      birthDate: '2008-01-19',
      serial: '353',
      gender: 'male',
      agencies: ['social_services', 'police'],
    },
    {
      key: 'protected',
      givenName: 'Alva',
      familyName: 'Lind',
      birthDate: '2010-06-21',
      serial: '482',
      gender: 'female',
      school: 'Södraskolan',
      address: 'Skyddad adress',
      protectionLevel: 'protected_registration',
      agencies: ['school', 'social_services'],
      clearedUsers: ['socialsekreterare@demo.test'],
    },
  ],
};

/** Loads "Demo kommun" unless it is there already; returns whether it did. */
export async function seedDemo(dataSource: DataSource, audit: AuditService): Promise<boolean> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(727310002)');
    const [existing] = await manager.query<unknown[]>(
      'SELECT id FROM municipality WHERE name = $1',
      [DEMO_MUNICIPALITY],
    );
    if (existing) return false;
    const seeded = await seedMunicipality(manager, audit, DEMO_SPEC, passwordHash);
    await seedRetentionRules(manager, seeded.municipalityId);
    return true;
  });
}
