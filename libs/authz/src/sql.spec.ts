import { createMongoAbility, subject } from '@casl/ability';
import { PGlite } from '@electric-sql/pglite';
import type { AgencyType, ProtectionLevel, Role } from '@samverka/contracts';
import { defineAbilityFor } from './policy.js';
import type { Principal } from './principal.js';
import { PERSON_SQL_FIELDS } from './sql-fields.js';
import { accessibleWhere, PolicyTranslationError, type Bind, type FieldMap } from './sql.js';
import { ACTIONS, type Action, type AppAbility } from './subjects.js';

const HOME = 'mun-home';
const OTHER = 'mun-other';

interface Row {
  id: string;
  municipalityId: string;
  protectionLevel: ProtectionLevel | null;
  linkedAgencies: AgencyType[];
}

/** A small register: both municipalities, several agencies, every protection level, and null. */
const ROWS: readonly Row[] = [
  { id: 'p01', municipalityId: HOME, protectionLevel: 'none', linkedAgencies: ['school'] },
  {
    id: 'p02',
    municipalityId: HOME,
    protectionLevel: 'none',
    linkedAgencies: ['social_services', 'police'],
  },
  { id: 'p03', municipalityId: HOME, protectionLevel: 'flagged', linkedAgencies: ['school'] },
  {
    id: 'p04',
    municipalityId: HOME,
    protectionLevel: 'protected_registration',
    linkedAgencies: ['school', 'social_services'],
  },
  {
    id: 'p05',
    municipalityId: HOME,
    protectionLevel: 'assumed_identity',
    linkedAgencies: ['police'],
  },
  { id: 'p06', municipalityId: HOME, protectionLevel: 'none', linkedAgencies: [] },
  { id: 'p07', municipalityId: OTHER, protectionLevel: 'none', linkedAgencies: ['school'] },
  {
    id: 'p08',
    municipalityId: OTHER,
    protectionLevel: 'flagged',
    linkedAgencies: ['school', 'police'],
  },
  { id: 'p09', municipalityId: HOME, protectionLevel: null, linkedAgencies: ['school'] },
  {
    id: 'p10',
    municipalityId: HOME,
    protectionLevel: 'none',
    linkedAgencies: ['leisure', 'health'],
  },
  {
    id: 'p11',
    municipalityId: OTHER,
    protectionLevel: 'none',
    linkedAgencies: ['social_services'],
  },
];

const PERSON_FIELDS = PERSON_SQL_FIELDS;

function principal(roles: readonly Role[], overrides: Partial<Principal> = {}): Principal {
  return {
    userId: 'user-1',
    municipalityId: HOME,
    unitId: 'unit-1',
    agency: 'school',
    areaIds: [],
    roles,
    clearedPersonIds: [],
    ...overrides,
  };
}

const PRINCIPALS: ReadonlyArray<{ name: string; principal: Principal }> = [
  { name: 'school staff, no clearances', principal: principal(['school_staff']) },
  {
    name: 'school staff cleared for p03 and p09',
    principal: principal(['school_staff'], { clearedPersonIds: ['p03', 'p09'] }),
  },
  {
    name: 'social worker cleared for p04 and for p08 (other municipality)',
    principal: principal(['social_worker'], {
      agency: 'social_services',
      clearedPersonIds: ['p04', 'p08'],
    }),
  },
  {
    name: 'police liaison cleared for p05',
    principal: principal(['police_liaison'], { agency: 'police', clearedPersonIds: ['p05'] }),
  },
  {
    name: 'health staff',
    principal: principal(['health_staff'], { agency: 'health' }),
  },
  {
    name: 'school staff of the other municipality, cleared for p08',
    principal: principal(['school_staff'], { municipalityId: OTHER, clearedPersonIds: ['p08'] }),
  },
  { name: 'admin', principal: principal(['admin']) },
  { name: 'auditor', principal: principal(['auditor']) },
  { name: 'no roles', principal: principal([]) },
  {
    name: 'coordinator + admin + auditor',
    principal: principal(['coordinator', 'admin', 'auditor'], { agency: 'social_services' }),
  },
];

let db: PGlite;

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec(`
    CREATE TABLE person (
      id text PRIMARY KEY,
      municipality_id text NOT NULL,
      protection_level text
    );
    CREATE TABLE person_agency (
      person_id text NOT NULL REFERENCES person (id),
      agency text NOT NULL,
      PRIMARY KEY (person_id, agency)
    );
  `);
  for (const row of ROWS) {
    await db.query(
      'INSERT INTO person (id, municipality_id, protection_level) VALUES ($1, $2, $3)',
      [row.id, row.municipalityId, row.protectionLevel],
    );
    for (const agency of row.linkedAgencies) {
      await db.query('INSERT INTO person_agency (person_id, agency) VALUES ($1, $2)', [
        row.id,
        agency,
      ]);
    }
  }
});

afterAll(async () => {
  await db.close();
});

