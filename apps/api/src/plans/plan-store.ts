import {
  pastConsentPending,
  STAFF_ROLES,
  type AgencyType,
  type CreatePlanActionRequest,
  type Provider,
} from '@samverka/contracts';
import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import { userMayKnowCaseSql } from '../cases/case-access.js';
import type { CaseRow } from '../cases/case-query.js';
import type { Actor } from '../common/actor.js';
import { namesRegisterPerson, refuseIdentityNumbers } from '../common/identifying-text.js';
import { caseOpenToUnitSql } from '@samverka/authz';
import { badRequest, conflict, fieldError, namesPersonError } from '../common/problems.js';
import { stockholmDate } from '../concerns/deadlines.js';
import { assertSigEligible } from './sig-eligibility.js';
import { principalOf, sipMissing } from './plan-rules.js';
import type { OutboxService } from '../outbox/outbox.service.js';

/** The case's plan, created (as a draft) the first time it is needed. Locked for the transaction. */
export async function ensurePlan(manager: EntityManager, kase: CaseRow): Promise<string> {
  await manager.query(
    `INSERT INTO case_plan (municipality_id, case_id) VALUES ($1, $2) ON CONFLICT (case_id) DO NOTHING`,
    [kase.municipality_id, kase.id],
  );
  const [plan] = await manager.query<{ id: string }[]>(
    'SELECT id FROM case_plan WHERE case_id = $1 FOR UPDATE',
    [kase.id],
  );
  return plan!.id;
}

/**
 * A plan of a case past `consent_pending` is kept only while a consent of the case is in force:
 * the joint plan is shared work that rests on consent (an SSPF or SIG case closes when it is
 * withdrawn, a SIP needs it), and a revocation stops all further sharing at once. Every change to such a plan, an
 * owner's progress report included, is refused (409 `no-consent-in-force`) until a new consent is
 * recorded or the case is closed.
 */
export async function assertConsentInForce(manager: EntityManager, kase: CaseRow): Promise<void> {
  if (!pastConsentPending(kase.kind, kase.status)) return;
  const [{ in_force }] = await manager.query<[{ in_force: boolean }]>(
    'SELECT EXISTS (SELECT 1 FROM consent c WHERE c.case_id = $1 AND consent_in_force(c.id, now())) AS in_force',
    [kase.id],
  );
  if (!in_force) {
    throw conflict(
      `A ${kase.kind.toUpperCase()} plan is kept only while a consent of its case is in force, and none is (revoked or expired): record a new consent, or close the case`,
      'no-consent-in-force',
    );
  }
}

/**
 * A new or changed date of a plan (an action's due date, a follow-up) is today or later in
 * Stockholm; a date left as it was (`current`) stands. 400 naming the field.
 */
export function assertNotPast(
  field: string,
  date: string | undefined,
  current?: string | null,
): void {
  if (date === undefined || date === current) return;
  if (date < stockholmDate(new Date())) throw fieldError(field, `${field} cannot be in the past`);
}

/** The provider of an action is the principal of its responsible unit's agency; 400 naming it. */
export function assertProvider(provider: Provider | undefined, agency: AgencyType): void {
  if (provider === undefined || provider === principalOf(agency)) return;
  throw fieldError(
    'provider',
    `the responsible unit's principal provides the action: ${principalOf(agency)} for a unit of ${agency}`,
  );
}

/**
 * What a plan's text (a goal, an action's `what`, a review's note, others' measures) may say about
 * people: every member of the case reads it, and not all of them are cleared for a protected
 * person. Never an identity number, nor a person with a protected identity (their name, family
 * name or street address) — the case's own young person among them: `except` lets the case's
 * young person be named only while unprotected. A 400 names the field.
 */
export async function checkPlanText(
  manager: EntityManager,
  kase: CaseRow,
  fields: Record<string, string | null | undefined>,
): Promise<void> {
  for (const [field, text] of Object.entries(fields)) {
    if (!text) continue;
    refuseIdentityNumbers(field, text);
    const named = await namesRegisterPerson(manager, kase.municipality_id, text, {
      onlyProtected: true,
      except: kase.person_id,
    });
    if (named) {
      throw namesPersonError(
        field,
        `${field} names a person who may not be named in a plan: the case's members are not all cleared for them`,
        named,
      );
    }
  }
}

