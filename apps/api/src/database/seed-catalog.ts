import { DEFAULT_CATEGORIES, DEFAULT_LEGAL_BASES } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';

/** Gives a new municipality its starting categories and legal bases. */
export async function seedCatalog(manager: EntityManager, municipalityId: string): Promise<void> {
  for (const category of DEFAULT_CATEGORIES) {
    await manager.query(
      'INSERT INTO information_category (municipality_id, code, label) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [municipalityId, category.code, category.label],
    );
  }
  for (const basis of DEFAULT_LEGAL_BASES) {
    await manager.query(
      `INSERT INTO legal_basis (municipality_id, code, title, citation, from_agencies, to_agencies, requires_harm_assessment, person_under_age)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        municipalityId,
        basis.code,
        basis.title,
        basis.citation,
        basis.fromAgencies,
        basis.toAgencies,
        basis.requiresHarmAssessment,
        basis.personUnderAge,
      ],
    );
  }
}
