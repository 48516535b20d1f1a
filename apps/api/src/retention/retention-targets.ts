import type { RetentionAction, RetentionRecordType } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';

/**
 * What retention removes of each kind of record, in SQL. `candidates` selects the ids whose period
 * has run out (parameters: $1 municipality, $2 the cutoff instant); `apply` removes or anonymises
 * a batch of them (parameters: $1 the ids, $2 now) and returns the ids it changed. Both leave out
 * whatever belongs to a case under legal hold; `apply` checks that again in its own statement, so a
 * hold committed since the candidates were chosen still wins (and the foreign key from
 * `legal_hold` refuses to delete a held case whatever happens).
 */
export interface RetentionTarget {
  /** The audit record type of the removed records. */
  auditRecordType: string;
  candidates(action: RetentionAction): string;
  apply(
    manager: EntityManager,
    action: RetentionAction,
    ids: string[],
    now: Date,
  ): Promise<string[]>;
}

const held = (caseColumn: string) =>
  `NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.case_id = ${caseColumn})`;
const notHeld = (caseColumn: string) => `(${caseColumn} IS NULL OR ${held(caseColumn)})`;

async function returningIds(manager: EntityManager, sql: string, params: unknown[]) {
  const rows = await manager.query<[{ id: string }[], number] | { id: string }[]>(sql, params);
  // TypeORM's pg driver answers an UPDATE/DELETE … RETURNING with [rows, affected].
  const list = Array.isArray(rows[0]) ? (rows[0] as { id: string }[]) : (rows as { id: string }[]);
  return list.map((row) => row.id);
}

/** Statuses that end a concern report after (or joined to) an investigation. */
const INVESTIGATED = `('closed_with_intervention', 'closed_without_intervention', 'closed', 'already_running')`;

function concernTarget(statuses: string): RetentionTarget {
  return {
    auditRecordType: 'ConcernReport',
    candidates: () =>
      `SELECT r.id FROM concern_report r
       WHERE r.municipality_id = $1 AND r.status IN ${statuses}
         AND coalesce(r.finished_at, r.closed_at) < $2 AND ${notHeld('r.case_id')}`,
    apply: (manager, _action, ids) =>
      // Status changes, extensions and sent reminders go with the report (cascade).
      manager
        .query('DELETE FROM notification WHERE record_id = ANY($1)', [ids])
        .then(() =>
          returningIds(
            manager,
            `DELETE FROM concern_report r WHERE r.id = ANY($1) AND ${notHeld('r.case_id')} RETURNING r.id`,
            [ids],
          ),
        ),
  };
}

export const RETENTION_TARGETS: Record<RetentionRecordType, RetentionTarget> = {
  closed_case: {
    auditRecordType: 'Case',
    candidates: () =>
      `SELECT c.id FROM collab_case c
       WHERE c.municipality_id = $1 AND c.status = 'closed' AND ${held('c.id')}
         AND coalesce((SELECT max(s.changed_at) FROM case_status_change s
                       WHERE s.case_id = c.id AND s.to_status = 'closed'), c.updated_at) < $2
         -- a meeting about this case that also has an item about a held case stays, so the case does
         AND NOT EXISTS (SELECT 1 FROM meeting m JOIN agenda_item i ON i.meeting_id = m.id
                         JOIN legal_hold h ON h.case_id = i.case_id WHERE m.case_id = c.id)`,
    async apply(manager, _action, ids) {
      // What refers to the case without cascading: agenda items about it in other meetings, its
      // own meetings, disclosures (they restrict their consent), notices and notifications.
      await manager.query('DELETE FROM agenda_item WHERE case_id = ANY($1)', [ids]);
      await manager.query('DELETE FROM meeting WHERE case_id = ANY($1)', [ids]);
      await manager.query('DELETE FROM disclosure WHERE case_id = ANY($1)', [ids]);
      await manager.query(
        `DELETE FROM disclosure d USING consent k WHERE d.consent_id = k.id AND k.case_id = ANY($1)`,
        [ids],
      );
      await manager.query('DELETE FROM notice WHERE case_id = ANY($1)', [ids]);
      await manager.query(
        `DELETE FROM notification WHERE record_id = ANY($1)
            OR record_id IN (SELECT id FROM case_entry WHERE case_id = ANY($1))`,
        [ids],
      );
      // Entries, messages, consents, members, units, status history, plan, assessments: cascade.
      // Linked concern reports keep their own rule (their link is set to null).
      return returningIds(
        manager,
        `DELETE FROM collab_case c WHERE c.id = ANY($1) AND ${held('c.id')} RETURNING c.id`,
        [ids],
      );
    },
  },
  case_message: {
    auditRecordType: 'CaseMessage',
    candidates: (action) =>
      `SELECT m.id FROM case_message m
       WHERE m.municipality_id = $1 AND m.created_at < $2 AND ${held('m.case_id')}
         ${action === 'anonymise' ? 'AND m.anonymised_at IS NULL' : ''}`,
    apply: (manager, action, ids, now) =>
      action === 'anonymise'
        ? returningIds(
            manager,
            `UPDATE case_message m SET body = '', anonymised_at = $2
             WHERE m.id = ANY($1) AND m.anonymised_at IS NULL AND ${held('m.case_id')} RETURNING m.id`,
            [ids, now],
          )
        : returningIds(
            manager,
            `DELETE FROM case_message m WHERE m.id = ANY($1) AND ${held('m.case_id')} RETURNING m.id`,
            [ids],
          ),
  },
  notice: {
    auditRecordType: 'Notice',
    candidates: () =>
      `SELECT n.id FROM notice n
       WHERE n.municipality_id = $1 AND coalesce(n.expires_at, n.created_at) < $2
         AND ${notHeld('n.case_id')}`,
    // Its recipients and their acknowledgements go with it (cascade).
    apply: (manager, _action, ids) =>
      returningIds(
        manager,
        `DELETE FROM notice n WHERE n.id = ANY($1) AND ${notHeld('n.case_id')} RETURNING n.id`,
        [ids],
      ),
  },
  concern_not_opened: concernTarget(`('not_opened')`),
  concern_investigated: concernTarget(INVESTIGATED),
};
