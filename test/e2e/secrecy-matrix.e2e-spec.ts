import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  PROTECTED_LABEL,
  type AreaResponse,
  type AuditEventResponse,
  type CaseResponse,
  type ConsentResponse,
  type DisclosureResponse,
  type EntryResponse,
  type MeResponse,
  type Page,
  type PersonResponse,
  type ProblemDetails,
  type UnitResponse,
} from '@samverka/contracts';
import type { ApiClient, ApiResponse } from '@samverka/testing';
import { expectProblem } from '../support/expect.js';
import { PASSWORD } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/*
 * The secrecy matrix: who may read which case entry, through single reads, lists and searches.
 * Scenario tables first, then an oracle written from the rules (not from the app's policy code),
 * then the fixture builder (all through the API), then one test per cell.
 */

// ── Scenario tables ────────────────────────────────────────────────────────────────────────────

type Agency = 'school' | 'social_services' | 'police' | 'leisure' | 'health';
/** `agency:area`, a unit; as a receiver it limits a disclosure to that unit. */
type Unit = `${Agency}:${string}`;
type Receiver = Agency | Unit;

/** Viewers: `new` ones are created by the admin; `grannby` is the other municipality. */
// prettier-ignore
const VIEWER_LIST = {
  samordnare:        ['samordnare@demo.test',           'coordinator',    'social_services:Norra'],
  sig:               ['sig@demo.test',                  'case_holder',    'social_services:Norra'],
  socialsekreterare: ['socialsekreterare@demo.test',    'social_worker',  'social_services:Norra', 'cleared'],
  skola:             ['skola@demo.test',                'school_staff',   'school:Norra'],
  polis:             ['polis@demo.test',                'police_liaison', 'police:Norra'],
  fritid:            ['fritid@demo.test',               'leisure_staff',  'leisure:Norra'],
  bup:               ['bup@demo.test',                  'health_staff',   'health:Norra'],
  polisSodra:        ['polis.sodra@demo.test',          'police_liaison', 'police:Södra', 'new'],
  skolaSodra:        ['skola.sodra@demo.test',          'school_staff',   'school:Södra', 'new'],
  samordnareSodra:   ['samordnare.sodra@demo.test',     'coordinator',    'social_services:Södra', 'new'],
  grannbySkola:      ['skola@grannby.test',             'school_staff',   'school:Centrum', 'grannby'],
  grannbySocial:     ['socialsekreterare@grannby.test', 'social_worker',  'social_services:Centrum', 'grannby'],
  revisor:           ['revisor@demo.test',              'auditor',        'social_services:Norra'],
  admin:             ['admin@demo.test',                'admin',          'social_services:Norra'],
} satisfies Record<string, [string, string, Unit, ('cleared' | 'new' | 'grannby')?]>;

/** The young people (demo data) and who must consent for them. */
const PEOPLE = {
  elias: {
    name: 'Elias Andersson',
    born: '2011-03-14',
    guardians: ['anna', 'bo'],
    protected: false,
  },
  nora: { name: 'Nora Nilsson', born: '2012-09-07', guardians: ['maria'], protected: false },
  leo: { name: 'Leo Karlsson', born: '2008-01-19', guardians: [], protected: false },
  alva: { name: 'Alva Lind', born: '2010-06-21', guardians: [], protected: true },
} as const;
type Youth = keyof typeof PEOPLE;
type Party = Youth | 'anna' | 'bo' | 'maria';

/** One case per young person, in area Norra, owned by its creator's unit. */
// prettier-ignore
const CASES: Record<Youth, { creator: ViewerKey; responsible?: ViewerKey; units: Unit[]; members: ViewerKey[] }> = {
  elias: { creator: 'sig', units: ['school:Norra', 'police:Norra', 'leisure:Norra', 'health:Norra'], members: ['polisSodra'] },
  nora: { creator: 'sig', units: ['school:Norra', 'leisure:Norra'], members: [] },
  leo: { creator: 'sig', units: ['police:Norra'], members: [] },
  alva: { creator: 'socialsekreterare', responsible: 'sig', units: ['school:Norra', 'police:Norra'], members: [] },
};

/**
 * Consents, recorded by the case holder. Window: current (yesterday to half a year on), past (ended
 * yesterday), seconds (ends EXPIRY_MS after recording). `late`: recorded and used while the youth
 * consent age is raised to 16; `revoked by X`: revoked once its disclosures are made.
 */
