import { OutboxService } from '../outbox/outbox.service.js';
import { hideTextsNaming } from './protected-texts.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  CreatePersonRequest,
  GuardianInput,
  PersonResponse,
  UpdatePersonRequest,
} from '@samverka/contracts';
import { defineAbilityFor } from '@samverka/authz';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { conflict, fieldError, forbidden, notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { resolveBirthDate, resolveIdentity } from './identity.js';
import { PERSON_COLUMNS, personIdentifiable, personWhere, type PersonRow } from './person-query.js';
import { guardianReads, PersonPresenter } from './person-presenter.js';

/** Names as people write them: however cased, accented (composed or not) or spaced. */
const nameKey = (name: string) =>
  name
    .normalize('NFC')
    .toLocaleLowerCase('sv')
    .trim()
    .replace(/[\s\u2010-\u2015-]+/gu, ' ');
const sameName = (registered: string, given: string) => nameKey(registered) === nameKey(given);

const UPDATABLE: Record<string, string> = {
  givenName: 'given_name',
  familyName: 'family_name',
  gender: 'gender',
  address: 'address',
  school: 'school',
  protectionLevel: 'protection_level',
};

/** The person register: registration, reading and correction, each audited. */
@Injectable()
export class PeopleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Registers a person for the caller's agency. A person already in the register (same identity
   * number) is linked to the caller's agency instead; `created` tells which.
   */
  async create(
    actor: Actor,
    request: CreatePersonRequest,
  ): Promise<{ person: PersonResponse; created: boolean }> {
    const identity = resolveIdentity(request.identityNumber, request.identityKind);
    const birthDate = resolveBirthDate(identity, request.birthDate);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const { municipalityId, userId, unitId, agency } = actor.principal;
      const [inserted] = await manager.query<{ id: string }[]>(
        `INSERT INTO person (municipality_id, identity_kind, identity_number, given_name, family_name, birth_date,
                             gender, address, school, protection_level, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (municipality_id, identity_number) DO NOTHING RETURNING id`,
        [
          municipalityId,
          identity.kind,
          identity.normalized,
          request.givenName.trim(),
          request.familyName.trim(),
          birthDate,
          request.gender ?? null,
          request.address ?? null,
          request.school ?? null,
          request.protectionLevel ?? 'none',
          userId,
        ],
      );
      let personId: string;
      let viewer = actor;
      let hidden: AuditEntry[] = [];
      if (inserted) {
        personId = inserted.id;
        await this.replaceGuardians(manager, actor, personId, birthDate, request.guardians ?? []);
        if ((request.protectionLevel ?? 'none') !== 'none') {
          viewer = await this.clearSelf(manager, actor, personId);
          // Text written before they were registered may name them too.
          hidden = await this.hideTexts(manager, municipalityId, personId);
        }
      } else {
        const params = new SqlParams([municipalityId, identity.normalized, agency]);
        const [existing] = await manager.query<
          {
            id: string;
            linked: boolean;
            identifiable: boolean;
            given_name: string;
            family_name: string;
          }[]
        >(
          `SELECT p.id, p.given_name, p.family_name,
                  EXISTS (SELECT 1 FROM person_agency pa WHERE pa.person_id = p.id AND pa.agency = $3) AS linked,
                  COALESCE(${personIdentifiable(actor, params)}, false) AS identifiable
           FROM person p WHERE p.municipality_id = $1 AND p.identity_number = $2 FOR UPDATE`,
          params.values,
        );
        // Registering again links the person to the caller's agency only for someone who knows
        // them: the number and the name as registered. Someone the caller may not identify (a
        // protected person they are not cleared for) is never linked this way, and the refusal
        // reads exactly like a wrong name whatever the caller's agency already knows of them:
        // no id, nothing of the protection.
        const knows =
          sameName(existing!.given_name, request.givenName) &&
          sameName(existing!.family_name, request.familyName);
        if (existing!.identifiable && existing!.linked) {
          throw conflict(`This person is already registered (id ${existing!.id})`, 'person-exists');
        }
        if (!existing!.identifiable || !knows) {
          // An attempt to identify someone: audited against them, though nothing else changes.
          await this.audit.record(manager, actor, [
            {
              action: 'person.identify_refused',
              recordType: 'Person',
              recordId: existing!.id,
              personId: existing!.id,
              details: { via: 'registration' },
            },
          ]);
          return { refused: true as const };
        }
        personId = existing!.id;
      }
      await manager.query(
        `INSERT INTO person_agency (person_id, agency, linked_by_unit_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [personId, agency, unitId],
      );
      const person = await this.readVisible(manager, viewer, personId);
      await this.audit.record(manager, actor, [
        {
          action: inserted ? 'person.create' : 'person.link',
          recordType: 'Person',
          recordId: personId,
          personId,
        },
        ...hidden,
        ...guardianReads([person], 'person.read'),
      ]);
      return { refused: false as const, person, created: Boolean(inserted) };
    });
    if (outcome.refused) {
      throw conflict(
        'This identity number is in the register under details that do not match the ones you sent. Check the number and the name; a person you work with in a case reaches your agency through that case.',
        'person-exists',
      );
    }
    return { person: outcome.person, created: outcome.created };
  }

  async get(actor: Actor, id: string): Promise<PersonResponse> {
    return this.dataSource.transaction(async (manager) => {
      const person = await this.readVisible(manager, actor, id);
      await this.audit.record(manager, actor, [
        { action: 'person.read', recordType: 'Person', recordId: id, personId: id },
        ...guardianReads([person], 'person.read'),
      ]);
      return person;
    });
  }

  async update(actor: Actor, id: string, request: UpdatePersonRequest): Promise<PersonResponse> {
    return this.dataSource.transaction(async (manager) => {
      const readable = new SqlParams([id]);
      const [row] = await manager.query<PersonRow[]>(
        `SELECT ${PERSON_COLUMNS} FROM person p WHERE p.id = $1 AND ${personWhere(actor, 'read', readable)} FOR UPDATE`,
        readable.values,
      );
      if (!row) throw notFound('The person');
      const updatable = new SqlParams([id]);
      const [allowed] = await manager.query<unknown[]>(
        `SELECT 1 FROM person p WHERE p.id = $1 AND ${personWhere(actor, 'update', updatable)}`,
        updatable.values,
      );
      if (!allowed)
        throw forbidden('This person has a protected identity and you are not cleared for them');

      const sets: string[] = [];
      const params = new SqlParams([id]);
      const changed: string[] = [];
      const set = (field: string, column: string, value: unknown) => {
        sets.push(`${column} = ${params.bind(value)}`);
        changed.push(field);
      };
      let birthDateAfter = row.birth_date;
      if (request.identityNumber !== undefined || request.identityKind !== undefined) {
        const identity = resolveIdentity(
          request.identityNumber ??
            (request.identityKind === 'reserve' ? undefined : row.identity_number),
          request.identityKind ?? (request.identityNumber ? undefined : row.identity_kind),
        );
        const birthDate = resolveBirthDate(
          identity,
          request.birthDate ?? (identity.birthDate ? undefined : (row.birth_date ?? undefined)),
        );
        const [clash] = await manager.query<{ id: string }[]>(
          'SELECT id FROM person WHERE municipality_id = $1 AND identity_number = $2 AND id <> $3',
          [row.municipality_id, identity.normalized, id],
        );
        if (clash)
          throw conflict(
            'Another person in the register has this identity number',
            'person-exists',
          );
        set('identityKind', 'identity_kind', identity.kind);
        set('identityNumber', 'identity_number', identity.normalized);
        if (birthDate !== row.birth_date) set('birthDate', 'birth_date', birthDate);
        birthDateAfter = birthDate;
      } else if (request.birthDate !== undefined && request.birthDate !== row.birth_date) {
        if (row.identity_kind !== 'reserve') {
          throw fieldError(
            'birthDate',
            'birthDate follows from the identity number and cannot be changed on its own',
          );
        }
        set('birthDate', 'birth_date', request.birthDate);
        birthDateAfter = request.birthDate;
      }
      for (const [field, column] of Object.entries(UPDATABLE)) {
        const value = (request as Record<string, unknown>)[field];
        if (value !== undefined)
          set(field, column, typeof value === 'string' ? value.trim() : value);
      }
      const guardiansChange =
        request.guardians !== undefined &&
        (await this.guardiansDiffer(manager, id, request.guardians));
      if (guardiansChange) {
        await this.replaceGuardians(manager, actor, id, birthDateAfter, request.guardians!);
        changed.push('guardians');
      }
      // A guardian is 18 or over: a corrected birth date may not make one a child.
      if (changed.includes('birthDate') && birthDateAfter) {
        const [minorGuardian] = await manager.query<unknown[]>(
          `SELECT 1 FROM person_guardian WHERE guardian_id = $1 AND custody
             AND $2::date > (now() AT TIME ZONE 'Europe/Stockholm')::date - interval '18 years'`,
          [id, birthDateAfter],
        );
        if (minorGuardian) {
          throw fieldError(
            request.identityNumber !== undefined ? 'identityNumber' : 'birthDate',
            'this person has custody of a child, and a guardian must be 18 or over',
          );
        }
      }
      // After the guardians are validated (a change refused for them tells nothing of consents);
      // a refusal here rolls the transaction back.
      if (changed.includes('birthDate') || guardiansChange)
        await this.refuseIfConsentDepends(manager, id);
      // Any change, guardians included, is a change of the person: updatedAt follows.
      if (changed.length > 0) {
        await manager.query(
          `UPDATE person SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`,
          params.values,
        );
      }
      let viewer = actor;
      if (
        request.protectionLevel &&
        request.protectionLevel !== 'none' &&
        row.protection_level === 'none'
      ) {
        viewer = await this.clearSelf(manager, actor, id);
      }
      // Protected from now on: what was written naming them before stops naming them.
      const hidden =
        (request.protectionLevel ?? 'none') !== 'none' && row.protection_level === 'none'
          ? await this.hideTexts(manager, row.municipality_id, id)
          : [];
      const person = await this.readVisible(manager, viewer, id);
      await this.audit.record(manager, actor, [
        {
          action: 'person.update',
          recordType: 'Person',
          recordId: id,
          personId: id,
          details: { fields: changed },
        },
        ...hidden,
        ...guardianReads([person], 'person.read'),
      ]);
      return person;
    });
  }

  /**
   * Hides the shared texts that name a person now protected (`hideTextsNaming`), tells the invitees
   * of the meetings and the members of the cases whose plans or conversations changed, and answers
   * the audit event that keeps the texts.
   */
  private async hideTexts(
    manager: EntityManager,
    municipalityId: string,
    personId: string,
  ): Promise<AuditEntry[]> {
    const { audit, meetingIds, caseIds, conversationCaseIds } = await hideTextsNaming(
      manager,
      municipalityId,
      personId,
    );
    await this.outbox.publish(manager, [
      ...meetingIds.map((meetingId) => ({
        municipalityId,
        topic: 'meeting' as const,
        aggregateId: meetingId,
        type: 'meeting.changed',
        payload: { meetingId, changes: ['text'] },
      })),
      ...caseIds.map((caseId) => ({
        municipalityId,
        topic: 'case' as const,
        aggregateId: caseId,
        type: 'plan.changed',
        payload: { caseId, change: 'plan.texts_hidden' },
      })),
      ...conversationCaseIds.map((caseId) => ({
        municipalityId,
        topic: 'case' as const,
        aggregateId: caseId,
        type: 'messages.hidden',
        payload: { caseId },
      })),
    ]);
    return audit;
  }

  private async guardiansDiffer(
    manager: EntityManager,
    childId: string,
    guardians: GuardianInput[],
  ): Promise<boolean> {
    const current = await manager.query<{ guardian_id: string; custody: boolean }[]>(
      'SELECT guardian_id, custody FROM person_guardian WHERE child_id = $1',
      [childId],
    );
    const key = (id: string, custody: boolean) => `${id}:${custody}`;
    const before = new Set(current.map((row) => key(row.guardian_id, row.custody)));
    const after = new Set(guardians.map((guardian) => key(guardian.personId, guardian.custody)));
    return before.size !== after.size || [...after].some((entry) => !before.has(entry));
  }

  /**
   * Whose consent a consent needs follows from the young person's age and guardians with custody,
   * judged at each read. While a consent about them is still to be honoured (not revoked, not
   * expired), neither may change under it: that would bring it into force without the parties
   * the law asks for. A change of custody or a corrected birth date calls for the consent to be
   * revoked and given again by the right parties.
   */
  private async refuseIfConsentDepends(manager: EntityManager, personId: string): Promise<void> {
    const [live] = await manager.query<unknown[]>(
      `SELECT 1 FROM consent c JOIN collab_case k ON k.id = c.case_id
       WHERE k.person_id = $1 AND c.revoked_at IS NULL AND c.valid_until > now() LIMIT 1`,
      [personId],
    );
    // The consent is not named: its case may be one the user may not know of.
    if (live) {
      throw conflict(
        `A consent about this person depends on their birth date and guardians, which decide whose consent it needs. It must be revoked first, and a new one recorded from the right parties after the change.`,
        'consent-depends',
      );
    }
  }

  /** One person the actor may read, masked for them; 404 if they may not know it exists. */
  private async readVisible(
    manager: EntityManager,
    actor: Actor,
    id: string,
  ): Promise<PersonResponse> {
    const params = new SqlParams([id]);
    const rows = await manager.query<PersonRow[]>(
      `SELECT ${PERSON_COLUMNS} FROM person p WHERE p.id = $1 AND ${personWhere(actor, 'read', params)}`,
      params.values,
    );
    if (rows.length === 0) throw notFound('The person');
    const [person] = await new PersonPresenter(actor.ability).present(manager, rows);
    return person!;
  }

  /**
   * Sets the guardians of a person born on `birthDate`. Guardians (vårdnadshavare) are for a
   * child: the person must be under 18 and each guardian 18 or over, on the Stockholm calendar,
   * as the consent rules count age (from 18 the young person alone consents).
   */
  private async replaceGuardians(
    manager: EntityManager,
    actor: Actor,
    childId: string,
    birthDate: string | null,
    guardians: GuardianInput[],
  ) {
    const ids = guardians.map((guardian) => guardian.personId);
    if (new Set(ids).size !== ids.length)
      throw fieldError('guardians', 'a guardian is listed twice');
    if (ids.includes(childId))
      throw fieldError('guardians', 'a person cannot be their own guardian');
    if (ids.length > 0) {
      const params = new SqlParams([ids, birthDate]);
      const [{ count, minors, adult }] = await manager.query<
        [{ count: number; minors: number; adult: boolean }]
      >(
        `WITH today AS (SELECT (now() AT TIME ZONE 'Europe/Stockholm')::date AS d)
         SELECT count(*)::int AS count,
                count(*) FILTER (WHERE p.birth_date > (SELECT d FROM today) - interval '18 years')::int AS minors,
                COALESCE($2::date <= (SELECT d FROM today) - interval '18 years', false) AS adult
         FROM person p WHERE p.id = ANY($1::uuid[]) AND ${personWhere(actor, 'read', params)}`,
        params.values,
      );
      if (count !== ids.length) {
        throw fieldError(
          'guardians',
          'every guardian must be a person in the register that you can see',
        );
      }
      if (adult) {
        throw fieldError(
          'guardians',
          'guardians are for a person under 18; from 18 a person has none (send an empty list)',
        );
      }
      if (minors > 0) throw fieldError('guardians', 'a guardian must be 18 or over');
    }
    await manager.query('DELETE FROM person_guardian WHERE child_id = $1', [childId]);
    if (guardians.length > 0) {
      await manager.query(
        `INSERT INTO person_guardian (child_id, guardian_id, custody)
         SELECT $1, g.id, g.custody FROM unnest($2::uuid[], $3::boolean[]) AS g(id, custody)`,
        [childId, ids, guardians.map((guardian) => guardian.custody)],
      );
    }
  }

  /** Whoever registers or protects a person stays cleared for them; returns the actor as now cleared. */
  private async clearSelf(manager: EntityManager, actor: Actor, personId: string): Promise<Actor> {
    const granted = await manager.query<unknown[]>(
      `INSERT INTO person_clearance (person_id, user_id, granted_by, reason)
       VALUES ($1, $2, $2, 'registered or protected the person')
       ON CONFLICT (person_id, user_id) DO UPDATE SET granted_by = EXCLUDED.granted_by,
         granted_at = now(), reason = EXCLUDED.reason, expires_at = NULL
       WHERE person_clearance.expires_at IS NOT NULL RETURNING 1`,
      [personId, actor.principal.userId],
    );
    // Audited as any clearance: an auditor answers who was cleared for the person, and since when.
    if (granted.length > 0) {
      await this.audit.record(manager, actor, [
        {
          action: 'person.clearance_grant',
          recordType: 'Person',
          recordId: personId,
          personId,
          reason: 'registered or protected the person',
          details: { userId: actor.principal.userId },
        },
      ]);
    }
    await manager.query('UPDATE app_user SET authz_version = authz_version + 1 WHERE id = $1', [
      actor.principal.userId,
    ]);
    const principal = {
      ...actor.principal,
      clearedPersonIds: [...actor.principal.clearedPersonIds, personId],
      emergencyPersonIds: (actor.principal.emergencyPersonIds ?? []).filter(
        (id) => id !== personId,
      ),
    };
    return { ...actor, principal, ability: defineAbilityFor(principal, actor.context) };
  }
}
