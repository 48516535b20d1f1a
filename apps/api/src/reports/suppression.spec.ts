import { suppress, suppressAcross, withMargins, type ShownCount } from './suppression.js';

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

/**
 * Every table consistent with what is shown, found by search: the hidden inner cells take every
 * value their marks allow ("<5": 1–4; "x": 0, or 5 up to `limit`), the margins follow, and the
 * completion counts when it agrees with every shown cell and mark. Returns, per hidden cell, the
 * values it took.
 */
function completions(shown: ShownCount[][], limit: number): Map<string, Set<number>> {
  const rows = shown.length - 1;
  const columns = shown[0]!.length - 1;
  const hiddenCells: [number, number][] = [];
  for (let r = 0; r < rows; r += 1)
    for (let c = 0; c < columns; c += 1)
      if (typeof shown[r]![c] === 'string') hiddenCells.push([r, c]);
  const domain = (mark: ShownCount): number[] =>
    mark === '<5'
      ? [1, 2, 3, 4]
      : [0, ...Array.from({ length: Math.max(0, limit - 4) }, (_, i) => i + 5)];
  const fits = (mark: ShownCount, n: number) =>
    typeof mark === 'number' ? mark === n : mark === '<5' ? n >= 1 && n <= 4 : n === 0 || n >= 5;
  const seen = new Map<string, Set<number>>();
  const table = shown
    .slice(0, rows)
    .map((row) => row.slice(0, columns).map((cell) => (typeof cell === 'number' ? cell : 0)));
  const rowFits = (r: number) =>
    fits(
      shown[r]![columns]!,
      table[r]!.reduce((sum, n) => sum + n, 0),
    );
  const walk = (i: number) => {
    // A row whose hidden cells are all set must add up to a total its mark allows.
    const previous = hiddenCells[i - 1];
    if (previous && (i === hiddenCells.length || hiddenCells[i]![0] !== previous[0])) {
      if (!rowFits(previous[0])) return;
    }
    if (i === hiddenCells.length) {
      const full = withMargins(table, columns);
      for (let r = 0; r <= rows; r += 1)
        for (let c = 0; c <= columns; c += 1) if (!fits(shown[r]![c]!, full[r]![c]!)) return;
      for (let r = 0; r <= rows; r += 1)
        for (let c = 0; c <= columns; c += 1)
          if (typeof shown[r]![c] === 'string') {
            const key = `${r},${c}`;
            seen.set(key, (seen.get(key) ?? new Set()).add(full[r]![c]!));
          }
      return;
    }
    const [r, c] = hiddenCells[i]!;
    for (const n of domain(shown[r]![c]!)) {
      table[r]![c] = n;
      walk(i + 1);
    }
    table[r]![c] = 0;
  };
  walk(0);
  return seen;
}

describe('what a reader can work out', () => {
  it('no longer gives away the children of the report a probe took apart (zeros and totals together)', () => {
    // Girls 12–14: 1, 15–17: 1; boys 15–17: 13; other 15–17: 1; the rest 0. Shown as before,
    // girls 3 and other 1 followed from the total 16 and the boys' 13, and each girl from the zeros.
    const truth = [
      [0, 0, 0],
      [1, 0, 0],
      [1, 13, 1],
      [0, 0, 0],
    ];
    const shown = suppress(truth, 3);
    // Other tables that fit everything shown, with each of those counts different.
    const others = [
      [
        [0, 0, 0],
        [2, 0, 0],
        [1, 12, 1],
        [0, 0, 0],
      ],
      [
        [0, 0, 0],
        [1, 0, 0],
        [2, 12, 1],
        [0, 0, 0],
      ],
      [
        [0, 0, 0],
        [1, 0, 0],
        [1, 12, 2],
        [0, 0, 0],
      ],
    ];
    const fits = (table: number[][]) =>
      withMargins(table, 3).every((row, r) =>
        row.every((n, c) => {
          const mark = shown[r]![c]!;
          return typeof mark === 'number'
            ? mark === n
            : mark === '<5'
              ? n >= 1 && n <= 4
              : n === 0 || n >= 5;
        }),
      );
    expect(fits(truth)).toBe(true);
    for (const other of others) expect({ other, fits: fits(other) }).toEqual({ other, fits: true });
  });

  it('cannot pin down any small count of a small table, searching every completion', () => {
    const next = random(20261207);
    const given: { counts: number[][]; shown: ShownCount[][]; cell: string }[] = [];
    for (let trial = 0; trial < 300; trial += 1) {
      const rows = 1 + Math.floor(next() * 3);
      const columns = 1 + Math.floor(next() * 2);
      const counts = Array.from({ length: rows }, () =>
        Array.from({ length: columns }, () => {
          const roll = next();
          return roll < 0.3
            ? 0
            : roll < 0.7
              ? 1 + Math.floor(next() * 4)
              : 5 + Math.floor(next() * 6);
        }),
      );
      const shown = suppress(counts, columns);
      // A table withheld whole ("x" everywhere) says nothing but that it is small.
      if (shown.every((row) => row.every((cell) => cell === 'x'))) continue;
      const grand = withMargins(counts, columns).at(-1)!.at(-1)!;
      const values = completions(shown, grand + 5);
      for (const [cell, taken] of values) {
        const [r, c] = cell.split(',').map(Number) as [number, number];
        if (shown[r]![c] === '<5' && taken.size === 1) given.push({ counts, shown, cell });
      }
    }
    expect(given).toEqual([]);
  });
});

