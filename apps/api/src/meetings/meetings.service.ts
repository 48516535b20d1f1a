import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  CancelMeetingRequest,
  ConflictOverride,
  CreateMeetingRequest,
  MeetingKind,
  MeetingQuery,
  MeetingResponse,
  Page,
  RsvpRequest,
  UpdateMeetingRequest,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { decodeCursor, pageSize, toPage } from '../common/pagination.js';
import { conflict, fieldError, notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { checkInvitees, checkMeetingCase, checkTimes, checkMeetingText } from './meeting-checks.js';
import { assertAgendaCovered } from './agenda-gate.js';
import { attendeesOf, conflictProblem, findConflicts } from './meeting-conflicts.js';
import {
  findMeeting,
  meetingViewColumns,
  meetingWhere,
  presentMeeting,
  type MeetingRow,
  type MeetingViewRow,
} from './meeting-query.js';

/** Meetings: calling, finding, rescheduling, cancelling and answering them. */
@Injectable()
export class MeetingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  create(actor: Actor, request: CreateMeetingRequest): Promise<MeetingResponse> {
    const { municipalityId, userId } = actor.principal;
    return this.dataSource.transaction(async (manager) => {
      const startsAt = new Date(request.startsAt);
      const endsAt = new Date(request.endsAt);
      checkTimes(startsAt, endsAt);
      const [area] = await manager.query<unknown[]>(
        'SELECT 1 FROM area WHERE id = $1 AND municipality_id = $2',
        [request.areaId, municipalityId],
      );
      if (!area) throw fieldError('areaId', 'no such area in your municipality');
      const kase = await checkMeetingCase(
        manager,
        actor,
        request.kind,
        request.caseId,
        request.areaId,
      );
      await checkMeetingText(
        manager,
        municipalityId,
        request.kind,
        { title: request.title, place: request.place, videoLink: request.videoLink },
        kase?.person_id,
      );
      const invitees = await checkInvitees(manager, municipalityId, request.invitees);
      const busy = [...new Set([userId, ...invitees.userIds])];
      const conflicts = await findConflicts(manager, municipalityId, busy, startsAt, endsAt, null);
      if (conflicts.length > 0 && !request.overrideConflicts) throw conflictProblem(conflicts);

      const [created] = await manager.query<{ id: string }[]>(
        `INSERT INTO meeting (municipality_id, kind, title, area_id, case_id, starts_at, ends_at, place, video_link, organiser_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          municipalityId,
          request.kind,
          request.title.trim(),
          request.areaId,
          kase?.id ?? null,
          startsAt,
          endsAt,
          request.place ?? null,
          request.videoLink ?? null,
          userId,
        ],
      );
      const meetingId = created!.id;
      await this.insertInvitees(manager, meetingId, invitees);
      // A meeting about a case reaches only units that take part in it or are covered for it.
      await assertAgendaCovered(manager, meetingId);
      await this.recordOverride(manager, actor, meetingId, conflicts, request.overrideConflicts);
      await this.audit.record(manager, actor, [
        {
          action: 'meeting.create',
          recordType: 'Meeting',
          recordId: meetingId,
          personId: kase?.person_id ?? null,
          details: { kind: request.kind, conflictsOverridden: conflicts.length },
        },
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId,
          topic: 'meeting',
          aggregateId: meetingId,
          type: 'meeting.invited',
          payload: {
            meetingId,
            kind: request.kind,
            startsAt: startsAt.toISOString(),
            endsAt: endsAt.toISOString(),
            organiserId: userId,
            userIds: invitees.userIds,
            unitIds: invitees.unitIds,
          },
        },
      ]);
      return this.readOne(manager, actor, meetingId);
    });
  }

  get(actor: Actor, meetingId: string): Promise<MeetingResponse> {
    return this.readOne(this.dataSource.manager, actor, meetingId);
  }

  /** The meetings the actor may know exist, soonest first. */
  async list(actor: Actor, query: MeetingQuery): Promise<Page<MeetingResponse>> {
    // Instants are compared, whatever offsets they come with.
    if (query.from && query.to && new Date(query.to) < new Date(query.from))
      throw fieldError('to', 'to must not be before from');
    const size = pageSize(query.limit);
    const after = decodeCursor(query.cursor, ['time', 'uuid']);
    const params = new SqlParams();
    const columns = meetingViewColumns(actor, params);
    const where = [meetingWhere(actor, 'list', params)];
    if (query.from) where.push(`m.ends_at > ${params.bind(new Date(query.from))}`);
    if (query.to) where.push(`m.starts_at < ${params.bind(new Date(query.to))}`);
    if (query.kind) where.push(`m.kind = ${params.bind(query.kind)}`);
    if (query.caseId) where.push(`m.case_id = ${params.bind(query.caseId)}`);
    if (after) {
      where.push(
        `(m.starts_at, m.id) > (${params.bind(after[0])}::timestamptz, ${params.bind(after[1])}::uuid)`,
      );
    }
    const manager = this.dataSource.manager;
    const rows = await manager.query<MeetingViewRow[]>(
      `SELECT ${columns} FROM meeting m WHERE ${where.join(' AND ')}
       ORDER BY m.starts_at, m.id LIMIT ${size + 1}`,
      params.values,
    );
    await this.audit.recordAccess(
      manager,
      actor,
      rows.slice(0, size).map((row) => ({
        action: 'meeting.list_result',
        recordType: 'Meeting',
        recordId: row.id,
        personId: row.person_id,
      })),
    );
    return toPage(rows, size, presentMeeting, (row) => [row.starts_at.toISOString(), row.id]);
  }

  /** Reschedule, move or rename; new times are checked for conflicts and reset the answers. */
  update(actor: Actor, meetingId: string, request: UpdateMeetingRequest): Promise<MeetingResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.changeable(manager, actor, meetingId);
      const startsAt = request.startsAt ? new Date(request.startsAt) : row.starts_at;
      const endsAt = request.endsAt ? new Date(request.endsAt) : row.ends_at;
      checkTimes(startsAt, endsAt);
      await checkMeetingText(
        manager,
        row.municipality_id,
        row.kind,
        { title: request.title, place: request.place, videoLink: request.videoLink },
        row.person_id,
      );
      const rescheduled =
        startsAt.getTime() !== row.starts_at.getTime() ||
        endsAt.getTime() !== row.ends_at.getTime();
      const changes = Object.keys(request).filter((key) => key !== 'overrideConflicts');
      if (rescheduled) {
        const conflicts = await findConflicts(
          manager,
          row.municipality_id,
          await attendeesOf(manager, meetingId, row.organiser_id),
          startsAt,
          endsAt,
          meetingId,
        );
        if (conflicts.length > 0 && !request.overrideConflicts) throw conflictProblem(conflicts);
        await this.recordOverride(manager, actor, meetingId, conflicts, request.overrideConflicts);
        await manager.query(
          `UPDATE meeting_invitee SET response = 'pending', responded_by = NULL, responded_at = NULL
           WHERE meeting_id = $1`,
          [meetingId],
        );
      }
      await manager.query(
        `UPDATE meeting SET title = COALESCE($2, title), starts_at = $3, ends_at = $4,
           place = CASE WHEN $5::boolean THEN $6 ELSE place END,
           video_link = CASE WHEN $7::boolean THEN $8 ELSE video_link END, updated_at = now()
         WHERE id = $1`,
        [
          meetingId,
          request.title?.trim() ?? null,
          startsAt,
          endsAt,
          request.place !== undefined,
          request.place || null,
          request.videoLink !== undefined,
          request.videoLink || null,
        ],
      );
      await this.audit.record(manager, actor, [
        {
          action: 'meeting.update',
          recordType: 'Meeting',
          recordId: meetingId,
          personId: row.person_id,
          details: { changes, rescheduled },
        },
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId: row.municipality_id,
          topic: 'meeting',
          aggregateId: meetingId,
          type: 'meeting.changed',
          payload: {
            meetingId,
            changes,
            rescheduled,
            startsAt: startsAt.toISOString(),
            endsAt: endsAt.toISOString(),
          },
        },
      ]);
      return this.readOne(manager, actor, meetingId);
    });
  }

  cancel(actor: Actor, meetingId: string, request: CancelMeetingRequest): Promise<MeetingResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.changeable(manager, actor, meetingId);
      await checkMeetingText(
        manager,
        row.municipality_id,
        row.kind,
        { reason: request.reason },
        row.person_id,
      );
      await manager.query(
        `UPDATE meeting SET status = 'cancelled', cancel_reason = $2, updated_at = now() WHERE id = $1`,
        [meetingId, request.reason.trim()],
      );
      await this.audit.record(manager, actor, [
        {
          action: 'meeting.cancel',
          recordType: 'Meeting',
          recordId: meetingId,
          personId: row.person_id,
          reason: request.reason.trim(),
        },
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId: row.municipality_id,
          topic: 'meeting',
          aggregateId: meetingId,
          type: 'meeting.cancelled',
          payload: { meetingId, startsAt: row.starts_at.toISOString() },
        },
      ]);
      return this.readOne(manager, actor, meetingId);
    });
  }

  /** The caller answers for themselves, or for their unit when the unit was invited. */
  respond(actor: Actor, meetingId: string, request: RsvpRequest): Promise<MeetingResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await findMeeting(manager, actor, meetingId, { action: 'respond' });
      if (row.status === 'cancelled')
        throw conflict('The meeting is cancelled', 'meeting-cancelled');
      const { userId, unitId } = actor.principal;
      const [answered] = await manager.query<{ id: string }[]>(
        `WITH answered AS (
           UPDATE meeting_invitee SET response = $4, responded_by = $2, responded_at = now()
           WHERE id = (SELECT id FROM meeting_invitee WHERE meeting_id = $1 AND (user_id = $2 OR unit_id = $3)
                       ORDER BY user_id NULLS LAST LIMIT 1)
           RETURNING id)
         SELECT id FROM answered`,
        [meetingId, userId, unitId, request.response],
      );
      if (!answered) throw notFound('Your invitation');
      await this.audit.record(manager, actor, [
        {
          action: 'meeting.respond',
          recordType: 'Meeting',
          recordId: meetingId,
          personId: row.person_id,
          details: { response: request.response },
        },
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId: row.municipality_id,
          topic: 'meeting',
          aggregateId: meetingId,
          type: 'meeting.responded',
          payload: { meetingId, inviteeId: answered.id, response: request.response },
        },
      ]);
      return this.readOne(manager, actor, meetingId);
    });
  }

  /** Reads one meeting for the actor, audited (a meeting may concern a young person). */
  async readOne(manager: EntityManager, actor: Actor, meetingId: string): Promise<MeetingResponse> {
    const params = new SqlParams([meetingId]);
    const columns = meetingViewColumns(actor, params);
    const [row] = await manager.query<MeetingViewRow[]>(
      `SELECT ${columns} FROM meeting m WHERE m.id = $1 AND ${meetingWhere(actor, 'read', params)}`,
      params.values,
    );
    if (!row) throw notFound('The meeting');
    await this.audit.recordAccess(manager, actor, [
      {
        action: 'meeting.read',
        recordType: 'Meeting',
        recordId: meetingId,
        personId: row.person_id,
      },
    ]);
    return presentMeeting(row);
  }

  /** A scheduled meeting the actor runs, locked. */
  async changeable(manager: EntityManager, actor: Actor, meetingId: string): Promise<MeetingRow> {
    const row = await findMeeting(manager, actor, meetingId, { lock: true, action: 'update' });
    if (row.status === 'cancelled') throw conflict('The meeting is cancelled', 'meeting-cancelled');
    return row;
  }

  async insertInvitees(
    manager: EntityManager,
    meetingId: string,
    invitees: { userIds: string[]; unitIds: string[] },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO meeting_invitee (meeting_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [meetingId, invitees.userIds],
    );
    await manager.query(
      `INSERT INTO meeting_invitee (meeting_id, unit_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [meetingId, invitees.unitIds],
    );
  }

  /**
   * Records why the meeting is booked although invitees are busy. The reason is shown to every
   * invitee, so it is checked as the meeting's own text (a 400 names `overrideConflicts.reason`),
   * also when no conflict needs it.
   */
  async recordOverride(
    manager: EntityManager,
    actor: Actor,
    meetingId: string,
    conflicts: { userId: string }[],
    override: ConflictOverride | undefined,
  ): Promise<void> {
    if (!override) return;
    const [meeting] = await manager.query<
      { municipality_id: string; kind: MeetingKind; person_id: string | null }[]
    >(
      `SELECT m.municipality_id, m.kind, k.person_id FROM meeting m
       LEFT JOIN collab_case k ON k.id = m.case_id WHERE m.id = $1`,
      [meetingId],
    );
    await checkMeetingText(
      manager,
      meeting!.municipality_id,
      meeting!.kind,
      { 'overrideConflicts.reason': override.reason },
      meeting!.person_id,
    );
    if (conflicts.length === 0) return;
    const userIds = [...new Set(conflicts.map((conflict) => conflict.userId))];
    await manager.query(
      'INSERT INTO meeting_conflict_override (meeting_id, user_ids, reason, overridden_by) VALUES ($1, $2, $3, $4)',
      [meetingId, userIds, override.reason.trim(), actor.principal.userId],
    );
    await this.audit.record(manager, actor, [
      {
        action: 'meeting.conflict_override',
        recordType: 'Meeting',
        recordId: meetingId,
        reason: override.reason.trim(),
        details: { userIds },
      },
    ]);
  }
}
