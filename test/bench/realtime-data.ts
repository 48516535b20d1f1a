import { DEMO_SPEC, personnummer, SessionService } from '@samverka/api';
import { AGENCY_TYPES, CASE_WORKFLOWS, type AgencyType, type Role } from '@samverka/contracts';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { CASE_SIZE, CONSENT_KINDS, MESSAGE_CATEGORIES } from './realtime-plan.js';

/** The role of the bench users of each agency (all staff roles: they take part in conversations). */
const ROLE: Record<AgencyType, Role> = {
  school: 'school_staff',
  social_services: 'case_holder',
  police: 'police_liaison',
  leisure: 'leisure_staff',
  health: 'health_staff',
};

/** A demo user whose (argon2) password hash every bench user shares: no hashing here. */
const HASH_DONOR = 'skola@demo.test';

export interface RealtimeData {
  municipalityId: string;
  /** Per user number: id (member `i % 20` of case `i / 20`). */
  userIds: string[];
  /** Per case number. */
  caseIds: string[];
  /** Access tokens, per user number, from sessions started by the app's SessionService. */
  tokens: string[];
  generateSeconds: number;
  sessionSeconds: number;
}

/**
 * `users` bench users (a multiple of 20) in the first area of the demo municipality, one case of
 * 20 members per 20 users, a young person and a guardian per case, and the consents of
 * `CONSENT_KINDS`: all set-based in SQL, in one transaction.
 */
