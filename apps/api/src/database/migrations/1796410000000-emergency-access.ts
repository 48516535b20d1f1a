import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emergency access to a protected identity: a clearance a staff member takes themselves, with a
 * reason, that ends by itself (`expires_at`); clearances granted by an administrator or held by
 * whoever registered the person have none.
 */
export class EmergencyAccess1796410000000 implements MigrationInterface {
  name = 'EmergencyAccess1796410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "person_clearance" ADD "expires_at" TIMESTAMP WITH TIME ZONE',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "person_clearance" DROP COLUMN "expires_at"');
  }
}
