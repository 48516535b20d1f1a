import {
  addPeriod,
  daysBetween,
  deadlineState,
  dueDateFor,
  endOfDay,
  reminderFor,
  stockholmDate,
} from './deadlines.js';

describe('concern deadlines (Europe/Stockholm calendar days)', () => {
  describe('the calendar date of an instant', () => {
    it.each([
      // Winter (UTC+1): 23:30 UTC is already the next day in Stockholm.
      ['2025-01-14T23:30:00Z', '2025-01-15'],
      ['2025-01-14T22:59:59Z', '2025-01-14'],
      // Summer (UTC+2): 22:00 UTC is midnight in Stockholm.
      ['2025-07-01T21:59:59Z', '2025-07-01'],
      ['2025-07-01T22:00:00Z', '2025-07-02'],
      // The night clocks go forward (30 March 2025, 02:00 → 03:00).
      ['2025-03-29T23:30:00Z', '2025-03-30'],
      ['2025-03-30T21:59:00Z', '2025-03-30'],
      ['2025-03-30T22:00:00Z', '2025-03-31'],
      // The night clocks go back (26 October 2025, 03:00 → 02:00).
      ['2025-10-25T21:59:00Z', '2025-10-25'],
      ['2025-10-25T22:00:00Z', '2025-10-26'],
      ['2025-10-26T22:59:00Z', '2025-10-26'],
      ['2025-10-26T23:00:00Z', '2025-10-27'],
    ])('%s is %s', (instant, date) => {
      expect(stockholmDate(new Date(instant))).toBe(date);
    });
  });

  describe('statutory periods', () => {
    it.each([
      // Protection assessment: the day the report arrives.
      ['protection_assessment', '2025-03-30', '2025-03-30'],
      // Preliminary assessment: 14 days from receipt, across month and year ends and DST.
      ['preliminary_assessment', '2025-01-10', '2025-01-24'],
      ['preliminary_assessment', '2025-02-20', '2025-03-06'],
      ['preliminary_assessment', '2024-02-20', '2024-03-05'],
      ['preliminary_assessment', '2025-12-25', '2026-01-08'],
      ['preliminary_assessment', '2025-03-25', '2025-04-08'],
      ['preliminary_assessment', '2025-10-20', '2025-11-03'],
      // Investigation: 4 months from opening; a missing day is the month's last day.
      ['investigation', '2025-03-15', '2025-07-15'],
      ['investigation', '2025-10-31', '2026-02-28'],
      ['investigation', '2023-10-31', '2024-02-29'],
      ['investigation', '2023-10-29', '2024-02-29'],
      ['investigation', '2023-10-30', '2024-02-29'],
      ['investigation', '2024-02-29', '2024-06-29'],
      ['investigation', '2025-08-31', '2025-12-31'],
      ['investigation', '2025-09-30', '2026-01-30'],
      // Follow-up: within 2 months of closing.
      ['follow_up', '2025-12-31', '2026-02-28'],
      ['follow_up', '2027-12-31', '2028-02-29'],
      ['follow_up', '2024-04-30', '2024-06-30'],
      ['follow_up', '2025-01-31', '2025-03-31'],
    ] as const)('%s from %s ends on %s', (step, start, due) => {
      expect(dueDateFor(step, start)).toBe(due);
    });

    it('counts from the Stockholm date of receipt, not the UTC date', () => {
      // Received at 00:30 on 30 March in Stockholm (still 29 March in UTC).
      const received = stockholmDate(new Date('2025-03-29T23:30:00Z'));
      expect(dueDateFor('preliminary_assessment', received)).toBe('2025-04-13');
      expect(dueDateFor('protection_assessment', received)).toBe('2025-03-30');
    });

    it('refuses what is not a calendar date', () => {
      expect(() => addPeriod('2025-02-30', { days: 1 })).toThrow(RangeError);
      expect(() => addPeriod('2025-2-3', { days: 1 })).toThrow(RangeError);
    });
  });

  describe('when the last day ends', () => {
    it.each([
      // A winter day ends at 23:00 UTC, a summer day at 22:00 UTC.
      ['2025-01-24', '2025-01-24T23:00:00.000Z'],
      ['2025-07-15', '2025-07-15T22:00:00.000Z'],
      // The day clocks go forward is 23 hours long; the day they go back 25.
      ['2025-03-29', '2025-03-29T23:00:00.000Z'],
      ['2025-03-30', '2025-03-30T22:00:00.000Z'],
      ['2025-10-25', '2025-10-25T22:00:00.000Z'],
      ['2025-10-26', '2025-10-26T23:00:00.000Z'],
    ])('%s ends at %s', (date, end) => {
      expect(endOfDay(date).toISOString()).toBe(end);
    });
  });

  describe('due or overdue', () => {
    it('is due through the last day in Stockholm and overdue from the next midnight', () => {
      expect(
        deadlineState('investigation', '2025-03-30', new Date('2025-03-30T21:59:59Z')),
      ).toEqual({
        step: 'investigation',
        dueDate: '2025-03-30',
        dueAt: '2025-03-30T22:00:00.000Z',
        state: 'due',
        daysLeft: 0,
      });
      expect(
        deadlineState('investigation', '2025-03-30', new Date('2025-03-30T22:00:00Z')),
      ).toMatchObject({ state: 'overdue', daysLeft: -1 });
    });

    it('counts whole calendar days across daylight-saving changes', () => {
      expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
      expect(daysBetween('2025-10-25', '2025-10-27')).toBe(2);
      expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
      expect(daysBetween('2025-02-28', '2025-03-01')).toBe(1);
      expect(daysBetween('2025-04-08', '2025-03-25')).toBe(-14);
      expect(
        deadlineState('preliminary_assessment', '2025-04-08', new Date('2025-03-25T08:00:00Z'))
          .daysLeft,
      ).toBe(14);
    });
  });

  describe('reminders', () => {
    it('sends "before" from the lead days before the last day, and "due" from the last day on', () => {
      expect(reminderFor('preliminary_assessment', '2025-04-08', '2025-04-04')).toBeNull();
      expect(reminderFor('preliminary_assessment', '2025-04-08', '2025-04-05')).toBe('before');
      expect(reminderFor('preliminary_assessment', '2025-04-08', '2025-04-07')).toBe('before');
      expect(reminderFor('preliminary_assessment', '2025-04-08', '2025-04-08')).toBe('due');
      expect(reminderFor('preliminary_assessment', '2025-04-08', '2025-04-20')).toBe('due');
      expect(reminderFor('investigation', '2024-02-29', '2024-02-15')).toBe('before');
      expect(reminderFor('investigation', '2024-02-29', '2024-02-14')).toBeNull();
    });

    it('has only the "due" reminder for the same-day protection assessment', () => {
      expect(reminderFor('protection_assessment', '2025-03-30', '2025-03-29')).toBeNull();
      expect(reminderFor('protection_assessment', '2025-03-30', '2025-03-30')).toBe('due');
    });
  });
});