// prettier-ignore
const CONSENT_LIST = {
  //           case     parties          window     scope: receivers                scope: categories
  full:       ['elias', 'anna bo elias', 'current', 'school leisure police health', 'social_assessment plan_progress'],
  unitOnly:   ['elias', 'anna bo elias', 'current', 'police:Norra',                 'social_assessment'],
  narrow:     ['elias', 'anna bo elias', 'current', 'social_services',              'school_attendance'],
  revoked:    ['elias', 'anna bo elias', 'current', 'social_services police',       'school_attendance', 'revoked by bo'],
  expiring:   ['elias', 'anna bo elias', 'seconds', 'social_services',              'health', 'late'],
  past:       ['elias', 'anna bo elias', 'past',    'leisure',                      'school_attendance'],
  noGuardian: ['elias', 'anna elias',    'current', 'social_services',              'police_observation'],
  noYouth:    ['elias', 'anna bo',       'current', 'school',                       'police_observation'],
  youthAge:   ['elias', 'anna bo',       'current', 'school',                       'leisure_participation', 'late'],
  nora:       ['nora',  'maria',         'current', 'leisure police',               'school_wellbeing'],
  leo:        ['leo',   'leo',           'current', 'police',                       'social_assessment'],
  alva:       ['alva',  'alva',          'current', 'school',                       'social_assessment'],
} satisfies Record<string, [Youth, string, 'current' | 'past' | 'seconds', string, string, string?]>;
type ConsentKey = keyof typeof CONSENT_LIST;
/** Why each consent is not in force at the end (the app's wording). */
const WHY_NOT: Partial<Record<ConsentKey, RegExp>> = {
  revoked: /revoked on \d{4}-\d\d-\d\d by guardian Bo Andersson/,
  expiring: /expired on/,
  past: /expired on/,
  noGuardian: /guardian Bo Andersson has not consented/,
  noYouth: /the young person Elias Andersson has not consented/,
  youthAge: /the young person Elias Andersson has not consented/,
  alva: /no guardian with custody/,
};

const ALL_AGENCIES: Agency[] = ['school', 'social_services', 'police', 'leisure', 'health'];
/** The statutory bases seeded for every municipality. */
const STATUTES = {
  'SoL 14:1': { from: ['school', 'police', 'health'], to: ['social_services'], harm: false },
  'OSL 10:18 a': { from: ['social_services'], to: ['police'], harm: true },
  'OSL 10:2': { from: ALL_AGENCIES, to: ALL_AGENCIES, harm: true },
} satisfies Record<string, { from: Agency[]; to: Agency[]; harm: boolean }>;
type Statute = keyof typeof STATUTES;

/**
 * Entries: case, author, category, then disclosure attempts in order, `basis > receivers`, where
 * the basis is a consent of the table above or a statute, and `!harm` leaves out the harm assessment.
 */
// prettier-ignore
const ENTRY_LIST = {
  // Elias, 15: guardians Anna and Bo with custody, and his own consent from 15.
  eNone:          ['elias', 'sig',    'social_assessment'],
  eConsent:       ['elias', 'sig',    'social_assessment',     'nora > school', 'full > school leisure'],
  eUnit:          ['elias', 'sig',    'social_assessment',     'unitOnly > police', 'unitOnly > police:Norra'],
  eUnitSodra:     ['elias', 'sig',    'social_assessment',     'OSL 10:18 a > police:Södra'],
  eStatute:       ['elias', 'sig',    'social_assessment',     'OSL 10:18 a > police !harm', 'OSL 10:18 a > police'],
  eTwoBases:      ['elias', 'sig',    'plan_progress',         'full > police', 'OSL 10:18 a > police'],
  eWrongStatute:  ['elias', 'sig',    'social_assessment',     'SoL 14:1 > police'],
  eReport:        ['elias', 'skola',  'school_wellbeing',      'SoL 14:1 > social_services'],
  eRevoked:       ['elias', 'skola',  'school_attendance',     'revoked > social_services police', 'SoL 14:1 > social_services'],
  eExpired:       ['elias', 'bup',    'health',                'expiring > social_services'],
  eYouthAge:      ['elias', 'fritid', 'leisure_participation', 'youthAge > school'],
  eNoGuardian:    ['elias', 'polis',  'police_observation',    'noGuardian > social_services'],
  eNoYouth:       ['elias', 'polis',  'police_observation',    'noYouth > school'],
  ePast:          ['elias', 'skola',  'school_attendance',     'past > leisure'],
  eNarrow:        ['elias', 'skola',  'school_attendance',     'narrow > social_services'],
  eScopeAgency:   ['elias', 'skola',  'school_attendance',     'narrow > police'],
  eScopeCategory: ['elias', 'skola',  'school_wellbeing',      'narrow > social_services'],
  ePolice:        ['elias', 'polis',  'police_observation',    'OSL 10:2 > school'],
  // Nora, 14: her guardian Maria alone; the police take no part in her case.
  nConsent:       ['nora',  'skola',  'school_wellbeing',      'nora > leisure police'],
  nStatute:       ['nora',  'sig',    'social_assessment',     'OSL 10:18 a > police'],
  // Leo, 18: consents alone.
  lConsent:       ['leo',   'sig',    'social_assessment',     'leo > police'],
  // Alva, 16, protected, no guardian registered: no consent for her can be in force.
  aReport:        ['alva',  'skola',  'school_wellbeing',      'SoL 14:1 > social_services'],
  aConsent:       ['alva',  'socialsekreterare', 'social_assessment', 'alva > school'],
  aStatute:       ['alva',  'socialsekreterare', 'social_assessment', 'OSL 10:18 a > police'],
} satisfies Record<string, EntryRow>;
type EntryRow = [Youth, ViewerKey, string, ...string[]];
type EntryKey = keyof typeof ENTRY_LIST;

