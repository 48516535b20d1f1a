import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LegalHoldResponse } from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { refuseIdentityNumbers } from '../common/identifying-text.js';
import { conflict, notFound } from '../common/problems.js';

interface HoldRow {
  case_id: string;
  reason: string;
  placed_by: string;
  placed_at: Date;
}

const present = (row: HoldRow): LegalHoldResponse => ({
  caseId: row.case_id,
  reason: row.reason,
  placedBy: row.placed_by,
  placedAt: row.placed_at.toISOString(),
});

/**
 * Legal holds: a held case, and everything that belongs to it, is left alone by retention. The
 * administrator names the case by id (from a request for documents, a complaint, a court); the
 * hold reveals nothing of the case's content. Placing and lifting are audited with the person.
 */
@Injectable()
export class LegalHoldService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  place(actor: Actor, caseId: string, reason: string): Promise<LegalHoldResponse> {
    refuseIdentityNumbers('reason', reason);
    return this.dataSource.transaction(async (manager) => {
      // Locks the case: a retention batch deleting it waits, then finds it held (or the hold 404s).
      const [kase] = await manager.query<{ person_id: string }[]>(
        'SELECT person_id FROM collab_case WHERE id = $1 AND municipality_id = $2 FOR UPDATE',
        [caseId, actor.principal.municipalityId],
      );
      if (!kase) throw notFound('The case');
      const [row] = await manager.query<HoldRow[]>(
        `INSERT INTO legal_hold (case_id, municipality_id, reason, placed_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (case_id) DO NOTHING RETURNING case_id, reason, placed_by, placed_at`,
        [caseId, actor.principal.municipalityId, reason, actor.principal.userId],
      );
      if (!row) throw conflict('The case is already under legal hold', 'legal-hold-exists');
      await this.audit.record(manager, actor, [
        {
          action: 'case.legal_hold.placed',
          recordType: 'Case',
          recordId: caseId,
          personId: kase.person_id,
          reason,
        },
      ]);
      return present(row);
    });
  }

  lift(actor: Actor, caseId: string): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query<[HoldRow[], number]>(
        `DELETE FROM legal_hold WHERE case_id = $1 AND municipality_id = $2
         RETURNING case_id, reason, placed_by, placed_at`,
        [caseId, actor.principal.municipalityId],
      );
      const lifted = rows[0];
      if (!lifted) throw notFound('A legal hold on the case');
      const [kase] = await manager.query<{ person_id: string }[]>(
        'SELECT person_id FROM collab_case WHERE id = $1',
        [caseId],
      );
      await this.audit.record(manager, actor, [
        {
          action: 'case.legal_hold.lifted',
          recordType: 'Case',
          recordId: caseId,
          personId: kase?.person_id ?? null,
          details: { placedAt: lifted.placed_at.toISOString(), placedBy: lifted.placed_by },
        },
      ]);
    });
  }
}
