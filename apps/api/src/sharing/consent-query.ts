import {
  accessibleWhere,
  applyFieldMasks,
  CONSENT_SQL_FIELDS,
  type Action,
  type AppAbility,
} from '@samverka/authz';
import type {
  AgencyType,
  ConsentMethod,
  ConsentPartyResponse,
  ConsentResponse,
  ProtectionLevel,
} from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { SqlParams } from '../common/sql-params.js';
import type { AuditEntry } from '../audit/audit.service.js';
import type { OutboxService } from '../outbox/outbox.service.js';
import { stockholmDate } from '../concerns/deadlines.js';

export interface ConsentRow {
  id: string;
  municipality_id: string;
  case_id: string;
  person_id: string;
  scope_agencies: AgencyType[];
  scope_unit_ids: string[];
  scope_categories: string[];
  valid_from: Date;
  valid_until: Date;
  method: ConsentMethod;
  attachment_ref: string | null;
  recorded_by: string;
  recorded_at: Date;
  revoked_at: Date | null;
  revoked_by_person_id: string | null;
  revoke_recorded_by: string | null;
}

export const CONSENT_COLUMNS = `c.id, c.municipality_id, c.case_id, k.person_id, c.scope_agencies, c.scope_unit_ids,
  c.scope_categories, c.valid_from, c.valid_until, c.method, c.attachment_ref, c.recorded_by, c.recorded_at,
  c.revoked_at, c.revoked_by_person_id, c.revoke_recorded_by`;

/** Consents (`consent c JOIN collab_case k`) the actor may `action`, within their municipality. */
export function consentWhere(actor: Actor, action: Action, params: SqlParams): string {
  const tenant = `c.municipality_id = ${params.bind(actor.principal.municipalityId)}`;
  return `${tenant} AND ${accessibleWhere(actor.ability, action, 'Consent', CONSENT_SQL_FIELDS, params.bind)}`;
}

export async function findConsents(
  manager: EntityManager,
  actor: Actor,
  filter: { consentId?: string; caseId?: string },
  lock = false,
): Promise<ConsentRow[]> {
  const params = new SqlParams();
  const where = [consentWhere(actor, 'read', params)];
  if (filter.consentId) where.push(`c.id = ${params.bind(filter.consentId)}`);
  if (filter.caseId) where.push(`c.case_id = ${params.bind(filter.caseId)}`);
  return manager.query<ConsentRow[]>(
    `SELECT ${CONSENT_COLUMNS} FROM consent c JOIN collab_case k ON k.id = c.case_id
     WHERE ${where.join(' AND ')} ORDER BY c.recorded_at DESC, c.id ${lock ? 'FOR UPDATE OF c' : ''}`,
    params.values,
  );
}

interface ProblemRow {
  consent_id: string;
  problem: 'revoked' | 'not_yet_valid' | 'expired' | 'no_guardian' | 'missing_party';
  person_id: string | null;
  role: 'young_person' | 'guardian' | null;
  at: Date | null;
}

interface PartyRow {
  consent_id: string;
  person_id: string;
  role: 'young_person' | 'guardian';
  required: boolean;
  given_at: Date | null;
  given_name: string;
  family_name: string;
  municipality_id: string;
  protection_level: ProtectionLevel;
  /** The young person the case is about. */
  subject_id: string;
  subject_protection_level: ProtectionLevel;
}

/**
 * Consent views with whether each is in force now, and if not, why in words. The database decides
 * (functions `consent_problems` and `consent_required_parties`), the same as every read does.
 */
