import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DEADLINE_STEPS, type DeadlineStep } from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { SqlParams } from '../common/sql-params.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { recipientsOf } from './concern-access.js';
import { REMINDER_LEAD_DAYS, reminderFor, stockholmDate, type ReminderKind } from './deadlines.js';

/** Reports claimed per transaction. */
const BATCH = 200;

const STEP_TITLES: Record<DeadlineStep, string> = {
  protection_assessment: 'Skyddsbedömning',
  preliminary_assessment: 'Förhandsbedömning',
  investigation: 'Utredning',
  follow_up: 'Uppföljning efter avböjd insats',
};

interface Candidate {
  id: string;
  municipality_id: string;
  person_id: string;
  deadline_step: DeadlineStep;
  deadline_due: string;
}

interface Claimed {
  report_id: string;
  step: DeadlineStep;
  kind: ReminderKind;
  due_date: string;
}

/**
 * Reminders before and at each running deadline, to the report's handler and the social workers
 * of the receiving unit: each exactly once, however many replicas run this at the same time. A
 * runner claims reports with `FOR UPDATE SKIP LOCKED` (so runners share the work instead of
 * queueing), and a reminder is sent only by the transaction whose insert of its key into
 * `concern_reminder` succeeds — a second runner's insert of the same key does nothing. The
 * notifications, their outbox events and the audit events commit with that row or not at all.
 */
@Injectable()
export class ConcernRemindersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Sends every reminder due at `now`; returns how many reminders (not notifications) went out. */
  async runDue(now: Date = new Date()): Promise<number> {
    const today = stockholmDate(now);
    let sent = 0;
    for (;;) {
      const batch = await this.dataSource.transaction((manager) => this.batch(manager, today));
      sent += batch.sent;
      // A full batch may have more behind it; one where nothing was new is left to the next run.
      if (batch.claimed < BATCH || batch.sent === 0) return sent;
    }
  }

  private async batch(
    manager: EntityManager,
    today: string,
  ): Promise<{ claimed: number; sent: number }> {
    const params = new SqlParams([today]);
    const leads = DEADLINE_STEPS.map(
      (step) => `(${params.bind(step)}, ${params.bind(REMINDER_LEAD_DAYS[step])}::int)`,
    ).join(', ');
    const candidates = await manager.query<Candidate[]>(
      `SELECT r.id, r.municipality_id, r.person_id, r.deadline_step, r.deadline_due::text AS deadline_due
       FROM concern_report r
       JOIN (VALUES ${leads}) AS l(step, lead) ON l.step = r.deadline_step
       WHERE r.deadline_due IS NOT NULL AND r.deadline_due - l.lead <= $1::date
         AND NOT EXISTS (
           SELECT 1 FROM concern_reminder s
           WHERE s.report_id = r.id AND s.step = r.deadline_step AND s.due_date = r.deadline_due
             AND s.kind = CASE WHEN r.deadline_due <= $1::date THEN 'due' ELSE 'before' END)
       ORDER BY r.deadline_due, r.id
       LIMIT ${BATCH}
       FOR UPDATE OF r SKIP LOCKED`,
      params.values,
    );
    const wanted = candidates.flatMap((candidate) => {
      const kind = reminderFor(candidate.deadline_step, candidate.deadline_due, today);
      return kind ? [{ candidate, kind }] : [];
    });
    if (wanted.length === 0) return { claimed: candidates.length, sent: 0 };
    const claimed = await manager.query<Claimed[]>(
      `INSERT INTO concern_reminder (report_id, step, kind, due_date)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::date[])
       ON CONFLICT DO NOTHING
       RETURNING report_id, step, kind, due_date::text AS due_date`,
      [
        wanted.map((w) => w.candidate.id),
        wanted.map((w) => w.candidate.deadline_step),
        wanted.map((w) => w.kind),
        wanted.map((w) => w.candidate.deadline_due),
      ],
    );
    await this.tell(manager, claimed, new Map(candidates.map((c) => [c.id, c])));
    return { claimed: candidates.length, sent: claimed.length };
  }

  /** Notifications and audit events for the reminders this transaction claimed. */
  private async tell(
    manager: EntityManager,
    claimed: Claimed[],
    reports: Map<string, Candidate>,
  ): Promise<void> {
    if (claimed.length === 0) return;
    const recipients = await recipientsOf(
      manager,
      claimed.map((c) => c.report_id),
    );
    const byMunicipality = new Map<string, Claimed[]>();
    for (const reminder of claimed) {
      const municipalityId = reports.get(reminder.report_id)!.municipality_id;
      byMunicipality.set(municipalityId, [...(byMunicipality.get(municipalityId) ?? []), reminder]);
    }
    await this.notifications.notify(
      manager,
      claimed.flatMap((reminder) =>
        (recipients.get(reminder.report_id) ?? []).map((userId) => ({
          municipalityId: reports.get(reminder.report_id)!.municipality_id,
          userId,
          kind: 'concern.reminder' as const,
          title:
            reminder.kind === 'due'
              ? `${STEP_TITLES[reminder.step]}: sista dag ${reminder.due_date}`
              : `${STEP_TITLES[reminder.step]}: ska vara klar senast ${reminder.due_date}`,
          recordType: 'ConcernReport',
          recordId: reminder.report_id,
          details: { step: reminder.step, reminder: reminder.kind, dueDate: reminder.due_date },
        })),
      ),
    );
    for (const [municipalityId, reminders] of byMunicipality) {
      await this.audit.record(
        manager,
        { municipalityId, actorUserId: null, actorUnitId: null, requestId: null },
        reminders.map((reminder) => ({
          action: 'concern.reminder',
          recordType: 'ConcernReport',
          recordId: reminder.report_id,
          personId: reports.get(reminder.report_id)!.person_id,
          details: {
            step: reminder.step,
            reminder: reminder.kind,
            dueDate: reminder.due_date,
            recipients: (recipients.get(reminder.report_id) ?? []).length,
          },
        })),
      );
    }
  }
}
