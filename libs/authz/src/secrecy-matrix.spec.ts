import { readFileSync } from 'node:fs';
import { ROLES, STAFF_ROLES, type Role } from '@samverka/contracts';
import { defineAbilityFor } from './policy.js';
import { renderSecrecyMatrix } from './secrecy-matrix.js';
import { SUBJECTS, type SubjectType } from './subjects.js';

const rendered = renderSecrecyMatrix();

/** The text of the `## \`type\`` section, up to the next section. */
function sectionOf(type: SubjectType): string {
  const start = rendered.indexOf(`\n## \`${type}\``);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = rendered.indexOf('\n## ', start + 1);
  return rendered.slice(start, end === -1 ? undefined : end);
}

const cellsOf = (line: string) =>
  line
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim());

/** The rows of the section's tables whose header starts with `first`, keyed by column name. */
function rowsOf(type: SubjectType, first = 'Scenario'): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  let header: string[] | null = null;
  for (const line of sectionOf(type).split('\n')) {
    if (!line.startsWith('|')) {
      header = null;
      continue;
    }
    const cells = cellsOf(line);
    if (header === null) {
      header = cells[0] === first ? cells : [];
      continue;
    }
    if (header.length === 0 || /^:?-+:?$/.test(cells[0] ?? '')) continue;
    const names = header;
    rows.push(Object.fromEntries(cells.map((cell, column) => [names[column] ?? '', cell])));
  }
  return rows;
}

/** The access rows (with an `Action` column) of `type` whose scenario contains `label`. */
function accessRows(type: SubjectType, label: string): Record<string, string>[] {
  const rows = rowsOf(type).filter((row) => 'Action' in row && row.Scenario?.includes(label));
  expect(rows.length).toBeGreaterThan(0);
  return rows;
}

const rolesAllowed = (row: Record<string, string>): Role[] =>
  ROLES.filter((role) => row[role] === '✓');

describe('renderSecrecyMatrix', () => {
  it('is deterministic and carries no dates or times', () => {
    expect(renderSecrecyMatrix()).toBe(rendered);
    expect(rendered).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}/);
    expect(rendered).toContain('npm run secrecy-matrix');
  });

  it('has a section for every subject and a column for every role', () => {
    for (const type of SUBJECTS) {
      const [row] = rowsOf(type);
      expect(Object.keys(row ?? {})).toEqual(['Scenario', 'Action', ...ROLES]);
    }
  });

  it('shows every action the policy grants any role, under its subject', () => {
    for (const role of ROLES) {
      const ability = defineAbilityFor({
        userId: 'u',
        municipalityId: 'm',
        unitId: 'n',
        agency: 'school',
        areaIds: [],
        roles: [role],
        clearedPersonIds: [],
      });
      for (const rule of ability.rules.filter((candidate) => !candidate.inverted)) {
        for (const type of [rule.subject ?? []].flat() as SubjectType[]) {
          const actions = new Set(rowsOf(type).map((row) => row.Action));
          for (const action of [rule.action].flat()) {
            expect({ type, action, shown: actions.has(`\`${action}\``) }).toEqual({
              type,
              action,
              shown: true,
            });
          }
        }
      }
    }
  });

  it('refuses every role an entry whose consent was revoked or expired', () => {
    for (const row of accessRows('CaseEntry', 'revoked or expired')) {
      expect(rolesAllowed(row)).toEqual([]);
    }
  });

  it('lets every staff role read an entry disclosed to its agency, but not disclose it further', () => {
    const rows = accessRows('CaseEntry', 'disclosed to my agency on a basis that holds now');
    const read = rows.find((row) => row.Action === '`read`');
    expect(read && rolesAllowed(read)).toEqual([...STAFF_ROLES]);
    const disclose = rows.find((row) => row.Action === '`disclose`');
    expect(disclose && rolesAllowed(disclose)).toEqual([]);
  });

  it('opens the cases of an area to its coordinators only', () => {
    for (const row of accessRows('CaseEntry', 'a case of my area')) {
      expect(rolesAllowed(row)).toEqual(['coordinator']);
    }
    for (const row of accessRows('Case', 'A case of my area')) {
      expect(rolesAllowed(row)).toEqual(['coordinator']);
    }
  });

  it('gives the auditor and the admin no case entry at all', () => {
    for (const row of rowsOf('CaseEntry')) {
      expect([row.auditor, row.admin]).toEqual(['–', '–']);
    }
  });

  it('masks a protected identity for every staff user not cleared, and only for them', () => {
    const masking = rowsOf('Person').filter((row) => !('Action' in row));
    const notCleared = masking.find((row) =>
      row.Scenario?.includes('linked to my agency, I am not cleared'),
    );
    const cleared = masking.find((row) => row.Scenario?.includes('I am cleared for them'));
    for (const role of STAFF_ROLES) {
      expect([notCleared?.[role], cleared?.[role]]).toEqual(['identity', 'none']);
    }
    expect([notCleared?.auditor, notCleared?.admin]).toEqual(['–', '–']);
  });
});

describe('docs/secrecy-matrix.md', () => {
  it('is what the policy renders now (regenerate it with `npm run secrecy-matrix`)', () => {
    const file = readFileSync(new URL('../../../docs/secrecy-matrix.md', import.meta.url), 'utf8');
    expect(file).toBe(rendered);
  });
});