// The tables, read into records.
type ViewerKey = keyof typeof VIEWER_LIST;
const words = (text: string) => text.split(' ').filter(Boolean);
const table = <K extends string, R, T>(rows: Record<K, R>, read: (row: R) => T) =>
  Object.fromEntries(Object.entries(rows).map(([k, row]) => [k, read(row as R)])) as Record<K, T>;
const VIEWERS = table(VIEWER_LIST, ([email, role, unit, flag]) => ({ email, role, unit, flag }));
const CONSENTS = table(CONSENT_LIST, ([kase, parties, window, to, categories, extra = '']) => ({
  case: kase,
  parties: words(parties) as Party[],
  window,
  agencies: words(to).filter((r) => !r.includes(':')) as Agency[],
  units: words(to).filter((r) => r.includes(':')) as Unit[],
  categories: words(categories),
  revokedBy: /revoked by (\w+)/.exec(extra)?.[1] as Party | undefined,
  late: extra === 'late',
}));
const ENTRIES = table(ENTRY_LIST, ([kase, author, category, ...attempts]: EntryRow) => ({
  case: kase,
  author,
  category,
  attempts: attempts.map((text) => {
    const [via = '', receivers = ''] = text.split(' > ');
    if (!Object.hasOwn(CONSENT_LIST, via) && !Object.hasOwn(STATUTES, via))
      throw new Error(`unknown basis ${via}`);
    const to = words(receivers).filter((word) => word !== '!harm') as Receiver[];
    return { via: via as ConsentKey | Statute, to, noHarm: receivers.includes('!harm') };
  }),
}));
type Attempt = (typeof ENTRIES)[EntryKey]['attempts'][number];

const VIEWER_KEYS = Object.keys(VIEWERS) as ViewerKey[];
const YOUTHS = Object.keys(CASES) as Youth[];
const CONSENT_KEYS = Object.keys(CONSENTS) as ConsentKey[];
const ENTRY_KEYS = Object.keys(ENTRIES) as EntryKey[];
const PREFIX = 'SMX-';
/** Distinctive body text: the `#` ends the token so no token is a prefix of another. */
const tokenOf = (entry: EntryKey) => `${PREFIX}${entry}#`;
const EXPIRY_MS = 3_000;
const DAY = 86_400_000;
const HARM = 'Skadebedömning: utlämnandet skadar inte pågående insatser.';

// ── Oracle ─────────────────────────────────────────────────────────────────────────────────────

const STAFF = words('coordinator school_staff police_liaison social_worker case_holder').concat(
  'leisure_staff',
  'health_staff',
);
const isStaff = (viewer: ViewerKey) => STAFF.includes(VIEWERS[viewer].role);
const agencyOf = (receiver: Receiver) => receiver.split(':')[0] as Agency;
const isStatute = (via: string): via is Statute => Object.hasOwn(STATUTES, via);

/** The moments the fixture passes through: disclosure time, the late phase, and now. */
type World = { youthConsentAge: number; revoked: boolean; expired: boolean };
const AT_DISCLOSURE: World = { youthConsentAge: 15, revoked: false, expired: false };
const LATE: World = { youthConsentAge: 16, revoked: false, expired: false };
const NOW: World = { youthConsentAge: 15, revoked: true, expired: true };

const TODAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
function age(born: string): number {
  const [y, m, d] = TODAY.split('-').map(Number) as [number, number, number];
  const [by, bm, bd] = born.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** In force: every required party has consented, inside its window, not revoked. */
function inForce(key: ConsentKey, world: World): boolean {
  const consent = CONSENTS[key];
  const youth = PEOPLE[consent.case];
  const years = age(youth.born);
  const guardians: readonly Party[] = youth.guardians;
  const recordedAge = (consent.late ? LATE : AT_DISCLOSURE).youthConsentAge;
  if (years < 18 && guardians.length === 0) return false;
  const required: Party[] =
    years >= 18
      ? [consent.case]
      : // A consent keeps the consent age it was recorded under (a late one in the late phase):
        // the young person is needed from the lower of that and the current one.
        [
          ...guardians,
          ...(years >= Math.min(recordedAge, world.youthConsentAge) ? [consent.case] : []),
        ];
  const inWindow = consent.window === 'current' || (consent.window === 'seconds' && !world.expired);
  const revoked = consent.revokedBy !== undefined && world.revoked;
  return inWindow && !revoked && required.every((party) => consent.parties.includes(party));
}

/** What a disclosure attempt must answer: 201, or the status and problem type of the refusal. */
function outcome(entry: EntryKey, attempt: Attempt): { status: number; type?: string } {
  const spec = ENTRIES[entry];
  const receivers = attempt.to.map(agencyOf);
  if (isStatute(attempt.via)) {
    const statute: { from: Agency[]; to: Agency[]; harm: boolean } = STATUTES[attempt.via];
    const from = agencyOf(VIEWERS[spec.author].unit);
    if (!statute.from.includes(from) || !receivers.every((to) => statute.to.includes(to)))
      return { status: 409, type: 'basis-not-applicable' };
    if (statute.harm && attempt.noHarm) return { status: 400, type: 'invalid-request' };
    return { status: 201 };
  }
  const consent = CONSENTS[attempt.via];
  if (consent.case !== spec.case) return { status: 400, type: 'invalid-request' };
  if (!inForce(attempt.via, consent.late ? LATE : AT_DISCLOSURE))
    return { status: 409, type: 'consent-not-in-force' };
  const covered = attempt.to.every(
    (to) => consent.agencies.includes(agencyOf(to)) || consent.units.includes(to as Unit),
  );
  if (!covered || !consent.categories.includes(spec.category))
    return { status: 409, type: 'consent-scope' };
  return { status: 201 };
}

/** Who may know a case exists: its members, users of its units, coordinators of its area. */
function seesCase(viewer: ViewerKey, youth: Youth): boolean {
  const { role, unit, flag } = VIEWERS[viewer];
  const kase = CASES[youth];
  if (flag === 'grannby' || !isStaff(viewer)) return false;
  return (
    [kase.creator, kase.responsible, ...kase.members].includes(viewer) ||
    [VIEWERS[kase.creator].unit, ...kase.units].includes(unit) ||
    (role === 'coordinator' && unit.endsWith(':Norra'))
  );
}

/** 'route' (403: the role has no access to entries), 'hidden' (404), or the bases it is read on. */
type Expected = 'route' | 'hidden' | string[];
function expected(viewer: ViewerKey, entry: EntryKey, world: World): Expected {
  const { unit } = VIEWERS[viewer];
  const { case: youth, author, attempts } = ENTRIES[entry];
  if (!isStaff(viewer)) return 'route';
  if (!seesCase(viewer, youth)) return 'hidden';
  if (agencyOf(unit) === agencyOf(VIEWERS[author].unit)) return ['own_agency'];
  const bases = attempts
    .filter((attempt) => outcome(entry, attempt).status === 201)
    .filter((attempt) => attempt.to.some((to) => to === unit || to === agencyOf(unit)))
    .filter((attempt) => isStatute(attempt.via) || inForce(attempt.via, world))
    .map((attempt) => attempt.via);
  return bases.length > 0 ? [...new Set<string>(bases)] : 'hidden';
}
const labelOf = (exp: Expected) => (typeof exp === 'string' ? exp : exp.join(' + '));

const CELLS = VIEWER_KEYS.flatMap((viewer) =>
  ENTRY_KEYS.map((entry) => {
    const exp = expected(viewer, entry, NOW);
    return { viewer, entry, expected: exp, label: labelOf(exp) };
  }),
);
const LIST_CELLS = VIEWER_KEYS.flatMap((viewer) =>
  YOUTHS.map((youth) => {
    const exp = !isStaff(viewer) ? 'route' : seesCase(viewer, youth) ? 'visible' : 'hidden';
    const count = CELLS.filter(
      (cell) =>
        cell.viewer === viewer &&
        ENTRIES[cell.entry].case === youth &&
        Array.isArray(cell.expected),
    ).length;
    return { viewer, youth, expected: exp, label: exp === 'visible' ? `${count} entries` : exp };
  }),
);
/** Cells whose answer the transitions (revocation, expiry, youth consent age) change. */
const CHANGING = CELLS.filter(
  (cell) => labelOf(expected(cell.viewer, cell.entry, LATE)) !== cell.label,
);
const ATTEMPTS = ENTRY_KEYS.flatMap((entry) =>
  ENTRIES[entry].attempts.map((attempt, index) => ({
    entry,
    index,
    via: attempt.via,
    to: attempt.to.join('+'),
    ...outcome(entry, attempt),
  })),
);

// ── Fixture, built through the API ─────────────────────────────────────────────────────────────

async function bodyOf<T>(response: Promise<ApiResponse<T>>, status = 201): Promise<T> {
  const result = await response;
  if (result.status !== status)
    throw new Error(`expected ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
  return result.body;
}

async function buildFixture(app: TestApp) {
  const admin = await app.as(VIEWERS.admin.email);
  const [unitPage, areaPage] = await Promise.all([
    bodyOf(admin.get<Page<UnitResponse>>('/api/v1/units?limit=200'), 200),
    bodyOf(admin.get<Page<AreaResponse>>('/api/v1/areas?limit=200'), 200),
  ]);
  const units: Record<string, string> = Object.fromEntries(
    unitPage.items.map((unit) => [`${unit.agency}:${unit.name.split(' ').pop()}`, unit.id]),
  );
  const norra = areaPage.items.find((area) => area.name === 'Norra')!.id;
  for (const { email, role, unit } of Object.values(VIEWERS).filter((v) => v.flag === 'new')) {
    const user = {
      email,
      displayName: email,
      roles: [role],
      unitId: units[unit],
      password: PASSWORD,
    };
    await bodyOf(admin.post('/api/v1/users', user));
  }
  const clients = {} as Record<ViewerKey, ApiClient>;
  const users = {} as Record<ViewerKey, string>;
  for (const key of VIEWER_KEYS) {
    const { email, role, unit, flag } = VIEWERS[key];
    clients[key] = await app.as(email);
    const me = await bodyOf(clients[key].get<MeResponse>('/api/v1/me'), 200);
    // The table's view of each viewer must be the app's: agency, unit, role.
    const actual = { key, agency: me.agency, roles: me.roles, unit: me.unit.id };
    const known = flag === 'grannby' ? me.unit.id : units[unit];
    expect(actual).toEqual({ key, agency: agencyOf(unit), roles: [role], unit: known });
    users[key] = me.user.id;
  }
  const { sig, socialsekreterare } = clients;
  const find = async (client: ApiClient, query: object) =>
    (await bodyOf(client.post<Page<PersonResponse>>('/api/v1/people/search', query), 200))
      .items[0]!;
  const elias = await find(sig, { identityNumber: '20110314-2384' });
  // Nora is not known to social services yet: registering her links her.
  const nora = await bodyOf(
    sig.post<PersonResponse>('/api/v1/people', {
      identityNumber: '20120907-1248',
      givenName: 'Nora',
      familyName: 'Nilsson',
    }),
  );
  const guardian = (child: PersonResponse, name: string) =>
    child.guardians.find((g) => g.name === name)!.personId!;
  const people: Record<Party, string> = {
    elias: elias.id,
    anna: guardian(elias, 'Anna Andersson'),
    bo: guardian(elias, 'Bo Andersson'),
    nora: nora.id,
    maria: guardian(nora, 'Maria Nilsson'),
    leo: (await find(sig, { name: 'Leo Karlsson' })).id,
    alva: (await find(socialsekreterare, { identityNumber: '20100621-4827' })).id,
  };
  const cases = {} as Record<Youth, string>;
  for (const youth of YOUTHS) {
    const { creator, responsible, units: caseUnits, members } = CASES[youth];
    const request = {
      kind: 'sspf',
      personId: people[youth],
      areaId: norra,
      participatingUnitIds: caseUnits.map((unit) => units[unit]),
      memberUserIds: members.map((member) => users[member]),
      ...(responsible ? { responsibleUserId: users[responsible] } : {}),
    };
    cases[youth] = (await bodyOf(clients[creator].post<CaseResponse>('/api/v1/cases', request))).id;
  }

  const consents = {} as Record<ConsentKey, string>;
  const recorded = {} as Record<ConsentKey, ConsentResponse>;
  const record = async (key: ConsentKey) => {
    const spec = CONSENTS[key];
    const now = Date.now();
    const [from = 0, until = 0] = {
      current: [now - DAY, now + 180 * DAY],
      past: [now - 60 * DAY, now - DAY],
      seconds: [now - 60_000, now + EXPIRY_MS],
    }[spec.window];
    // Consent on behalf of a protected young person is recorded by staff cleared for them.
    const recorder = PEOPLE[spec.case].protected ? clients.socialsekreterare : sig;
    recorded[key] = await bodyOf(
      recorder.post<ConsentResponse>(`/api/v1/cases/${cases[spec.case]}/consents`, {
        parties: spec.parties.map((party) => ({ personId: people[party] })),
        scope: {
          agencies: spec.agencies,
          unitIds: spec.units.map((unit) => units[unit]),
          categories: spec.categories,
        },
        validFrom: new Date(from).toISOString(),
        validUntil: new Date(until).toISOString(),
        method: 'written',
      }),
    );
    consents[key] = recorded[key].id;
  };
  const entries = {} as Record<EntryKey, string>;
  const attempts = new Map<string, ApiResponse>();
  const disclose = async (entry: EntryKey) => {
    const spec = ENTRIES[entry];
    for (const [index, { via, to, noHarm }] of spec.attempts.entries()) {
      const basis = isStatute(via)
        ? {
            basis: 'statutory',
            legalBasisCode: via,
            ...(STATUTES[via].harm && !noHarm ? { harmAssessment: HARM } : {}),
          }
        : { basis: 'consent', consentId: consents[via] };
      const receivers = to.map((r) =>
        r.includes(':') ? { agency: agencyOf(r), unitId: units[r] } : { agency: r },
      );
      const request = { receivers, ...basis, reason: `Matrisen: ${entry} via ${via}` };
      attempts.set(
        `${entry}/${index}`,
        await clients[spec.author].post(`/api/v1/entries/${entries[entry]}/disclosures`, request),
      );
    }
  };
  const isLate = (entry: EntryKey) =>
    ENTRIES[entry].attempts.some(({ via }) => !isStatute(via) && CONSENTS[via].late);
  const setYouthConsentAge = (youthConsentAge: number) =>
    bodyOf(admin.patch('/api/v1/municipality/settings', { youthConsentAge }), 200);

  for (const key of CONSENT_KEYS.filter((k) => !CONSENTS[k].late)) await record(key);
  for (const entry of ENTRY_KEYS) {
    const { case: youth, author, category } = ENTRIES[entry];
    const body = `Matrisanteckning ${tokenOf(entry)} (${category})`;
    const url = `/api/v1/cases/${cases[youth]}/entries`;
    entries[entry] = (
      await bodyOf(clients[author].post<EntryResponse>(url, { category, body }))
    ).id;
  }
  for (const entry of ENTRY_KEYS.filter((e) => !isLate(e))) await disclose(entry);
  // Late phase: Elias (15) need not consent himself while the consent age is 16; a consent that
  // lasts seconds. Then the answers the transitions will change, and the transitions.
  await setYouthConsentAge(16);
  for (const key of CONSENT_KEYS.filter((k) => CONSENTS[k].late)) await record(key);
  for (const entry of ENTRY_KEYS.filter(isLate)) await disclose(entry);
  const before: { viewer: ViewerKey; entry: EntryKey; answer: string | number }[] = [];
  for (const { viewer, entry } of CHANGING) {
    const read = await clients[viewer].get<EntryResponse>(`/api/v1/entries/${entries[entry]}`);
    before.push({ viewer, entry, answer: read.status === 200 ? read.body.access : read.status });
  }
  for (const key of CONSENT_KEYS.filter((k) => CONSENTS[k].revokedBy)) {
    const revoke = { partyPersonId: people[CONSENTS[key].revokedBy!] };
    await bodyOf(sig.post(`/api/v1/consents/${consents[key]}/revoke`, revoke), 200);
  }
  await setYouthConsentAge(15);
  const expiring = CONSENT_KEYS.filter((k) => CONSENTS[k].window === 'seconds');
  const expiry = Math.max(...expiring.map((k) => Date.parse(recorded[k].validUntil)));
  await sleep(Math.max(0, expiry - Date.now() + 500));
  return { clients, users, people, cases, consents, recorded, entries, attempts, before };
}
type Fixture = Awaited<ReturnType<typeof buildFixture>>;

// ── The matrix ─────────────────────────────────────────────────────────────────────────────────

describe('the secrecy matrix', () => {
  let app: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    app = await startTestApp();
    f = await buildFixture(app);
  }, 120_000);
  afterAll(() => app?.close());

  /** `access` as the API must say it: `own_agency`, statute codes, `OSL 12:2 samtycke <id>`. */
  const access = (bases: string[]) =>
    bases
      .map((base) =>
        base === 'own_agency' || isStatute(base)
          ? base
          : `OSL 12:2 samtycke ${f.consents[base as ConsentKey]}`,
      )
      .sort()
      .join('; ');
  const answerOf = (exp: Expected) =>
    exp === 'route' ? 403 : exp === 'hidden' ? 404 : access(exp);
  const byEntry = (a: { entry: string }, b: { entry: string }) => a.entry.localeCompare(b.entry);
  const keyOf = (id: string) => ENTRY_KEYS.find((key) => f.entries[key] === id) ?? id;
  const seen = (items: EntryResponse[]) =>
    items.map((item) => ({ entry: keyOf(item.id), access: item.access })).sort(byEntry);
  const permitted = (viewer: ViewerKey, youth?: Youth) =>
    CELLS.filter((cell) => cell.viewer === viewer && (!youth || ENTRIES[cell.entry].case === youth))
      .flatMap(({ entry, expected: exp }) =>
        typeof exp === 'string' ? [] : [{ entry, access: access(exp) }],
      )
      .sort(byEntry);
  /** A refusal that tells no more than the same request for a random id. */
  async function expectSameRefusal(client: ApiClient, path: string, id: string, status: number) {
    const pick = ({ type, title, detail }: ProblemDetails) => ({ type, title, detail });
    const response = await client.get(path.replace(':id', id));
    const baseline = await client.get(path.replace(':id', randomUUID()));
    expect(pick(expectProblem(response, status))).toEqual(pick(expectProblem(baseline, status)));
    expect(JSON.stringify(response.body)).not.toContain(id);
  }

  it.each(CONSENT_KEYS)('consent %s is in force exactly when the oracle says', async (key) => {
    expect(f.recorded[key].inForce).toBe(inForce(key, CONSENTS[key].late ? LATE : AT_DISCLOSURE));
    const url = `/api/v1/consents/${f.consents[key]}`;
    const now = await bodyOf(f.clients.sig.get<ConsentResponse>(url), 200);
    expect(now.inForce).toBe(inForce(key, NOW));
    if (!now.inForce) expect(now.notInForceReasons.join('; ')).toMatch(WHY_NOT[key]!);
  });

  it.each(ATTEMPTS)('disclosing $entry via $via to $to answers $status', (attempt) => {
    const response = f.attempts.get(`${attempt.entry}/${attempt.index}`)!;
    expect({ status: response.status }).toEqual({ status: attempt.status });
    if (attempt.type) {
      expect(expectProblem(response, attempt.status).type).toMatch(new RegExp(`/${attempt.type}$`));
      return;
    }
    const made = (response.body as DisclosureResponse[]).map((d) => [d.toAgency, d.basisHolds]);
    const want = attempt.to.split('+').map((to) => [agencyOf(to as Receiver), true]);
    expect(made.sort()).toEqual(want.sort());
  });

  it.each(CELLS)('$viewer reads $entry → $label', async ({ viewer, entry, expected: exp }) => {
    const client = f.clients[viewer];
    const id = f.entries[entry];
    const read = await client.get<EntryResponse>(`/api/v1/entries/${id}`);
    const search = await client.post<Page<EntryResponse>>('/api/v1/entries/search', {
      text: tokenOf(entry),
    });
    if (typeof exp === 'string') {
      await expectSameRefusal(client, '/api/v1/entries/:id', id, answerOf(exp) as number);
      expect(JSON.stringify(read.body)).not.toContain(tokenOf(entry));
      if (exp === 'route') expectProblem(search, 403);
      else expect([search.status, search.body.items]).toEqual([200, []]);
      return;
    }
    const { status, body } = read;
    expect({ status, id: body.id, access: body.access }).toEqual({
      status: 200,
      id,
      access: access(exp),
    });
    expect(body.body).toContain(tokenOf(entry));
    expect(seen(search.body.items)).toEqual([{ entry, access: access(exp) }]);
  });

  it.each(LIST_CELLS)('$viewer lists the entries of $youth’s case → $label', async (cell) => {
    const client = f.clients[cell.viewer];
    const caseId = f.cases[cell.youth];
    const search = await client.post<Page<EntryResponse>>('/api/v1/entries/search', {
      text: PREFIX,
      caseId,
      limit: 200,
    });
    if (cell.expected !== 'visible') {
      const status = cell.expected === 'route' ? 403 : 404;
      await expectSameRefusal(client, '/api/v1/cases/:id', caseId, status);
      await expectSameRefusal(client, '/api/v1/cases/:id/entries?limit=200', caseId, status);
      if (status === 403) expectProblem(search, 403);
      else expect([search.status, search.body.items]).toEqual([200, []]);
      return;
    }
    const list = await client.get<Page<EntryResponse>>(`/api/v1/cases/${caseId}/entries?limit=200`);
    expect((await client.get(`/api/v1/cases/${caseId}`)).status).toBe(200);
    const want = permitted(cell.viewer, cell.youth);
    expect(seen(list.body.items)).toEqual(want);
    expect(list.body.items).toHaveLength(want.length);
    expect(seen(search.body.items)).toEqual(want);
  });

  it.each(VIEWER_KEYS)(
    '%s: case list, case search and entry search hold what is permitted',
    async (viewer) => {
      const client = f.clients[viewer];
      const cases = await client.get<Page<CaseResponse>>('/api/v1/cases?limit=200');
      const entries = await client.post<Page<EntryResponse>>('/api/v1/entries/search', {
        text: PREFIX,
        limit: 200,
      });
      if (!isStaff(viewer)) {
        expectProblem(cases, 403);
        expectProblem(entries, 403);
        return;
      }
      const caseKey = (id: string) => YOUTHS.find((youth) => f.cases[youth] === id) ?? id;
      const visible = YOUTHS.filter((youth) => seesCase(viewer, youth));
      expect(cases.body.items.map((k) => caseKey(k.id)).sort()).toEqual(visible.sort());
      expect(seen(entries.body.items)).toEqual(permitted(viewer));
      for (const youth of YOUTHS) {
        const query = { query: PEOPLE[youth].name };
        const found = await client.post<Page<CaseResponse>>('/api/v1/cases/search', query);
        const identifiable = !PEOPLE[youth].protected || VIEWERS[viewer].flag === 'cleared';
        expect({ youth, found: found.body.items.map((k) => caseKey(k.id)) }).toEqual({
          youth,
          found: seesCase(viewer, youth) && identifiable ? [youth] : [],
        });
      }
    },
  );

  it('a consent-based disclosure held until its consent was revoked, expired or lacked the young person', () => {
    const moved = [...new Set(f.before.map((cell) => cell.entry))].sort();
    expect(moved).toEqual(['eExpired', 'eRevoked', 'eYouthAge']);
    const late = CHANGING.map(({ viewer, entry }) => ({
      viewer,
      entry,
      answer: answerOf(expected(viewer, entry, LATE)),
    }));
    expect(f.before).toEqual(late);
  });

  it('never shows the protected person’s identity to an uncleared viewer, in case or entry responses', async () => {
    const leak = /Alva|Lind|2010-06-21|100621-?4827|Södraskolan|Skyddad adress/;
    const caseId = f.cases.alva;
    for (const viewer of VIEWER_KEYS.filter(isStaff)) {
      const client = f.clients[viewer];
      const cleared = VIEWERS[viewer].flag === 'cleared';
      const kase = await client.get<CaseResponse>(`/api/v1/cases/${caseId}`);
      const alvaEntries = ENTRY_KEYS.filter((entry) => ENTRIES[entry].case === 'alva');
      const responses = [
        kase,
        await client.get('/api/v1/cases?limit=200'),
        await client.post('/api/v1/cases/search', { query: 'Alva' }),
        await client.post('/api/v1/cases/search', { query: '20100621-4827' }),
        await client.get(`/api/v1/cases/${caseId}/entries`),
        await client.get(`/api/v1/cases/${caseId}/consents`),
        await client.post('/api/v1/entries/search', { text: PREFIX, limit: 200 }),
        ...(await Promise.all(
          alvaEntries.map((e) => client.get(`/api/v1/entries/${f.entries[e]}`)),
        )),
      ];
      const text = JSON.stringify(responses.map((response) => response.body));
      if (cleared) expect(text).toContain('Alva Lind');
      else expect({ viewer, leak: leak.exec(text)?.[0] ?? null }).toEqual({ viewer, leak: null });
      if (!seesCase(viewer, 'alva')) continue;
      const person = cleared
        ? {
            name: 'Alva Lind',
            birthDate: '2010-06-21',
            identityNumber: '20100621-4827',
            masked: false,
          }
        : { name: PROTECTED_LABEL, birthDate: null, identityNumber: null, masked: true };
      expect({ viewer, person: kase.body.person }).toEqual({
        viewer,
        person: { id: f.people.alva, ...person },
      });
    }
  });

  it('shows the auditor each entry read with its legal basis, and no read that was refused', async () => {
    // A fresh read of every permitted cell: the newest event of each names the basis now.
    const reads = CELLS.filter((cell) => typeof cell.expected !== 'string');
    for (const { viewer, entry } of reads)
      await f.clients[viewer].get(`/api/v1/entries/${f.entries[entry]}`);
    const trail: AuditEventResponse[] = [];
    for (const youth of YOUTHS) {
      let cursor = '';
      do {
        const url = `/api/v1/audit?personId=${f.people[youth]}&action=entry.read&limit=200${cursor}`;
        const page = await bodyOf(f.clients.revisor.get<Page<AuditEventResponse>>(url), 200);
        trail.push(...page.items);
        cursor = page.nextCursor ? `&cursor=${page.nextCursor}` : '';
      } while (cursor);
    }
    const eventsOf = (viewer: ViewerKey, entry: EntryKey) =>
      trail.filter((e) => e.actorUserId === f.users[viewer] && e.recordId === f.entries[entry]);
    const basisOf = (exp: Expected) => (labelOf(exp) === 'own_agency' ? null : answerOf(exp));
    expect(
      reads.map(({ viewer, entry }) => ({
        viewer,
        entry,
        basis: eventsOf(viewer, entry)[0]?.legalBasis,
      })),
    ).toEqual(
      reads.map(({ viewer, entry, expected: exp }) => ({ viewer, entry, basis: basisOf(exp) })),
    );
    // Cells permitted before a transition show that earlier basis too.
    for (const { viewer, entry, answer } of f.before.filter((b) => typeof b.answer === 'string'))
      expect(eventsOf(viewer, entry).map((e) => e.legalBasis)).toContain(answer);
    // A refused read is no read: nothing is recorded for it.
    const wasRead = (cell: { viewer: ViewerKey; entry: EntryKey }) =>
      eventsOf(cell.viewer, cell.entry).length > 0;
    const changed = (cell: { viewer: ViewerKey; entry: EntryKey }) =>
      f.before.some((b) => b.viewer === cell.viewer && b.entry === cell.entry);
    const refused = CELLS.filter((cell) => cell.expected === 'hidden' && !changed(cell));
    expect(refused.filter(wasRead)).toEqual([]);
  });
});
