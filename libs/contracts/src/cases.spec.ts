import {
  allowedTransitions,
  CASE_KINDS,
  CASE_WORKFLOWS,
  caseStatuses,
  pastConsentPending,
} from './cases.js';

describe('case workflows', () => {
  it.each([
    ['sspf', 'concern_raised', ['screening', 'closed']],
    ['sspf', 'plan_active', ['follow_up', 'escalated', 'closed']],
    ['sspf', 'follow_up', ['plan_active', 'escalated', 'closed']],
    ['sspf', 'escalated', []],
    ['sig', 'referral', ['eligibility', 'closed']],
    ['sig', 'review', ['active', 'closed']],
    ['sip', 'plan_agreed', ['follow_up', 'closed']],
    ['sip', 'revised', ['follow_up', 'closed']],
    ['sip', 'closed', []],
  ] as const)('%s from %s may go to %j', (kind, status, expected) => {
    expect(allowedTransitions(kind, status).sort()).toEqual([...expected].sort());
  });

  it('only leads to statuses of the same workflow, and every status is reachable from the start', () => {
    for (const kind of CASE_KINDS) {
      const statuses = caseStatuses(kind);
      const reached = new Set<string>([CASE_WORKFLOWS[kind].initial]);
      let grew = true;
      while (grew) {
        grew = false;
        for (const status of [...reached]) {
          for (const next of allowedTransitions(kind, status)) {
            expect(statuses).toContain(next);
            if (!reached.has(next)) {
              reached.add(next);
              grew = true;
            }
          }
        }
      }
      expect([...reached].sort()).toEqual([...statuses].sort());
    }
  });

  it('knows nothing of another kind’s statuses', () => {
    expect(allowedTransitions('sig', 'plan_active')).toEqual([]);
  });
});

describe('pastConsentPending', () => {
  it('holds from the status after consent_pending on, through the loops of the workflow', () => {
    expect(
      ['referral', 'eligibility', 'consent_pending', 'joint_decision', 'active', 'review'].map(
        (status) => pastConsentPending('sig', status),
      ),
    ).toEqual([false, false, false, true, true, true]);
    expect(
      ['need_identified', 'consent_pending', 'called', 'plan_agreed', 'revised'].map((status) =>
        pastConsentPending('sip', status),
      ),
    ).toEqual([false, false, true, true, true]);
  });

  it('does not hold for a closed case or a status of another workflow', () => {
    expect(pastConsentPending('sig', 'closed')).toBe(false);
    expect(pastConsentPending('sip', 'joint_decision')).toBe(false);
  });
});
