import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  accessibleWhere,
  RISK_ASSESSMENT_SQL_FIELDS,
  SIG_ELIGIBILITY_SQL_FIELDS,
  SIG_RECORD_SQL_FIELDS,
} from '@samverka/authz';
import {
  DEFAULT_RISK_FACTOR_ITEMS,
  type CreateRiskAssessmentRequest,
  type RiskAssessmentResponse,
  type RiskFactorItem,
  type RiskFactorItemsRequest,
  type RiskFactorScore,
  type SigEligibilityResponse,
  type SigExceptionRequest,
  type PageQuery,
  type Page,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { findCase } from '../cases/case-access.js';
import type { CaseRow } from '../cases/case-query.js';
import type { Actor } from '../common/actor.js';
import { pageInMemory } from '../common/pagination.js';
import { badRequest, conflict, fieldError, forbidden } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { personIdentifiable } from '../people/person-query.js';
import { recordPlanChange } from './plan-store.js';
import { readSigEligibility, sigEligibility, sigRecordBasisSql } from './sig-eligibility.js';

/** SIG: eligibility by age range (with justified exceptions) and structured risk assessments. */
@Injectable()
export class SigService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async eligibility(actor: Actor, caseId: string): Promise<SigEligibilityResponse> {
    const manager = this.dataSource.manager;
    const kase = await this.sigCase(manager, actor, caseId);
    const { view, legalBasis } = await readSigEligibility(manager, kase, actor);
    // An exception's justification shown to another agency is audited with the consent it rests
    // on, as a read of an assessment is.
    await this.audit.recordAccess(manager, actor, [
      {
        action: 'sig.eligibility_read',
        recordType: 'Case',
        recordId: caseId,
        personId: kase.person_id,
        ...(legalBasis ? { legalBasis } : {}),
      },
    ]);
    return view;
  }

  /** A social-services user records why SIG is right although the young person is outside the range. */
  recordException(
    actor: Actor,
    caseId: string,
    request: SigExceptionRequest,
  ): Promise<SigEligibilityResponse> {
    return this.dataSource.transaction(async (manager) => {
      const kase = await this.sigCase(manager, actor, caseId, true);
      await this.allowed(
        manager,
        actor,
        caseId,
        'SigEligibility',
        'Only social services record a SIG age exception',
      );
      // The exception is a decision about the young person's age: only someone who may see their
      // date of birth makes it. Refused before the age is looked at, so that the answer to a user
      // it is hidden from is the same whatever the age.
      const personParams = new SqlParams([kase.person_id]);
      const [person] = await manager.query<{ identifiable: boolean }[]>(
        `SELECT ${personIdentifiable(actor, personParams)} AS identifiable FROM person p WHERE p.id = $1`,
        personParams.values,
      );
      if (!person?.identifiable) {
        throw forbidden(
          'Only a user cleared for this young person records a SIG age exception: it rests on their date of birth',
        );
      }
      const before = await sigEligibility(manager, kase);
      if (before.withinRange) {
        throw conflict(
          `The young person is within the SIG age range ${before.minAge}–${before.maxAge}: no exception is needed`,
          'no-exception-needed',
        );
      }
      // Younger only: above the range no exception makes SIG right (domain: ages 12–20, "younger
      // only by a recorded, justified exception").
      if (before.age !== null && before.age > before.maxAge) {
        throw conflict(
          `The young person is above the SIG age range ${before.minAge}–${before.maxAge}: an exception is only for someone younger`,
          'above-sig-age',
        );
      }
      const [row] = await manager.query<{ id: string }[]>(
        'INSERT INTO sig_age_exception (case_id, justification, decided_by) VALUES ($1, $2, $3) RETURNING id',
        [caseId, request.justification.trim(), actor.principal.userId],
      );
      await recordPlanChange(manager, { audit: this.audit, outbox: this.outbox }, actor, kase, {
        action: 'sig.age_exception',
        recordType: 'SigAgeException',
        recordId: row!.id,
        details: { age: before.age, range: [before.minAge, before.maxAge] },
      });
      return (await readSigEligibility(manager, kase, actor)).view;
    });
  }

  async items(actor: Actor, query: PageQuery): Promise<Page<RiskFactorItem>> {
    const items = await this.itemSet(this.dataSource.manager, actor.principal.municipalityId);
    const page = pageInMemory(
      items.map((item, position) => ({ item, position })),
      query,
      ['int'],
      (entry) => [entry.position],
    );
    return { ...page, items: page.items.map((entry) => entry.item) };
  }

  replaceItems(actor: Actor, request: RiskFactorItemsRequest): Promise<RiskFactorItem[]> {
    return this.dataSource.transaction(async (manager) => {
      const codes = request.items.map((item) => item.code);
      if (new Set(codes).size !== codes.length)
        throw fieldError('items', 'an item code is listed twice');
      const { municipalityId } = actor.principal;
      await manager.query('DELETE FROM risk_factor_item WHERE municipality_id = $1', [
        municipalityId,
      ]);
      for (const [position, item] of request.items.entries()) {
        await manager.query(
          'INSERT INTO risk_factor_item (municipality_id, code, label, kind, max_score, position) VALUES ($1, $2, $3, $4, $5, $6)',
          [municipalityId, item.code, item.label, item.kind, item.maxScore, position],
        );
      }
      await this.audit.record(manager, actor, [
        { action: 'risk_factor_items.replace', recordType: 'RiskFactorItem', details: { codes } },
      ]);
      return this.itemSet(manager, municipalityId);
    });
  }

  async assessments(
    actor: Actor,
    caseId: string,
    query: PageQuery,
  ): Promise<Page<RiskAssessmentResponse>> {
    const manager = this.dataSource.manager;
    const kase = await this.sigCase(manager, actor, caseId);
    const params = new SqlParams([caseId]);
    const rows = await manager.query<(AssessmentRow & { legal_basis: string | null })[]>(
      `SELECT ra.id, ra.case_id, ra.assessed_on::text AS assessed_on, ra.scores, ra.risk_score, ra.protective_score,
              ra.note, ra.assessed_by, ra.created_at, ${sigRecordBasisSql(actor, params, 'ra.case_id')} AS legal_basis
       FROM risk_assessment ra JOIN collab_case k ON k.id = ra.case_id
       WHERE ra.case_id = $1 AND ra.municipality_id = ${params.bind(actor.principal.municipalityId)}
         AND ${accessibleWhere(actor.ability, 'list', 'RiskAssessment', RISK_ASSESSMENT_SQL_FIELDS, params.bind)}
`,
      params.values,
    );
    const page = pageInMemory(
      rows,
      query,
      ['date', 'time', 'uuid'],
      (row) => [row.assessed_on, row.created_at.toISOString(), row.id],
      'desc',
    );
    await this.audit.recordAccess(
      manager,
      actor,
      page.items.map((row) => ({
        action: 'risk_assessment.read',
        recordType: 'RiskAssessment',
        recordId: row.id,
        personId: kase.person_id,
        ...(row.legal_basis ? { legalBasis: row.legal_basis } : {}),
      })),
    );
    return { ...page, items: page.items.map(presentAssessment) };
  }

  /** Every item of the set scored within its range; the totals are kept with a copy of the items. */
  assess(
    actor: Actor,
    caseId: string,
    request: CreateRiskAssessmentRequest,
  ): Promise<RiskAssessmentResponse> {
    return this.dataSource.transaction(async (manager) => {
      const kase = await this.sigCase(manager, actor, caseId, true);
      await this.allowed(
        manager,
        actor,
        caseId,
        'RiskAssessment',
        'Only social services record a SIG risk assessment',
      );
      const items = await this.itemSet(manager, kase.municipality_id);
      const given = new Map(request.scores.map((score) => [score.code, score.score]));
      const personParams = new SqlParams([kase.person_id]);
      const [facts] = await manager.query<
        { birth_date: string | null; today: string; identifiable: boolean }[]
      >(
        `SELECT p.birth_date::text AS birth_date, (now() AT TIME ZONE 'Europe/Stockholm')::date::text AS today,
                ${personIdentifiable(actor, personParams)} AS identifiable
         FROM person p WHERE p.id = $1`,
        personParams.values,
      );
      const errors = [
        // Each item once: a second score for it would be dropped.
        ...[...new Set(request.scores.map((score) => score.code))]
          .filter((code) => request.scores.filter((score) => score.code === code).length > 1)
          .map((code) => ({ field: `scores.${code}`, reasons: ['scored more than once'] })),
        // On a day that has been, in the young person's life.
        ...(request.assessedOn > facts!.today
          ? [{ field: 'assessedOn', reasons: ['assessedOn cannot be in the future'] }]
          : []),
        // Checked only where the assessor may know the birth date: for a masked young person the
        // answer would give the date away, one guess at a time (as concerns do).
        ...(facts!.identifiable && facts!.birth_date && request.assessedOn < facts!.birth_date
          ? [{ field: 'assessedOn', reasons: ['assessedOn is before the young person was born'] }]
          : []),
        ...request.scores
          .filter((score) => !items.some((item) => item.code === score.code))
          .map((score) => ({
            field: `scores.${score.code}`,
            reasons: ['not an item of the municipality’s set'],
          })),
        ...items
          .filter((item) => !given.has(item.code))
          .map((item) => ({ field: `scores.${item.code}`, reasons: ['not scored'] })),
        ...items
          .filter((item) => (given.get(item.code) ?? 0) > item.maxScore)
          .map((item) => ({ field: `scores.${item.code}`, reasons: [`at most ${item.maxScore}`] })),
      ];
      // The detail says what is wrong, as the field errors do (a date is not the item set).
      if (errors.length > 0)
        throw badRequest(
          errors.map((error) => `${error.field}: ${error.reasons.join(', ')}`).join('; '),
          errors,
        );
      const scores: RiskFactorScore[] = items.map((item) => ({
        ...item,
        score: given.get(item.code)!,
      }));
      const total = (kind: string) =>
        scores.filter((score) => score.kind === kind).reduce((sum, score) => sum + score.score, 0);
      const [row] = await manager.query<AssessmentRow[]>(
        `INSERT INTO risk_assessment (municipality_id, case_id, assessed_on, scores, risk_score, protective_score, note, assessed_by)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
         RETURNING id, case_id, assessed_on::text AS assessed_on, scores, risk_score, protective_score, note, assessed_by, created_at`,
        [
          kase.municipality_id,
          caseId,
          request.assessedOn,
          JSON.stringify(scores),
          total('risk'),
          total('protective'),
          request.note ?? null,
          actor.principal.userId,
        ],
      );
      await recordPlanChange(manager, { audit: this.audit, outbox: this.outbox }, actor, kase, {
        action: 'sig.assessment',
        recordType: 'RiskAssessment',
        recordId: row!.id,
      });
      return presentAssessment(row!);
    });
  }

  private async sigCase(
    manager: EntityManager,
    actor: Actor,
    caseId: string,
    forWriting = false,
  ): Promise<CaseRow> {
    // What is recorded (an assessment, an exception) is recorded in an open case only.
    const kase = await findCase(manager, actor, caseId, { lock: forWriting, open: forWriting });
    if (kase.kind !== 'sig')
      throw conflict(`This is a ${kase.kind} case, not a SIG case`, 'not-sig');
    return kase;
  }

  private async allowed(
    manager: EntityManager,
    actor: Actor,
    caseId: string,
    subject: 'SigEligibility' | 'RiskAssessment',
    refusal: string,
  ): Promise<void> {
    const params = new SqlParams([caseId]);
    const fields =
      subject === 'SigEligibility' ? SIG_ELIGIBILITY_SQL_FIELDS : SIG_RECORD_SQL_FIELDS;
    const [ok] = await manager.query<unknown[]>(
      `SELECT 1 FROM collab_case k WHERE k.id = $1 AND ${accessibleWhere(actor.ability, 'create', subject, fields, params.bind)}`,
      params.values,
    );
    if (!ok) throw forbidden(refusal);
  }

  private async itemSet(manager: EntityManager, municipalityId: string): Promise<RiskFactorItem[]> {
    const rows = await manager.query<
      { code: string; label: string; kind: 'risk' | 'protective'; max_score: number }[]
    >(
      'SELECT code, label, kind, max_score FROM risk_factor_item WHERE municipality_id = $1 ORDER BY position',
      [municipalityId],
    );
    if (rows.length === 0) return [...DEFAULT_RISK_FACTOR_ITEMS];
    return rows.map((row) => ({
      code: row.code,
      label: row.label,
      kind: row.kind,
      maxScore: row.max_score,
    }));
  }
}

interface AssessmentRow {
  id: string;
  case_id: string;
  assessed_on: string;
  scores: RiskFactorScore[];
  risk_score: number;
  protective_score: number;
  note: string | null;
  assessed_by: string;
  created_at: Date;
}

const presentAssessment = (row: AssessmentRow): RiskAssessmentResponse => ({
  id: row.id,
  caseId: row.case_id,
  assessedOn: row.assessed_on,
  scores: row.scores,
  riskScore: row.risk_score,
  protectiveScore: row.protective_score,
  note: row.note,
  assessedBy: row.assessed_by,
  createdAt: row.created_at.toISOString(),
});
