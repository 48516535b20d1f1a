import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { accessibleWhere, NOTICE_SQL_FIELDS } from '@samverka/authz';
import {
  STAFF_ROLES,
  type AccessChangeReason,
  type AgencyType,
  type CreateNoticeRequest,
  type NoticeResponse,
  type Page,
  type PageQuery,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { findCase, userMayKnowCaseSql } from '../cases/case-access.js';
import { caseWhere } from '../cases/case-query.js';
import type { Actor } from '../common/actor.js';
import { decodeCursor, pageSize, toPage } from '../common/pagination.js';
import { conflict, fieldError, namesPersonError, notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { consentsBasis } from '../sharing/consent-basis.js';
import { assertWithinBasisAge, BASIS_AGE_COLUMNS, basisCodeIs } from '../catalog/basis-age.js';
import { OutboxService } from '../outbox/outbox.service.js';
import {
  identityNumbersIn,
  looksLikeIdentityNumber,
  namesRegisterPerson,
} from '../common/identifying-text.js';
import { RealtimeService } from '../realtime/realtime.service.js';

/** The category a notice about a person counts as when a consent must cover it. */
const NOTICE_CATEGORY = 'police_observation';

/**
 * Whether a consent notice `n` still reaches a reader of `agency` and `unit` (SQL): while one of
 * the consents it rested on when posted is in force and covers them for the category, as a
 * disclosed entry rests on its consent. A consent recorded after it was posted does not bring it
 * back: the police decide to share anew (found by a black-box probe: a later consent silently
 * brought a withdrawn notice back).
 */
const consentOfNoticeCovers = (agency: string, unit: string) => `EXISTS (SELECT 1 FROM consent c
  WHERE c.id = ANY(n.consent_ids) AND '${NOTICE_CATEGORY}' = ANY(c.scope_categories)
    AND (${agency} = ANY(c.scope_agencies) OR ${unit} = ANY(c.scope_unit_ids))
    AND consent_in_force(c.id, now()))`;

/**
 * Whether notice `n` still reaches user `u` (of unit `un`), as `where()` decides for a reader: a
 * notice about no one does; one about a person only while they may know its case and its basis
 * holds for them (a statute, their agency wrote it, or a consent it rests on covers them).
 */
const noticeReachesSql = `(n.case_id IS NULL OR (${userMayKnowCaseSql('n.case_id')}
  AND (n.legal_basis IS DISTINCT FROM 'consent'
       OR (SELECT aun.agency FROM app_user au JOIN unit aun ON aun.id = au.unit_id WHERE au.id = n.author_user_id) = un.agency
       OR ${consentOfNoticeCovers('un.agency', 'un.id')})))`;

/** Recipients `r` of notice `n` it still reaches who have not acknowledged it. */
const stillUnacknowledged = `SELECT 1 FROM notice_recipient r JOIN app_user u ON u.id = r.user_id
  LEFT JOIN unit un ON un.id = u.unit_id
  WHERE r.notice_id = n.id AND NOT r.by_escalation AND r.acknowledged_at IS NULL
    AND u.status = 'active' AND ${noticeReachesSql}`;

const STAFF = `'{${STAFF_ROLES.join(',')}}'::varchar[]`;

interface NoticeRow {
  id: string;
  kind: NoticeResponse['kind'];
  title: string;
  body: string;
  area_ids: string[];
  agencies: AgencyType[];
  case_id: string | null;
  person_id: string | null;
  legal_basis: string | null;
  consent_ids: string[] | null;
  harm_assessment: string | null;
  author_user_id: string;
  author_name: string;
  ack_required: boolean;
  expires_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged: number;
  recipients: number;
  created_at: Date;
}

/**
 * A notice's legal basis as its audit events record it: its statute's code, or on consent the
 * consents it rests on (`OSL 12:2 samtycke <id>`, as for a disclosed entry).
 */
const auditBasis = (basis: string | null, consentIds: string[] | null): string | undefined =>
  basis === 'consent' && consentIds?.length ? consentsBasis(consentIds) : (basis ?? undefined);

const NOTICE_COLUMNS = (
  me: string,
) => `n.id, n.kind, n.title, n.body, n.area_ids, n.agencies, n.case_id,
  (SELECT k.person_id FROM collab_case k WHERE k.id = n.case_id) AS person_id, n.legal_basis, n.consent_ids, n.harm_assessment,
  n.author_user_id, a.display_name AS author_name, n.ack_required, n.expires_at, n.created_at,
  (SELECT r.acknowledged_at FROM notice_recipient r WHERE r.notice_id = n.id AND r.user_id = ${me}) AS acknowledged_at,
  (SELECT count(*) FROM notice_recipient r WHERE r.notice_id = n.id AND NOT r.by_escalation AND r.acknowledged_at IS NOT NULL)::int AS acknowledged,
  (SELECT count(*) FROM notice_recipient r WHERE r.notice_id = n.id AND NOT r.by_escalation)::int AS recipients`;

/**
 * Police notices: to chosen areas and agency types, about places and events (`area`: nothing
 * that identifies a person) or about a case's young person (`person`: on a legal basis).
 */
@Injectable()
export class NoticesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly realtime: RealtimeService,
  ) {}

  async create(actor: Actor, request: CreateNoticeRequest): Promise<NoticeResponse> {
    const { municipalityId, userId, unitId } = actor.principal;
    const { notice, recipients } = await this.dataSource.transaction(async (manager) => {
      const areas = await manager.query<{ id: string }[]>(
        'SELECT id FROM area WHERE id = ANY($1::uuid[]) AND municipality_id = $2',
        [request.areaIds, municipalityId],
      );
      if (areas.length !== request.areaIds.length)
        throw fieldError('areaIds', 'every area must be an area of your municipality');
      if (request.expiresAt && new Date(request.expiresAt).getTime() <= Date.now()) {
        throw fieldError('expiresAt', 'expiresAt must be in the future');
      }
      const { personId, legalBasis, consentIds } = await this.checkBasis(manager, actor, request);
      await this.checkIdentifiers(manager, actor, request, personId);
      const [row] = await manager.query<{ id: string }[]>(
        `INSERT INTO notice (municipality_id, kind, title, body, area_ids, agencies, case_id, legal_basis,
           harm_assessment, author_user_id, author_unit_id, ack_required, expires_at, consent_ids)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
        [
          municipalityId,
          request.kind,
          request.title,
          request.body,
          request.areaIds,
          request.agencies,
          request.kind === 'person' ? request.caseId : null,
          legalBasis,
          request.harmAssessment ?? null,
          userId,
          unitId,
          request.acknowledgementRequired ?? false,
          request.expiresAt ?? null,
          consentIds ?? null,
        ],
      );
      const noticeId = row!.id;
      const reached = await manager.query<{ user_id: string }[]>(
        `INSERT INTO notice_recipient (notice_id, user_id)
         SELECT $1, u.id FROM app_user u JOIN unit un ON un.id = u.unit_id
         WHERE u.municipality_id = $2 AND u.status = 'active' AND u.id <> $3
           AND u.roles && ${STAFF} AND un.agency = ANY($4::varchar[])
           AND (un.area_id = ANY($5::uuid[])
                OR EXISTS (SELECT 1 FROM user_area ua WHERE ua.user_id = u.id AND ua.area_id = ANY($5::uuid[])))
           AND ($6::uuid IS NULL OR ${userMayKnowCaseSql('$6')})
         RETURNING user_id`,
        [
          noticeId,
          municipalityId,
          userId,
          request.agencies,
          request.areaIds,
          request.caseId ?? null,
        ],
      );
      await this.audit.record(manager, actor, [
        {
          action: 'notice.create',
          recordType: 'Notice',
          recordId: noticeId,
          personId,
          legalBasis: auditBasis(legalBasis, consentIds ?? null),
          // About a person: whom it was delivered to, live (each received the person's data).
          details: {
            kind: request.kind,
            recipients: reached.length,
            ...(personId ? { deliveredTo: reached.map((r) => r.user_id) } : {}),
          },
        },
      ]);
      const [notice] = await this.read(manager, actor, [noticeId]);
      return { notice: notice!, recipients: reached.map((r) => r.user_id) };
    });
    this.realtime.toUsers(recipients, 'notice.created', {
      ...notice,
      acknowledged: null,
      recipients: null,
    });
    return notice;
  }

  /**
   * What a notice may say about people. `area`: nothing that identifies anyone (no identity
   * number, by its form; no name or number of a person in the register). `person`: no one of
   * the register but the case's young person, and never a person with a protected identity (not
   * even the case's). Names match in either order, whatever the case, accents' encoding, spaces,
   * commas or hyphens between or inside them. The refusal is the same for every person of the register: it
   * does not tell that the person has a protected identity. A `person` notice carries no identity
   * number but the case's young person's, and is refused alike for any other, in the register or
   * not (the answer does not tell whether a number is in the register). A 400 names the field
   * where it found the person.
   */
  private async checkIdentifiers(
    manager: EntityManager,
    actor: Actor,
    request: CreateNoticeRequest,
    casePersonId: string | null,
  ): Promise<void> {
    const fields = {
      title: request.title,
      body: request.body,
      harmAssessment: request.harmAssessment,
    };
    const ownNumber = casePersonId ? await this.identityNumberOf(manager, casePersonId) : null;
    for (const [field, text] of Object.entries(fields)) {
      if (!text) continue;
      if (request.kind === 'area' && looksLikeIdentityNumber(text)) {
        throw fieldError(
          field,
          'an area notice may not identify anyone: remove what looks like an identity number',
        );
      }
      const otherNumber =
        request.kind === 'person' && identityNumbersIn(text).some((number) => number !== ownNumber);
      const named = otherNumber
        ? null
        : await namesRegisterPerson(manager, actor.principal.municipalityId, text, {
            except: casePersonId,
          });
      if (!otherNumber && !named) continue;
      const reason =
        request.kind === 'area'
          ? 'an area notice may not identify anyone: it names a person in the register (use a notice of kind person, on a legal basis)'
          : 'a person notice may identify only the young person of its case: it names another person in the register or carries another identity number';
      throw named ? namesPersonError(field, reason, named) : fieldError(field, reason);
    }
  }

  /** A person's personnummer or samordningsnummer without its century (null for a reserve number). */
  private async identityNumberOf(manager: EntityManager, personId: string): Promise<string | null> {
    const [person] = await manager.query<{ identity_kind: string; identity_number: string }[]>(
      'SELECT identity_kind, identity_number FROM person WHERE id = $1',
      [personId],
    );
    return person && person.identity_kind !== 'reserve' ? person.identity_number.slice(-10) : null;
  }

  /**
   * Kind `person`: the case, and a basis that covers every receiving agency. The person's id and
   * the basis as recorded: `consent` (however cased), or the catalogue's code as it is written there.
   */
  private async checkBasis(
    manager: EntityManager,
    actor: Actor,
    request: CreateNoticeRequest,
  ): Promise<{ personId: string | null; legalBasis: string | null; consentIds?: string[] }> {
    if (request.kind === 'area') {
      const field = request.caseId
        ? 'caseId'
        : request.legalBasis
          ? 'legalBasis'
          : request.harmAssessment !== undefined
            ? 'harmAssessment'
            : null;
      // A harm assessment goes with a statutory basis: on an area notice it would be lost.
      if (field)
        throw fieldError(
          field,
          'an area notice is about no case and needs no legal basis (nor a harm assessment)',
        );
      return { personId: null, legalBasis: null };
    }
    if (!request.caseId) throw fieldError('caseId', 'a notice about a person names its case');
    if (!request.legalBasis)
      throw fieldError(
        'legalBasis',
        'a notice about a person needs a legal basis: consent or a statutory basis code',
      );
    const kase = await findCase(manager, actor, request.caseId, { open: true });
    if (request.legalBasis.trim().toLowerCase() === 'consent') {
      const uncovered = await manager.query<{ agency: string }[]>(
        `SELECT a.agency FROM unnest($2::varchar[]) AS a(agency)
         WHERE NOT EXISTS (SELECT 1 FROM consent c WHERE c.case_id = $1 AND $3 = ANY(c.scope_categories)
           AND a.agency = ANY(c.scope_agencies) AND consent_in_force(c.id, now()))`,
        [request.caseId, request.agencies, NOTICE_CATEGORY],
      );
      if (uncovered.length > 0) {
        throw conflict(
          `No consent in force covers ${NOTICE_CATEGORY} for: ${uncovered.map((row) => row.agency).join(', ')}`,
          'basis-not-covering',
        );
      }
      const [{ ids }] = await manager.query<[{ ids: string[] }]>(
        `SELECT ARRAY(SELECT c.id FROM consent c WHERE c.case_id = $1 AND $3 = ANY(c.scope_categories)
           AND c.scope_agencies && $2::varchar[] AND consent_in_force(c.id, now()) ORDER BY c.id) AS ids`,
        [request.caseId, request.agencies, NOTICE_CATEGORY],
      );
      return { personId: kase.person_id, legalBasis: 'consent', consentIds: ids };
    }
    const [basis] = await manager.query<
      {
        code: string;
        from_agencies: string[];
        to_agencies: string[];
        requires_harm_assessment: boolean;
        person_under_age: number | null;
        birth_date: string | null;
        today: string;
      }[]
    >(
      `SELECT lb.code, lb.from_agencies, lb.to_agencies, lb.requires_harm_assessment, ${BASIS_AGE_COLUMNS}
       FROM legal_basis lb JOIN person p ON p.id = $3
       WHERE lb.municipality_id = $1 AND ${basisCodeIs('$2')}`,
      [kase.municipality_id, request.legalBasis, kase.person_id],
    );
    if (!basis)
      throw fieldError(
        'legalBasis',
        'consent, or the code of a statutory basis in your municipality’s catalogue',
      );
    if (!basis.from_agencies.includes(actor.principal.agency)) {
      throw conflict(`${request.legalBasis} does not let your agency share`, 'basis-not-covering');
    }
    const beyond = request.agencies.filter((agency) => !basis.to_agencies.includes(agency));
    if (beyond.length > 0) {
      throw conflict(
        `${request.legalBasis} does not cover: ${beyond.join(', ')}`,
        'basis-not-covering',
      );
    }
    if (basis.requires_harm_assessment && !request.harmAssessment?.trim()) {
      throw fieldError('harmAssessment', `${request.legalBasis} requires a harm assessment`);
    }
    assertWithinBasisAge(request.legalBasis, basis, 'basis-not-covering');
    return { personId: kase.person_id, legalBasis: basis.code };
  }

  async list(actor: Actor, query: PageQuery): Promise<Page<NoticeResponse>> {
    const size = pageSize(query.limit);
    const after = decodeCursor(query.cursor, ['time', 'uuid']);
    const params = new SqlParams();
    const me = params.bind(actor.principal.userId);
    const where = [
      this.where(actor, 'list', params),
      `(n.expires_at IS NULL OR n.expires_at > now() OR n.author_user_id = ${me})`,
    ];
    if (after)
      where.push(
        `(n.created_at, n.id) < (${params.bind(after[0])}::timestamptz, ${params.bind(after[1])}::uuid)`,
      );
    const manager = this.dataSource.manager;
    const rows = await manager.query<NoticeRow[]>(
      `SELECT ${NOTICE_COLUMNS(me)} FROM notice n JOIN app_user a ON a.id = n.author_user_id
       WHERE ${where.join(' AND ')} ORDER BY n.created_at DESC, n.id DESC LIMIT ${size + 1}`,
      params.values,
    );
    await this.auditReads(manager, actor, rows.slice(0, size));
    return toPage(
      rows,
      size,
      (row) => this.present(actor, row),
      (row) => [row.created_at.toISOString(), row.id],
    );
  }

  async get(actor: Actor, id: string): Promise<NoticeResponse> {
    const [notice] = await this.read(this.dataSource.manager, actor, [id]);
    if (!notice) throw notFound('The notice');
    return notice;
  }

  async acknowledge(actor: Actor, id: string): Promise<NoticeResponse> {
    return this.dataSource.transaction(async (manager) => {
      const params = new SqlParams([id]);
      const [visible] = await manager.query<{ expired: boolean; person_id: string | null }[]>(
        `SELECT n.expires_at <= now() AS expired,
                (SELECT k.person_id FROM collab_case k WHERE k.id = n.case_id) AS person_id
         FROM notice n WHERE n.id = $1 AND ${this.where(actor, 'acknowledge', params)}`,
        params.values,
      );
      if (!visible) throw notFound('The notice');
      if (visible.expired) {
        throw conflict('The notice has expired: it needs no acknowledgement', 'notice-expired');
      }
      await manager.query(
        `UPDATE notice_recipient SET acknowledged_at = COALESCE(acknowledged_at, now())
         WHERE notice_id = $1 AND user_id = $2`,
        [id, actor.principal.userId],
      );
      await this.audit.record(manager, actor, [
        // About a person: in their trail ("who accessed this person") too.
        {
          action: 'notice.acknowledge',
          recordType: 'Notice',
          recordId: id,
          personId: visible.person_id,
        },
      ]);
      const [notice] = await this.read(manager, actor, [id]);
      return notice!;
    });
  }

  /**
   * Marks notices left unacknowledged too long, by recipients they still reach, as escalated —
   * one UPDATE, so with several replicas each notice is escalated exactly once — and queues the
   * event for the relay. A notice whose consent was revoked reaches no one, so it is not chased.
   */
  async escalateOverdue(afterSeconds: number): Promise<number> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `WITH due AS (
         UPDATE notice n SET escalated_at = now()
         WHERE n.ack_required AND n.escalated_at IS NULL
           AND n.created_at <= now() - make_interval(secs => $1)
           AND (n.expires_at IS NULL OR n.expires_at > now())
           AND EXISTS (${stillUnacknowledged})
         RETURNING n.id, n.municipality_id)
       INSERT INTO outbox_event (municipality_id, topic, aggregate_id, type, payload)
       SELECT municipality_id, 'notice', id, 'notice.escalated', jsonb_build_object('noticeId', id)
       FROM due RETURNING aggregate_id AS id`,
      [afterSeconds],
    );
    return rows.length;
  }

  /**
   * The coordinators of the notice's areas become its recipients and are told, live. A notice
   * about a person goes only to those of the agencies its legal basis lets it reach: escalating
   * must not disclose it further than posting it could.
   */
  async relayEscalation(manager: EntityManager, noticeId: string): Promise<void> {
    const coordinators = await manager.query<{ user_id: string }[]>(
      `INSERT INTO notice_recipient (notice_id, user_id, by_escalation)
       SELECT n.id, u.id, true FROM notice n JOIN app_user u ON u.municipality_id = n.municipality_id
         JOIN unit un ON un.id = u.unit_id
       WHERE n.id = $1 AND u.status = 'active' AND 'coordinator' = ANY(u.roles)
         AND (n.kind = 'area' OR (un.agency = ANY(n.agencies) AND ${noticeReachesSql}))
         AND (un.area_id = ANY(n.area_ids)
              OR EXISTS (SELECT 1 FROM user_area ua WHERE ua.user_id = u.id AND ua.area_id = ANY(n.area_ids)))
       ON CONFLICT (notice_id, user_id) DO UPDATE SET acknowledged_at = notice_recipient.acknowledged_at
       RETURNING user_id`,
      [noticeId],
    );
    const [{ count }] = await manager.query<[{ count: number }]>(
      `SELECT count(*)::int AS count FROM notice n, LATERAL (${stillUnacknowledged}) s WHERE n.id = $1`,
      [noticeId],
    );
    this.realtime.toUsers(
      coordinators.map((row) => row.user_id),
      'notice.escalated',
      { noticeId, unacknowledged: count },
    );
  }

  /**
   * Tells the recipients of the case's notices (not expired) whom a notice no longer reaches — the
   * consent it rested on ended, or they no longer may know the case — that it is withdrawn from
   * them, with why, once: it is gone from their list and reads at once; this says so live.
   */
  async relayLost(
    manager: EntityManager,
    caseId: string,
    reason: AccessChangeReason,
    only?: readonly string[],
  ): Promise<void> {
    // Each recipient is told once (found by a black-box probe: every later revocation told
    // again of notices withdrawn long before).
    const rows = await manager.query<{ notice_id: string; user_ids: string[] }[]>(
      `WITH lost AS (
         UPDATE notice_recipient r SET withdrawn_told_at = now()
         FROM notice n, app_user u LEFT JOIN unit un ON un.id = u.unit_id
         WHERE r.notice_id = n.id AND u.id = r.user_id AND r.withdrawn_told_at IS NULL
           AND n.case_id = $1 AND (n.expires_at IS NULL OR n.expires_at > now())
           AND ($2::uuid[] IS NULL OR u.id = ANY($2::uuid[])) AND NOT ${noticeReachesSql}
         RETURNING r.notice_id, r.user_id)
       SELECT notice_id, array_agg(user_id::text) AS user_ids FROM lost GROUP BY notice_id`,
      [caseId, only ?? null],
    );
    for (const row of rows)
      this.realtime.toUsers(row.user_ids, 'notice.withdrawn', { noticeId: row.notice_id, reason });
  }

  /**
   * The notices the actor may `action`: the policy's, and of those about a person on consent only
   * while a consent in force still covers the reader's agency or unit for the category (checked
   * at read time, so a revoked or expired consent hides the notice at once, as it does a
   * disclosed entry). Its author's agency keeps it; a statutory basis stands on its own.
   */
  private where(actor: Actor, action: 'read' | 'list' | 'acknowledge', params: SqlParams): string {
    const { municipalityId, agency, unitId } = actor.principal;
    const tenant = `n.municipality_id = ${params.bind(municipalityId)}`;
    const policy = accessibleWhere(actor.ability, action, 'Notice', NOTICE_SQL_FIELDS, params.bind);
    const mine = params.bind(agency);
    const basisHolds = `(n.legal_basis IS DISTINCT FROM 'consent'
      OR (SELECT un.agency FROM app_user au JOIN unit un ON un.id = au.unit_id WHERE au.id = n.author_user_id) = ${mine}
      OR ${consentOfNoticeCovers(mine, `${params.bind(unitId)}::uuid`)})`;
    // A notice about a person is told only to those who may know its case, and only while they may.
    const caseKnown = `(n.case_id IS NULL OR n.author_user_id = ${params.bind(actor.principal.userId)}
      OR EXISTS (SELECT 1 FROM collab_case k WHERE k.id = n.case_id AND ${caseWhere(actor, 'read', params)}))`;
    return `${tenant} AND ${policy} AND ${basisHolds} AND ${caseKnown}`;
  }

  private async read(
    manager: EntityManager,
    actor: Actor,
    ids: string[],
  ): Promise<NoticeResponse[]> {
    const params = new SqlParams([ids]);
    const me = params.bind(actor.principal.userId);
    const rows = await manager.query<NoticeRow[]>(
      `SELECT ${NOTICE_COLUMNS(me)} FROM notice n JOIN app_user a ON a.id = n.author_user_id
       WHERE n.id = ANY($1::uuid[]) AND ${this.where(actor, 'read', params)}
         AND (n.expires_at IS NULL OR n.expires_at > now() OR n.author_user_id = ${me})`,
      params.values,
    );
    await this.auditReads(manager, actor, rows);
    return rows.map((row) => this.present(actor, row));
  }

  /** Reads of notices about a person are reads of that person's data. */
  private auditReads(manager: EntityManager, actor: Actor, rows: NoticeRow[]): Promise<void> {
    return this.audit.recordAccess(
      manager,
      actor,
      rows
        .filter((row) => row.person_id)
        .map((row) => ({
          action: 'notice.read',
          recordType: 'Notice',
          recordId: row.id,
          personId: row.person_id,
          legalBasis: auditBasis(row.legal_basis, row.consent_ids),
        })),
    );
  }

  private present(actor: Actor, row: NoticeRow): NoticeResponse {
    const author = row.author_user_id === actor.principal.userId;
    return {
      id: row.id,
      kind: row.kind,
      title: row.title,
      body: row.body,
      areaIds: row.area_ids,
      agencies: row.agencies,
      caseId: row.case_id,
      legalBasis: row.legal_basis,
      harmAssessment: row.harm_assessment,
      authorUserId: row.author_user_id,
      authorName: row.author_name,
      acknowledgementRequired: row.ack_required,
      expiresAt: row.expires_at?.toISOString() ?? null,
      acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
      acknowledged: author ? row.acknowledged : null,
      recipients: author ? row.recipients : null,
      createdAt: row.created_at.toISOString(),
    };
  }
}