/** Translates the ability for `action` on Person and runs it; returns the WHERE clause and ids. */
async function sqlIds(
  ability: AppAbility,
  action: Action,
  fields: FieldMap = PERSON_FIELDS,
): Promise<{ where: string; ids: string[] }> {
  const params: unknown[] = [];
  const bind: Bind = (value) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = accessibleWhere(ability, action, 'Person', fields, bind);
  const result = await db.query<{ id: string }>(
    `SELECT p.id FROM person p WHERE ${where} ORDER BY p.id`,
    params,
  );
  return { where, ids: result.rows.map((row) => row.id) };
}

/** The rows the in-memory policy allows for `action`. */
function memoryIds(ability: AppAbility, action: Action): string[] {
  return ROWS.filter((row) => ability.can(action, subject('Person', { ...row })))
    .map((row) => row.id)
    .sort();
}

describe('accessibleWhere against PostgreSQL', () => {
  const CASES = PRINCIPALS.flatMap(({ name, principal }) =>
    ACTIONS.map((action) => ({ name, principal, action })),
  );

  it.each(CASES)(
    '$name: $action — SQL and in-memory policy agree',
    async ({ principal, action }) => {
      const ability = defineAbilityFor(principal);
      const { ids } = await sqlIds(ability, action);
      expect(ids).toEqual(memoryIds(ability, action));
    },
  );

  // Pin the agreed answers for a few cases, so the two sides cannot be wrong together.
  it.each([
    {
      name: 'school staff, no clearances',
      action: 'list' as const,
      expected: ['p01'],
    },
    {
      name: 'school staff, no clearances',
      action: 'read' as const,
      expected: ['p01', 'p03', 'p04', 'p09'],
    },
    {
      name: 'school staff cleared for p03 and p09',
      action: 'search' as const,
      expected: ['p01', 'p03', 'p09'],
    },
    {
      name: 'social worker cleared for p04 and for p08 (other municipality)',
      action: 'update' as const,
      expected: ['p02', 'p04'],
    },
    {
      name: 'police liaison cleared for p05',
      action: 'list' as const,
      expected: ['p02', 'p05'],
    },
    {
      name: 'school staff of the other municipality, cleared for p08',
      action: 'list' as const,
      expected: ['p07', 'p08'],
    },
    { name: 'health staff', action: 'read' as const, expected: ['p10'] },
    { name: 'admin', action: 'read' as const, expected: [] },
    { name: 'auditor', action: 'list' as const, expected: [] },
  ])('$name: $action returns $expected', async ({ name, action, expected }) => {
    const entry = PRINCIPALS.find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`no principal named ${name}`);
    const { ids } = await sqlIds(defineAbilityFor(entry.principal), action);
    expect(ids).toEqual(expected);
  });

  it('is FALSE when the ability has no rule for the action', async () => {
    const ability = defineAbilityFor(principal(['admin']));
    const { where, ids } = await sqlIds(ability, 'read');
    expect(where).toBe('FALSE');
    expect(ids).toEqual([]);
  });

  it('is FALSE for an ability without any rules at all', () => {
    const ability = createMongoAbility<AppAbility>([]);
    expect(accessibleWhere(ability, 'list', 'Person', PERSON_FIELDS, () => '$1')).toBe('FALSE');
  });

  it('binds values as parameters instead of inlining them', () => {
    const ability = defineAbilityFor(
      principal(['school_staff'], { municipalityId: "x' OR TRUE --", clearedPersonIds: ['p03'] }),
    );
    const values: unknown[] = [];
    const where = accessibleWhere(ability, 'list', 'Person', PERSON_FIELDS, (value) => {
      values.push(value);
      return `$${values.length}`;
    });
    expect(where).not.toContain("x' OR TRUE");
    expect(where).not.toContain('p03');
    expect(values).toContain("x' OR TRUE --");
  });

  it('a principal of a municipality with no rows sees nothing', async () => {
    const ability = defineAbilityFor(principal(['school_staff'], { municipalityId: 'mun-empty' }));
    const { ids } = await sqlIds(ability, 'list');
    expect(ids).toEqual([]);
  });

  describe('fails closed', () => {
    it('throws PolicyTranslationError for a rule on a field the query does not map', () => {
      const ability = createMongoAbility<AppAbility>([
        { action: 'list', subject: 'Person', conditions: { municipalityId: HOME } },
        { action: 'list', subject: 'Person', conditions: { givenName: 'Alva' } },
      ]);
      expect(() => accessibleWhere(ability, 'list', 'Person', PERSON_FIELDS, () => '$1')).toThrow(
        PolicyTranslationError,
      );
      expect(() => accessibleWhere(ability, 'list', 'Person', PERSON_FIELDS, () => '$1')).toThrow(
        /givenName/,
      );
    });

    it('throws PolicyTranslationError for an unmapped field in a `cannot` rule', () => {
      const ability = createMongoAbility<AppAbility>([
        { action: 'list', subject: 'Person', conditions: { municipalityId: HOME } },
        { action: 'list', subject: 'Person', inverted: true, conditions: { school: 'Ekskolan' } },
      ]);
      expect(() => accessibleWhere(ability, 'list', 'Person', PERSON_FIELDS, () => '$1')).toThrow(
        PolicyTranslationError,
      );
    });

    it('throws PolicyTranslationError for an operator without a SQL translation', () => {
      const ability = createMongoAbility<AppAbility>([
        { action: 'list', subject: 'Person', conditions: { id: { $regex: '^p0' } } },
      ]);
      expect(() => accessibleWhere(ability, 'list', 'Person', PERSON_FIELDS, () => '$1')).toThrow(
        PolicyTranslationError,
      );
    });

    it('the policy itself only uses mapped fields', () => {
      const ability = defineAbilityFor(principal(['coordinator', 'admin', 'auditor']));
      for (const action of ACTIONS) {
        expect(() =>
          accessibleWhere(ability, action, 'Person', PERSON_FIELDS, () => '$1'),
        ).not.toThrow();
      }
    });
  });

  describe('operators on hand-built abilities', () => {
    const HAND_BUILT: ReadonlyArray<{
      name: string;
      ability: () => AppAbility;
      expected: string[];
    }> = [
      {
        name: '$in with an empty array matches nothing',
        ability: () =>
          createMongoAbility<AppAbility>([
            { action: 'list', subject: 'Person', conditions: { id: { $in: [] } } },
          ]),
        expected: [],
      },
      {
        name: '$in with an empty array next to another rule leaves that rule alone',
        ability: () =>
          createMongoAbility<AppAbility>([
            { action: 'list', subject: 'Person', conditions: { id: { $in: [] } } },
            { action: 'list', subject: 'Person', conditions: { id: 'p02' } },
          ]),
        expected: ['p02'],
      },
      {
        name: '$in with values',
        ability: () =>
          createMongoAbility<AppAbility>([
            { action: 'list', subject: 'Person', conditions: { id: { $in: ['p01', 'p07'] } } },
          ]),
        expected: ['p01', 'p07'],
      },
      {
        name: '$nin with an empty array excludes nothing',
        ability: () =>
          createMongoAbility<AppAbility>([
            {
              action: 'list',
              subject: 'Person',
              conditions: { municipalityId: OTHER, id: { $nin: [] } },
            },
          ]),
        expected: ['p07', 'p08', 'p11'],
      },
      {
        name: 'a `cannot` with $in over an empty array takes nothing away',
        ability: () =>
          createMongoAbility<AppAbility>([
            { action: 'list', subject: 'Person', conditions: { municipalityId: OTHER } },
            { action: 'list', subject: 'Person', inverted: true, conditions: { id: { $in: [] } } },
          ]),
        expected: ['p07', 'p08', 'p11'],
      },
      {
        name: 'eq null is IS NULL',
        ability: () =>
          createMongoAbility<AppAbility>([
            { action: 'list', subject: 'Person', conditions: { protectionLevel: null } },
          ]),
        expected: ['p09'],
      },
      {
        name: '$ne keeps the rows whose column is null',
        ability: () =>
          createMongoAbility<AppAbility>([
            {
              action: 'list',
              subject: 'Person',
              conditions: { municipalityId: HOME, protectionLevel: { $ne: 'none' } },
            },
          ]),
        expected: ['p03', 'p04', 'p05', 'p09'],
      },
      {
        name: 'linkedAgencies with $in',
        ability: () =>
          createMongoAbility<AppAbility>([
            {
              action: 'list',
              subject: 'Person',
              conditions: { linkedAgencies: { $in: ['health', 'police'] } },
            },
          ]),
        expected: ['p02', 'p05', 'p08', 'p10'],
      },
      {
        name: 'an unconditional rule with a later `cannot`',
        ability: () =>
          createMongoAbility<AppAbility>([
            { action: 'list', subject: 'Person' },
            {
              action: 'list',
              subject: 'Person',
              inverted: true,
              conditions: { municipalityId: HOME },
            },
          ]),
        expected: ['p07', 'p08', 'p11'],
      },
    ];

    it.each(HAND_BUILT)('$name', async ({ ability: build, expected }) => {
      const ability = build();
      const { ids } = await sqlIds(ability, 'list');
      expect(ids).toEqual(expected);
      expect(memoryIds(ability, 'list')).toEqual(expected);
    });

    it('translates $in over an empty array to FALSE without binding it', () => {
      const ability = createMongoAbility<AppAbility>([
        { action: 'list', subject: 'Person', conditions: { id: { $in: [] } } },
      ]);
      const values: unknown[] = [];
      const where = accessibleWhere(ability, 'list', 'Person', PERSON_FIELDS, (value) => {
        values.push(value);
        return `$${values.length}`;
      });
      expect(where).toBe('FALSE');
      expect(values).toEqual([]);
    });
  });
});
