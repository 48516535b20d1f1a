import { stockholmLocal, stockholmSpan } from './meeting-time.js';

describe('stockholmLocal', () => {
  it('uses +01:00 in winter and +02:00 in summer', () => {
    expect(stockholmLocal(new Date('2026-01-15T09:00:00Z'))).toBe('2026-01-15T10:00:00+01:00');
    expect(stockholmLocal(new Date('2026-07-01T09:00:00Z'))).toBe('2026-07-01T11:00:00+02:00');
  });

  it('skips 02:00–03:00 when summer time begins on 2026-03-29', () => {
    expect(stockholmLocal(new Date('2026-03-29T00:59:59Z'))).toBe('2026-03-29T01:59:59+01:00');
    expect(stockholmLocal(new Date('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00:00+02:00');
  });

  it('shows 02:00–03:00 twice when summer time ends on 2026-10-25, told apart by the offset', () => {
    expect(stockholmLocal(new Date('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30:00+02:00');
    expect(stockholmLocal(new Date('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30:00+01:00');
  });

  it('round-trips: the local text parses back to the same instant', () => {
    for (let hour = 0; hour < 48; hour += 1) {
      const instant = new Date(Date.UTC(2026, 9, 24, hour, 15));
      expect(new Date(stockholmLocal(instant)).getTime()).toBe(instant.getTime());
    }
  });
});

describe('stockholmSpan', () => {
  it('names the local day and times', () => {
    expect(stockholmSpan(new Date('2026-03-29T00:30:00Z'), new Date('2026-03-29T01:30:00Z'))).toBe(
      '2026-03-29 01:30–03:30 (Europe/Stockholm)',
    );
  });
});
