import type { LegalBasisResponse } from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';

/**
 * Asks to add a statutory basis to the catalogue (as `client`): social services to the police,
 * with a harm assessment, unless `fields` say otherwise. Answers the response, refused or not.
 */
export function postLegalBasis(client: ApiClient, fields: Record<string, unknown>) {
  return client.post<LegalBasisResponse>('/api/v1/legal-bases', {
    title: 'Egen grund',
    citation: 'Citat ur lagen',
    fromAgencies: ['social_services'],
    toAgencies: ['police'],
    requiresHarmAssessment: true,
    ...fields,
  });
}
