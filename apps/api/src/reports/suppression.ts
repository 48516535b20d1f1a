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
 * the start (when another published table shows the same total hidden).
 */
export function suppress(
  counts: readonly (readonly number[])[],
  columns: number,
  options: { hideTotal?: boolean; threshold?: number } = {},
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
  const lines: [number, number][][] = [
    ...full.map((row, r) => row.map((_, c): [number, number] => [r, c])),
    ...Array.from({ length: columns + 1 }, (_, c) => full.map((_, r): [number, number] => [r, c])),
  ];
  const hidden = ([r, c]: [number, number]) => typeof shown[r]![c] === 'string';
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
  return shown;
}
