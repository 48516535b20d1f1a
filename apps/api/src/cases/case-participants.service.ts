import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CaseResponse } from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { conflict, fieldError, notFound } from '../common/problems.js';
import { OutboxService } from '../outbox/outbox.service.js';
import type { EntityManager } from 'typeorm';
import {
  bumpAuthzVersion,
  findCase,
  linkPersonToUnits,
  userMayKnowCaseSql,
} from './case-access.js';
import { CasesService } from './cases.service.js';

/**
 * Who takes part in a case: members and participating units, managed by the responsible user and
 * the area's coordinators. Removal takes effect at once (the member's cached ability is renewed).
 */
@Injectable()
export class CaseParticipantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly cases: CasesService,
  ) {}

  addMember(actor: Actor, caseId: string, userId: string): Promise<CaseResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await findCase(manager, actor, caseId, {
        lock: true,
        action: 'update',
        open: true,
      });
      const units = await this.cases.checkUsers(manager, row.municipality_id, [userId], 'userId');
      const inserted = await manager.query<unknown[]>(
        'INSERT INTO case_member (case_id, user_id, added_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
        [caseId, userId, actor.principal.userId],
      );
      if (inserted.length === 0) throw conflict('The user is already a member of the case');
      await linkPersonToUnits(manager, row.person_id, units);
      await bumpAuthzVersion(manager, [userId]);
      await this.record(manager, actor, row, 'case.member_add', { userId });
      return this.cases.readOne(manager, actor, caseId);
    });
  }

  removeMember(actor: Actor, caseId: string, userId: string): Promise<CaseResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await findCase(manager, actor, caseId, { lock: true, action: 'update' });
      if (userId === row.responsible_user_id) {
        throw conflict(
          'The responsible user cannot be removed; make someone else responsible first',
        );
      }
      const heldBefore = await this.holderTakesPart(manager, caseId);
      const [removed] = await manager.query<[unknown[], number]>(
        'DELETE FROM case_member WHERE case_id = $1 AND user_id = $2 RETURNING 1',
        [caseId, userId],
      );
      if (removed.length === 0) throw notFound('The member');
      if (heldBefore && !(await this.holderTakesPart(manager, caseId))) {
        throw conflict(
          'The member holds the overall responsibility for the case’s plan; give it to someone else first',
          'holds-overall-responsibility',
        );
      }
      await bumpAuthzVersion(manager, [userId]);
      await this.record(manager, actor, row, 'case.member_remove', { userId });
      return this.cases.readOne(manager, actor, caseId);
    });
  }

  addUnit(actor: Actor, caseId: string, unitId: string): Promise<CaseResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await findCase(manager, actor, caseId, {
        lock: true,
        action: 'update',
        open: true,
      });
      const [unit] = await manager.query<unknown[]>(
        'SELECT 1 FROM unit WHERE id = $1 AND municipality_id = $2',
        [unitId, row.municipality_id],
      );
      if (!unit) throw fieldError('unitId', 'no such unit in your municipality');
      if (unitId === row.owning_unit_id) throw conflict('This is the case’s owning unit');
      const inserted = await manager.query<unknown[]>(
        'INSERT INTO case_unit (case_id, unit_id, added_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
        [caseId, unitId, actor.principal.userId],
      );
      if (inserted.length === 0) throw conflict('The unit already takes part in the case');
      await linkPersonToUnits(manager, row.person_id, [unitId]);
      await this.record(manager, actor, row, 'case.unit_add', { unitId });
      return this.cases.readOne(manager, actor, caseId);
    });
  }

  /** The unit leaves the case, and its staff with it: they are members no more. */
  removeUnit(actor: Actor, caseId: string, unitId: string): Promise<CaseResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await findCase(manager, actor, caseId, { lock: true, action: 'update' });
      const [responsible] = await manager.query<unknown[]>(
        'SELECT 1 FROM app_user WHERE id = $1 AND unit_id = $2',
        [row.responsible_user_id, unitId],
      );
      const heldBefore = await this.holderTakesPart(manager, caseId);
      const [removed] = await manager.query<[unknown[], number]>(
        'DELETE FROM case_unit WHERE case_id = $1 AND unit_id = $2 RETURNING 1',
        [caseId, unitId],
      );
      if (removed.length === 0) throw notFound('The participating unit');
      if (responsible) {
        throw conflict(
          'The responsible user belongs to this unit; make someone else responsible first',
        );
      }
      const [members] = await manager.query<[{ user_id: string }[], number]>(
        `DELETE FROM case_member cm USING app_user u
         WHERE cm.case_id = $1 AND u.id = cm.user_id AND u.unit_id = $2 RETURNING cm.user_id`,
        [caseId, unitId],
      );
      if (heldBefore && !(await this.holderTakesPart(manager, caseId))) {
        throw conflict(
          'A user of this unit holds the overall responsibility for the case’s plan; give it to someone else first',
          'holds-overall-responsibility',
        );
      }
      const userIds = members.map((member) => member.user_id);
      await bumpAuthzVersion(manager, userIds);
      await this.record(manager, actor, row, 'case.unit_remove', { unitId, members: userIds });
      return this.cases.readOne(manager, actor, caseId);
    });
  }

  /**
   * Whether the case's plan names a holder of overall responsibility who takes part in the case
   * (may know it). Asked before and after a removal: one that takes it away is refused (rolled
   * back), as the plan would name someone who no longer sees it.
   */
  private async holderTakesPart(manager: EntityManager, caseId: string): Promise<boolean> {
    const [held] = await manager.query<unknown[]>(
      `SELECT 1 FROM case_plan pl JOIN app_user u ON u.id = pl.overall_responsible_user_id
       LEFT JOIN unit un ON un.id = u.unit_id
       WHERE pl.case_id = $1 AND ${userMayKnowCaseSql('pl.case_id')}`,
      [caseId],
    );
    return held !== undefined;
  }

  private async record(
    manager: Parameters<AuditService['record']>[0],
    actor: Actor,
    row: { id: string; person_id: string; municipality_id: string },
    action: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record(manager, actor, [
      { action, recordType: 'Case', recordId: row.id, personId: row.person_id, details },
    ]);
    await this.outbox.publish(manager, [
      {
        municipalityId: row.municipality_id,
        topic: 'case',
        aggregateId: row.id,
        type: action.replace('_', '.'),
        payload: { caseId: row.id, ...details },
      },
    ]);
  }
}