/** Adds an action to the case's plan (an agenda item's action lands here too). */
export async function insertAction(
  manager: EntityManager,
  actor: Actor,
  kase: CaseRow,
  request: CreatePlanActionRequest,
  agendaItemId: string | null,
): Promise<string> {
  // An agenda item's action is the plan's too: a SIG plan is kept only for an eligible young person.
  if (agendaItemId && kase.kind === 'sig') await assertSigEligible(manager, kase);
  await assertConsentInForce(manager, kase);
  await checkPlanText(manager, kase, { what: request.what });
  const planId = await ensurePlan(manager, kase);
  const [unit] = await manager.query<{ name: string; agency: AgencyType; open: boolean }[]>(
    `SELECT u.name, u.agency, ${caseOpenToUnitSql('$3::uuid', 'u.id')} AS open FROM unit u
     WHERE u.id = $1 AND u.municipality_id = $2`,
    [request.responsibleUnitId, kase.municipality_id, kase.id],
  );
  if (!unit) throw fieldError('responsibleUnitId', 'no such unit in your municipality');
  // The action tells its unit of the case and the young person: only a unit the case is open to,
  // by taking part in it or by a consent in force that covers it for general information.
  if (!unit.open) {
    throw conflict(
      `${unit.name} takes no part in the case and no consent in force covers it for general information (category 'general'): add it to the case, or record a consent that covers it (its agency or the unit) for 'general', first`,
      'consent-not-covering',
    );
  }
  if (request.responsibleUserId) {
    // The owner sees and updates the action: active staff of the responsible unit (an auditor or
    // administrator never works a case).
    const [user] = await manager.query<unknown[]>(
      `SELECT 1 FROM app_user WHERE id = $1 AND municipality_id = $2 AND status = 'active' AND unit_id = $3
         AND roles && $4::varchar[]`,
      [request.responsibleUserId, kase.municipality_id, request.responsibleUnitId, STAFF_ROLES],
    );
    if (!user)
      throw fieldError(
        'responsibleUserId',
        'the responsible user must be an active staff user of the responsible unit (not an auditor or administrator)',
      );
  }
  assertProvider(request.provider, unit.agency);
  if (request.goalId) {
    const [goal] = await manager.query<unknown[]>(
      'SELECT 1 FROM plan_goal WHERE id = $1 AND plan_id = $2',
      [request.goalId, planId],
    );
    if (!goal) throw fieldError('goalId', 'no such goal in this plan');
  }
  if (Number.isNaN(new Date(`${request.dueDate}T00:00:00Z`).getTime())) {
    throw fieldError('dueDate', 'dueDate is not a real date');
  }
  assertNotPast('dueDate', request.dueDate);
  const [action] = await manager.query<{ id: string }[]>(
    `INSERT INTO plan_action (municipality_id, plan_id, case_id, goal_id, what, responsible_unit_id,
       responsible_user_id, due_date, provider, agenda_item_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      kase.municipality_id,
      planId,
      kase.id,
      request.goalId ?? null,
      request.what.trim(),
      request.responsibleUnitId,
      request.responsibleUserId ?? null,
      request.dueDate,
      request.provider ?? null,
      agendaItemId,
      actor.principal.userId,
    ],
  );
  await manager.query('UPDATE case_plan SET updated_at = now() WHERE id = $1', [planId]);
  return action!.id;
}

/**
 * A SIP's plan states what SoL 2:7 asks (interventions and who provides each, others' measures,
 * who holds overall responsibility, follow-up); 400 listing what it lacks. `when` says which rule
 * asked: agreeing the plan, or changing one that is agreed (which must stay complete).
 */
export async function assertSipComplete(
  manager: EntityManager,
  caseId: string,
  when: 'agreeing' | 'agreed',
): Promise<void> {
  const [plan] = await manager.query<
    {
      id: string;
      status: string;
      other_measures: string | null;
      overall_responsible_user_id: string | null;
      follow_up_date: string | null;
    }[]
  >(
    // Overall responsibility counts only while its holder is active staff taking part in the case.
    `SELECT pl.id, pl.status, pl.other_measures, pl.follow_up_date::text AS follow_up_date,
            (SELECT u.id FROM app_user u LEFT JOIN unit un ON un.id = u.unit_id
             WHERE u.id = pl.overall_responsible_user_id AND u.status = 'active'
               AND u.roles && $2::varchar[] AND ${userMayKnowCaseSql('pl.case_id')}) AS overall_responsible_user_id
     FROM case_plan pl WHERE pl.case_id = $1`,
    [caseId, STAFF_ROLES],
  );
  if (!plan || (when === 'agreed' && plan.status !== 'agreed')) return;
  const actions = await manager.query<{ id: string; what: string; provider: string | null }[]>(
    "SELECT id, what, provider FROM plan_action WHERE plan_id = $1 AND status <> 'cancelled' ORDER BY created_at, id",
    [plan.id],
  );
  const missing = sipMissing({
    actions,
    otherMeasures: plan.other_measures,
    overallResponsibleUserId: plan.overall_responsible_user_id,
    followUpDate: plan.follow_up_date,
  });
  if (missing.length === 0) return;
  const what = missing.map((error) => error.reasons.join(', ')).join('; ');
  throw badRequest(
    when === 'agreeing'
      ? `A SIP cannot be agreed before it states: ${what}`
      : `An agreed SIP must go on stating: ${what}`,
    missing,
  );
}

/** Audits a change to a plan and tells the case's members, in the change's transaction. */
export async function recordPlanChange(
  manager: EntityManager,
  services: { audit: AuditService; outbox: OutboxService },
  actor: Actor,
  kase: CaseRow,
  change: {
    action: string;
    recordType: string;
    recordId: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  // An agreed SIP stays complete: a change that would leave it lacking is refused (rolled back).
  if (kase.kind === 'sip') await assertSipComplete(manager, kase.id, 'agreed');
  await services.audit.record(manager, actor, [
    {
      action: change.action,
      recordType: change.recordType,
      recordId: change.recordId,
      personId: kase.person_id,
      details: change.details,
    },
  ]);
  await services.outbox.publish(manager, [
    {
      municipalityId: kase.municipality_id,
      topic: 'case',
      aggregateId: kase.id,
      type: 'plan.changed',
      payload: { caseId: kase.id, change: change.action, recordId: change.recordId },
    },
  ]);
}
