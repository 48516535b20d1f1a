import type { DataSource } from 'typeorm';

/** Concern reports generated over the demo municipality's youths (a year of a large district). */
export const CONCERN_REPORTS = 100_000;

/**
 * Files `count` concern reports, set-based in one statement, received over the last 365 days
 * across both areas, about the youths the authz bench data registered, in every state of the
 * workflow: a tenth still in preliminary assessment, four tenths not opened, three tenths
 * investigated (closed within or after four months, some still running, some extended), a tenth
 * declined (half followed up) and a tenth joined to a running investigation.
 */
export async function generateConcernReports(
  dataSource: DataSource,
  municipalityId: string,
  count = CONCERN_REPORTS,
): Promise<number> {
  const started = performance.now();
  await dataSource.query(
    `WITH kids AS (
       SELECT array_agg(id ORDER BY id) AS ids FROM person
       WHERE municipality_id = $1 AND school IS NOT NULL),
     social AS (
       SELECT array_agg(u.id ORDER BY a.name) AS units, array_agg(a.id ORDER BY a.name) AS areas
       FROM unit u JOIN area a ON a.id = u.area_id
       WHERE u.municipality_id = $1 AND u.agency = 'social_services'),
     reporter AS (SELECT id, unit_id FROM app_user WHERE email = 'skola@demo.test'),
     handler AS (SELECT id FROM app_user WHERE email = 'socialsekreterare@demo.test'),
     g AS (
       SELECT n, n % 10 AS kind,
              now() - (n % 365) * interval '1 day' - (n % 600) * interval '1 minute' AS received_at
       FROM generate_series(1, $2::int) AS n),
     r AS (
       SELECT g.*, (g.received_at AT TIME ZONE 'Europe/Stockholm')::date AS received_on,
              g.received_at + (g.n % 20) * interval '1 day' AS decided_at,
              g.received_at + (g.n % 20) * interval '1 day' + (60 + g.n % 100) * interval '1 day' AS ended_at
       FROM g)
     INSERT INTO concern_report (
       municipality_id, area_id, receiving_unit_id, person_id, reporter_user_id, reporter_unit_id,
       reporter_agency, observation, observed_at, immediate_danger, guardians_informed, reporter_contact,
       received_at, received_on, status, handler_user_id, deadline_step, deadline_due,
       protection_assessed_at, preliminary_due, preliminary_decided_at, investigation_opened_at,
       investigation_due, investigation_original_due, closed_at, follow_up_due, follow_up_started_at,
       finished_at)
     SELECT $1, social.areas[1 + r.n % 2], social.units[1 + r.n % 2],
            kids.ids[1 + r.n % array_length(kids.ids, 1)], reporter.id, reporter.unit_id, 'school',
            'Genererad orosanmälan', r.received_at, r.n % 17 = 0, 'unknown', '08-000 00',
            r.received_at, r.received_on,
            CASE WHEN r.kind = 0 THEN 'preliminary_assessment'
                 WHEN r.kind <= 4 THEN 'not_opened'
                 WHEN r.kind <= 8 AND r.ended_at > now() THEN 'investigation'
                 WHEN r.kind <= 7 THEN (CASE WHEN r.n % 2 = 0 THEN 'closed_with_intervention'
                                             ELSE 'closed_without_intervention' END)
                 WHEN r.kind = 8 THEN (CASE WHEN r.n % 2 = 0 THEN 'follow_up' ELSE 'closed_declined' END)
                 ELSE 'already_running' END,
            handler.id,
            CASE WHEN r.kind = 0 THEN 'preliminary_assessment'
                 WHEN r.kind BETWEEN 5 AND 8 AND r.ended_at > now() THEN 'investigation' END,
            CASE WHEN r.kind = 0 THEN r.received_on + 14
                 WHEN r.kind BETWEEN 5 AND 8 AND r.ended_at > now()
                   THEN ((r.decided_at + interval '4 months') AT TIME ZONE 'Europe/Stockholm')::date END,
            r.received_at + interval '2 hours', r.received_on + 14,
            CASE WHEN r.kind > 0 THEN r.decided_at END,
            CASE WHEN r.kind BETWEEN 5 AND 8 THEN r.decided_at END,
            CASE WHEN r.kind BETWEEN 5 AND 8 THEN ((r.decided_at + interval '4 months'
              + CASE WHEN r.n % 9 = 0 THEN interval '1 month' ELSE interval '0' END)
              AT TIME ZONE 'Europe/Stockholm')::date END,
            CASE WHEN r.kind BETWEEN 5 AND 8
              THEN ((r.decided_at + interval '4 months') AT TIME ZONE 'Europe/Stockholm')::date END,
            CASE WHEN r.kind BETWEEN 5 AND 8 AND r.ended_at <= now() THEN r.ended_at END,
            CASE WHEN r.kind = 8 AND r.ended_at <= now()
              THEN ((r.ended_at + interval '2 months') AT TIME ZONE 'Europe/Stockholm')::date END,
            CASE WHEN r.kind = 8 AND r.n % 2 = 0 AND r.ended_at <= now()
              THEN r.ended_at + interval '20 days' END,
            CASE WHEN r.kind BETWEEN 1 AND 4 OR r.kind = 9 THEN r.decided_at
                 WHEN r.kind BETWEEN 5 AND 7 AND r.ended_at <= now() THEN r.ended_at END
     FROM r, kids, social, reporter, handler`,
    [municipalityId, count],
  );
  await dataSource.query('ANALYZE concern_report');
  return (performance.now() - started) / 1000;
}
