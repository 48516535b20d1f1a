import { suppress, withMargins, type ShownCount } from './suppression.js';

/** Every row and column of the shown table (margins included) as lists of cells. */
function lines(shown: ShownCount[][]): ShownCount[][] {
  const columns = shown[0]!.length;
  return [...shown, ...Array.from({ length: columns }, (_, c) => shown.map((row) => row[c]!))];
}

const hiddenIn = (line: ShownCount[]) => line.filter((cell) => typeof cell === 'string').length;

/** A small deterministic random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('small-count suppression', () => {
  it('shows counts of 1–4 as "<5", and 0 and 5 or more as they are', () => {
    const shown = suppress([[0, 5, 12]], 3);
    expect(shown).toEqual([
      [0, 5, 12, 17],
      [0, 5, 12, 17],
    ]);
    expect(suppress([[4, 30, 1]], 3)[0]).toEqual(['<5', 30, '<5', 35]);
  });

  it('hides a second cell where the total would give a small count away', () => {
    // Norra 3, Södra 40, Östra 22: the total 65 minus 40 and 22 would reveal Norra's 3.
    const shown = suppress([[3], [40], [22]], 1);
    expect(shown.map((row) => row[0])).toEqual(['<5', 40, 'x', 65]);
    expect(shown[2]).toEqual(['x', 'x']);
  });

  it('protects a table of one row, whose total row repeats it', () => {
    // 2 + 9 = 11: with the 2 hidden, the 9 must go too; the total alone reveals neither.
    expect(suppress([[2, 9]], 2)).toEqual([
      ['<5', 'x', 11],
      ['<5', 'x', 11],
    ]);
  });

  it('adds the margins', () => {
    expect(
      withMargins(
        [
          [1, 2],
          [3, 4],
        ],
        2,
      ),
    ).toEqual([
      [1, 2, 3],
      [3, 4, 7],
      [4, 6, 10],
    ]);
  });

  it('never leaves exactly one hidden cell in a row or column, in any table', () => {
    const next = random(20251123);
    for (let trial = 0; trial < 500; trial += 1) {
      const rows = 1 + Math.floor(next() * 6);
      const columns = 1 + Math.floor(next() * 5);
      const counts = Array.from({ length: rows }, () =>
        Array.from({ length: columns }, () => {
          const roll = next();
          return roll < 0.2 ? 0 : roll < 0.5 ? 1 + Math.floor(next() * 4) : Math.floor(next() * 60);
        }),
      );
      const shown = suppress(counts, columns);
      const full = withMargins(counts, columns);
      for (const line of lines(shown)) {
        expect({ counts, hidden: hiddenIn(line) === 1 }).toEqual({ counts, hidden: false });
      }
      full.forEach((row, r) =>
        row.forEach((n, c) => {
          const cell = shown[r]![c]!;
          if (n > 0 && n < 5) expect(cell).toBe('<5');
          else expect(cell === 'x' || cell === n).toBe(true);
        }),
      );
    }
  });
});

describe('a grand total shared with another table', () => {
  it('is hidden on request, with complements so it cannot be recovered', () => {
    const shown = suppress(
      [
        [10, 20],
        [30, 40],
      ],
      2,
      { hideTotal: true },
    );
    expect(shown[2]![2]).toBe('x');
    for (const line of lines(shown)) expect(hiddenIn(line)).not.toBe(1);
  });
});
