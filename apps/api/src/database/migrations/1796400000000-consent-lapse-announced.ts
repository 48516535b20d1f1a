import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The day a consent's lapse by a birthday was announced (the young person reached the age from
 * which their own consent is needed, or 18): each lapse is told to the case's members once, by
 * whichever replica gets there first.
 */
export class ConsentLapseAnnounced1796400000000 implements MigrationInterface {
  name = 'ConsentLapseAnnounced1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "consent" ADD "lapse_announced_on" date');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "consent" DROP COLUMN "lapse_announced_on"');
  }
}
