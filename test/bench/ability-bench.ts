import { subject } from '@casl/ability';
import {
  accessibleWhere,
  CASE_SQL_FIELDS,
  defineAbilityFor,
  ENTRY_SQL_FIELDS,
  type AppAbility,
  type PolicyContext,
  type Principal,
  type SubjectRecords,
} from '@samverka/authz';
import type { AgencyType, Role } from '@samverka/contracts';
import type { DataSource } from 'typeorm';

type EntryRecord = SubjectRecords['CaseEntry'];

export interface BenchPrincipal {
  principal: Principal;
  context: PolicyContext;
  ability: AppAbility;
}

/** The user's principal and cached ability, loaded the way PrincipalService.load does. */
export async function loadPrincipal(
  dataSource: DataSource,
  email: string,
): Promise<BenchPrincipal> {
  const [row] = await dataSource.query<
    {
      id: string;
      municipality_id: string;
      unit_id: string;
      roles: Role[];
      agency: AgencyType;
      area_id: string;
      extra_areas: string[];
      cleared: string[];
      member_cases: string[];
    }[]
  >(
    `SELECT u.id, u.municipality_id, u.unit_id, u.roles, un.agency, un.area_id,
            COALESCE((SELECT array_agg(ua.area_id::text) FROM user_area ua WHERE ua.user_id = u.id), '{}') AS extra_areas,
            COALESCE((SELECT array_agg(pc.person_id::text) FROM person_clearance pc WHERE pc.user_id = u.id), '{}') AS cleared,
            COALESCE((SELECT array_agg(cm.case_id::text) FROM case_member cm WHERE cm.user_id = u.id), '{}') AS member_cases
     FROM app_user u JOIN unit un ON un.id = u.unit_id WHERE u.email = $1`,
    [email],
  );
  if (!row) throw new Error(`no user ${email}`);
  const principal: Principal = {
    userId: row.id,
    municipalityId: row.municipality_id,
    unitId: row.unit_id,
    agency: row.agency,
    areaIds: [...new Set([row.area_id, ...row.extra_areas])],
    roles: row.roles,
    clearedPersonIds: row.cleared,
  };
  const context: PolicyContext = { memberCaseIds: row.member_cases };
  return { principal, context, ability: defineAbilityFor(principal, context) };
}

/**
 * Real entries as the policy sees them: a quarter each from the user's member cases, from their
 * unit's cases, disclosed to their agency, and from anywhere; shuffled so that allowed and
 * denied records interleave.
 */
export async function loadEntryRecords(
  dataSource: DataSource,
  who: BenchPrincipal,
  perGroup: number,
): Promise<EntryRecord[]> {
  const rows = await dataSource.query<
    {
      id: string;
      municipality_id: string;
      case_id: string;
      area_id: string;
      author_agency: AgencyType;
      unit_ids: string[];
      disclosed_to: AgencyType[];
      disclosed_units: string[];
    }[]
  >(
    `WITH picked AS (
       (SELECT e.id FROM case_entry e JOIN case_member cm ON cm.case_id = e.case_id AND cm.user_id = $1
        ORDER BY random() LIMIT $4)
       UNION ALL
       (SELECT e.id FROM case_entry e JOIN collab_case k ON k.id = e.case_id
        WHERE k.owning_unit_id = $2 OR EXISTS (SELECT 1 FROM case_unit cu WHERE cu.case_id = k.id AND cu.unit_id = $2)
        ORDER BY random() LIMIT $4)
       UNION ALL
       (SELECT d.entry_id FROM disclosure d WHERE d.to_agency = $3 ORDER BY random() LIMIT $4)
       UNION ALL
       (SELECT e.id FROM case_entry e ORDER BY random() LIMIT $4)
     ), holding AS (
       SELECT d.* FROM disclosure d JOIN picked p ON p.id = d.entry_id
       WHERE d.basis_kind = 'statutory' OR consent_in_force(d.consent_id, now())
     )
     SELECT e.id, e.municipality_id, e.case_id, k.area_id, e.author_agency,
            ARRAY[k.owning_unit_id] || COALESCE((SELECT array_agg(cu.unit_id) FROM case_unit cu WHERE cu.case_id = k.id), '{}') AS unit_ids,
            COALESCE((SELECT array_agg(DISTINCT h.to_agency) FROM holding h WHERE h.entry_id = e.id AND h.to_unit_id IS NULL), '{}') AS disclosed_to,
            COALESCE((SELECT array_agg(DISTINCT h.to_unit_id) FROM holding h WHERE h.entry_id = e.id AND h.to_unit_id IS NOT NULL), '{}') AS disclosed_units
     FROM picked p JOIN case_entry e ON e.id = p.id JOIN collab_case k ON k.id = e.case_id`,
    [who.principal.userId, who.principal.unitId, who.principal.agency, perGroup],
  );
  const records = rows.map((row): EntryRecord => ({
    id: row.id,
    municipalityId: row.municipality_id,
    caseId: row.case_id,
    caseAreaId: row.area_id,
    caseUnitIds: row.unit_ids,
    authorAgency: row.author_agency,
    disclosedTo: row.disclosed_to,
    disclosedToUnits: row.disclosed_units,
  }));
  return shuffled(records);
}

