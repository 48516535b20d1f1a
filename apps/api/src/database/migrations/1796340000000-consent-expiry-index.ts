import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay looks for consents that have just expired on every round (every 100 ms by default):
 * an index on the ones not yet announced nor revoked keeps that from reading the whole table.
 */
export class ConsentExpiryIndex1796340000000 implements MigrationInterface {
  name = 'ConsentExpiryIndex1796340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "consent_expiry_pending_idx" ON "consent" ("valid_until") WHERE expiry_announced_at IS NULL AND revoked_at IS NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."consent_expiry_pending_idx"');
  }
}