export async function presentConsents(
  manager: EntityManager,
  ability: AppAbility,
  rows: ConsentRow[],
): Promise<ConsentResponse[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const problems = await manager.query<ProblemRow[]>(
    `SELECT c.id AS consent_id, pr.* FROM consent c, LATERAL consent_problems(c.id, now()) pr WHERE c.id = ANY($1::uuid[])`,
    [ids],
  );
  // Required parties and those who have consented, with their names.
  const parties = await manager.query<PartyRow[]>(
    `WITH parties AS (
       SELECT c.id AS consent_id, r.person_id, r.role, true AS required FROM consent c,
         LATERAL consent_required_parties(c.id, now()) r WHERE c.id = ANY($1::uuid[])
       UNION
       SELECT cp.consent_id, cp.person_id,
              CASE WHEN cp.person_id = k.person_id THEN 'young_person' ELSE 'guardian' END, false
       FROM consent_party cp JOIN consent c ON c.id = cp.consent_id JOIN collab_case k ON k.id = c.case_id
       WHERE cp.consent_id = ANY($1::uuid[])
     )
     SELECT DISTINCT ON (pa.consent_id, pa.person_id) pa.consent_id, pa.person_id, pa.role, pa.required,
            cp.given_at, p.given_name, p.family_name, p.municipality_id, p.protection_level,
            y.id AS subject_id, y.protection_level AS subject_protection_level
     FROM parties pa JOIN person p ON p.id = pa.person_id
     JOIN consent c ON c.id = pa.consent_id JOIN collab_case k ON k.id = c.case_id
     JOIN person y ON y.id = k.person_id
     LEFT JOIN consent_party cp ON cp.consent_id = pa.consent_id AND cp.person_id = pa.person_id
     ORDER BY pa.consent_id, pa.person_id, pa.required DESC`,
    [ids],
  );
  // A guardian's name is masked like the young person's own identity as well: naming the
  // guardians of a person with protected identity tells who and where the child is.
  const nameOf = (party: PartyRow) => {
    const name = { givenName: party.given_name, familyName: party.family_name };
    const own = applyFieldMasks(ability, 'Person', {
      id: party.person_id,
      municipalityId: party.municipality_id,
      protectionLevel: party.protection_level,
      ...name,
    });
    const child = applyFieldMasks(ability, 'Person', {
      id: party.subject_id,
      municipalityId: party.municipality_id,
      protectionLevel: party.subject_protection_level,
      ...name,
    });
    const { value, masked } = own.masked ? own : child;
    return { name: [value.givenName, value.familyName].filter(Boolean).join(' '), masked };
  };
  // A masked party is not named by id either: the id leads to the guardian's own record.
  const shownId = (party: PartyRow | undefined) =>
    party && !nameOf(party).masked ? party.person_id : null;
  return rows.map((row) => {
    const mine = parties.filter((party) => party.consent_id === row.id);
    const describe = (personId: string | null) => {
      const party = mine.find((candidate) => candidate.person_id === personId);
      if (!party) return 'a party';
      return party.role === 'guardian'
        ? `guardian ${nameOf(party).name}`
        : `the young person ${nameOf(party).name}`;
    };
    const reasons = problems
      .filter((problem) => problem.consent_id === row.id)
      .map((problem) => {
        switch (problem.problem) {
          case 'revoked':
            return `revoked on ${stockholmDate(problem.at!)} by ${describe(problem.person_id)}`;
          case 'not_yet_valid':
            return `not valid until ${stockholmDate(problem.at!)}`;
          case 'expired':
            return `expired on ${stockholmDate(problem.at!)}`;
          case 'no_guardian':
            return 'no guardian with custody is registered for the young person';
          case 'missing_party':
            return `${describe(problem.person_id)} has not consented`;
        }
      });
    return {
      id: row.id,
      caseId: row.case_id,
      inForce: reasons.length === 0,
      notInForceReasons: reasons,
      parties: mine.map((party): ConsentPartyResponse => ({
        personId: shownId(party),
        name: nameOf(party).name,
        role: party.role,
        required: party.required,
        givenAt: party.given_at ? party.given_at.toISOString() : null,
      })),
      scope: {
        agencies: row.scope_agencies,
        unitIds: row.scope_unit_ids,
        categories: row.scope_categories,
      },
      validFrom: row.valid_from.toISOString(),
      validUntil: row.valid_until.toISOString(),
      method: row.method,
      attachmentRef: row.attachment_ref,
      recordedBy: row.recorded_by,
      recordedAt: row.recorded_at.toISOString(),
      revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
      revokedByPersonId:
        row.revoked_by_person_id === null
          ? null
          : shownId(mine.find((party) => party.person_id === row.revoked_by_person_id)),
      revokeRecordedBy: row.revoke_recorded_by,
    };
  });
}

/**
 * A read of each guardian a consent view names, for the guardian's own trail ("who accessed
 * this person"): the view shows their name. Masked parties are not named, so not read.
 */
export function consentPartyReads(views: ConsentResponse[], action: string): AuditEntry[] {
  return views.flatMap((view) =>
    view.parties
      .filter((party) => party.role === 'guardian' && party.personId !== null)
      .map((party) => ({
        action,
        recordType: 'Consent',
        recordId: view.id,
        personId: party.personId,
        details: { as: 'guardian' },
      })),
  );
}

/** A municipality's consents in force now (only those not revoked and inside their validity can be). */
export async function consentsInForce(
  manager: EntityManager,
  municipalityId: string,
): Promise<{ id: string; case_id: string }[]> {
  return manager.query(
    `SELECT c.id, c.case_id FROM consent c
     WHERE c.municipality_id = $1 AND c.revoked_at IS NULL AND c.valid_until > now()
       AND consent_in_force(c.id, now())`,
    [municipalityId],
  );
}

/**
 * Tells the members of each case whose consent of `before` is no longer in force (a lower youth
 * consent age of the municipality made it lapse), as a revocation or expiry tells them: an outbox
 * event `consent.lapsed` in the caller's transaction. A lapse is for good, as a revocation is:
 * the consent is judged by `youthConsentAge` from now on (it kept the age it was recorded under),
 * so raising the age again brings none back; the parties give a consent anew.
 */
export async function lapseConsents(
  manager: EntityManager,
  outbox: OutboxService,
  municipalityId: string,
  youthConsentAge: number,
  before: { id: string; case_id: string }[],
): Promise<number> {
  if (before.length === 0) return 0;
  const still = new Set(
    (
      await manager.query<{ id: string }[]>(
        'SELECT c.id FROM consent c WHERE c.id = ANY($1::uuid[]) AND consent_in_force(c.id, now())',
        [before.map((consent) => consent.id)],
      )
    ).map((row) => row.id),
  );
  const lapsed = before.filter((consent) => !still.has(consent.id));
  if (lapsed.length === 0) return 0;
  await manager.query('UPDATE consent SET youth_consent_age = $2 WHERE id = ANY($1::uuid[])', [
    lapsed.map((consent) => consent.id),
    youthConsentAge,
  ]);
  await outbox.publish(
    manager,
    lapsed.map((consent) => ({
      municipalityId,
      topic: 'case',
      aggregateId: consent.case_id,
      type: 'consent.lapsed',
      payload: { caseId: consent.case_id, consentId: consent.id },
    })),
  );
  return lapsed.length;
}
