/**
 * Small-count suppression for tables of counts (statistics leave no one identifiable). A count
 * of 1–4 is shown as "<5" (primary suppression). Every line of a table, margins included, is an
 * equation (its cells add up to its total); a line with exactly one hidden member would give it
 * away by subtraction, so another member of that line is hidden too, "x" (complementary
 * suppression: the smallest count of the line, inner cells first), until no line has exactly one
 * hidden member, and no small count follows from the lines together.
 *
 * Tables that are views of one larger table (an area's table of actions beside the same table
 * for every other area and the whole municipality) are suppressed as that larger table, a cube
 * whose every line is an equation a reader of the views can write (`suppressAcross`): each view
 * then shows its slice, and no two views together give away what either hides.
 */
export const SUPPRESSION_THRESHOLD = 5;
export type ShownCount = number | '<5' | 'x';

/** Counts with their margins: `rows` × `columns` inner cells, then a total column and a total row. */
export function withMargins(counts: readonly (readonly number[])[], columns: number): number[][] {
  const rows = counts.map((row) => [...row, row.reduce((sum, n) => sum + n, 0)]);
  const totals = Array.from({ length: columns + 1 }, (_, c) =>
    rows.reduce((sum, row) => sum + (row[c] ?? 0), 0),
  );
  return [...rows, totals];
}

/** The table with margins, each cell a count, "<5" or "x". */
export function suppress(counts: readonly (readonly number[])[], columns: number): ShownCount[][] {
  const shown = suppressCube(([r, c]) => counts[r!]![c!]!, [counts.length, columns]);
  return Array.from({ length: counts.length + 1 }, (_, r) =>
    shown.slice(r * (columns + 1), (r + 1) * (columns + 1)),
  );
}

/**
 * Tables of the same rows and columns, one per part of a whole (`tables[a]`: the table of area
 * `a`), suppressed together with the whole's (their sum): each with margins, the whole's last.
 */
export function suppressAcross(
  tables: readonly (readonly (readonly number[])[])[],
  rows: number,
  columns: number,
): ShownCount[][][] {
  const shown = suppressCube(([a, r, c]) => tables[a!]![r!]![c!]!, [tables.length, rows, columns]);
  const size = (rows + 1) * (columns + 1);
  return Array.from({ length: tables.length + 1 }, (_, a) =>
    Array.from({ length: rows + 1 }, (_, r) =>
      shown.slice(a * size + r * (columns + 1), a * size + (r + 1) * (columns + 1)),
    ),
  );
}

/**
 * An array of counts of `shape` (`count` gives the inner cell at an index), with a total after
 * the counts of every axis, flattened in row-major order: its values, its lines (along every
 * axis: the inner cells, then their total; along the last axis first) and which cells are
 * margins (a total along some axis).
 */
function cube(count: (index: number[]) => number, shape: readonly number[]) {
  const sizes = shape.map((n) => n + 1);
  const strides = sizes.map((_, d) => sizes.slice(d + 1).reduce((product, n) => product * n, 1));
  const cells = sizes.reduce((product, n) => product * n, 1);
  const indexOf = (i: number) => sizes.map((n, d) => Math.floor(i / strides[d]!) % n);
  const indexes = Array.from({ length: cells }, (_, i) => indexOf(i));
  const margin = indexes.map((index) => index.some((x, d) => x === shape[d]));
  const values = indexes.map((index, i) => (margin[i] ? 0 : count(index)));
  // Axis by axis, each total the sum of its line (totals of earlier axes are summed in turn).
  shape.forEach((n, d) =>
    indexes.forEach((index, i) => {
      if (index[d] !== n) return;
      values[i] = Array.from({ length: n }, (_, k) => values[i - (n - k) * strides[d]!]!).reduce(
        (sum, v) => sum + v,
        0,
      );
    }),
  );
  const lines: number[][] = [];
  for (let d = shape.length - 1; d >= 0; d -= 1) {
    indexes.forEach((index, i) => {
      if (index[d] === 0)
        lines.push(Array.from({ length: shape[d]! + 1 }, (_, k) => i + k * strides[d]!));
    });
  }
  return { values, lines, margin };
}

