import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ConsentPartyInput,
  ConsentResponse,
  CreateConsentRequest,
  Page,
  PageQuery,
  RevokeConsentRequest,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { findCase } from '../cases/case-access.js';
import type { Actor } from '../common/actor.js';
import { pageInMemory } from '../common/pagination.js';
import { badRequest, conflict, fieldError, forbidden, notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { personIdentifiable } from '../people/person-query.js';
import { OutboxService } from '../outbox/outbox.service.js';
import {
  consentPartyReads,
  findConsents,
  presentConsents,
  type ConsentRow,
} from './consent-query.js';

/**
 * Consent (samtycke) for a case: recorded with its parties, scope and validity; in force only while
 * every required party has consented, inside its validity and unrevoked; revocable by any party,
 * at once.
 */
/**
 * The audit events a consent act writes in its guardians' own trails (the young person's is the
 * main event's): what was recorded of a guardian's consent is theirs to know of.
 */
const partyEvents = (
  action: string,
  consentId: string,
  youthId: string,
  parties: { personId: string }[],
) =>
  parties
    .filter((party) => party.personId !== youthId)
    .map((party) => ({
      action,
      recordType: 'Consent',
      recordId: consentId,
      personId: party.personId,
    }));

@Injectable()
export class ConsentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  create(actor: Actor, caseId: string, request: CreateConsentRequest): Promise<ConsentResponse> {
    return this.dataSource.transaction(async (manager) => {
      const kase = await findCase(manager, actor, caseId, { open: true });
      // The young person's birth date and guardians decide whose consent this needs; a change to
      // them waits for this consent (and is then refused while it is to be honoured).
      await manager.query('SELECT 1 FROM person WHERE id = $1 FOR SHARE', [kase.person_id]);
      const validFrom = new Date(request.validFrom);
      const validUntil = new Date(request.validUntil);
      if (validUntil <= validFrom)
        throw fieldError('validUntil', 'validUntil must be after validFrom');
      const unitIds = request.scope.unitIds ?? [];
      if (request.scope.agencies.length === 0 && unitIds.length === 0) {
        throw fieldError('scope', 'name at least one receiving agency or unit');
      }
      if (unitIds.length > 0) {
        const [{ count }] = await manager.query<[{ count: number }]>(
          'SELECT count(*)::int AS count FROM unit WHERE id = ANY($1::uuid[]) AND municipality_id = $2',
          [unitIds, kase.municipality_id],
        );
        if (count !== unitIds.length)
          throw fieldError('scope.unitIds', 'every unit must be a unit of your municipality');
      }
      const known = await manager.query<{ code: string }[]>(
        'SELECT code FROM information_category WHERE municipality_id = $1 AND code = ANY($2)',
        [kase.municipality_id, request.scope.categories],
      );
      const unknown = request.scope.categories.filter(
        (code) => !known.some((row) => row.code === code),
      );
      if (unknown.length > 0)
        throw fieldError(
          'scope.categories',
          `unknown information categories: ${unknown.join(', ')}`,
        );
      const personIds = request.parties.map((party) => party.personId);
      if (new Set(personIds).size !== personIds.length)
        throw fieldError('parties', 'a party is listed twice');
      await this.checkParties(manager, actor, kase.person_id, personIds);

      const [consent] = await manager.query<{ id: string }[]>(
        `INSERT INTO consent (municipality_id, case_id, scope_agencies, scope_unit_ids, scope_categories, valid_from,
                              valid_until, method, attachment_ref, recorded_by)
         VALUES ($1, $2, $3, $4, $5,
                 -- "From now" by the client's clock may be a moment ahead of the database's.
                 CASE WHEN $6 > now() AND $6 <= now() + interval '1 minute' THEN now() ELSE $6 END,
                 $7, $8, $9, $10) RETURNING id`,
        [
          kase.municipality_id,
          caseId,
          request.scope.agencies,
          unitIds,
          request.scope.categories,
          validFrom,
          validUntil,
          request.method,
          request.attachmentRef ?? null,
          actor.principal.userId,
        ],
      );
      for (const party of request.parties)
        await this.insertParty(manager, actor, consent!.id, party);
      await this.audit.record(manager, actor, [
        {
          action: 'consent.create',
          recordType: 'Consent',
          recordId: consent!.id,
          personId: kase.person_id,
        },
        // Each guardian's consent is theirs: in their own trail too.
        ...partyEvents('consent.create', consent!.id, kase.person_id, request.parties),
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId: kase.municipality_id,
          topic: 'case',
          aggregateId: caseId,
          type: 'consent.recorded',
          payload: { caseId, consentId: consent!.id },
        },
      ]);
      return this.readOne(manager, actor, consent!.id);
    });
  }

  list(actor: Actor, caseId: string, query: PageQuery): Promise<Page<ConsentResponse>> {
    return this.dataSource.transaction(async (manager) => {
      const kase = await findCase(manager, actor, caseId);
      const page = pageInMemory(
        await findConsents(manager, actor, { caseId }),
        query,
        ['time', 'uuid'],
        (row) => [row.recorded_at.toISOString(), row.id],
        'desc',
      );
      const items = await presentConsents(manager, actor.ability, page.items);
      await this.audit.record(manager, actor, [
        { action: 'consent.list', recordType: 'Case', recordId: caseId, personId: kase.person_id },
        ...consentPartyReads(items, 'consent.list'),
      ]);
      return { ...page, items };
    });
  }

  get(actor: Actor, consentId: string): Promise<ConsentResponse> {
    return this.dataSource.transaction(async (manager) => {
      const response = await this.readOne(manager, actor, consentId);
      return response;
    });
  }

  addParty(actor: Actor, consentId: string, request: ConsentPartyInput): Promise<ConsentResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, actor, consentId);
      if (row.revoked_at)
        throw conflict('The consent is revoked; record a new one', 'consent-revoked');
      // Giving consent in a closed case would bring sharing into force there.
      await findCase(manager, actor, row.case_id, { open: true });
      await this.checkParties(manager, actor, row.person_id, [request.personId]);
      await this.insertParty(manager, actor, consentId, request);
      await this.audit.record(manager, actor, [
        {
          action: 'consent.party_add',
          recordType: 'Consent',
          recordId: consentId,
          personId: row.person_id,
          details: { partyPersonId: request.personId },
        },
        ...partyEvents('consent.party_add', consentId, row.person_id, [request]),
      ]);
      return this.readOne(manager, actor, consentId);
    });
  }

  /**
   * Revokes a consent on a party's word. Effective when this returns: every later read evaluates
   * the consent afresh in the database, and the case's members are told (outbox event).
   */
  revoke(actor: Actor, consentId: string, request: RevokeConsentRequest): Promise<ConsentResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, actor, consentId);
      if (row.revoked_at)
        throw conflict(
          `The consent was already revoked on ${row.revoked_at.toISOString()}`,
          'consent-revoked',
        );
      // A member not cleared for a protected young person (or a protected guardian) may not know
      // who the parties are, yet must be able to record that one of them withdrew: they leave the
      // party out, and the revocation is kept as by "a party" (with who recorded it and when).
      // Naming anyone for a protected young person is the same 403 whoever it names, so it tells
      // no guardian from anyone else.
      const party = request.partyPersonId ?? null;
      if (party === null) {
        const [view] = await presentConsents(manager, actor.ability, [row]);
        if (view!.parties.every((shown) => shown.personId !== null))
          throw fieldError('partyPersonId', 'name the party who withdrew their consent');
      } else {
        await this.checkParties(manager, actor, row.person_id, [party], 'partyPersonId', true);
        // Withdrawn by one who gave it, or one whose consent it needs now (a guardian with custody
        // who says no): not by a young person below the consent age who was never asked.
        const [{ may }] = await manager.query<[{ may: boolean }]>(
          `SELECT EXISTS (SELECT 1 FROM consent_party WHERE consent_id = $1 AND person_id = $2)
               OR EXISTS (SELECT 1 FROM consent_required_parties($1, now()) r WHERE r.person_id = $2) AS may`,
          [consentId, party],
        );
        if (!may)
          throw fieldError(
            'partyPersonId',
            'only a party who gave this consent, or one whose consent it needs, can withdraw it',
          );
      }
      // Whether anything was shared on it: one never in force ends no one's access.
      const [{ in_force: wasInForce }] = await manager.query<[{ in_force: boolean }]>(
        'SELECT consent_in_force($1, now()) AS in_force',
        [consentId],
      );
      await manager.query(
        `UPDATE consent SET revoked_at = now(), revoked_by_person_id = $2, revoke_recorded_by = $3, revoke_reason = $4
         WHERE id = $1`,
        [consentId, party, actor.principal.userId, request.reason ?? null],
      );
      const members = await manager.query<{ user_id: string }[]>(
        'SELECT user_id FROM case_member WHERE case_id = $1',
        [row.case_id],
      );
      await this.audit.record(manager, actor, [
        {
          action: 'consent.revoke',
          recordType: 'Consent',
          recordId: consentId,
          personId: row.person_id,
          reason: request.reason,
          // null: recorded by a member who may not know the young person's parties.
          details: { partyPersonId: party },
        },
        ...partyEvents(
          'consent.revoke',
          consentId,
          row.person_id,
          party ? [{ personId: party }] : [],
        ),
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId: row.municipality_id,
          topic: 'case',
          aggregateId: row.case_id,
          type: 'consent.revoked',
          payload: {
            caseId: row.case_id,
            consentId,
            notify: members.map((member) => member.user_id),
            ...(wasInForce ? {} : { wasInForce: 'false' }),
          },
        },
      ]);
      return this.readOne(manager, actor, consentId);
    });
  }

  private async readOne(
    manager: EntityManager,
    actor: Actor,
    consentId: string,
  ): Promise<ConsentResponse> {
    const rows = await findConsents(manager, actor, { consentId });
    if (rows.length === 0) throw notFound('The consent');
    const views = await presentConsents(manager, actor.ability, rows);
    await this.audit.record(manager, actor, [
      {
        action: 'consent.read',
        recordType: 'Consent',
        recordId: consentId,
        personId: rows[0]!.person_id,
      },
      ...consentPartyReads(views, 'consent.read'),
    ]);
    return views[0]!;
  }

  private async lock(manager: EntityManager, actor: Actor, consentId: string): Promise<ConsentRow> {
    const [row] = await findConsents(manager, actor, { consentId }, true);
    if (!row) throw notFound('The consent');
    return row;
  }

  /**
   * A party is the young person or one of their guardians with custody; from 18 the young person
   * alone gives consent (a party who gave it before may still withdraw it: `revoking`).
   */
  private async checkParties(
    manager: EntityManager,
    actor: Actor,
    youthId: string,
    personIds: string[],
    field = 'parties',
    revoking = false,
  ) {
    const params = new SqlParams([youthId]);
    const identifiable = personIdentifiable(actor, params);
    // A guardian with a protected identity the actor may not know (shown to them as "Skyddad
    // identitet", with no id) is no one they can name: named anyway (by an id learnt elsewhere),
    // it gets the answer a stranger gets, so that it tells no one that id is a guardian, and the
    // attempt is in the guardian's audit trail.
    const [youth] = await manager.query<
      { adult: boolean; guardians: string[]; hidden_guardians: string[]; identifiable: boolean }[]
    >(
      `SELECT COALESCE(p.birth_date <= (now() AT TIME ZONE 'Europe/Stockholm')::date - interval '18 years', false) AS adult,
              ARRAY(SELECT g.guardian_id::text FROM person_guardian g WHERE g.child_id = p.id AND g.custody) AS guardians,
              ARRAY(SELECT g.guardian_id::text FROM person_guardian g JOIN person p ON p.id = g.guardian_id
                    WHERE g.child_id = $1 AND g.custody AND NOT (${personIdentifiable(actor, params)})) AS hidden_guardians,
              ${identifiable} AS identifiable
       FROM person p WHERE p.id = $1`,
      params.values,
    );
    // Who the parties of a protected young person are (their guardians) is theirs to know who are
    // cleared for them: an answer that told a guardian from anyone else would tell it to the rest.
    if (youth && !youth.identifiable) {
      throw forbidden(
        revoking
          ? 'Only staff cleared for this young person name the party who withdrew consent: record the withdrawal without partyPersonId'
          : 'Only staff cleared for this young person record or withdraw consent on their behalf',
      );
    }
    const hidden = youth?.hidden_guardians ?? [];
    const guardians = (youth?.guardians ?? []).filter((id) => !hidden.includes(id));
    const strangers = personIds.filter((id) => id !== youthId && !guardians.includes(id));
    const reasons = strangers.map(
      (id) => `${id} is neither the young person nor a guardian with custody`,
    );
    const named = strangers.find((id) => hidden.includes(id));
    if (youth?.adult && !revoking) {
      for (const id of personIds.filter((id) => guardians.includes(id))) {
        reasons.push(`${id} is a guardian, and from 18 the young person alone consents`);
      }
    }
    if (reasons.length > 0) {
      const problem = badRequest(
        `${field}: only the young person and guardians with custody can give or withdraw consent, and from 18 the young person alone gives it`,
        [{ field, reasons }],
      );
      if (named) problem.namedPersonId = named;
      throw problem;
    }
  }

  private async insertParty(
    manager: EntityManager,
    actor: Actor,
    consentId: string,
    party: { personId: string; givenAt?: string },
  ) {
    const givenAt = party.givenAt ? new Date(party.givenAt) : null;
    if (givenAt && givenAt.getTime() > Date.now() + 60_000) {
      throw fieldError('givenAt', 'givenAt cannot be in the future');
    }
    // On the database's clock (the transaction's time), so the consent reads as given at once.
    const inserted = await manager.query<unknown[]>(
      `INSERT INTO consent_party (consent_id, person_id, given_at, recorded_by)
       VALUES ($1, $2, LEAST(COALESCE($3::timestamptz, now()), now()), $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [consentId, party.personId, givenAt, actor.principal.userId],
    );
    if (inserted.length === 0) throw conflict('This party has already consented');
  }
}
