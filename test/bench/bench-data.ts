import { DEMO_SPEC } from '@samverka/api';
import {
  AGENCY_TYPES,
  CASE_WORKFLOWS,
  DEFAULT_CATEGORIES,
  type AgencyType,
  type Role,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';

/** How much data the benchmark runs over. */
export const SIZES = {
  cases: 10_000,
  entries: 200_000,
  /** Young people the cases are about (two cases each); each has one guardian. */
  youths: 5_000,
  /** Cases the bench user is a member of (their ability lists them). */
  memberCases: 100,
} as const;

/** The user whose requests are measured: school staff in "Skolan Norra". */
export const BENCH_USER = 'skola@demo.test';

export interface GeneratedData {
  municipalityId: string;
  seconds: number;
}

/** Which staff role writes a unit's entries, by agency. */
const AUTHOR_ROLES: Record<AgencyType, Role[]> = {
  school: ['school_staff'],
  social_services: ['social_worker', 'case_holder'],
  police: ['police_liaison'],
  leisure: ['leisure_staff'],
  health: ['health_staff'],
};

/** The role given to the extra users of units that have none in the demo data. */
const EXTRA_USER_ROLE: Record<AgencyType, Role> = {
  school: 'school_staff',
  social_services: 'case_holder',
  police: 'police_liaison',
  leisure: 'leisure_staff',
  health: 'health_staff',
};

/** Entry categories per agency (index as AGENCY_TYPES): a main one and a second one. */
const MAIN_CATEGORY = [
  'school_attendance',
  'social_assessment',
  'police_observation',
  'leisure_participation',
  'health',
];
const OTHER_CATEGORY = [
  'school_wellbeing',
  'social_assessment',
  'police_observation',
  'leisure_participation',
  'health',
];

const GIVEN_NAMES = [
  'Elsa',
  'Liam',
  'Maja',
  'Noah',
  'Alice',
  'Hugo',
  'Ella',
  'Oscar',
  'Wilma',
  'Adam',
  'Alma',
  'Lucas',
];
const GUARDIAN_NAMES = ['Karin', 'Lars', 'Eva', 'Anders', 'Maria', 'Johan', 'Lena', 'Per'];
const FAMILY_NAMES = [
  'Johansson',
  'Andersson',
  'Karlsson',
  'Nilsson',
  'Eriksson',
  'Larsson',
  'Olsson',
  'Persson',
  'Svensson',
  'Gustafsson',
  'Pettersson',
  'Jonsson',
  'Jansson',
  'Hansson',
  'Bengtsson',
  'Jönsson',
  'Lindberg',
  'Jakobsson',
  'Magnusson',
  'Lindström',
];

const OPENINGS = [
  'Eleven har varit frånvarande flera dagar under veckan utan giltigt skäl.',
  'Samtal med vårdnadshavare har genomförts; de delar oron och vill delta i planeringen.',
  'Den unge har setts i sällskap med äldre ungdomar i centrum sent på kvällen.',
  'Uppföljning av insatsen: positiv utveckling i skolarbetet och på fritiden.',
  'Mentor och elevhälsan har framfört oro för hemsituationen.',
  'Fritidsgården erbjuder plats i kvällsverksamheten två dagar i veckan.',
];
const FOLLOW_UPS = [
  'Nästa avstämning sker vid SSPF-mötet.',
  'Ansvarig handläggare kontaktar familjen inom en vecka.',
  'Insatsen följs upp om fyra veckor.',
  'Den unge har själv uttryckt att hen vill ha stöd.',
  'Inga nya uppgifter sedan förra anteckningen.',
];

const workflowStatuses = (kind: keyof typeof CASE_WORKFLOWS) =>
  Object.keys(CASE_WORKFLOWS[kind].transitions);

/**
 * Fills the migrated, demo-seeded database with the benchmark's cases, entries, consents and
 * disclosures, set-based (INSERT … SELECT over generate_series), in one transaction. The shape:
 * cases in both areas owned by every kind of unit with one to three participating units; entries
 * written by the case's units; a third of the cases with a consent (one in ten expired); some
 * entries disclosed to school (on consent or statute), to social services, or to one school unit.
 */
export async function generateData(dataSource: DataSource): Promise<GeneratedData> {
  const started = performance.now();
  const municipalityId = await dataSource.transaction((manager) => fill(manager));
  // What autovacuum would do on a server soon after such a load; PGlite has no autovacuum.
  await dataSource.query('ANALYZE');
  return { municipalityId, seconds: (performance.now() - started) / 1000 };
}

async function fill(manager: EntityManager): Promise<string> {
  const [municipality] = await manager.query<{ id: string }[]>(
    'SELECT id FROM municipality WHERE name = $1',
    [DEMO_SPEC.name],
  );
  if (!municipality) throw new Error(`${DEMO_SPEC.name} is not seeded`);
  const m = municipality.id;

  // Every unit gets a user to write its entries (the demo users all work in the first area).
  await manager.query(
    `INSERT INTO app_user (municipality_id, unit_id, email, display_name, password_hash, roles)
     SELECT u.municipality_id, u.id, 'bench.' || u.agency || '.' || left(u.id::text, 8) || '@demo.test',
            'Bench ' || u.name, (SELECT password_hash FROM app_user WHERE email = $2),
            ARRAY[($3::jsonb) ->> u.agency]::varchar[]
     FROM unit u
     WHERE u.municipality_id = $1 AND NOT EXISTS (SELECT 1 FROM app_user x WHERE x.unit_id = u.id)`,
    [m, BENCH_USER, JSON.stringify(EXTRA_USER_ROLE)],
  );

  const units = await manager.query<
    { id: string; agency: AgencyType; area: string; area_id: string }[]
  >(
    `SELECT u.id, u.agency, a.name AS area, a.id AS area_id
     FROM unit u JOIN area a ON a.id = u.area_id WHERE u.municipality_id = $1`,
    [m],
  );
  const users = await manager.query<{ id: string; unit_id: string; roles: Role[] }[]>(
    "SELECT id, unit_id, roles FROM app_user WHERE municipality_id = $1 AND status = 'active' ORDER BY email",
    [m],
  );
  const areaIds: string[] = [];
  /** Units by area and agency: index area * 5 + agency (AGENCY_TYPES order). */
  const unitGrid: string[] = [];
  const authorGrid: string[] = [];
  /** Two users per area who run cases (coordinators, case holders of social services). */
  const responsible: string[] = [];
  for (const area of DEMO_SPEC.areas) {
    for (const agency of AGENCY_TYPES) {
      const unit = units.find((u) => u.area === area && u.agency === agency);
      if (!unit) throw new Error(`no ${agency} unit in ${area}`);
      if (agency === AGENCY_TYPES[0]) areaIds.push(unit.area_id);
      const author = users.find(
        (u) => u.unit_id === unit.id && u.roles.some((r) => AUTHOR_ROLES[agency].includes(r)),
      );
      if (!author) throw new Error(`no author for ${unit.id}`);
      unitGrid.push(unit.id);
      authorGrid.push(author.id);
      if (agency === 'social_services') {
        const runners = users.filter(
          (u) =>
            u.unit_id === unit.id &&
            u.roles.some((r) => r === 'coordinator' || r === 'case_holder'),
        );
        if (runners.length === 0) throw new Error(`nobody runs cases in ${area}`);
        responsible.push(runners[0]!.id, (runners[1] ?? runners[0])!.id);
      }
    }
  }
  const [benchUser] = await manager.query<{ id: string }[]>(
    'SELECT id FROM app_user WHERE email = $1',
    [BENCH_USER],
  );
  const bases = await manager.query<{ id: string; code: string }[]>(
    'SELECT id, code FROM legal_basis WHERE municipality_id = $1',
    [m],
  );
  const basis = (code: string) => {
    const found = bases.find((b) => b.code === code);
    if (!found) throw new Error(`no legal basis ${code}`);
    return found.id;
  };

  // Young people and their guardians, with valid personnummer (Luhn digit computed in SQL).
  await manager.query(`CREATE TEMP TABLE bench_youth (
      n int PRIMARY KEY, id uuid NOT NULL, guardian_id uuid NOT NULL,
      birth_date date NOT NULL, serial text NOT NULL, guardian_birth_date date NOT NULL, guardian_serial text NOT NULL
    ) ON COMMIT DROP`);
  await manager.query(
    `INSERT INTO bench_youth
     SELECT n, gen_random_uuid(), gen_random_uuid(),
            (current_date - interval '12 years' - (n % 1800) * interval '1 day')::date, lpad((100 + n / 1800)::text, 3, '0'),
            (current_date - interval '36 years' - (n % 3000) * interval '1 day')::date, lpad((100 + n / 3000)::text, 3, '0')
     FROM generate_series(1, $1::int) n`,
    [SIZES.youths],
  );
  const luhn = (
    date: string,
    serial: string,
  ) => `(SELECT ((10 - sum(CASE WHEN p % 2 = 1 THEN (d * 2) % 10 + (d * 2) / 10 ELSE d END) % 10) % 10)::text
      FROM (SELECT p, substr(to_char(${date}, 'YYMMDD') || ${serial}, p, 1)::int AS d FROM generate_series(1, 9) p) digits)`;
  await manager.query(
    `INSERT INTO person (id, municipality_id, identity_kind, identity_number, given_name, family_name, birth_date,
                         gender, school, protection_level)
     SELECT y.id, $1::uuid, 'personnummer', to_char(y.birth_date, 'YYYYMMDD') || y.serial || ${luhn('y.birth_date', 'y.serial')},
            ($2::text[])[1 + y.n % array_length($2::text[], 1)], ($3::text[])[1 + (y.n / 7) % array_length($3::text[], 1)],
            y.birth_date, CASE WHEN y.n % 2 = 0 THEN 'female' ELSE 'male' END,
            CASE WHEN y.n % 2 = 0 THEN 'Norraskolan' ELSE 'Södraskolan' END,
            CASE WHEN y.n % 100 = 0 THEN 'protected_registration' ELSE 'none' END
     FROM bench_youth y
     UNION ALL
     SELECT y.guardian_id, $1::uuid, 'personnummer',
            to_char(y.guardian_birth_date, 'YYYYMMDD') || y.guardian_serial || ${luhn('y.guardian_birth_date', 'y.guardian_serial')},
            ($4::text[])[1 + y.n % array_length($4::text[], 1)], ($3::text[])[1 + (y.n / 7) % array_length($3::text[], 1)],
            y.guardian_birth_date, NULL, NULL, 'none'
     FROM bench_youth y`,
    [m, GIVEN_NAMES, FAMILY_NAMES, GUARDIAN_NAMES],
  );
  await manager.query(
    `INSERT INTO person_agency (person_id, agency)
     SELECT y.id, a FROM bench_youth y CROSS JOIN unnest(ARRAY['school', 'social_services']) a
     UNION ALL SELECT y.id, 'police' FROM bench_youth y WHERE y.n % 3 = 0
     UNION ALL SELECT y.guardian_id, 'social_services' FROM bench_youth y`,
  );
  await manager.query(
    'INSERT INTO person_guardian (child_id, guardian_id, custody) SELECT id, guardian_id, true FROM bench_youth',
  );

  // Cases: area alternates; owner: social services 40 %, school 30 %, police 15 %, leisure 10 %,
  // health 5 %; 1–3 participating units of the same area; opened every 90 minutes going back.
  await manager.query(`CREATE TEMP TABLE bench_case (
      n int PRIMARY KEY, id uuid NOT NULL, area_idx int NOT NULL, owner_agency int NOT NULL,
      participants int NOT NULL, kind text NOT NULL, created_at timestamptz NOT NULL,
      youth_n int NOT NULL, responsible uuid NOT NULL
    ) ON COMMIT DROP`);
  await manager.query(
    `INSERT INTO bench_case
     SELECT n, gen_random_uuid(), n % 2,
            CASE WHEN h < 40 THEN 1 WHEN h < 70 THEN 0 WHEN h < 85 THEN 2 WHEN h < 95 THEN 3 ELSE 4 END,
            1 + (n / 2) % 3,
            CASE WHEN n % 7 < 4 THEN 'sspf' WHEN n % 7 < 6 THEN 'sig' ELSE 'sip' END,
            now() - n * interval '90 minutes',
            1 + (n - 1) % $2::int,
            ($3::uuid[])[1 + (n % 2) * 2 + (n / 2) % 2]
     FROM generate_series(1, $1::int) n CROSS JOIN LATERAL (SELECT abs(hashtext('owner' || n)) % 100 AS h) x`,
    [SIZES.cases, SIZES.youths, responsible],
  );
  await manager.query('ANALYZE bench_case');
  await manager.query(
    `INSERT INTO collab_case (id, municipality_id, kind, status, area_id, person_id, owning_unit_id,
                              responsible_user_id, created_by, created_at, updated_at)
     SELECT c.id, $1::uuid, c.kind,
            CASE c.kind WHEN 'sspf' THEN ($2::text[])[1 + c.n % array_length($2::text[], 1)]
                        WHEN 'sig' THEN ($3::text[])[1 + c.n % array_length($3::text[], 1)]
                        ELSE ($4::text[])[1 + c.n % array_length($4::text[], 1)] END,
            ($5::uuid[])[1 + c.area_idx], y.id, ($6::uuid[])[1 + c.area_idx * 5 + c.owner_agency],
            c.responsible, c.responsible, c.created_at, c.created_at + (now() - c.created_at) / 3
     FROM bench_case c JOIN bench_youth y ON y.n = c.youth_n`,
    [
      m,
      workflowStatuses('sspf'),
      workflowStatuses('sig'),
      workflowStatuses('sip'),
      areaIds,
      unitGrid,
    ],
  );
  await manager.query(
    `INSERT INTO case_unit (case_id, unit_id, added_by, added_at)
     SELECT c.id, ($1::uuid[])[1 + c.area_idx * 5 + (c.owner_agency + s) % 5], c.responsible, c.created_at
     FROM bench_case c CROSS JOIN generate_series(1, 3) s WHERE s <= c.participants`,
    [unitGrid],
  );
  // Members: the responsible user of each case; the bench user in one case per hundred (both areas).
  const stride = Math.floor(SIZES.cases / SIZES.memberCases);
  await manager.query(
    `INSERT INTO case_member (case_id, user_id, added_by, added_at)
     SELECT c.id, c.responsible, c.responsible, c.created_at FROM bench_case c
     UNION ALL
     SELECT c.id, $1::uuid, c.responsible, c.created_at FROM bench_case c
     WHERE c.n % $2::int = 1 + (c.n / $2::int) % 2 AND c.n / $2::int < $3::int
     ON CONFLICT DO NOTHING`,
    [benchUser!.id, stride, SIZES.memberCases],
  );
  await manager.query(
    `INSERT INTO case_status_change (case_id, from_status, to_status, changed_by, changed_at)
     SELECT k.id, NULL, k.status, k.responsible_user_id, k.created_at FROM collab_case k JOIN bench_case c ON c.id = k.id`,
  );

  // Entries: spread evenly over the cases, written in turn by the owning and participating units.
  const perCase = SIZES.entries / SIZES.cases;
  await manager.query(
    `INSERT INTO case_entry (municipality_id, case_id, author_user_id, author_unit_id, author_agency, category, body, created_at)
     SELECT $1::uuid, c.id, ($2::uuid[])[s.slot], ($3::uuid[])[s.slot], ($4::text[])[1 + pick.a],
            CASE WHEN j.j % 5 = 4 THEN 'plan_progress' WHEN j.j % 7 = 6 THEN 'general'
                 WHEN j.j % 2 = 1 THEN ($6::text[])[1 + pick.a] ELSE ($5::text[])[1 + pick.a] END,
            ($7::text[])[1 + i % array_length($7::text[], 1)] || ' ' ||
              ($8::text[])[1 + (i / 7) % array_length($8::text[], 1)] || ' (anteckning ' || i || ')',
            c.created_at + (j.j + 1) * (now() - c.created_at) / ($10::int + 1)
     FROM generate_series(0, $9::int - 1) i
     JOIN bench_case c ON c.n = 1 + i % $11::int
     CROSS JOIN LATERAL (SELECT i / $11::int AS j) j
     CROSS JOIN LATERAL (SELECT (c.owner_agency + j.j % (c.participants + 1)) % 5 AS a) pick
     CROSS JOIN LATERAL (SELECT 1 + c.area_idx * 5 + pick.a AS slot) s`,
    [
      m,
      authorGrid,
      unitGrid,
      [...AGENCY_TYPES],
      MAIN_CATEGORY,
      OTHER_CATEGORY,
      OPENINGS,
      FOLLOW_UPS,
      SIZES.entries,
      perCase,
      SIZES.cases,
    ],
  );

  // Consents on 30 % of the cases, given by the young person and the guardian; one in ten expired.
  await manager.query(
    `INSERT INTO consent (municipality_id, case_id, scope_agencies, scope_unit_ids, scope_categories,
                          valid_from, valid_until, method, recorded_by, recorded_at)
     SELECT $1::uuid, c.id, $2::varchar[], '{}'::uuid[], $3::varchar[], c.created_at,
            CASE WHEN c.n % 10 = 2 THEN c.created_at + (now() - c.created_at) / 2 ELSE now() + interval '180 days' END,
            'written', c.responsible, c.created_at
     FROM bench_case c WHERE c.n % 10 < 3`,
    [m, [...AGENCY_TYPES], DEFAULT_CATEGORIES.map((category) => category.code)],
  );
  await manager.query(
    `INSERT INTO consent_party (consent_id, person_id, given_at, recorded_by)
     SELECT co.id, p.person_id, co.valid_from, co.recorded_by
     FROM consent co JOIN bench_case c ON c.id = co.case_id JOIN bench_youth y ON y.n = c.youth_n
     CROSS JOIN LATERAL (VALUES (y.id), (y.guardian_id)) p(person_id)`,
  );

  // Disclosures: ~6 % of other agencies' entries to school (on the case's consent, else OSL 10:2),
  // ~4 % of school/police/health entries to social services (SoL 14:1), ~2 % to one school unit.
  const disclosureColumns = `municipality_id, entry_id, case_id, from_agency, to_agency, to_unit_id, basis_kind,
    consent_id, legal_basis_id, harm_assessment, reason, decided_by, decided_at`;
  const bucket = 'abs(hashtext(e.id::text)) % 100';
  const harm = "'Utlämnandet bedöms inte skada pågående insatser.'";
  await manager.query(
    `INSERT INTO disclosure (${disclosureColumns})
     SELECT e.municipality_id, e.id, e.case_id, e.author_agency, 'school', NULL,
            CASE WHEN co.id IS NULL THEN 'statutory' ELSE 'consent' END, co.id,
            CASE WHEN co.id IS NULL THEN $2::uuid END, CASE WHEN co.id IS NULL THEN ${harm} END,
            'Underlag inför SSPF-möte', e.author_user_id, LEAST(now(), e.created_at + interval '1 hour')
     FROM case_entry e LEFT JOIN consent co ON co.case_id = e.case_id
     WHERE e.municipality_id = $1 AND e.author_agency <> 'school' AND ${bucket} < 6`,
    [m, basis('OSL 10:2')],
  );
  await manager.query(
    `INSERT INTO disclosure (${disclosureColumns})
     SELECT e.municipality_id, e.id, e.case_id, e.author_agency, 'social_services', NULL, 'statutory', NULL,
            $2::uuid, NULL, 'Orosanmälan', e.author_user_id, LEAST(now(), e.created_at + interval '1 hour')
     FROM case_entry e
     WHERE e.municipality_id = $1 AND e.author_agency IN ('school', 'police', 'health')
       AND ${bucket} >= 6 AND ${bucket} < 10`,
    [m, basis('SoL 14:1')],
  );
  await manager.query(
    `INSERT INTO disclosure (${disclosureColumns})
     SELECT e.municipality_id, e.id, e.case_id, e.author_agency, 'school', u.id, 'statutory', NULL,
            $2::uuid, ${harm}, 'Underlag till elevhälsan', e.author_user_id, LEAST(now(), e.created_at + interval '1 hour')
     FROM case_entry e JOIN collab_case k ON k.id = e.case_id
     JOIN unit u ON u.area_id = k.area_id AND u.agency = 'school'
     WHERE e.municipality_id = $1 AND e.author_agency <> 'school' AND ${bucket} >= 10 AND ${bucket} < 12`,
    [m, basis('OSL 10:2')],
  );

  // Memberships changed: cached abilities of these users are stale.
  await manager.query(
    'UPDATE app_user SET authz_version = authz_version + 1 WHERE municipality_id = $1',
    [m],
  );
  return m;
}
