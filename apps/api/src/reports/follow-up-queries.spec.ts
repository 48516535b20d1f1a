import { histogramMedian } from './follow-up-queries.js';

/** `percentile_disc(0.5)` over the values themselves: the lower median. */
function lowerMedian(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1]!;
}

function histogramOf(values: number[]): Map<number, number> {
  const histogram = new Map<number, number>();
  for (const value of values) histogram.set(value, (histogram.get(value) ?? 0) + 1);
  return histogram;
}

describe('histogramMedian', () => {
  it.each([
    [[]],
    [[3]],
    [[0, 14]],
    [[5, 1, 1, 9]],
    [[2, 2, 2, 7, 7, 7]],
    [[0, 0, 0, 1, 30, 30, 30, 30]],
    [[-1, 4, 4, 10, 12]],
  ])('gives what percentile_disc(0.5) gives for %j', (values) => {
    expect(histogramMedian(histogramOf(values))).toBe(lowerMedian(values));
  });

  it('agrees on many random day counts', () => {
    for (let round = 0; round < 200; round += 1) {
      const values = Array.from({ length: 1 + (round % 37) }, (_, i) => (i * 7919 + round) % 23);
      expect(histogramMedian(histogramOf(values))).toBe(lowerMedian(values));
    }
  });
});
