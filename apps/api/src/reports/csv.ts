import type { FollowUpReportResponse } from '@samverka/contracts';

const quote = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",;\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The overview as CSV (RFC 4180, comma-separated): each table under its title, then the legend. */
export function overviewCsv(report: FollowUpReportResponse): string {
  const lines: string[] = [[quote('Period'), quote(report.from), quote(report.to)].join(',')];
  for (const table of report.tables) {
    lines.push('', quote(table.title), ['', ...table.columns].map(quote).join(','));
    table.rows.forEach((row, r) => {
      lines.push([row, ...(table.cells[r] ?? [])].map(quote).join(','));
    });
  }
  lines.push('', quote(report.legend));
  return `${lines.join('\r\n')}\r\n`;
}
