import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  AgencyType,
  AgendaNoteResponse,
  CreateAgendaNoteRequest,
  CreateDecisionRequest,
  CreatePlanActionRequest,
  MeetingKind,
  DecisionResponse,
  MinutesResponse,
  PlanActionResponse,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { findCase } from '../cases/case-access.js';
import type { Actor } from '../common/actor.js';
import { fieldError, forbidden } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { assertKeepsPlan } from '../plans/plan-access.js';
import { readActions } from '../plans/plan-query.js';
import { insertAction, recordPlanChange } from '../plans/plan-store.js';
import { entryBasisSql, entryWhere } from '../sharing/entry-query.js';
import { ProtectedPeople, protectedVersionSql, textFor } from '../people/protected-texts.js';
import { checkCategory } from './agenda.service.js';
import { agendaWhere, findItem, type AgendaItemRow } from './agenda-query.js';
import { checkMeetingText } from './meeting-checks.js';

interface NoteRow {
  id: string;
  entry_id: string | null;
  category: string;
  body: string;
  author_agency: AgencyType;
  author_user_id: string;
  created_at: Date;
  person_id: string | null;
  /** For another agency's entry: the basis it reaches the reader on. */
  legal_basis: string | null;
  /** The version of the municipality's protected people (`protectedVersionSql`). */
  protected_version: string;
}

/**
 * Minutes per agenda item: notes (about a case they are case entries, visible by the same rules),
 * decisions, and action items that land in the case's plan. Whoever runs the meeting keeps its
 * notes and decisions: they record what was said and decided, and change nothing of a case (a note
 * about one is its author's entry, as anyone who may know the case writes one). An action changes
 * the case's plan, so it also needs the right to keep that plan.
 */
@Injectable()
export class MinutesService {
  /** The municipalities' protected people: what a note about a case may not show a reader. */
  private readonly protectedPeople = new ProtectedPeople();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  addNote(
    actor: Actor,
    itemId: string,
    request: CreateAgendaNoteRequest,
  ): Promise<MinutesResponse> {
    return this.dataSource.transaction(async (manager) => {
      const item = await this.writable(manager, actor, itemId);
      await checkCategory(manager, item.municipality_id, request.category);
      // A note on an item about no one is the meeting's own text: it reaches every invitee.
      if (!item.case_id) {
        await checkMeetingText(manager, item.municipality_id, item.meeting_kind, {
          body: request.body,
        });
      }
      const { userId, unitId, agency } = actor.principal;
      let entryId: string | null = null;
      if (item.case_id) {
        // The note is the author's agency's entry in the case, like any other entry.
        const kase = await findCase(manager, actor, item.case_id, { open: true });
        const [entry] = await manager.query<{ id: string }[]>(
          `INSERT INTO case_entry (municipality_id, case_id, author_user_id, author_unit_id, author_agency, category, body)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [kase.municipality_id, kase.id, userId, unitId, agency, request.category, request.body],
        );
        entryId = entry!.id;
        await this.audit.record(manager, actor, [
          {
            action: 'entry.create',
            recordType: 'CaseEntry',
            recordId: entryId,
            personId: kase.person_id,
          },
        ]);
        await this.outbox.publish(manager, [
          {
            municipalityId: kase.municipality_id,
            topic: 'case',
            aggregateId: kase.id,
            type: 'entry.created',
            payload: { caseId: kase.id, entryId, category: request.category, authorAgency: agency },
          },
        ]);
      }
      await manager.query(
        `INSERT INTO agenda_note (municipality_id, agenda_item_id, entry_id, category, body, author_user_id, author_agency)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          item.municipality_id,
          itemId,
          entryId,
          request.category,
          entryId ? null : request.body,
          userId,
          agency,
        ],
      );
      await this.minutesChanged(manager, actor, item, 'note');
      return this.read(manager, actor, item);
    });
  }

  addDecision(
    actor: Actor,
    itemId: string,
    request: CreateDecisionRequest,
  ): Promise<MinutesResponse> {
    return this.dataSource.transaction(async (manager) => {
      const item = await this.writable(manager, actor, itemId);
      // A decision reaches everyone who may read the item, cleared for a protected person or not.
      await checkMeetingText(
        manager,
        item.municipality_id,
        item.meeting_kind,
        { text: request.text },
        item.person_id,
      );
      await manager.query(
        'INSERT INTO agenda_decision (agenda_item_id, text, decided_by) VALUES ($1, $2, $3)',
        [itemId, request.text.trim(), actor.principal.userId],
      );
      await this.minutesChanged(manager, actor, item, 'decision');
      return this.read(manager, actor, item);
    });
  }

  /** An action item of the minutes, added to the case's plan. */
  addAction(
    actor: Actor,
    itemId: string,
    request: CreatePlanActionRequest,
  ): Promise<PlanActionResponse> {
    return this.dataSource.transaction(async (manager) => {
      const item = await this.writable(manager, actor, itemId);
      if (!item.case_id) {
        throw fieldError(
          'agendaItem',
          'only an item about a young person (a case) has a plan to add to',
        );
      }
      const kase = await findCase(manager, actor, item.case_id, { lock: true, open: true });
      // The action lands in the case's plan: only whoever keeps that plan adds it, as on
      // /cases/{id}/plan/actions. Running the meeting is not enough (a member who called it, an
      // organiser who is a coordinator no more).
      await assertKeepsPlan(manager, actor, kase.id);
      const actionId = await insertAction(manager, actor, kase, request, itemId);
      await recordPlanChange(manager, { audit: this.audit, outbox: this.outbox }, actor, kase, {
        action: 'plan.action_create',
        recordType: 'PlanAction',
        recordId: actionId,
        details: { agendaItemId: itemId },
      });
      await this.minutesChanged(manager, actor, item, 'action');
      const [action] = await readActions(
        manager,
        actor,
        (params) => `pa.id = ${params.bind(actionId)}`,
      );
      return action!.view;
    });
  }

