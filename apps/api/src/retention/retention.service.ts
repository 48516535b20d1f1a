import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RetentionAction, RetentionRecordType } from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { RETENTION_TARGETS } from './retention-targets.js';

/** Records removed per transaction. */
const DEFAULT_BATCH = 500;
/** Most ids a dry run lists per kind (the count is always exact). */
const MAX_LISTED_IDS = 10_000;
/** Namespace of the advisory locks retention takes: one per municipality and kind of record. */
const RETENTION_LOCK = 727310020;

export interface RetentionOptions {
  /** List what would go, change nothing. */
  dryRun?: boolean;
  /** One municipality instead of all. */
  municipalityId?: string;
  batchSize?: number;
}

/** What a run removed (or a dry run would) of one kind in one municipality. */
export interface RetentionOutcome {
  municipalityId: string;
  recordType: RetentionRecordType;
  action: RetentionAction;
  period: string;
  cutoff: Date;
  count: number;
  ids: string[];
  idsTruncated: boolean;
  /** Another runner held this kind's lock: it does the work, this run left it alone. */
  skipped: boolean;
}

interface RuleRow {
  municipality_id: string;
  record_type: RetentionRecordType;
  period: string;
  action: RetentionAction;
  cutoff: Date;
}

/**
 * Applies the municipalities' retention rules (gallring). Each batch is one transaction that first
 * takes `pg_try_advisory_xact_lock` for its municipality and kind: a second replica running at the
 * same moment does not get it and leaves that kind to the first, so every record is removed exactly
 * once, and nobody waits. A batch chooses its records inside the lock, removes or anonymises them,
 * and appends one audit event naming the kind, the count and the ids, all in the same transaction.
 * Audit events themselves are never touched: their hash chains stay intact and keep the ids of
 * what is gone (ids of content that no longer exists).
 */
@Injectable()
export class RetentionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async run(now: Date, options: RetentionOptions = {}): Promise<RetentionOutcome[]> {
    const rules = await this.dataSource.query<RuleRow[]>(
      `SELECT municipality_id, record_type, period, action,
              $1::timestamptz - period::interval AS cutoff
       FROM retention_rule ${options.municipalityId ? 'WHERE municipality_id = $2' : ''}
       ORDER BY municipality_id, record_type`,
      options.municipalityId ? [now, options.municipalityId] : [now],
    );
    const outcomes: RetentionOutcome[] = [];
    for (const rule of rules) {
      if (!(rule.record_type in RETENTION_TARGETS)) continue;
      outcomes.push(
        options.dryRun
          ? await this.preview(rule)
          : await this.apply(rule, now, options.batchSize ?? DEFAULT_BATCH),
      );
    }
    return outcomes;
  }

  private async preview(rule: RuleRow): Promise<RetentionOutcome> {
    const candidates = RETENTION_TARGETS[rule.record_type].candidates(rule.action);
    const params = [rule.municipality_id, rule.cutoff];
    const [{ count }] = await this.dataSource.query<[{ count: number }]>(
      `SELECT count(*)::int AS count FROM (${candidates}) AS candidate`,
      params,
    );
    const ids = await this.dataSource.query<{ id: string }[]>(
      `${candidates} ORDER BY 1 LIMIT ${MAX_LISTED_IDS}`,
      params,
    );
    return {
      ...this.outcomeOf(rule),
      count,
      ids: ids.map((row) => row.id),
      idsTruncated: count > ids.length,
    };
  }

  private async apply(rule: RuleRow, now: Date, batchSize: number): Promise<RetentionOutcome> {
    const target = RETENTION_TARGETS[rule.record_type];
    const candidates = target.candidates(rule.action);
    const outcome: RetentionOutcome = { ...this.outcomeOf(rule), skipped: false };
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const [{ locked }] = await manager.query<[{ locked: boolean }]>(
          'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked',
          [RETENTION_LOCK, `${rule.municipality_id}:${rule.record_type}`],
        );
        if (!locked) return null;
        const chosen = await manager.query<{ id: string }[]>(`${candidates} ORDER BY 1 LIMIT $3`, [
          rule.municipality_id,
          rule.cutoff,
          batchSize,
        ]);
        if (chosen.length === 0) return { chosen: 0, changed: [] };
        const changed = await target.apply(
          manager,
          rule.action,
          chosen.map((row) => row.id),
          now,
        );
        await this.audit.record(
          manager,
          {
            municipalityId: rule.municipality_id,
            actorUserId: null,
            actorUnitId: null,
            requestId: null,
          },
          changed.length === 0
            ? []
            : [
                {
                  action: rule.action === 'delete' ? 'retention.deleted' : 'retention.anonymised',
                  recordType: target.auditRecordType,
                  reason: `Retention rule ${rule.record_type}: ${rule.period}`,
                  details: {
                    rule: rule.record_type,
                    period: rule.period,
                    cutoff: rule.cutoff.toISOString(),
                    count: changed.length,
                    ids: changed,
                  },
                },
              ],
        );
        return { chosen: chosen.length, changed };
      });
      if (batch === null) {
        outcome.skipped = true;
        break;
      }
      outcome.count += batch.changed.length;
      outcome.ids.push(...batch.changed);
      // A short batch was the last; one where nothing changed is left to the next run.
      if (batch.chosen < batchSize || batch.changed.length === 0) break;
    }
    return outcome;
  }

  private outcomeOf(rule: RuleRow): RetentionOutcome {
    return {
      municipalityId: rule.municipality_id,
      recordType: rule.record_type,
      action: rule.action,
      period: rule.period,
      cutoff: rule.cutoff,
      count: 0,
      ids: [],
      idsTruncated: false,
      skipped: false,
    };
  }
}