describe('tables per area beside the whole municipality', () => {
  const fits = (mark: ShownCount, n: number) =>
    typeof mark === 'number' ? mark === n : mark === '<5' ? n >= 1 && n <= 4 : n === 0 || n >= 5;

  /**
   * Every set of area tables consistent with all the views shown (each area's and the whole's),
   * found by search over the hidden inner cells; per hidden cell of an area, the values it took.
   */
  function completionsAcross(
    shown: ShownCount[][][],
    rows: number,
    columns: number,
    limit: number,
  ) {
    const areas = shown.length - 1;
    const hidden: [number, number, number][] = [];
    const tables = shown.slice(0, areas).map((table, a) =>
      table.slice(0, rows).map((row, r) =>
        row.slice(0, columns).map((cell, c) => {
          if (typeof cell === 'string') hidden.push([a, r, c]);
          return typeof cell === 'number' ? cell : 0;
        }),
      ),
    );
    const seen = new Map<string, Set<number>>();
    const walk = (i: number) => {
      if (i === hidden.length) {
        const whole = Array.from({ length: rows }, (_, r) =>
          Array.from({ length: columns }, (_, c) => tables.reduce((sum, t) => sum + t[r]![c]!, 0)),
        );
        const views = [...tables, whole].map((table) => withMargins(table, columns));
        const agrees = views.every((view, a) =>
          view.every((row, r) => row.every((n, c) => fits(shown[a]![r]![c]!, n))),
        );
        if (!agrees) return;
        for (const [a, r, c] of hidden) {
          const key = `${a},${r},${c}`;
          seen.set(key, (seen.get(key) ?? new Set()).add(tables[a]![r]![c]!));
        }
        return;
      }
      const [a, r, c] = hidden[i]!;
      const mark = shown[a]![r]![c]!;
      const domain =
        mark === '<5' ? [1, 2, 3, 4] : [0, ...Array.from({ length: limit - 4 }, (_, k) => k + 5)];
      for (const n of domain) {
        tables[a]![r]![c] = n;
        walk(i + 1);
      }
      tables[a]![r]![c] = 0;
    };
    walk(0);
    return seen;
  }

  it('gives no area its small counts away by subtracting the other areas from the whole', () => {
    // A probe's actions (school, police × open): Norra 7 and 4, Södra 5 and 0, Väst 2 and 0.
    // Each area checked alone against the whole, 18 − 11 − 5 gave Väst's hidden 2.
    const tables = [
      [[7], [4]],
      [[5], [0]],
      [[2], [0]],
    ];
    const shown = suppressAcross(tables, 2, 1);
    expect(shown).toHaveLength(4);
    for (const [a, table] of tables.entries()) {
      withMargins(table, 1).forEach((row, r) =>
        row.forEach((n, c) => {
          if (n > 0 && n < 5) expect(shown[a]![r]![c]).toBe('<5');
        }),
      );
    }
    // Väst's total is hidden, or the whole's, or another area's: not all four shown.
    const totals = shown.map((view) => view[2]![1]!);
    expect(totals.filter((total) => typeof total === 'number').length).toBeLessThan(4);
    const values = completionsAcross(shown, 2, 1, 25);
    for (const [cell, taken] of values) {
      const [a, r, c] = cell.split(',').map(Number) as [number, number, number];
      if (shown[a]![r]![c] === '<5')
        expect({ cell, values: taken.size > 1 }).toEqual({ cell, values: true });
    }
  });

  it('cannot pin down any small count of any area from all the views together', () => {
    const next = random(20261208);
    const given: { tables: number[][][]; cell: string }[] = [];
    let evaluated = 0;
    for (let trial = 0; trial < 150; trial += 1) {
      const areas = 2 + Math.floor(next() * 2);
      const rows = 1 + Math.floor(next() * 2);
      const tables = Array.from({ length: areas }, () =>
        Array.from({ length: rows }, () => {
          const roll = next();
          return [
            roll < 0.3 ? 0 : roll < 0.7 ? 1 + Math.floor(next() * 4) : 5 + Math.floor(next() * 6),
          ];
        }),
      );
      const shown = suppressAcross(tables, rows, 1);
      if (shown.every((view) => view.every((row) => row.every((cell) => cell === 'x')))) continue;
      const hiddenCount = shown
        .slice(0, areas)
        .flatMap((view) => view.slice(0, rows).map((row) => row[0]))
        .filter((cell) => typeof cell === 'string').length;
      if (hiddenCount > 5) continue; // the search would take too long; smaller cases say the same
      evaluated += 1;
      const grand = tables.flat(2).reduce((sum, n) => sum + n, 0);
      for (const [cell, taken] of completionsAcross(shown, rows, 1, grand + 5)) {
        const [a, r, c] = cell.split(',').map(Number) as [number, number, number];
        if (shown[a]![r]![c] === '<5' && taken.size === 1) given.push({ tables, cell });
      }
    }
    expect(evaluated).toBeGreaterThan(100);
    expect(given).toEqual([]);
  });
});
