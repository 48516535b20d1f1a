/**
 * Small-count suppression for tables of counts (statistics leave no one identifiable). A count
 * of 1–4 is shown as "<5" (primary suppression). Every row and every column of a table, margins
 * included, is an equation (the cells add up to the total); a line with exactly one hidden member
 * would give it away by subtraction, so another member of that line is hidden too, "x"
 * (complementary suppression: the smallest count of the line, inner cells first), until no line
 * has exactly one hidden member.
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

/**
 * The table with margins, each cell a count, "<5" or "x". `hideTotal` hides the grand total from
 * the start (when another published table shows the same total hidden); `alsoHide` marks cells
 * (margins included) to hide from the start (when another view of the same counts would give
 * them away by difference).
 */
export function suppress(
  counts: readonly (readonly number[])[],
  columns: number,
  options: {
    hideTotal?: boolean;
    threshold?: number;
    alsoHide?: readonly (readonly boolean[])[];
  } = {},
): ShownCount[][] {
  const threshold = options.threshold ?? SUPPRESSION_THRESHOLD;
  const full = withMargins(counts, columns);
  const lastRow = full.length - 1;
  const lastColumn = columns;
  const shown: ShownCount[][] = full.map((row) =>
    row.map((n) => (n > 0 && n < threshold ? '<5' : n)),
  );
  if (options.hideTotal && typeof shown[lastRow]![lastColumn] === 'number') {
    shown[lastRow]![lastColumn] = 'x';
  }
  // Cells (margins included) another published table obliges this one to hide.
  options.alsoHide?.forEach((row, r) =>
    row.forEach((hide, c) => {
      if (hide && typeof shown[r]?.[c] === 'number') shown[r][c] = 'x';
    }),
  );
  const lines: [number, number][][] = [
    ...full.map((row, r) => row.map((_, c): [number, number] => [r, c])),
    ...Array.from({ length: columns + 1 }, (_, c) => full.map((_, r): [number, number] => [r, c])),
  ];
  const hidden = ([r, c]: [number, number]) => typeof shown[r]![c] === 'string';
  const isMargin = ([r, c]: [number, number]) => r === lastRow || c === lastColumn;
  /** Hides the cell of the line that costs least: inner before margins, then the smallest. */
  const hideOneMore = (line: [number, number][]): boolean => {
    const candidates = line
      .filter((cell) => !hidden(cell))
      .sort((a, b) => {
        const margin = Number(isMargin(a)) - Number(isMargin(b));
        return margin || full[a[0]]![a[1]]! - full[b[0]]![b[1]]!;
      });
    const cell = candidates[0];
    if (!cell) return false;
    shown[cell[0]]![cell[1]] = 'x';
    return true;
  };
  for (;;) {
    // Complementary suppression: no line with exactly one hidden member.
    for (let changed = true; changed;) {
      changed = false;
      for (const line of lines) {
        if (line.filter(hidden).length !== 1) continue;
        const candidates = line
          .filter((cell) => !hidden(cell))
          .sort(([r1, c1], [r2, c2]) => {
            const margin1 = r1 === lastRow || c1 === lastColumn ? 1 : 0;
            const margin2 = r2 === lastRow || c2 === lastColumn ? 1 : 0;
            const zero1 = full[r1]![c1] === 0 ? 1 : 0;
            const zero2 = full[r2]![c2] === 0 ? 1 : 0;
            return margin1 - margin2 || zero1 - zero2 || full[r1]![c1]! - full[r2]![c2]!;
          });
        const [r, c] = candidates[0]!;
        shown[r]![c] = 'x';
        changed = true;
      }
    }
    // Audit: what a reader can work out from the lines together, knowing that a "<5" is 1–4 and
    // an "x" is 0 or 5 or more. A small count pinned down to one value is given away: hide one
    // more cell of a line through it, and look again.
    const exposed = pinnedDown(shown, lines, threshold);
    if (!exposed) return shown;
    // A line through it; when those are hidden whole, a line through one of their cells; at
    // last any line: the shown counts that let the reader work it out are somewhere nearby.
    const meets = (line: [number, number][], cells: [number, number][]) =>
      line.some(([r, c]) => cells.some(([r2, c2]) => r === r2 && c === c2));
    const through = lines.filter((line) => meets(line, [exposed]));
    const near = lines.filter((line) => through.some((other) => meets(line, other)));
    // With nothing left to hide the marks themselves give it away: the table is withheld.
    if (!through.some(hideOneMore) && !near.some(hideOneMore) && !lines.some(hideOneMore))
      return shown.map((row) => row.map((): ShownCount => 'x'));
  }
}

