import type { AgencyType, Role } from '@samverka/contracts';

/** Who is asking: everything the policy needs to know about the caller, loaded once per version. */
export interface Principal {
  userId: string;
  municipalityId: string;
  unitId: string;
  agency: AgencyType;
  /** The unit's area and any further areas the user works in. */
  areaIds: readonly string[];
  roles: readonly Role[];
  /** Protected people this user is explicitly cleared for (for good, or on emergency access). */
  clearedPersonIds: readonly string[];
  /**
   * Those of `clearedPersonIds` the user sees only on emergency access (nödåtkomst), for a while:
   * they see the person in full, but change nothing of them (their protection least of all).
   */
  emergencyPersonIds?: readonly string[];
}
