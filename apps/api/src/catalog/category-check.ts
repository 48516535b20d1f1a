import type { EntityManager } from 'typeorm';
import { fieldError } from '../common/problems.js';

/** 400 unless `code` is one of the municipality's information categories (naming them). */
export async function requireCategory(
  manager: EntityManager,
  municipalityId: string,
  code: string,
  field = 'category',
): Promise<void> {
  const codes = await manager.query<{ code: string }[]>(
    'SELECT code FROM information_category WHERE municipality_id = $1 ORDER BY code',
    [municipalityId],
  );
  if (!codes.some((row) => row.code === code)) {
    throw fieldError(field, `unknown category; one of: ${codes.map((row) => row.code).join(', ')}`);
  }
}