/**
 * The first "<5" cell whose value follows from the shown table, or null. Each line says that its
 * inner cells add up to its total; the bounds of every cell are narrowed by every line until
 * nothing changes (an "x" that cannot reach `threshold` must be 0; one above 0 is at least
 * `threshold`).
 */
function pinnedDown(
  shown: ShownCount[][],
  lines: [number, number][][],
  threshold: number,
): [number, number] | null {
  const lo = shown.map((row) =>
    row.map((cell) => (typeof cell === 'number' ? cell : cell === '<5' ? 1 : 0)),
  );
  const hi = shown.map((row) =>
    row.map((cell) => (typeof cell === 'number' ? cell : cell === '<5' ? threshold - 1 : Infinity)),
  );
  const tighten = ([r, c]: [number, number], low: number, high: number): boolean => {
    let changed = false;
    if (low > lo[r]![c]!) {
      lo[r]![c] = low;
      changed = true;
    }
    if (high < hi[r]![c]!) {
      hi[r]![c] = high;
      changed = true;
    }
    if (shown[r]![c] === 'x') {
      // Never 1 to threshold − 1 (that would have been "<5").
      if (hi[r]![c]! < threshold && hi[r]![c] !== 0) {
        hi[r]![c] = 0;
        changed = true;
      }
      if (lo[r]![c]! > 0 && lo[r]![c]! < threshold) {
        lo[r]![c] = threshold;
        changed = true;
      }
    }
    return changed;
  };
  for (let round = 0, changed = true; changed && round < 100; round += 1) {
    changed = false;
    for (const line of lines) {
      const inner = line.slice(0, -1);
      const total = line[line.length - 1]!;
      const sum = (bound: number[][], cells: [number, number][]) =>
        cells.reduce((acc, [r, c]) => acc + bound[r]![c]!, 0);
      changed = tighten(total, sum(lo, inner), sum(hi, inner)) || changed;
      for (const cell of inner) {
        const others = inner.filter((other) => other !== cell);
        changed =
          tighten(
            cell,
            lo[total[0]]![total[1]]! - sum(hi, others),
            hi[total[0]]![total[1]]! - sum(lo, others),
          ) || changed;
      }
      // The "x" cells of a line together are also 0 or at least `threshold` (each is): what
      // the rest of the line leaves for them may fall in the gap, and so bound the rest.
      const xs = inner.filter(([r, c]) => shown[r]![c] === 'x');
      if (xs.length < 2) continue;
      const rest = inner.filter(([r, c]) => shown[r]![c] !== 'x');
      let low = Math.max(sum(lo, xs), lo[total[0]]![total[1]]! - sum(hi, rest));
      let high = Math.min(sum(hi, xs), hi[total[0]]![total[1]]! - sum(lo, rest));
      if (high < threshold) high = 0;
      if (low > 0 && low < threshold) low = threshold;
      for (const cell of rest) {
        const others = rest.filter((other) => other !== cell);
        changed =
          tighten(
            cell,
            lo[total[0]]![total[1]]! - high - sum(hi, others),
            hi[total[0]]![total[1]]! - low - sum(lo, others),
          ) || changed;
      }
      if (high === 0) for (const cell of xs) changed = tighten(cell, 0, 0) || changed;
    }
  }
  for (const [r, row] of shown.entries()) {
    for (const [c, cell] of row.entries()) {
      if (cell === '<5' && lo[r]![c] === hi[r]![c]) return [r, c];
    }
  }
  return null;
}
