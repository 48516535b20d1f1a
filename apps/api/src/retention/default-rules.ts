import type { RetentionAction, RetentionRecordType } from '@samverka/contracts';
import type { EntityManager } from 'typeorm';

/**
 * The demo municipality's retention periods. PLACEHOLDERS: each municipality sets its own from its
 * archive plan (dokumenthanteringsplan) and the statutes behind it; nothing here is a legal claim.
 */
export const DEFAULT_RETENTION_RULES: Record<
  RetentionRecordType,
  { period: string; action: RetentionAction }
> = {
  closed_case: { period: 'P5Y', action: 'delete' },
  case_message: { period: 'P2Y', action: 'anonymise' },
  notice: { period: 'P1Y', action: 'delete' },
  concern_not_opened: { period: 'P5Y', action: 'delete' },
  concern_investigated: { period: 'P5Y', action: 'delete' },
};

export async function seedRetentionRules(
  manager: EntityManager,
  municipalityId: string,
): Promise<void> {
  for (const [recordType, rule] of Object.entries(DEFAULT_RETENTION_RULES)) {
    await manager.query(
      `INSERT INTO retention_rule (municipality_id, record_type, period, action)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [municipalityId, recordType, rule.period, rule.action],
    );
  }
}
