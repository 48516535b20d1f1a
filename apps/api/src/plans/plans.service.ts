import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  PLAN_NAMES,
  STAFF_ROLES,
  type CreateGoalRequest,
  type CreatePlanActionRequest,
  type CreateReviewRequest,
  type MyActionResponse,
  type PlanActionResponse,
  type PlanResponse,
  type UpdatePlanRequest,
  type MyActionsQuery,
  type Page,
} from '@samverka/contracts';
import { accessibleWhere, SIG_RECORD_SQL_FIELDS } from '@samverka/authz';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { findCase, userMayKnowCaseSql } from '../cases/case-access.js';
import type { CaseRow } from '../cases/case-query.js';
import type { Actor } from '../common/actor.js';
import { pageInMemory } from '../common/pagination.js';
import { conflict, fieldError, forbidden } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { keptCase, planReaderBasisSql, planWhere } from './plan-access.js';
import { readActions, readReviews } from './plan-query.js';
import {
  assertConsentInForce,
  assertNotPast,
  assertSipComplete,
  checkPlanText,
  ensurePlan,
  insertAction,
  recordPlanChange,
} from './plan-store.js';

interface PlanRow {
  id: string;
  status: 'draft' | 'agreed';
  follow_up_date: string | null;
  overall_responsible_user_id: string | null;
  other_measures: string | null;
  agreed_at: Date | null;
  updated_at: Date;
}

