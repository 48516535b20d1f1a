import { mongoQueryMatcher, type MongoQuery } from '@casl/ability';
import { conditionsMatcher } from './matcher.js';

/** Conditions and records on which the policy's matcher must answer as CASL's own does. */
const CONDITIONS: MongoQuery[] = [
  { caseId: { $in: ['c1', 'c2', 'c3'] } },
  { caseId: { $in: [] } },
  { caseId: { $nin: ['c1', 'c2'] } },
  { caseId: { $nin: [] } },
  { caseUnitIds: { $in: ['u1', 'u9'] } },
  { caseUnitIds: { $nin: ['u1'] } },
  { level: { $in: [1, 2] } },
  { level: { $nin: [1, 2] } },
  { at: { $in: [new Date('2026-01-01T00:00:00Z')] } },
  { municipalityId: 'm1', caseId: { $in: ['c1', 'c4'] }, authorAgency: 'school' },
];

const RECORDS: Record<string, unknown>[] = [
  {},
  { caseId: 'c1' },
  { caseId: 'c4' },
  { caseId: null },
  { caseId: 1 },
  { caseId: ['c2', 'c9'] },
  { caseId: ['c8', 'c9'] },
  { caseUnitIds: [] },
  { caseUnitIds: ['u2', 'u9'] },
  { caseUnitIds: 'u1' },
  { level: 1 },
  { level: '1' },
  { level: 3 },
  { at: new Date('2026-01-01T00:00:00Z') },
  { at: new Date('2026-01-02T00:00:00Z') },
  { at: '2026-01-01T00:00:00.000Z' },
  { municipalityId: 'm1', caseId: 'c4', authorAgency: 'school' },
  { municipalityId: 'm1', caseId: 'c4', authorAgency: 'police' },
  { municipalityId: 'm2', caseId: 'c1', authorAgency: 'school' },
];

describe('the policy’s conditions matcher', () => {
  it.each(CONDITIONS.map((condition) => [JSON.stringify(condition), condition] as const))(
    'answers %s as CASL’s MongoDB matcher does, for every record',
    (_, condition) => {
      const ours = conditionsMatcher(condition);
      const casl = mongoQueryMatcher(condition);
      const answers = RECORDS.map((record) => [record, ours(record), casl(record)]);
      expect(answers.filter(([, a, b]) => a !== b)).toEqual([]);
      // Each condition is exercised both ways by some record (or it matches none, or all).
      expect(answers.some(([, a]) => a) || answers.every(([, a]) => !a)).toBe(true);
    },
  );

  it('keeps answering from an $in list after many checks (its Set is built once)', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `case-${i}`);
    const match = conditionsMatcher({ caseId: { $in: ids } });
    expect(ids.every((caseId) => match({ caseId }))).toBe(true);
    expect(match({ caseId: 'case-100' })).toBe(false);
    expect(match({ caseId: ['case-100', 'case-99'] })).toBe(true);
  });
});
