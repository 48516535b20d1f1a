import type { ConcernStatus, DeadlineStep } from '@samverka/contracts';
import { dueDateFor } from './deadlines.js';

/** What a report's row becomes on a move: step timestamps, the deadline that runs next. */
export interface WorkflowChange {
  /** Columns to set (`now` for the moment of the move). */
  set: Record<string, Date | string | null>;
  deadline: { step: DeadlineStep; due: string } | null;
}

/** The state a report is in, as far as the next deadline depends on it. */
export interface WorkflowState {
  preliminaryDue: string;
  followUpDue: string | null;
}

/**
 * The effect of moving a report from one status to the next (already checked as allowed), at
 * `now` on the Stockholm calendar day `today`. Pure: the service writes what it returns.
 */
export function workflowChange(
  to: ConcernStatus,
  state: WorkflowState,
  now: Date,
  today: string,
): WorkflowChange {
  switch (to) {
    case 'preliminary_assessment':
      return {
        set: { protection_assessed_at: now },
        deadline: { step: 'preliminary_assessment', due: state.preliminaryDue },
      };
    case 'investigation': {
      const due = dueDateFor('investigation', today);
      return {
        set: {
          preliminary_decided_at: now,
          investigation_opened_at: now,
          investigation_due: due,
          investigation_original_due: due,
        },
        deadline: { step: 'investigation', due },
      };
    }
    case 'not_opened':
    case 'already_running':
      return { set: { preliminary_decided_at: now, finished_at: now }, deadline: null };
    case 'closed_with_intervention':
    case 'closed_without_intervention':
      return { set: { closed_at: now, finished_at: now }, deadline: null };
    case 'closed_declined': {
      const due = dueDateFor('follow_up', today);
      return { set: { closed_at: now, follow_up_due: due }, deadline: { step: 'follow_up', due } };
    }
    case 'follow_up':
      return {
        set: { follow_up_started_at: now },
        deadline: state.followUpDue ? { step: 'follow_up', due: state.followUpDue } : null,
      };
    case 'closed':
      return { set: { finished_at: now }, deadline: null };
    case 'received':
      throw new Error('No report moves back to received');
  }
}
