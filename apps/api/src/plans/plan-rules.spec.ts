import { ageOn, principalOf, sipMissing, withinSigRange } from './plan-rules.js';

describe('sipMissing', () => {
  const complete = {
    actions: [
      { id: 'a1', what: 'Samtalsstöd', provider: 'municipality' },
      { id: 'a2', what: 'Utredning BUP', provider: 'region' },
    ],
    otherMeasures: 'Skolan har anpassad studiegång',
    overallResponsibleUserId: 'user-1',
    followUpDate: '2026-12-01',
  };

  it('is empty for a complete SIP', () => {
    expect(sipMissing(complete)).toEqual([]);
  });

  it('lists everything missing from an empty SIP', () => {
    expect(
      sipMissing({
        actions: [],
        otherMeasures: ' ',
        overallResponsibleUserId: null,
        followUpDate: null,
      }).map((error) => error.field),
    ).toEqual(['actions', 'otherMeasures', 'overallResponsibleUserId', 'followUpDate']);
  });

  it('wants a principal for every intervention, naming those without one', () => {
    const missing = sipMissing({
      ...complete,
      actions: [complete.actions[0]!, { id: 'a3', what: 'Läxhjälp', provider: null }],
    });
    expect(missing).toEqual([
      { field: 'actions.provider', reasons: [expect.stringContaining('which principal')] },
    ]);
    expect(missing[0]!.reasons[0]).toContain('"Läxhjälp" (a3)');
    expect(missing[0]!.reasons[0]).not.toContain('Samtalsstöd');
  });
});

describe('ageOn', () => {
  it('counts a birthday only once it has come', () => {
    expect(ageOn('2011-03-14', '2023-03-13')).toBe(11);
    expect(ageOn('2011-03-14', '2023-03-14')).toBe(12);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });
});

describe('withinSigRange', () => {
  it('is inclusive at both ends and false without an age', () => {
    expect([11, 12, 20, 21].map((age) => withinSigRange(age, 12, 20))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(withinSigRange(null, 12, 20)).toBe(false);
  });
});

describe('principalOf', () => {
  it('is the region for health, the municipality for its own agencies, someone else for the police', () => {
    expect(
      (['health', 'school', 'social_services', 'leisure', 'police'] as const).map(principalOf),
    ).toEqual(['region', 'municipality', 'municipality', 'municipality', 'other']);
  });
});
