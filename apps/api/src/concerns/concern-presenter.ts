import { subject } from '@casl/ability';
import type { AppAbility } from '@samverka/authz';
import {
  concernTransitions,
  type ConcernFeedbackResponse,
  type ConcernHandlingResponse,
  type ConcernReportResponse,
  type FeedbackOutcome,
} from '@samverka/contracts';
import { presentPerson } from '../cases/case-presenter.js';
import { textFor, type PersonNames } from '../people/protected-texts.js';
import type { ConcernRow, ConcernViewRow } from './concern-query.js';
import { deadlineState } from './deadlines.js';

const iso = (value: Date | string | null) =>
  value === null ? null : new Date(value).toISOString();

/**
 * Concern reports as each viewer may see them: the reporter what they filed and the receipt; the
 * social workers of the receiving unit the handling too, with the deadline that runs now.
 */
export class ConcernPresenter {
  constructor(
    private readonly ability: AppAbility,
    private readonly now: Date,
    /** The protected people the viewer may not see (`ProtectedPeople.hiddenFrom`). */
    private readonly hidden: readonly PersonNames[],
  ) {}

  /** Whether the viewer handles the report (the full view), by the same policy as the SQL. */
  handles(row: ConcernRow): boolean {
    const record = subject('ConcernReport', {
      id: row.id,
      municipalityId: row.municipality_id,
      reporterUserId: row.reporter_user_id,
      receivingUnitId: row.receiving_unit_id,
    }) as unknown as Parameters<AppAbility['can']>[1];
    return this.ability.can('handle', record);
  }

  present(row: ConcernViewRow): ConcernReportResponse {
    const person = presentPerson(this.ability, row.person);
    // An observation that may name a protected person the viewer may not see (the child, or
    // anyone else) reads as hidden: the report stays as filed, for those cleared (or on
    // emergency access).
    const observation = textFor(row.observation, row.person_id, this.hidden);
    return {
      id: row.id,
      person,
      areaId: row.area_id,
      receivingUnit: row.receiving_unit,
      reporter: {
        userId: row.reporter_user_id,
        displayName: row.reporter_name,
        agency: row.reporter_agency,
      },
      observation,
      observedAt: row.observed_at.toISOString(),
      immediateDanger: row.immediate_danger,
      guardiansInformed: row.guardians_informed,
      reporterContact: row.reporter_contact,
      receivedAt: row.received_at.toISOString(),
      handling: this.handles(row) ? this.handling(row) : null,
    };
  }

  private handling(row: ConcernViewRow): ConcernHandlingResponse {
    return {
      status: row.status,
      allowedTransitions: concernTransitions(row.status),
      handlerUserId: row.handler_user_id,
      deadline:
        row.deadline_step && row.deadline_due
          ? deadlineState(row.deadline_step, row.deadline_due, this.now)
          : null,
      protectionAssessedAt: iso(row.protection_assessed_at),
      preliminaryDecidedAt: iso(row.preliminary_decided_at),
      investigationOpenedAt: iso(row.investigation_opened_at),
      investigationDueDate: row.investigation_due,
      closedAt: iso(row.closed_at),
      followUpDueDate: row.follow_up_due,
      extensions: row.extensions.map((extension) => ({
        previousDueDate: extension.previous_due,
        newDueDate: extension.new_due,
        reason: extension.reason,
        decidedBy: extension.decided_by,
        decidedAt: new Date(extension.decided_at).toISOString(),
      })),
      moves: row.moves.map((move) => ({
        fromStatus: move.from_status,
        toStatus: move.to_status,
        reason: move.reason,
        changedByUserId: move.changed_by,
        changedAt: new Date(move.changed_at).toISOString(),
      })),
      caseId: row.case_id,
    };
  }
}

/** What the reporter may be told: opened, not opened, already running — nothing more. */
export function feedbackOf(row: ConcernRow): ConcernFeedbackResponse {
  return { reportId: row.id, receivedAt: row.received_at.toISOString(), outcome: outcome(row) };
}

function outcome(row: ConcernRow): FeedbackOutcome {
  switch (row.status) {
    case 'received':
    case 'preliminary_assessment':
      return 'pending';
    case 'not_opened':
      return 'not_opened';
    case 'already_running':
      return 'already_running';
    default:
      return 'investigation_opened';
  }
}
