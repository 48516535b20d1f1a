import { type AgencyType, type FieldError, type Provider } from '@samverka/contracts';

/** What a SIP must state before it is agreed (SoL 2:7 / HSL 16:4); empty when complete. */
export function sipMissing(plan: {
  actions: { id: string; what: string; provider: string | null }[];
  otherMeasures: string | null;
  overallResponsibleUserId: string | null;
  followUpDate: string | null;
}): FieldError[] {
  const missing: FieldError[] = [];
  if (plan.actions.length === 0) {
    missing.push({
      field: 'actions',
      reasons: ['the interventions needed: add at least one action'],
    });
  } else {
    const unprovided = plan.actions.filter((action) => action.provider === null);
    if (unprovided.length > 0)
      missing.push({
        field: 'actions.provider',
        reasons: [
          `which principal (municipality, region) provides each intervention: not yet for ${unprovided
            .map((action) => `"${action.what}" (${action.id})`)
            .join(', ')}`,
        ],
      });
  }
  if (!plan.otherMeasures?.trim()) {
    missing.push({ field: 'otherMeasures', reasons: ['measures taken by others'] });
  }
  if (!plan.overallResponsibleUserId) {
    missing.push({
      field: 'overallResponsibleUserId',
      reasons: ['who holds overall responsibility'],
    });
  }
  if (!plan.followUpDate) missing.push({ field: 'followUpDate', reasons: ['the follow-up date'] });
  return missing;
}

/** Whole years from `birthDate` to `today` (both YYYY-MM-DD calendar dates). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** Within the municipality's SIG age range (inclusive); unknown age is not within it. */
export function withinSigRange(age: number | null, minAge: number, maxAge: number): boolean {
  return age !== null && age >= minAge && age <= maxAge;
}

/**
 * The principal (huvudman) that provides what a unit of `agency` does: the region for health
 * (BUP), the municipality for school, social services and leisure, someone else (the state) for
 * the police. A SIP states which principal provides each intervention (SoL 2:7 / HSL 16:4).
 */
export function principalOf(agency: AgencyType): Provider {
  if (agency === 'health') return 'region';
  if (agency === 'police') return 'other';
  return 'municipality';
}
