import { isAmbiguousLocal, stockholmLocal, stockholmSpan } from './meeting-time.js';

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

  it('gives the offsets when a time is in the hour repeated as summer time ends', () => {
    // 02:30 summer time to 02:30 winter time on 2027-10-31: an hour, not nothing.
    expect(stockholmSpan(new Date('2027-10-31T00:30:00Z'), new Date('2027-10-31T01:30:00Z'))).toBe(
      '2027-10-31 02:30+02:00–02:30+01:00 (Europe/Stockholm)',
    );
    expect(stockholmSpan(new Date('2026-10-25T00:15:00Z'), new Date('2026-10-25T00:45:00Z'))).toBe(
      '2026-10-25 02:15+02:00–02:45+02:00 (Europe/Stockholm)',
    );
    expect(stockholmSpan(new Date('2026-10-24T23:30:00Z'), new Date('2026-10-25T00:30:00Z'))).toBe(
      '2026-10-25 01:30+02:00–02:30+02:00 (Europe/Stockholm)',
    );
    expect(stockholmSpan(new Date('2026-10-24T22:00:00Z'), new Date('2026-10-25T01:15:00Z'))).toBe(
      '2026-10-25 00:00+02:00–02:15+01:00 (Europe/Stockholm)',
    );
  });

  it('leaves the offsets out when no time of the span is ambiguous, that night too', () => {
    expect(stockholmSpan(new Date('2026-10-24T23:30:00Z'), new Date('2026-10-25T02:30:00Z'))).toBe(
      '2026-10-25 01:30–03:30 (Europe/Stockholm)',
    );
    expect(stockholmSpan(new Date('2026-10-24T21:00:00Z'), new Date('2026-10-25T09:00:00Z'))).toBe(
      '2026-10-24 23:00–2026-10-25 10:00 (Europe/Stockholm)',
    );
  });
});

describe('isAmbiguousLocal', () => {
  it('is true only for 02:00–02:59:59 on the night summer time ends, under either offset', () => {
    const at = (iso: string) => isAmbiguousLocal(new Date(iso));
    expect(at('2026-10-25T02:00:00+02:00')).toBe(true);
    expect(at('2026-10-25T02:59:59+02:00')).toBe(true);
    expect(at('2026-10-25T02:00:00+01:00')).toBe(true);
    expect(at('2026-10-25T02:59:59+01:00')).toBe(true);
    expect(at('2026-10-25T01:59:59+02:00')).toBe(false);
    expect(at('2026-10-25T03:00:00+01:00')).toBe(false);
    // Spring forward skips 02:00–03:00: nothing is shown twice.
    expect(at('2026-03-29T01:59:59+01:00')).toBe(false);
    expect(at('2026-03-29T03:00:00+02:00')).toBe(false);
    expect(at('2026-07-01T02:30:00+02:00')).toBe(false);
    expect(at('2026-01-15T02:30:00+01:00')).toBe(false);
  });
});
