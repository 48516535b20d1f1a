import type { MunicipalitySpec } from '@samverka/api';

/** A second municipality, to prove that nothing crosses municipalities. */
export const GRANNBY_SPEC: MunicipalitySpec = {
  name: 'Grannby kommun',
  areas: ['Centrum'],
  unitName: (agency, area) => `${agency} ${area}`,
  users: [
    {
      email: 'admin@grannby.test',
      displayName: 'Grannby Admin',
      roles: ['admin'],
      agency: 'social_services',
      area: 'Centrum',
    },
    {
      email: 'skola@grannby.test',
      displayName: 'Grannby Skola',
      roles: ['school_staff'],
      agency: 'school',
      area: 'Centrum',
    },
    {
      email: 'socialsekreterare@grannby.test',
      displayName: 'Grannby Socialsekreterare',
      roles: ['social_worker'],
      agency: 'social_services',
      area: 'Centrum',
    },
    {
      email: 'revisor@grannby.test',
      displayName: 'Grannby Revisor',
      roles: ['auditor'],
      agency: 'social_services',
      area: 'Centrum',
    },
  ],
  people: [
    {
      key: 'gustav',
      givenName: 'Gustav',
      familyName: 'Grann',
      birthDate: '2011-03-14',
      serial: '238',
      agencies: ['school', 'social_services'],
    },
  ],
};

/** Shared by every test: the demo data and the fixture municipality use this password. */
export const PASSWORD = 'demo-password-123';
