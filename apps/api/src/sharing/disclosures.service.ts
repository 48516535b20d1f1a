import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { applyFieldMasks } from '@samverka/authz';
import type {
  AgencyType,
  CreateDisclosureRequest,
  DisclosureReceiver,
  DisclosureResponse,
  Page,
  PageQuery,
  ProtectionLevel,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { pageInMemory } from '../common/pagination.js';
import { conflict, fieldError, forbidden, notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { consentBasis } from './consent-basis.js';
import { findConsents, presentConsents } from './consent-query.js';
import { entryWhere } from './entry-query.js';
import { assertWithinBasisAge, BASIS_AGE_COLUMNS, basisCodeIs } from '../catalog/basis-age.js';
import { caseClosed } from '../cases/case-access.js';

interface EntryFacts {
  id: string;
  case_id: string;
  person_id: string;
  municipality_id: string;
  author_agency: AgencyType;
  category: string;
  case_status: string;
}

interface DisclosureRow {
  id: string;
  entry_id: string;
  from_agency: AgencyType;
  to_agency: AgencyType;
  to_unit_id: string | null;
  basis_kind: 'consent' | 'statutory';
  consent_id: string | null;
  legal_basis_code: string | null;
  harm_assessment: string | null;
  reason: string;
  basis_holds: boolean;
  decided_by: string;
  decided_at: Date;
}

const AGENCY_NAMES: Record<AgencyType, string> = {
  school: 'school',
  social_services: 'social services',
  police: 'police',
  leisure: 'leisure',
  health: 'health',
};

/**
 * Disclosure: the author's agency decides to share one entry with other agencies, on a consent in
 * force that covers them, the category and this case, or on a statutory basis from the catalogue.
 */
@Injectable()
export class DisclosuresService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  create(
    actor: Actor,
    entryId: string,
    request: CreateDisclosureRequest,
  ): Promise<DisclosureResponse[]> {
    return this.dataSource.transaction(async (manager) => {
      const entry = await this.entryFor(manager, actor, entryId, 'disclose');
      if (entry.case_status === 'closed') throw caseClosed();
      const receivers = await this.checkReceivers(manager, entry, request.receivers);
      let consentId: string | null = null;
      let legalBasisId: string | null = null;
      let basisLabel: string;
      if (request.basis === 'consent') {
        if (!request.consentId)
          throw fieldError('consentId', 'a disclosure on consent names the consent');
        if (request.legalBasisCode !== undefined)
          throw fieldError(
            'legalBasisCode',
            'a disclosure on consent stands on the consent alone: leave out legalBasisCode',
          );
        consentId = request.consentId;
        await this.checkConsent(manager, actor, entry, request.consentId, receivers);
        basisLabel = consentBasis(request.consentId);
      } else {
        if (!request.legalBasisCode)
          throw fieldError('legalBasisCode', 'a statutory disclosure names its legal basis');
        if (request.consentId !== undefined)
          throw fieldError(
            'consentId',
            'a statutory disclosure stands on its legal basis alone: leave out consentId',
          );
        const basis = await this.checkStatute(manager, actor, entry, request, receivers);
        legalBasisId = basis.id;
        basisLabel = basis.code;
      }
      const ids: string[] = [];
      for (const receiver of receivers) {
        const [row] = await manager.query<{ id: string }[]>(
          `INSERT INTO disclosure (municipality_id, entry_id, case_id, from_agency, to_agency, to_unit_id, basis_kind,
                                   consent_id, legal_basis_id, harm_assessment, reason, decided_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
          [
            entry.municipality_id,
            entry.id,
            entry.case_id,
            entry.author_agency,
            receiver.agency,
            receiver.unitId ?? null,
            request.basis,
            consentId,
            legalBasisId,
            request.harmAssessment ?? null,
            request.reason.trim(),
            actor.principal.userId,
          ],
        );
        ids.push(row!.id);
      }
      await this.audit.record(manager, actor, [
        {
          action: 'entry.disclose',
          recordType: 'CaseEntry',
          recordId: entry.id,
          personId: entry.person_id,
          legalBasis: basisLabel,
          reason: request.reason.trim(),
          details: {
            disclosureIds: ids,
            to: receivers.map((receiver) => receiver.unitId ?? receiver.agency),
          },
        },
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId: entry.municipality_id,
          topic: 'case',
          aggregateId: entry.case_id,
          type: 'entry.disclosed',
          payload: {
            caseId: entry.case_id,
            entryId: entry.id,
            toAgencies: receivers.map((receiver) => receiver.agency),
          },
        },
      ]);
      return this.load(manager, { ids });
    });
  }

  /** The disclosures of an entry, for the agency that wrote it. */
  list(actor: Actor, entryId: string, query: PageQuery): Promise<Page<DisclosureResponse>> {
    return this.dataSource.transaction(async (manager) => {
      const entry = await this.entryFor(manager, actor, entryId, 'disclose');
      await this.audit.record(manager, actor, [
        {
          action: 'entry.disclosures_read',
          recordType: 'CaseEntry',
          recordId: entry.id,
          personId: entry.person_id,
        },
      ]);
      const all = await this.load(manager, { entryId });
      return pageInMemory(all, query, ['time', 'uuid'], (row) => [row.decidedAt, row.id]);
    });
  }

  private async entryFor(
    manager: EntityManager,
    actor: Actor,
    entryId: string,
    action: 'disclose',
  ): Promise<EntryFacts> {
    const query = async (which: 'read' | 'disclose') => {
      const params = new SqlParams([entryId]);
      const [row] = await manager.query<EntryFacts[]>(
        `SELECT e.id, e.case_id, k.person_id, e.municipality_id, e.author_agency, e.category,
                k.status AS case_status
         FROM case_entry e JOIN collab_case k ON k.id = e.case_id
         WHERE e.id = $1 AND ${entryWhere(actor, which, params)}`,
        params.values,
      );
      return row;
    };
    const entry = await query(action);
    if (entry) return entry;
    if (await query('read'))
      throw forbidden('Only the agency that wrote an entry may disclose it or see its disclosures');
    throw notFound('The entry');
  }

  private async checkReceivers(
    manager: EntityManager,
    entry: EntryFacts,
    receivers: DisclosureReceiver[],
  ) {
    const seen = new Set<string>();
    for (const [index, receiver] of receivers.entries()) {
      const key = `${receiver.agency}:${receiver.unitId ?? ''}`;
      if (seen.has(key)) throw fieldError(`receivers.${index}`, 'a receiver is listed twice');
      seen.add(key);
      if (receiver.agency === entry.author_agency) {
        throw fieldError(
          `receivers.${index}.agency`,
          'the entry is already visible within its own agency',
        );
      }
      if (receiver.unitId) {
        const [unit] = await manager.query<unknown[]>(
          'SELECT 1 FROM unit WHERE id = $1 AND municipality_id = $2 AND agency = $3',
          [receiver.unitId, entry.municipality_id, receiver.agency],
        );
        if (!unit)
          throw fieldError(
            `receivers.${index}.unitId`,
            `no ${receiver.agency} unit with this id in your municipality`,
          );
      }
    }
    return receivers;
  }

  private async checkConsent(
    manager: EntityManager,
    actor: Actor,
    entry: EntryFacts,
    consentId: string,
    receivers: DisclosureReceiver[],
  ): Promise<void> {
    const [row] = await findConsents(manager, actor, { consentId, caseId: entry.case_id });
    if (!row) throw fieldError('consentId', 'no consent with this id in the entry’s case');
    const [status] = await presentConsents(manager, actor.ability, [row]);
    if (!status!.inForce) {
      throw conflict(
        `The consent is not in force: ${status!.notInForceReasons.join('; ')}`,
        'consent-not-in-force',
      );
    }
    const uncovered = receivers.filter(
      (receiver) =>
        !row.scope_agencies.includes(receiver.agency) &&
        !(receiver.unitId && row.scope_unit_ids.includes(receiver.unitId)),
    );
    const problems: string[] = [];
    if (uncovered.length > 0) {
      problems.push(
        `the consent does not cover ${uncovered.map((receiver) => (receiver.unitId ? `unit ${receiver.unitId}` : AGENCY_NAMES[receiver.agency])).join(', ')}`,
      );
    }
    if (!row.scope_categories.includes(entry.category)) {
      problems.push(`the consent does not cover the category ${entry.category}`);
    }
    if (problems.length > 0)
      throw conflict(`Cannot disclose on this consent: ${problems.join('; ')}`, 'consent-scope');
  }

  private async checkStatute(
    manager: EntityManager,
    actor: Actor,
    entry: EntryFacts,
    request: CreateDisclosureRequest,
    receivers: DisclosureReceiver[],
  ): Promise<{ id: string; code: string }> {
    // A code names one basis whatever its case or spacing, as the catalogue keeps codes unique.
    const [basis] = await manager.query<
      {
        id: string;
        code: string;
        from_agencies: AgencyType[];
        to_agencies: AgencyType[];
        requires_harm_assessment: boolean;
        person_under_age: number | null;
        birth_date: string | null;
        today: string;
        person_municipality_id: string;
        protection_level: ProtectionLevel;
      }[]
    >(
      `SELECT lb.id, lb.code, lb.from_agencies, lb.to_agencies, lb.requires_harm_assessment,
              ${BASIS_AGE_COLUMNS}, p.municipality_id AS person_municipality_id, p.protection_level
       FROM legal_basis lb JOIN person p ON p.id = $3
       WHERE lb.municipality_id = $1 AND ${basisCodeIs('$2')}`,
      [entry.municipality_id, request.legalBasisCode, entry.person_id],
    );
    if (!basis)
      throw fieldError(
        'legalBasisCode',
        `${request.legalBasisCode} is not in your municipality’s catalogue of legal bases`,
      );
    if (!basis.from_agencies.includes(entry.author_agency)) {
      throw conflict(
        `${basis.code} cannot be used by ${AGENCY_NAMES[entry.author_agency]}`,
        'basis-not-applicable',
      );
    }
    const outside = receivers.filter((receiver) => !basis.to_agencies.includes(receiver.agency));
    if (outside.length > 0) {
      throw conflict(
        `${basis.code} does not allow disclosure to ${outside.map((receiver) => AGENCY_NAMES[receiver.agency]).join(', ')}`,
        'basis-not-applicable',
      );
    }
    if (basis.requires_harm_assessment && !request.harmAssessment) {
      throw fieldError('harmAssessment', `${basis.code} requires a written harm assessment`);
    }
    // Whom the young person's birth date is hidden from (a protected identity they are not
    // cleared for) learns from a refusal only that the basis's age condition does not hold.
    const birthDateHidden = applyFieldMasks(actor.ability, 'Person', {
      id: entry.person_id,
      municipalityId: basis.person_municipality_id,
      protectionLevel: basis.protection_level,
      birthDate: basis.birth_date ?? 'unknown',
    }).masked;
    try {
      assertWithinBasisAge(basis.code, basis);
    } catch (error) {
      if (!birthDateHidden) throw error;
      throw conflict(
        `${basis.code}'s age condition does not hold for this young person`,
        'basis-not-applicable',
      );
    }
    return { id: basis.id, code: basis.code };
  }

  private async load(
    manager: EntityManager,
    filter: { ids?: string[]; entryId?: string },
  ): Promise<DisclosureResponse[]> {
    const rows = await manager.query<DisclosureRow[]>(
      `SELECT d.*, lb.code AS legal_basis_code,
              (d.basis_kind = 'statutory' OR consent_in_force(d.consent_id, now())) AS basis_holds
       FROM disclosure d LEFT JOIN legal_basis lb ON lb.id = d.legal_basis_id
       WHERE ${filter.ids ? 'd.id = ANY($1::uuid[])' : 'd.entry_id = $1'} ORDER BY d.decided_at, d.id`,
      [filter.ids ?? filter.entryId],
    );
    return rows.map((row) => ({
      id: row.id,
      entryId: row.entry_id,
      fromAgency: row.from_agency,
      toAgency: row.to_agency,
      toUnitId: row.to_unit_id,
      basis: row.basis_kind,
      consentId: row.consent_id,
      legalBasisCode: row.legal_basis_code,
      harmAssessment: row.harm_assessment,
      reason: row.reason,
      basisHolds: row.basis_holds,
      decidedBy: row.decided_by,
      decidedAt: row.decided_at.toISOString(),
    }));
  }
}
