import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Who must consent, as `consent_required_parties` answers it (see CasesAndSharing1795436054090). */
const requiredParties = (
  youthAge: string,
) => `CREATE OR REPLACE FUNCTION consent_required_parties(p_consent uuid, p_at timestamptz)
      RETURNS TABLE (person_id uuid, role text)
      LANGUAGE sql STABLE AS $$
        WITH c AS (
          SELECT y.id AS youth_id, y.birth_date, ${youthAge} AS youth_consent_age,
                 (p_at AT TIME ZONE 'Europe/Stockholm')::date AS today
          FROM consent c
          JOIN collab_case k ON k.id = c.case_id
          JOIN person y ON y.id = k.person_id
          JOIN municipal_settings s ON s.municipality_id = k.municipality_id
          WHERE c.id = p_consent
        )
        SELECT c.youth_id, 'young_person' FROM c
        WHERE c.birth_date IS NULL
           OR c.birth_date <= c.today - make_interval(years => LEAST(c.youth_consent_age, 18))
        UNION ALL
        SELECT g.guardian_id, 'guardian' FROM c
        JOIN person_guardian g ON g.child_id = c.youth_id AND g.custody
        WHERE c.birth_date IS NULL OR c.birth_date > c.today - interval '18 years'
      $$`;

/**
 * A consent keeps the municipality's youth consent age it was recorded under, and the young
 * person's own consent is needed from the lower of that and today's setting. Raising the setting
 * no longer brings into force a consent recorded without a young person whose consent was needed
 * then; lowering it still asks more young people (fails closed). A trigger fills the age in.
 */
export class ConsentYouthAge1796380000000 implements MigrationInterface {
  name = 'ConsentYouthAge1796380000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "consent" ADD "youth_consent_age" smallint');
    await queryRunner.query(
      `UPDATE "consent" c SET "youth_consent_age" = s.youth_consent_age
       FROM municipal_settings s WHERE s.municipality_id = c.municipality_id`,
    );
    await queryRunner.query('ALTER TABLE "consent" ALTER COLUMN "youth_consent_age" SET NOT NULL');
    await queryRunner.query(`CREATE FUNCTION consent_youth_age_recorded() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.youth_consent_age IS NULL THEN
          SELECT s.youth_consent_age INTO NEW.youth_consent_age
          FROM municipal_settings s WHERE s.municipality_id = NEW.municipality_id;
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER consent_youth_age_recorded BEFORE INSERT ON consent
      FOR EACH ROW EXECUTE FUNCTION consent_youth_age_recorded()`);
    await queryRunner.query(requiredParties('LEAST(c.youth_consent_age, s.youth_consent_age)'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(requiredParties('s.youth_consent_age'));
    await queryRunner.query('DROP TRIGGER consent_youth_age_recorded ON consent');
    await queryRunner.query('DROP FUNCTION consent_youth_age_recorded()');
    await queryRunner.query('ALTER TABLE "consent" DROP COLUMN "youth_consent_age"');
  }
}