/** Fisher–Yates with a fixed-seed LCG: a well-mixed order, the same for the same input. */
export function shuffled<T>(items: readonly T[], seed = 42): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface Timing {
  /** Median of the rounds, µs per operation. */
  us: number;
  min: number;
  max: number;
  rounds: number;
  perRound: number;
}

/** Times `perRound` calls of `op(i)` in each of `rounds` rounds (after one unmeasured round). */
function time(rounds: number, perRound: number, op: (i: number) => unknown): Timing {
  let sink = 0;
  const round = () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) if (op(i)) sink++;
    return Number(process.hrtime.bigint() - start) / 1000 / perRound;
  };
  round();
  const results = Array.from({ length: rounds }, round).sort((a, b) => a - b);
  if (sink < 0) throw new Error('unreachable');
  return {
    us: results[Math.floor(results.length / 2)]!,
    min: results[0]!,
    max: results[results.length - 1]!,
    rounds,
    perRound,
  };
}

export interface AbilityFigures {
  records: number;
  allowed: number;
  memberCases: number;
  check: Timing;
  checkFreshRecord: Timing;
  routeCheck: Timing;
  entrySql: Timing;
  caseSql: Timing;
  build: Timing;
  buildAndFirstCheck: Timing;
}

export const CHECKS_PER_ROUND = 200_000;

/** CPU cost of the policy: checks with the cached ability, SQL translation, and building it. */
export function measureAbility(who: BenchPrincipal, records: EntryRecord[]): AbilityFigures {
  const { ability, principal, context } = who;
  const n = records.length;
  const allowed = records.filter((record) =>
    ability.can('read', subject('CaseEntry', record)),
  ).length;
  const bind = () => {
    const values: unknown[] = [];
    return (value: unknown) => `$${values.push(value)}`;
  };
  return {
    records: n,
    allowed,
    memberCases: context.memberCaseIds.length,
    check: time(5, CHECKS_PER_ROUND, (i) =>
      ability.can('read', subject('CaseEntry', records[i % n]!)),
    ),
    // As a service would check a row just read: a new object, tagged, then checked.
    checkFreshRecord: time(5, CHECKS_PER_ROUND, (i) =>
      ability.can('read', subject('CaseEntry', { ...records[i % n]! })),
    ),
    routeCheck: time(5, CHECKS_PER_ROUND, () => ability.can('read', 'CaseEntry')),
    entrySql: time(5, 5_000, () =>
      accessibleWhere(ability, 'read', 'CaseEntry', ENTRY_SQL_FIELDS, bind()),
    ),
    caseSql: time(5, 5_000, () =>
      accessibleWhere(ability, 'list', 'Case', CASE_SQL_FIELDS, bind()),
    ),
    build: time(5, 1_000, () => defineAbilityFor(principal, context)),
    buildAndFirstCheck: time(5, 1_000, (i) =>
      defineAbilityFor(principal, context).can('read', subject('CaseEntry', records[i % n]!)),
    ),
  };
}
