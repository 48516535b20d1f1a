import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  RETENTION_ALLOWED_ACTIONS,
  RETENTION_COUNTED_FROM,
  RETENTION_RECORD_TYPES,
  type RetentionAction,
  type RetentionRecordType,
  type RetentionRuleResponse,
  type SetRetentionRuleRequest,
  type PageQuery,
  type Page,
} from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { pageInMemory } from '../common/pagination.js';
import { fieldError, notFound } from '../common/problems.js';

interface RuleRow {
  record_type: RetentionRecordType;
  period: string;
  action: RetentionAction;
  updated_at: Date;
  updated_by: string | null;
}

function present(recordType: RetentionRecordType, row: RuleRow | undefined): RetentionRuleResponse {
  return {
    recordType,
    countedFrom: RETENTION_COUNTED_FROM[recordType],
    allowedActions: [...RETENTION_ALLOWED_ACTIONS[recordType]],
    period: row?.period ?? null,
    action: row?.action ?? null,
    updatedAt: row ? row.updated_at.toISOString() : null,
    updatedBy: row?.updated_by ?? null,
  };
}

/** A municipality's retention rules: one per kind of record, or none (nothing of it is removed). */
@Injectable()
export class RetentionRulesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, query: PageQuery): Promise<Page<RetentionRuleResponse>> {
    const rows = await this.dataSource.query<RuleRow[]>(
      `SELECT record_type, period, action, updated_at, updated_by FROM retention_rule
       WHERE municipality_id = $1`,
      [actor.principal.municipalityId],
    );
    const byType = new Map(rows.map((row) => [row.record_type, row]));
    const page = pageInMemory(RETENTION_RECORD_TYPES, query, ['int'], (type) => [
      RETENTION_RECORD_TYPES.indexOf(type),
    ]);
    return { ...page, items: page.items.map((type) => present(type, byType.get(type))) };
  }

  async set(
    actor: Actor,
    recordType: RetentionRecordType,
    request: SetRetentionRuleRequest,
  ): Promise<RetentionRuleResponse> {
    if (!RETENTION_ALLOWED_ACTIONS[recordType].includes(request.action)) {
      throw fieldError(
        'action',
        `${recordType} allows ${RETENTION_ALLOWED_ACTIONS[recordType].join(' or ')}`,
      );
    }
    return this.dataSource.transaction(async (manager) => {
      // A period PostgreSQL cannot read as an interval, or of zero length, is refused.
      const [check] = await manager.query<{ days: number }[]>(
        `SELECT extract(epoch FROM $1::interval) / 86400 AS days`,
        [request.period],
      );
      if (!check || Number(check.days) < 1) {
        throw fieldError('period', 'must be at least one day');
      }
      const [previous] = await manager.query<RuleRow[]>(
        `SELECT record_type, period, action, updated_at, updated_by FROM retention_rule
         WHERE municipality_id = $1 AND record_type = $2 FOR UPDATE`,
        [actor.principal.municipalityId, recordType],
      );
      const [row] = await manager.query<RuleRow[]>(
        `INSERT INTO retention_rule (municipality_id, record_type, period, action, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (municipality_id, record_type) DO UPDATE
           SET period = EXCLUDED.period, action = EXCLUDED.action,
               updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING record_type, period, action, updated_at, updated_by`,
        [
          actor.principal.municipalityId,
          recordType,
          request.period,
          request.action,
          actor.principal.userId,
        ],
      );
      await this.audit.record(manager, actor, [
        {
          action: 'retention.rule.set',
          recordType: 'RetentionRule',
          recordId: recordType,
          details: {
            period: request.period,
            action: request.action,
            previousPeriod: previous?.period ?? null,
            previousAction: previous?.action ?? null,
          },
        },
      ]);
      return present(recordType, row);
    });
  }

  async remove(actor: Actor, recordType: RetentionRecordType): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query<[{ period: string }[], number]>(
        `DELETE FROM retention_rule WHERE municipality_id = $1 AND record_type = $2
         RETURNING period`,
        [actor.principal.municipalityId, recordType],
      );
      if (rows.length === 0) throw notFound('The retention rule');
      await this.audit.record(manager, actor, [
        {
          action: 'retention.rule.removed',
          recordType: 'RetentionRule',
          recordId: recordType,
          details: { previousPeriod: rows[0]!.period },
        },
      ]);
    });
  }
}
