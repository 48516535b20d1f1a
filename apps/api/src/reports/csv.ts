import type { FollowUpReportResponse } from '@samverka/contracts';

/**
 * A cell as text. Text that a spreadsheet would take for a formula (it starts with = + - @, a tab
 * or a carriage return: an area named `=HYPERLINK(…)`) is given a leading apostrophe, which shows
 * it as the text it is (OWASP's advice against CSV injection); numbers are left as they are.
 */
export const quote = (value: string | number | null) => {
  const raw = value === null ? '' : String(value);
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",;\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The overview as CSV (RFC 4180, comma-separated): each table under its title, then the legend. */
export function overviewCsv(report: FollowUpReportResponse): string {
  const lines: string[] = [[quote('Period'), quote(report.from), quote(report.to)].join(',')];
  if (report.areaName) lines.push([quote('Område'), quote(report.areaName)].join(','));
  for (const table of report.tables) {
    lines.push('', quote(table.title), ['', ...table.columns].map(quote).join(','));
    table.rows.forEach((row, r) => {
      lines.push([row, ...(table.cells[r] ?? [])].map(quote).join(','));
    });
  }
  lines.push('', quote(report.legend));
  return `${lines.join('\r\n')}\r\n`;
}
