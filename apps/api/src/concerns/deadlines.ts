import type { DeadlineResponse, DeadlineStep } from '@samverka/contracts';
import { DateTime } from 'luxon';

/**
 * Deadline arithmetic for concern reports, in Europe/Stockholm calendar days: a deadline is a
 * last day, and it ends at the following midnight in Stockholm (whatever the UTC offset that day).
 * Months follow the Swedish rule for periods in months (lag 1930:173): the same day number in the
 * later month, or that month's last day when it has no such day (31 October + 4 months = 28 or
 * 29 February). Dates are ISO strings (`YYYY-MM-DD`) throughout, never `Date`s at midnight UTC.
 */
export const ZONE = 'Europe/Stockholm';

export interface Period {
  days?: number;
  months?: number;
}

/** The statutory periods of domain.md, counted from receipt, opening or closing. */
export const DEADLINE_PERIODS: Record<DeadlineStep, Period> = {
  // The same day the report arrives.
  protection_assessment: { days: 0 },
  // 14 days from receipt.
  preliminary_assessment: { days: 14 },
  // 4 months from the decision to open (may be extended by a recorded decision).
  investigation: { months: 4 },
  // Within 2 months of closing, when an offered intervention was declined.
  follow_up: { months: 2 },
};

/** How many days before the last day the "before" reminder goes out (0: only on the day). */
export const REMINDER_LEAD_DAYS: Record<DeadlineStep, number> = {
  protection_assessment: 0,
  preliminary_assessment: 3,
  investigation: 14,
  follow_up: 7,
};

export type ReminderKind = 'before' | 'due';

function parse(date: string): DateTime {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date)
    ? DateTime.fromISO(date, { zone: ZONE })
    : DateTime.invalid('not YYYY-MM-DD');
  if (!parsed.isValid) throw new RangeError(`${date} is not a calendar date`);
  return parsed;
}

const iso = (value: DateTime): string => value.toISODate() ?? '';

/** The calendar date in Stockholm at `instant`. */
export function stockholmDate(instant: Date): string {
  return iso(DateTime.fromJSDate(instant, { zone: ZONE }));
}

/** `date` plus a period (negative values go back); month ends are clamped. */
export function addPeriod(date: string, period: Period): string {
  return iso(parse(date).plus({ months: period.months ?? 0, days: period.days ?? 0 }));
}

/** The last day of `step`'s deadline when it starts on `startDate`. */
export function dueDateFor(step: DeadlineStep, startDate: string): string {
  return addPeriod(startDate, DEADLINE_PERIODS[step]);
}

/** The moment the last day `date` ends: the next midnight in Stockholm. */
export function endOfDay(date: string): Date {
  return parse(date).plus({ days: 1 }).startOf('day').toJSDate();
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(parse(to).diff(parse(from), 'days').days);
}

/** Whether a deadline is still due or overdue at `now`, and how many calendar days are left. */
export function deadlineState(step: DeadlineStep, dueDate: string, now: Date): DeadlineResponse {
  const daysLeft = daysBetween(stockholmDate(now), dueDate);
  return {
    step,
    dueDate,
    dueAt: endOfDay(dueDate).toISOString(),
    state: daysLeft >= 0 ? 'due' : 'overdue',
    daysLeft,
  };
}

/**
 * The reminder a deadline calls for on `today`: `due` from its last day on (also when a runner
 * catches up late), `before` from the lead days before it, otherwise none.
 */
export function reminderFor(
  step: DeadlineStep,
  dueDate: string,
  today: string,
): ReminderKind | null {
  if (today >= dueDate) return 'due';
  const lead = REMINDER_LEAD_DAYS[step];
  if (lead > 0 && today >= addPeriod(dueDate, { days: -lead })) return 'before';
  return null;
}