  async get(actor: Actor, itemId: string): Promise<MinutesResponse> {
    const manager = this.dataSource.manager;
    const item = await findItem(manager, actor, itemId);
    return this.read(manager, actor, item);
  }

  /** An item the actor sees and runs the meeting of (404 / 403 otherwise). */
  private async writable(
    manager: EntityManager,
    actor: Actor,
    itemId: string,
  ): Promise<AgendaItemRow & { meeting_kind: MeetingKind }> {
    const item = await findItem(manager, actor, itemId);
    const params = new SqlParams([itemId]);
    const [ok] = await manager.query<{ kind: MeetingKind }[]>(
      `SELECT m.kind FROM agenda_item ai JOIN meeting m ON m.id = ai.meeting_id
       WHERE ai.id = $1 AND m.status = 'scheduled' AND ${agendaWhere(actor, 'update', params)}`,
      params.values,
    );
    if (!ok) throw forbidden('Only those who run a scheduled meeting keep its minutes');
    return { ...item, meeting_kind: ok.kind };
  }

  private async read(
    manager: EntityManager,
    actor: Actor,
    item: AgendaItemRow,
  ): Promise<MinutesResponse> {
    const params = new SqlParams([item.id]);
    const notes = await manager.query<NoteRow[]>(
      `SELECT n.id, n.entry_id, n.category, COALESCE(e.body, n.body) AS body, n.author_agency, n.author_user_id,
              n.created_at, k.person_id, ${entryBasisSql(actor, params)} AS legal_basis,
              ${protectedVersionSql(`${params.bind(actor.principal.municipalityId)}::uuid`)} AS protected_version
       FROM agenda_note n LEFT JOIN case_entry e ON e.id = n.entry_id LEFT JOIN collab_case k ON k.id = e.case_id
       WHERE n.agenda_item_id = $1 AND (n.entry_id IS NULL OR (${entryWhere(actor, 'read', params)}))
       ORDER BY n.created_at, n.id`,
      params.values,
    );
    const decisions = await manager.query<
      { id: string; text: string; decided_by: string; created_at: Date }[]
    >(
      'SELECT id, text, decided_by, created_at FROM agenda_decision WHERE agenda_item_id = $1 ORDER BY created_at, id',
      [item.id],
    );
    const actions = await manager.query<{ id: string }[]>(
      'SELECT id FROM plan_action WHERE agenda_item_id = $1 ORDER BY created_at, id',
      [item.id],
    );
    await this.audit.recordAccess(manager, actor, [
      ...(item.person_id
        ? [
            {
              action: 'agenda.read',
              recordType: 'AgendaItem',
              recordId: item.id,
              personId: item.person_id,
              legalBasis: item.reader_basis ?? undefined,
            },
          ]
        : []),
      ...notes
        .filter((note) => note.entry_id !== null)
        .map((note) => ({
          action: 'entry.read',
          recordType: 'CaseEntry',
          recordId: note.entry_id!,
          personId: note.person_id,
          ...(note.legal_basis ? { legalBasis: note.legal_basis } : {}),
        })),
    ]);
    const hidden = notes.some((note) => note.entry_id)
      ? await this.protectedPeople.hiddenFrom(manager, actor, notes[0]!.protected_version)
      : [];
    return {
      agendaItemId: item.id,
      notes: notes.map((note): AgendaNoteResponse => ({
        id: note.id,
        entryId: note.entry_id,
        category: note.category,
        // A note about a case is its entry, shown as entries are.
        body:
          note.entry_id && note.person_id ? textFor(note.body, note.person_id, hidden) : note.body,
        authorAgency: note.author_agency,
        authorUserId: note.author_user_id,
        createdAt: note.created_at.toISOString(),
      })),
      decisions: decisions.map((decision): DecisionResponse => ({
        id: decision.id,
        text: decision.text,
        decidedBy: decision.decided_by,
        createdAt: decision.created_at.toISOString(),
      })),
      actionIds: actions.map((action) => action.id),
    };
  }

  private async minutesChanged(
    manager: EntityManager,
    actor: Actor,
    item: AgendaItemRow,
    kind: 'note' | 'decision' | 'action',
  ): Promise<void> {
    await this.audit.record(manager, actor, [
      {
        action: `agenda.minutes_${kind}`,
        recordType: 'AgendaItem',
        recordId: item.id,
        personId: item.person_id,
      },
    ]);
    await this.outbox.publish(manager, [
      {
        municipalityId: item.municipality_id,
        topic: 'meeting',
        aggregateId: item.meeting_id,
        type: 'agenda.minutes',
        payload: { meetingId: item.meeting_id, agendaItemId: item.id, kind },
      },
    ]);
  }
}
