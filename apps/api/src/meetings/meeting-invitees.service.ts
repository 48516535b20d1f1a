import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AddInviteesRequest, MeetingResponse } from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { fieldError, notFound } from '../common/problems.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { assertAgendaCovered } from './agenda-gate.js';
import { checkInvitees } from './meeting-checks.js';
import { conflictProblem, findConflicts } from './meeting-conflicts.js';
import { MeetingsService } from './meetings.service.js';

/** Inviting and uninviting: a new agency must be covered for every young person on the agenda. */
@Injectable()
export class MeetingInviteesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly meetings: MeetingsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  add(actor: Actor, meetingId: string, request: AddInviteesRequest): Promise<MeetingResponse> {
    // An invitation of no one would answer 200 and do nothing the sender asked for.
    if (!request.userIds?.length && !request.unitIds?.length) {
      throw fieldError('userIds', 'name at least one user (userIds) or unit (unitIds) to invite');
    }
    return this.dataSource.transaction(async (manager) => {
      const row = await this.meetings.changeable(manager, actor, meetingId);
      const invitees = await checkInvitees(manager, row.municipality_id, request, '');
      const conflicts = await findConflicts(
        manager,
        row.municipality_id,
        invitees.userIds,
        row.starts_at,
        row.ends_at,
        meetingId,
      );
      if (conflicts.length > 0 && !request.overrideConflicts) throw conflictProblem(conflicts);
      await this.meetings.insertInvitees(manager, meetingId, invitees);
      // Only the newly invited are judged: those already there were judged when they came (and
      // lost sight of what a revocation took from them).
      const units = await manager.query<{ unit_id: string }[]>(
        'SELECT unit_id FROM app_user WHERE id = ANY($1::uuid[])',
        [invitees.userIds],
      );
      await assertAgendaCovered(manager, meetingId, undefined, [
        ...invitees.unitIds,
        ...units.map((unit) => unit.unit_id),
      ]);
      await this.meetings.recordOverride(
        manager,
        actor,
        meetingId,
        conflicts,
        request.overrideConflicts,
      );
      await this.audit.record(manager, actor, [
        {
          action: 'meeting.invite',
          recordType: 'Meeting',
          recordId: meetingId,
          personId: row.person_id,
          details: { ...invitees },
        },
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId: row.municipality_id,
          topic: 'meeting',
          aggregateId: meetingId,
          type: 'meeting.invited',
          payload: {
            meetingId,
            kind: row.kind,
            startsAt: row.starts_at.toISOString(),
            endsAt: row.ends_at.toISOString(),
            organiserId: row.organiser_id,
            ...invitees,
          },
        },
      ]);
      return this.meetings.readOne(manager, actor, meetingId);
    });
  }

  remove(actor: Actor, meetingId: string, inviteeId: string): Promise<MeetingResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.meetings.changeable(manager, actor, meetingId);
      const [removed] = await manager.query<{ user_id: string | null; unit_id: string | null }[]>(
        `WITH removed AS (DELETE FROM meeting_invitee WHERE id = $1 AND meeting_id = $2 RETURNING user_id, unit_id)
         SELECT * FROM removed`,
        [inviteeId, meetingId],
      );
      if (!removed) throw notFound('The invitee');
      await this.audit.record(manager, actor, [
        {
          action: 'meeting.uninvite',
          recordType: 'Meeting',
          recordId: meetingId,
          personId: row.person_id,
          details: { userId: removed.user_id, unitId: removed.unit_id },
        },
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId: row.municipality_id,
          topic: 'meeting',
          aggregateId: meetingId,
          type: 'meeting.uninvited',
          payload: { meetingId, userId: removed.user_id, unitId: removed.unit_id },
        },
      ]);
      return this.meetings.readOne(manager, actor, meetingId);
    });
  }
}