async function fill(manager: EntityManager, users: number): Promise<Omit<RealtimeData, 'tokens'>> {
  const [municipality] = await manager.query<{ id: string }[]>(
    'SELECT id FROM municipality WHERE name = $1',
    [DEMO_SPEC.name],
  );
  if (!municipality) throw new Error(`${DEMO_SPEC.name} is not seeded`);
  const m = municipality.id;
  const area = DEMO_SPEC.areas[0]!;
  const units = await manager.query<{ id: string; agency: AgencyType; area_id: string }[]>(
    `SELECT u.id, u.agency, u.area_id FROM unit u JOIN area a ON a.id = u.area_id
     WHERE u.municipality_id = $1 AND a.name = $2`,
    [m, area],
  );
  const unitOf = AGENCY_TYPES.map((agency) => {
    const unit = units.find((u) => u.agency === agency);
    if (!unit) throw new Error(`no ${agency} unit in ${area}`);
    return unit.id;
  });
  const areaId = units[0]!.area_id;
  const cases = users / CASE_SIZE;
  const started = performance.now();

  const userIds = Array.from({ length: users }, () => randomUUID());
  await manager.query(
    `INSERT INTO app_user (id, municipality_id, unit_id, email, display_name, password_hash, roles)
     SELECT ($2::uuid[])[1 + i], $1::uuid, ($3::uuid[])[1 + (i % $6::int) % 5],
            'rt.' || i || '@bench.test', 'Bench ' || ($4::text[])[1 + (i % $6::int) % 5] || ' ' || i,
            (SELECT password_hash FROM app_user WHERE email = $7),
            ARRAY[($5::text[])[1 + (i % $6::int) % 5]]::varchar[]
     FROM generate_series(0, $8::int - 1) i`,
    [
      m,
      userIds,
      unitOf,
      [...AGENCY_TYPES],
      AGENCY_TYPES.map((agency) => ROLE[agency]),
      CASE_SIZE,
      HASH_DONOR,
      users,
    ],
  );

  // A young person (12) and a guardian with custody per case: the guardian's consent is required.
  const day = 86_400_000;
  const youthIds = Array.from({ length: cases }, () => randomUUID());
  const guardianIds = Array.from({ length: cases }, () => randomUUID());
  const youthBirth = (c: number) =>
    new Date(Date.UTC(2013, 0, 1) + (c % 3000) * day).toISOString().slice(0, 10);
  const guardianBirth = (c: number) =>
    new Date(Date.UTC(1980, 0, 1) + (c % 3000) * day).toISOString().slice(0, 10);
  const serial = (c: number) => String(500 + Math.floor(c / 3000)).padStart(3, '0');
  const caseNumbers = Array.from({ length: cases }, (_, c) => c);
  await manager.query(
    `INSERT INTO person (id, municipality_id, identity_kind, identity_number, given_name, family_name, birth_date)
     SELECT id, $1::uuid, 'personnummer', pnr, given, 'Benchsson', birth::date
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS p(id, pnr, given, birth)`,
    [
      m,
      [...youthIds, ...guardianIds],
      [
        ...caseNumbers.map((c) => personnummer(youthBirth(c), serial(c))),
        ...caseNumbers.map((c) => personnummer(guardianBirth(c), serial(c))),
      ],
      [...caseNumbers.map((c) => `Ung ${c}`), ...caseNumbers.map((c) => `Vårdnadshavare ${c}`)],
      [...caseNumbers.map(youthBirth), ...caseNumbers.map(guardianBirth)],
    ],
  );
  await manager.query(
    `INSERT INTO person_agency (person_id, agency)
     SELECT id, a FROM unnest($1::uuid[]) id CROSS JOIN unnest(ARRAY['school', 'social_services']) a`,
    [[...youthIds, ...guardianIds]],
  );
  await manager.query(
    `INSERT INTO person_guardian (child_id, guardian_id, custody)
     SELECT y, g, true FROM unnest($1::uuid[], $2::uuid[]) AS p(y, g)`,
    [youthIds, guardianIds],
  );

  // Cases: owned by social services, run by the case's second member (a case holder).
  const caseIds = Array.from({ length: cases }, () => randomUUID());
  const responsible = caseNumbers.map((c) => userIds[c * CASE_SIZE + 1]!);
  await manager.query(
    `INSERT INTO collab_case (id, municipality_id, kind, status, area_id, person_id, owning_unit_id,
                              responsible_user_id, created_by)
     SELECT id, $1::uuid, 'sspf', $2, $3::uuid, y, $4::uuid, r, r
     FROM unnest($5::uuid[], $6::uuid[], $7::uuid[]) AS c(id, y, r)`,
    [m, CASE_WORKFLOWS.sspf.initial, areaId, unitOf[1], caseIds, youthIds, responsible],
  );
  await manager.query(
    `INSERT INTO case_unit (case_id, unit_id, added_by)
     SELECT c.id, u, c.r FROM unnest($1::uuid[], $2::uuid[]) AS c(id, r) CROSS JOIN unnest($3::uuid[]) u`,
    [caseIds, responsible, unitOf],
  );
  await manager.query(
    `INSERT INTO case_member (case_id, user_id, added_by)
     SELECT ($1::uuid[])[1 + i / $3::int], ($2::uuid[])[1 + i], ($2::uuid[])[1 + (i / $3::int) * $3::int + 1]
     FROM generate_series(0, $4::int - 1) i`,
    [caseIds, userIds, CASE_SIZE, users],
  );

  // Consents: one per case whose kind has one; parties (young person and guardian) have given it.
  for (const [k, kind] of CONSENT_KINDS.entries()) {
    if (!kind) continue;
    const chosen = caseNumbers.filter((c) => c % CONSENT_KINDS.length === k);
    if (chosen.length === 0) continue;
    await manager.query(
      `WITH c AS (
         SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[]) AS c(id, y, g, r)),
       made AS (
         INSERT INTO consent (municipality_id, case_id, scope_agencies, scope_unit_ids, scope_categories,
                              valid_from, valid_until, method, recorded_by, recorded_at,
                              revoked_at, revoked_by_person_id, revoke_recorded_by, revoke_reason)
         SELECT $1::uuid, c.id, $6::varchar[], '{}'::uuid[], $7::varchar[], now() - interval '30 days',
                CASE WHEN $8 = 'expired' THEN now() - interval '1 day' ELSE now() + interval '180 days' END,
                'written', c.r, now() - interval '30 days',
                CASE WHEN $8 = 'revoked' THEN now() - interval '2 days' END,
                CASE WHEN $8 = 'revoked' THEN c.g END,
                CASE WHEN $8 = 'revoked' THEN c.r END,
                CASE WHEN $8 = 'revoked' THEN 'Vårdnadshavaren återkallade' END
         FROM c RETURNING id, case_id)
       INSERT INTO consent_party (consent_id, person_id, given_at, recorded_by)
       SELECT made.id, p.person_id, now() - interval '30 days', c.r
       FROM made JOIN c ON c.id = made.case_id CROSS JOIN LATERAL (VALUES (c.y), (c.g)) p(person_id)`,
      [
        m,
        chosen.map((c) => caseIds[c]!),
        chosen.map((c) => youthIds[c]!),
        chosen.map((c) => guardianIds[c]!),
        chosen.map((c) => responsible[c]!),
        [...kind.agencies],
        [...kind.categories],
        kind.problem ?? 'none',
      ],
    );
  }
  const categories = await manager.query<{ code: string }[]>(
    'SELECT code FROM information_category WHERE municipality_id = $1',
    [m],
  );
  for (const category of MESSAGE_CATEGORIES) {
    if (!categories.some((row) => row.code === category))
      throw new Error(`no category ${category} in ${DEMO_SPEC.name}`);
  }
  return {
    municipalityId: m,
    userIds,
    caseIds,
    generateSeconds: (performance.now() - started) / 1000,
    sessionSeconds: 0,
  };
}

/**
 * Generates the data, then starts one session per user through the app's own
 * `SessionService.start` (what password sign-in does once argon2 has verified the password: the
 * session row, a refresh token, an audit event, a signed access token). Only the argon2
 * verification is skipped: thousands of those would take minutes on two cores.
 */
export async function generateRealtimeData(
  dataSource: DataSource,
  sessions: SessionService,
  users: number,
): Promise<RealtimeData> {
  const data = await dataSource.transaction((manager) => fill(manager, users));
  await dataSource.query('ANALYZE');
  const started = performance.now();
  const unitIds = await dataSource.query<{ id: string; unit_id: string }[]>(
    'SELECT id, unit_id FROM app_user WHERE id = ANY($1::uuid[])',
    [data.userIds],
  );
  const unitOf = new Map(unitIds.map((row) => [row.id, row.unit_id]));
  const tokens: string[] = new Array<string>(users);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < users; i = next++) {
        const user = {
          id: data.userIds[i]!,
          municipalityId: data.municipalityId,
          unitId: unitOf.get(data.userIds[i]!)!,
        };
        const issued = await dataSource.transaction((manager) =>
          sessions.start(manager, user, 'bench', randomUUID()),
        );
        tokens[i] = issued.accessToken;
      }
    }),
  );
  return { ...data, tokens, sessionSeconds: (performance.now() - started) / 1000 };
}