/** The cells of `cube(count, shape)`, each a count, "<5" or "x". */
function suppressCube(count: (index: number[]) => number, shape: readonly number[]): ShownCount[] {
  const threshold = SUPPRESSION_THRESHOLD;
  const { values, lines, margin } = cube(count, shape);
  const shown: ShownCount[] = values.map((n) => (n > 0 && n < threshold ? '<5' : n));
  const hidden = (i: number) => typeof shown[i] === 'string';
  /** Hides the cell of the line that costs least: inner before margins, then the smallest. */
  const hideOneMore = (line: number[]): boolean => {
    const candidates = line
      .filter((i) => !hidden(i))
      .sort((a, b) => Number(margin[a]) - Number(margin[b]) || values[a]! - values[b]!);
    const cell = candidates[0];
    if (cell === undefined) return false;
    shown[cell] = 'x';
    return true;
  };
  for (;;) {
    // Complementary suppression: no line with exactly one hidden member.
    for (let changed = true; changed;) {
      changed = false;
      for (const line of lines) {
        if (line.filter(hidden).length !== 1) continue;
        const candidates = line
          .filter((i) => !hidden(i))
          .sort(
            (a, b) =>
              Number(margin[a]) - Number(margin[b]) ||
              Number(values[a] === 0) - Number(values[b] === 0) ||
              values[a]! - values[b]!,
          );
        shown[candidates[0]!] = 'x';
        changed = true;
      }
    }
    // Audit: what a reader can work out from the lines together, knowing that a "<5" is 1–4 and
    // an "x" is 0 or 5 or more. A small count pinned down to one value is given away: hide one
    // more cell of a line through it, and look again.
    const exposed = pinnedDown(shown, lines, threshold);
    if (exposed === null) return shown;
    // A line through it; when those are hidden whole, a line through one of their cells; at
    // last any line: the shown counts that let the reader work it out are somewhere nearby.
    const through = lines.filter((line) => line.includes(exposed));
    const near = lines.filter((line) =>
      through.some((other) => line.some((i) => other.includes(i))),
    );
    // With nothing left to hide the marks themselves give it away: the table is withheld.
    if (!through.some(hideOneMore) && !near.some(hideOneMore) && !lines.some(hideOneMore))
      return shown.map((): ShownCount => 'x');
  }
}

/**
 * The first "<5" cell whose value follows from the shown cells, or null. Each line says that its
 * inner cells add up to its total; the bounds of every cell are narrowed by every line until
 * nothing changes (an "x" that cannot reach `threshold` must be 0; one above 0 is at least
 * `threshold`).
 */
function pinnedDown(shown: ShownCount[], lines: number[][], threshold: number): number | null {
  const lo = shown.map((cell) => (typeof cell === 'number' ? cell : cell === '<5' ? 1 : 0));
  const hi = shown.map((cell) =>
    typeof cell === 'number' ? cell : cell === '<5' ? threshold - 1 : Infinity,
  );
  const tighten = (i: number, low: number, high: number): boolean => {
    let changed = false;
    if (low > lo[i]!) {
      lo[i] = low;
      changed = true;
    }
    if (high < hi[i]!) {
      hi[i] = high;
      changed = true;
    }
    if (shown[i] === 'x') {
      // Never 1 to threshold − 1 (that would have been "<5").
      if (hi[i]! < threshold && hi[i] !== 0) {
        hi[i] = 0;
        changed = true;
      }
      if (lo[i]! > 0 && lo[i]! < threshold) {
        lo[i] = threshold;
        changed = true;
      }
    }
    return changed;
  };
  const sum = (bound: number[], cells: number[]) => cells.reduce((acc, i) => acc + bound[i]!, 0);
  for (let round = 0, changed = true; changed && round < 100; round += 1) {
    changed = false;
    for (const line of lines) {
      const inner = line.slice(0, -1);
      const total = line[line.length - 1]!;
      changed = tighten(total, sum(lo, inner), sum(hi, inner)) || changed;
      for (const cell of inner) {
        const others = inner.filter((other) => other !== cell);
        changed =
          tighten(cell, lo[total]! - sum(hi, others), hi[total]! - sum(lo, others)) || changed;
      }
      // The "x" cells of a line together are also 0 or at least `threshold` (each is): what
      // the rest of the line leaves for them may fall in the gap, and so bound the rest.
      const xs = inner.filter((i) => shown[i] === 'x');
      if (xs.length < 2) continue;
      const rest = inner.filter((i) => shown[i] !== 'x');
      let low = Math.max(sum(lo, xs), lo[total]! - sum(hi, rest));
      let high = Math.min(sum(hi, xs), hi[total]! - sum(lo, rest));
      if (high < threshold) high = 0;
      if (low > 0 && low < threshold) low = threshold;
      for (const cell of rest) {
        const others = rest.filter((other) => other !== cell);
        changed =
          tighten(cell, lo[total]! - high - sum(hi, others), hi[total]! - low - sum(lo, others)) ||
          changed;
      }
      if (high === 0) for (const cell of xs) changed = tighten(cell, 0, 0) || changed;
    }
  }
  const exposed = shown.findIndex((cell, i) => cell === '<5' && lo[i] === hi[i]);
  return exposed < 0 ? null : exposed;
}
