import { personnummer } from '@samverka/api';
import type { ConsentResponse, PersonResponse, ProtectionLevel } from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';

interface Registered {
  birthDate: string;
  serial: string;
  givenName: string;
  familyName: string;
}

/** A year before and after now, as instants: a consent's validity that holds today. */
export const YEAR_AGO = new Date(Date.now() - 365 * 86400_000).toISOString();
export const NEXT_YEAR = new Date(Date.now() + 365 * 86400_000).toISOString();

/** Registers a person through the API as `client`; fails the test unless created. */
export async function registerPerson(
  client: ApiClient,
  person: Registered & Record<string, unknown>,
): Promise<PersonResponse> {
  const { birthDate, serial, ...rest } = person;
  const created = await client.post<PersonResponse>('/api/v1/people', {
    identityNumber: personnummer(birthDate, serial),
    ...rest,
  });
  expect(created.status).toBe(201);
  return created.body;
}

/**
 * Records, as `client`, a written consent of `parties` (person ids) in case `caseId`, valid from
 * a year ago to a year ahead; `fields` adds to or replaces what is sent (the scope, say).
 */
/** Who consents for a young person under 18: each guardian with custody listed, and themselves. */
export const consentParties = (young: PersonResponse): string[] => [
  ...young.guardians.map((guardian) => guardian.personId!),
  young.id,
];

export const recordConsent = (
  client: ApiClient,
  caseId: string,
  parties: string[],
  fields: Record<string, unknown>,
) =>
  client.post<ConsentResponse>(`/api/v1/cases/${caseId}/consents`, {
    parties: parties.map((personId) => ({ personId })),
    validFrom: YEAR_AGO,
    validUntil: NEXT_YEAR,
    method: 'written',
    ...fields,
  });

/**
 * Registers a guardian, then a young person in the guardian's custody (with `protectionLevel`
 * if given), through the API as `client`; fails the test unless both are created.
 */
export async function registerInCustody(
  client: ApiClient,
  guardian: Registered,
  young: Registered & { protectionLevel?: ProtectionLevel },
): Promise<{ guardian: PersonResponse; young: PersonResponse }> {
  const register = (
    person: Registered & { protectionLevel?: ProtectionLevel },
    extra: Record<string, unknown> = {},
  ) => registerPerson(client, { ...person, ...extra });
  const registeredGuardian = await register(guardian);
  const registeredYoung = await register(young, {
    guardians: [{ personId: registeredGuardian.id, custody: true }],
  });
  return { guardian: registeredGuardian, young: registeredYoung };
}

/** A birth date `years` years and `days` days before today (UTC), as YYYY-MM-DD. */
export function bornYearsAgo(years: number, days = 0): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * Records, through the API as `client`, a consent of `person` and each of their guardians about
 * case `caseId`, in force from yesterday for a year, covering `scope`; fails the test unless it
 * is in force. Returns its id.
 */
export async function consentOfAll(
  client: ApiClient,
  caseId: string,
  person: PersonResponse,
  scope: { agencies: string[]; categories: string[] },
): Promise<string> {
  const recorded = await client.post<{ id: string; inForce: boolean }>(
    `/api/v1/cases/${caseId}/consents`,
    {
      parties: [...person.guardians.map((guardian) => guardian.personId), person.id].map(
        (personId) => ({ personId }),
      ),
      scope,
      validFrom: new Date(Date.now() - 86400_000).toISOString(),
      validUntil: new Date(Date.now() + 365 * 86400_000).toISOString(),
      method: 'written',
    },
  );
  expect(recorded.body.inForce).toBe(true);
  return recorded.body.id;
}