/** A case's plan: goals, actions with owners and deadlines, follow-ups and reviews. */
@Injectable()
export class PlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async get(actor: Actor, caseId: string): Promise<PlanResponse> {
    const manager = this.dataSource.manager;
    const kase = await findCase(manager, actor, caseId);
    return this.read(manager, actor, kase);
  }

  update(actor: Actor, caseId: string, request: UpdatePlanRequest): Promise<PlanResponse> {
    return this.dataSource.transaction(async (manager) => {
      const kase = await this.kept(manager, actor, caseId);
      const planId = await ensurePlan(manager, kase);
      const [current] = await manager.query<{ follow_up_date: string | null }[]>(
        'SELECT follow_up_date::text AS follow_up_date FROM case_plan WHERE id = $1',
        [planId],
      );
      assertNotPast('followUpDate', request.followUpDate, current?.follow_up_date);
      await checkPlanText(manager, kase, { otherMeasures: request.otherMeasures });
      if (request.overallResponsibleUserId) {
        // Overall responsibility is held by staff who know the case: a member, a user of a unit
        // holding or taking part in it, or a coordinator of its area.
        const [user] = await manager.query<unknown[]>(
          `SELECT 1 FROM app_user u LEFT JOIN unit un ON un.id = u.unit_id
           WHERE u.id = $1 AND u.municipality_id = $2 AND u.status = 'active'
             AND u.roles && $4::varchar[] AND ${userMayKnowCaseSql('$3::uuid')}`,
          [request.overallResponsibleUserId, kase.municipality_id, kase.id, STAFF_ROLES],
        );
        if (!user)
          throw fieldError(
            'overallResponsibleUserId',
            'overall responsibility is held by an active staff user who takes part in the case (a member, a user of one of its units, or a coordinator of its area)',
          );
      }
      await manager.query(
        `UPDATE case_plan SET follow_up_date = COALESCE($2::date, follow_up_date),
           overall_responsible_user_id = COALESCE($3, overall_responsible_user_id),
           other_measures = COALESCE($4, other_measures), updated_at = now() WHERE id = $1`,
        [
          planId,
          request.followUpDate ?? null,
          request.overallResponsibleUserId ?? null,
          request.otherMeasures ?? null,
        ],
      );
      if (request.status === 'agreed') await this.agree(manager, actor, kase, planId);
      if (request.status === 'draft') {
        await manager.query(
          "UPDATE case_plan SET status = 'draft', agreed_at = NULL, agreed_by = NULL WHERE id = $1",
          [planId],
        );
      }
      await recordPlanChange(manager, this.services(), actor, kase, {
        action: 'plan.update',
        recordType: 'Plan',
        recordId: planId,
        details: { fields: Object.keys(request) },
      });
      return this.read(manager, actor, kase);
    });
  }

  addGoal(actor: Actor, caseId: string, request: CreateGoalRequest): Promise<PlanResponse> {
    return this.dataSource.transaction(async (manager) => {
      const kase = await this.kept(manager, actor, caseId);
      await checkPlanText(manager, kase, { text: request.text });
      const planId = await ensurePlan(manager, kase);
      const [goal] = await manager.query<{ id: string }[]>(
        'INSERT INTO plan_goal (plan_id, text, created_by) VALUES ($1, $2, $3) RETURNING id',
        [planId, request.text.trim(), actor.principal.userId],
      );
      await recordPlanChange(manager, this.services(), actor, kase, {
        action: 'plan.goal_create',
        recordType: 'PlanGoal',
        recordId: goal!.id,
      });
      return this.read(manager, actor, kase);
    });
  }

  addAction(
    actor: Actor,
    caseId: string,
    request: CreatePlanActionRequest,
  ): Promise<PlanActionResponse> {
    return this.dataSource.transaction(async (manager) => {
      const kase = await keptCase(manager, actor, caseId);
      const actionId = await insertAction(manager, actor, kase, request, null);
      await recordPlanChange(manager, this.services(), actor, kase, {
        action: 'plan.action_create',
        recordType: 'PlanAction',
        recordId: actionId,
      });
      const [action] = await readActions(
        manager,
        actor,
        (params) => `pa.id = ${params.bind(actionId)}`,
      );
      return action!.view;
    });
  }

  addReview(actor: Actor, caseId: string, request: CreateReviewRequest): Promise<PlanResponse> {
    return this.dataSource.transaction(async (manager) => {
      const kase = await this.kept(manager, actor, caseId);
      const planId = await ensurePlan(manager, kase);
      const goalIds = request.goals.map((goal) => goal.goalId);
      const [{ count }] = await manager.query<[{ count: number }]>(
        'SELECT count(*)::int AS count FROM plan_goal WHERE plan_id = $1 AND id = ANY($2::uuid[])',
        [planId, goalIds],
      );
      if (new Set(goalIds).size !== goalIds.length)
        throw fieldError('goals', 'a goal is reviewed once in a review: it is listed twice');
      if (count !== goalIds.length)
        throw fieldError('goals', 'every goal must be a goal of this plan');
      assertNotPast('nextFollowUp', request.nextFollowUp);
      await checkPlanText(manager, kase, { progressNote: request.progressNote });
      // A SIG plan is reviewed against the latest risk and protective factor assessment: only by
      // someone who may read social services' SIG records of the case (asked before whether one
      // exists, so that the answer tells others nothing of it).
      if (kase.kind === 'sig') {
        const readable = new SqlParams([kase.id]);
        const [reader] = await manager.query<unknown[]>(
          `SELECT 1 FROM collab_case k WHERE k.id = $1
             AND ${accessibleWhere(actor.ability, 'read', 'RiskAssessment', SIG_RECORD_SQL_FIELDS, readable.bind)}`,
          readable.values,
        );
        if (!reader) {
          throw forbidden(
            "A SIG plan is reviewed against its risk assessment, which is social services' record: only those who may read it (social services, or an agency a consent in force covers for social_assessment) review the plan",
          );
        }
      }
      const [assessment] = await manager.query<{ id: string }[]>(
        'SELECT id FROM risk_assessment WHERE case_id = $1 ORDER BY assessed_on DESC, created_at DESC LIMIT 1',
        [kase.id],
      );
      if (kase.kind === 'sig' && !assessment) {
        throw conflict(
          'A SIG plan is reviewed against a risk assessment: record one first',
          'assessment-missing',
        );
      }
      const [review] = await manager.query<{ id: string }[]>(
        `INSERT INTO plan_review (plan_id, progress_note, goal_attainment, assessment_id, next_follow_up, reviewed_by)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6) RETURNING id`,
        [
          planId,
          request.progressNote.trim(),
          JSON.stringify(request.goals),
          kase.kind === 'sig' ? assessment!.id : null,
          request.nextFollowUp ?? null,
          actor.principal.userId,
        ],
      );
      if (request.nextFollowUp) {
        await manager.query('UPDATE case_plan SET follow_up_date = $2 WHERE id = $1', [
          planId,
          request.nextFollowUp,
        ]);
      }
      await recordPlanChange(manager, this.services(), actor, kase, {
        action: 'plan.review',
        recordType: 'PlanReview',
        recordId: review!.id,
      });
      return this.read(manager, actor, kase);
    });
  }

  /**
   * The caller's own open and overdue actions, across open cases, and nothing else of those cases:
   * an action of a closed case is no longer to be done (nor can it be updated). An action given to
   * the caller's unit without naming anyone is theirs too (each of the unit's staff owns it).
   */
  async myActions(actor: Actor, query: MyActionsQuery): Promise<Page<MyActionResponse>> {
    const manager = this.dataSource.manager;
    const actions = await readActions(
      manager,
      actor,
      (params) =>
        `(pa.responsible_user_id = ${params.bind(actor.principal.userId)}
          OR (pa.responsible_user_id IS NULL AND pa.responsible_unit_id = ${params.bind(actor.principal.unitId)}))
         AND pa.status IN ('open', 'in_progress') AND k.status <> 'closed'`,
    );
    const page = pageInMemory(
      actions.filter((action) => query.overdue !== 'true' || action.view.overdue),
      query,
      ['date', 'uuid'],
      (action) => [action.view.dueDate, action.view.id],
    );
    await this.audit.recordAccess(
      manager,
      actor,
      page.items.map((action) => ({
        action: 'plan_action.read',
        recordType: 'PlanAction',
        recordId: action.view.id,
        personId: action.personId,
        legalBasis: action.basis ?? undefined,
      })),
    );
    return { ...page, items: page.items.map((action) => action.view) };
  }

  private async agree(
    manager: EntityManager,
    actor: Actor,
    kase: CaseRow,
    planId: string,
  ): Promise<void> {
    if (kase.kind === 'sip') await assertSipComplete(manager, kase.id, 'agreeing');
    await manager.query(
      "UPDATE case_plan SET status = 'agreed', agreed_at = now(), agreed_by = $2 WHERE id = $1",
      [planId, actor.principal.userId],
    );
  }

  /**
   * The case whose plan the actor keeps (see `keptCase`), locked; a SIG or SIP past
   * consent_pending only while a consent of it is in force.
   */
  private async kept(manager: EntityManager, actor: Actor, caseId: string): Promise<CaseRow> {
    const kase = await keptCase(manager, actor, caseId);
    await assertConsentInForce(manager, kase);
    return kase;
  }

  private services() {
    return { audit: this.audit, outbox: this.outbox };
  }

  /** The plan as the actor may see it (403 without a basis for it), audited. */
  private async read(manager: EntityManager, actor: Actor, kase: CaseRow): Promise<PlanResponse> {
    const params = new SqlParams([kase.id]);
    const [plan] = await manager.query<(PlanRow & { reader_basis: string | null })[]>(
      `SELECT pl.id, pl.status, pl.follow_up_date::text AS follow_up_date, pl.overall_responsible_user_id,
              pl.other_measures, pl.agreed_at, COALESCE(pl.updated_at, k.updated_at) AS updated_at,
              ${planReaderBasisSql(actor, params)} AS reader_basis
       FROM collab_case k LEFT JOIN case_plan pl ON pl.case_id = k.id
       WHERE k.id = $1 AND ${planWhere(actor, 'read', params)}`,
      params.values,
    );
    // The case is known to them (findCase): the plan rests on a consent they lack.
    if (!plan)
      throw forbidden(
        'The plan reaches a unit other than the one holding the case only while a consent in force on the case names the unit or its agency',
      );
    const goals = plan.id
      ? await manager.query<{ id: string; text: string; created_at: Date }[]>(
          'SELECT id, text, created_at FROM plan_goal WHERE plan_id = $1 ORDER BY created_at, id',
          [plan.id],
        )
      : [];
    const reviews = plan.id ? await readReviews(manager, actor, plan.id) : [];
    const actions = await readActions(
      manager,
      actor,
      (bind) => `pa.case_id = ${bind.bind(kase.id)}`,
    );
    await this.audit.recordAccess(manager, actor, [
      {
        action: 'plan.read',
        recordType: 'Plan',
        recordId: plan.id ?? kase.id,
        personId: kase.person_id,
        legalBasis: plan.reader_basis ?? undefined,
      },
    ]);
    return {
      id: plan.id,
      caseId: kase.id,
      name: PLAN_NAMES[kase.kind],
      status: plan.status ?? 'draft',
      followUpDate: plan.follow_up_date,
      overallResponsibleUserId: plan.overall_responsible_user_id,
      otherMeasures: plan.other_measures,
      goals: goals.map((goal) => ({
        id: goal.id,
        text: goal.text,
        createdAt: goal.created_at.toISOString(),
      })),
      actions: actions.map((action) => action.view),
      reviews,
      agreedAt: plan.agreed_at ? plan.agreed_at.toISOString() : null,
      updatedAt: new Date(plan.updated_at).toISOString(),
    };
  }
}
