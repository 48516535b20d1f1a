import { accessibleWhere, MESSAGE_SQL_FIELDS, type Action } from '@samverka/authz';
import { STAFF_ROLES, type AgencyType, type MessageResponse } from '@samverka/contracts';
import type { Actor } from '../common/actor.js';
import type { SqlParams } from '../common/sql-params.js';
import { consentsCoveringSql } from '../sharing/consent-basis.js';

export interface MessageRow {
  id: string;
  case_id: string;
  person_id: string;
  seq: number;
  client_id: string;
  body: string;
  category: string;
  reply_to_id: string | null;
  author_user_id: string;
  author_name: string;
  author_agency: AgencyType;
  seen_by: string[];
  created_at: Date;
}

export const MESSAGE_FROM =
  'case_message m JOIN collab_case k ON k.id = m.case_id JOIN app_user u ON u.id = m.author_user_id';

/** Messages (`case_message m JOIN collab_case k`) the actor may `action`, in their municipality. */
export function messageWhere(actor: Actor, action: Action, params: SqlParams): string {
  const tenant = `m.municipality_id = ${params.bind(actor.principal.municipalityId)}`;
  return `${tenant} AND ${accessibleWhere(actor.ability, action, 'CaseMessage', MESSAGE_SQL_FIELDS, params.bind)}`;
}

/**
 * The members of a case who may see a message of a category written by an agency right now (SQL
 * expressions for each): the same rules as the policy's `CaseMessage` read, from the message's
 * side (who may see it, rather than what may this user see). The realtime test proves they agree.
 */
export const messageRecipientsSql = (on: {
  caseId: string;
  municipalityId: string;
  authorAgency: string;
  category: string;
}) => `
  WITH in_force AS MATERIALIZED (
    -- each of the case's consents for the category is evaluated once, not once per member
    SELECT c.scope_agencies, c.scope_unit_ids FROM consent c
    WHERE c.case_id = ${on.caseId} AND ${on.category} = ANY(c.scope_categories)
      AND consent_in_force(c.id, now()))
  SELECT u.id FROM case_member cm
    JOIN app_user u ON u.id = cm.user_id
    JOIN unit un ON un.id = u.unit_id
  WHERE cm.case_id = ${on.caseId} AND u.municipality_id = ${on.municipalityId} AND u.status = 'active'
    AND u.roles && '{${STAFF_ROLES.join(',')}}'::varchar[]
    AND (un.agency = ${on.authorAgency} OR EXISTS (
      SELECT 1 FROM in_force c
      WHERE un.agency = ANY(c.scope_agencies) OR u.unit_id = ANY(c.scope_unit_ids)))`;

/** The members who may see a message of `case_message m` now (as `messageRecipientsSql`). */
const messageRecipients = () =>
  messageRecipientsSql({
    caseId: 'm.case_id',
    municipalityId: 'm.municipality_id',
    authorAgency: 'm.author_agency',
    category: 'm.category',
  });

/**
 * Seen by: the members who may see the message now and have read up to it or beyond, unless
 * their read passed it while it was hidden from them (`message_unseen`).
 */
export const MESSAGE_COLUMNS = `m.id, m.case_id, k.person_id, m.seq, m.client_id, m.body, m.category, m.reply_to_id,
  m.author_user_id, u.display_name AS author_name, m.author_agency, m.created_at,
  COALESCE((SELECT array_agg(r.user_id::text ORDER BY r.user_id) FROM message_read r
    WHERE r.case_id = m.case_id AND r.seq >= m.seq
      AND NOT EXISTS (SELECT 1 FROM message_unseen x
        WHERE x.case_id = m.case_id AND x.user_id = r.user_id AND x.seq = m.seq)
      AND r.user_id IN (${messageRecipients()})), '{}') AS seen_by`;

/** The members who may see the message `seq` of case `$1`: who is told someone read up to it. */
export const MESSAGE_AUDIENCE_SQL = `SELECT a.id AS user_id FROM case_message m,
  LATERAL (${messageRecipients()}) a WHERE m.case_id = $1 AND m.seq = $2`;

export const presentMessage = (row: MessageRow): MessageResponse => ({
  id: row.id,
  caseId: row.case_id,
  seq: row.seq,
  clientId: row.client_id,
  body: row.body,
  category: row.category,
  replyToId: row.reply_to_id,
  authorUserId: row.author_user_id,
  authorName: row.author_name,
  authorAgency: row.author_agency,
  seenBy: row.seen_by,
  createdAt: row.created_at.toISOString(),
});

/**
 * The legal basis on which message `m` reaches the actor now: none for their own agency's, else
 * the consents in force that cover them for its category (OSL 12:2). A read is audited with it,
 * as an entry's is.
 */
export function messageBasisSql(actor: Actor, params: SqlParams): string {
  return `CASE WHEN m.author_agency = ${params.bind(actor.principal.agency)} THEN NULL
    ELSE ${consentsCoveringSql(actor, params, 'm.case_id', 'm.category')} END`;
}
