import { accessibleWhere, CONCERN_SQL_FIELDS, type Action } from '@samverka/authz';
import type { ConcernStatus, DeadlineStep, GuardiansInformed } from '@samverka/contracts';
import { PERSON_JSON, type PersonRow } from '../cases/case-presenter.js';
import type { Actor } from '../common/actor.js';
import type { SqlParams } from '../common/sql-params.js';
import { protectedVersionSql } from '../people/protected-texts.js';

/** Columns of `concern_report r` for `ConcernRow` (dates as ISO text, never as `Date`s). */
export const CONCERN_COLUMNS = `r.id, r.municipality_id, r.area_id, r.receiving_unit_id, r.person_id,
  r.reporter_user_id, r.reporter_agency, r.status, r.handler_user_id, r.deadline_step,
  r.deadline_due::text AS deadline_due, r.received_at, r.received_on::text AS received_on, r.case_id,
  r.investigation_due::text AS investigation_due`;

export interface ConcernRow {
  id: string;
  municipality_id: string;
  area_id: string;
  receiving_unit_id: string;
  person_id: string;
  reporter_user_id: string;
  reporter_agency: string;
  status: ConcernStatus;
  handler_user_id: string | null;
  deadline_step: DeadlineStep | null;
  deadline_due: string | null;
  received_at: Date;
  received_on: string;
  case_id: string | null;
  investigation_due: string | null;
}

/** A report with everything its views show, gathered by one statement. */
export interface ConcernViewRow extends ConcernRow {
  observation: string;
  observed_at: Date;
  immediate_danger: boolean;
  guardians_informed: GuardiansInformed;
  reporter_contact: string;
  protection_assessed_at: Date | null;
  preliminary_decided_at: Date | null;
  investigation_opened_at: Date | null;
  closed_at: Date | null;
  follow_up_due: string | null;
  person: PersonRow;
  receiving_unit: { id: string; name: string };
  reporter_name: string;
  moves: {
    from_status: ConcernStatus | null;
    to_status: ConcernStatus;
    reason: string | null;
    changed_by: string;
    changed_at: string;
  }[];
  extensions: {
    previous_due: string;
    new_due: string;
    reason: string;
    decided_by: string;
    decided_at: string;
  }[];
  /** The version of the municipality's protected people (`protectedVersionSql`). */
  protected_version: string;
  /** The duty to report, when it bound the reporter's agency: what social services' reads rest on. */
  duty_basis: string | null;
}

/** The basis a report by an agency the duty to report binds rests on (in its audit events). */
export const DUTY_TO_REPORT_BASIS = 'SoL 14:1 (anmälningsskyldighet)';

export const CONCERN_VIEW_COLUMNS = `${CONCERN_COLUMNS}, r.observation, r.observed_at, r.immediate_danger,
  r.guardians_informed, r.reporter_contact, r.protection_assessed_at, r.preliminary_decided_at,
  r.investigation_opened_at, r.closed_at, r.follow_up_due::text AS follow_up_due,
  (SELECT ${PERSON_JSON} FROM person p WHERE p.id = r.person_id) AS person,
  (SELECT json_build_object('id', u.id, 'name', u.name) FROM unit u WHERE u.id = r.receiving_unit_id) AS receiving_unit,
  (SELECT u.display_name FROM app_user u WHERE u.id = r.reporter_user_id) AS reporter_name,
  (SELECT COALESCE(json_agg(json_build_object('previous_due', x.previous_due::text, 'new_due', x.new_due::text,
     'reason', x.reason, 'decided_by', x.decided_by, 'decided_at', x.decided_at) ORDER BY x.decided_at), '[]')
     FROM concern_extension x WHERE x.report_id = r.id) AS extensions,
  (SELECT COALESCE(json_agg(json_build_object('from_status', c.from_status, 'to_status', c.to_status,
     'reason', c.reason, 'changed_by', c.changed_by, 'changed_at', c.changed_at) ORDER BY c.changed_at, c.id), '[]')
     FROM concern_status_change c WHERE c.report_id = r.id) AS moves,
  (SELECT '${DUTY_TO_REPORT_BASIS}' WHERE EXISTS (SELECT 1 FROM legal_basis lb
     WHERE lb.municipality_id = r.municipality_id AND lb.code = 'SoL 14:1'
       AND r.reporter_agency = ANY(lb.from_agencies))) AS duty_basis,
  ${protectedVersionSql('r.municipality_id')} AS protected_version`;

/** The reports (`concern_report r`) the actor may `action`, always within their municipality. */
export function concernWhere(actor: Actor, action: Action, params: SqlParams): string {
  const tenant = `r.municipality_id = ${params.bind(actor.principal.municipalityId)}`;
  return `${tenant} AND ${accessibleWhere(actor.ability, action, 'ConcernReport', CONCERN_SQL_FIELDS, params.bind)}`;
}
