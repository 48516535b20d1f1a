import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Disabling an account now ends its calendar feed address for good. Accounts disabled before
 * kept theirs, and enabling them again would bring it back: their addresses end now.
 */
export class DisabledCalendarFeeds1796390000000 implements MigrationInterface {
  name = 'DisabledCalendarFeeds1796390000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM calendar_feed f USING app_user u WHERE u.id = f.user_id AND u.status <> 'active'`,
    );
  }

  async down(): Promise<void> {
    // The addresses are gone (only their hashes were kept): nothing to bring back.
  }
}
