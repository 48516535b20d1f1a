import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  AgendaItemResponse,
  CreateAgendaItemRequest,
  PageQuery,
  Page,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { findCase } from '../cases/case-access.js';
import type { CaseRow } from '../cases/case-query.js';
import type { Actor } from '../common/actor.js';
import { pageInMemory } from '../common/pagination.js';
import { fieldError } from '../common/problems.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { assertAgendaCovered } from './agenda-gate.js';
import { findItem, presentItem, readItems, type AgendaItemRow } from './agenda-query.js';
import { checkMeetingText } from './meeting-checks.js';
import { assertWithinBasisAge, BASIS_AGE_COLUMNS, basisCodeIs } from '../catalog/basis-age.js';
import { findMeeting } from './meeting-query.js';
import { MeetingsService } from './meetings.service.js';

/**
 * The agenda: an item about a young person is accepted only if a consent in force (or a statutory
 * basis) covers every agency taking part; it is hidden from an agency as soon as that stops.
 */
@Injectable()
export class AgendaService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly meetings: MeetingsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  add(
    actor: Actor,
    meetingId: string,
    request: CreateAgendaItemRequest,
  ): Promise<AgendaItemResponse> {
    return this.dataSource.transaction(async (manager) => {
      const meeting = await this.meetings.changeable(manager, actor, meetingId);
      const category = request.category ?? 'general';
      await checkCategory(manager, meeting.municipality_id, category);
      let kase: CaseRow | null = null;
      let legalBasisId: string | null = null;
      if (meeting.kind === 'area') {
        if (request.caseId) {
          throw fieldError(
            'caseId',
            'an area-level meeting takes no agenda item about a young person',
          );
        }
      } else if (request.caseId) {
        kase = await findCase(manager, actor, request.caseId, { open: true });
        legalBasisId = await this.legalBasis(manager, kase, request);
      } else if (request.legalBasisCode) {
        throw fieldError('legalBasisCode', 'a legal basis belongs to an item about a young person');
      }
      // Its title may name neither the meeting's young person nor its own case's, when protected
      // (in their own texts even by their given name alone).
      for (const personId of new Set([meeting.person_id, kase?.person_id ?? null])) {
        await checkMeetingText(
          manager,
          meeting.municipality_id,
          meeting.kind,
          { title: request.title },
          personId,
        );
      }
      // A harm assessment goes with a statutory basis that asks for one; alone it would be lost.
      if (request.harmAssessment !== undefined && legalBasisId === null) {
        throw fieldError(
          'harmAssessment',
          'a harm assessment goes with a legal basis (legalBasisCode) for an item about a young person',
        );
      }
      const [item] = await manager.query<{ id: string }[]>(
        `INSERT INTO agenda_item (municipality_id, meeting_id, position, title, case_id, category, legal_basis_id,
           harm_assessment, added_by)
         VALUES ($1, $2, (SELECT COALESCE(max(position), 0) + 1 FROM agenda_item WHERE meeting_id = $2),
                 $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          meeting.municipality_id,
          meetingId,
          request.title.trim(),
          kase?.id ?? null,
          category,
          legalBasisId,
          request.harmAssessment ?? null,
          actor.principal.userId,
        ],
      );
      const itemId = item!.id;
      await assertAgendaCovered(manager, meetingId, [itemId]);
      await this.audit.record(manager, actor, [
        {
          action: 'agenda.create',
          recordType: 'AgendaItem',
          recordId: itemId,
          personId: kase?.person_id ?? null,
          legalBasis: request.legalBasisCode,
          details: { meetingId, category },
        },
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId: meeting.municipality_id,
          topic: 'meeting',
          aggregateId: meetingId,
          type: 'agenda.added',
          payload: { meetingId, agendaItemId: itemId, aboutYoungPerson: kase !== null },
        },
      ]);
      const row = await findItem(manager, actor, itemId);
      return presentItem(actor.ability, row);
    });
  }

  /** The items the actor may see now; those about a young person are audited as reads. */
  async list(actor: Actor, meetingId: string, query: PageQuery): Promise<Page<AgendaItemResponse>> {
    const manager = this.dataSource.manager;
    await findMeeting(manager, actor, meetingId);
    const rows = await readItems(
      manager,
      actor,
      'list',
      (params) => `ai.meeting_id = ${params.bind(meetingId)}`,
    );
    const page = pageInMemory(rows, query, ['int', 'uuid'], (row) => [row.position, row.id]);
    await this.auditReads(manager, actor, page.items);
    return { ...page, items: page.items.map((row) => presentItem(actor.ability, row)) };
  }

  async auditReads(manager: EntityManager, actor: Actor, rows: AgendaItemRow[]): Promise<void> {
    await this.audit.recordAccess(
      manager,
      actor,
      rows
        .filter((row) => row.person_id !== null)
        .map((row) => ({
          action: 'agenda.read',
          recordType: 'AgendaItem',
          recordId: row.id,
          personId: row.person_id,
          legalBasis: row.reader_basis ?? undefined,
        })),
    );
  }

  /** A statutory basis from the catalogue that lets the case's agency tell others. */
  private async legalBasis(
    manager: EntityManager,
    kase: CaseRow,
    request: CreateAgendaItemRequest,
  ): Promise<string | null> {
    if (!request.legalBasisCode) return null;
    const [basis] = await manager.query<
      {
        id: string;
        applies: boolean;
        requires_harm_assessment: boolean;
        person_under_age: number | null;
        birth_date: string | null;
        today: string;
      }[]
    >(
      `SELECT lb.id, u.agency = ANY(lb.from_agencies) AS applies, lb.requires_harm_assessment,
              ${BASIS_AGE_COLUMNS}
       FROM legal_basis lb JOIN unit u ON u.id = $3 JOIN person p ON p.id = $4
       WHERE lb.municipality_id = $1 AND ${basisCodeIs('$2')}`,
      [kase.municipality_id, request.legalBasisCode, kase.owning_unit_id, kase.person_id],
    );
    if (!basis)
      throw fieldError('legalBasisCode', 'no such legal basis in your municipality’s catalogue');
    if (!basis.applies) {
      throw fieldError(
        'legalBasisCode',
        `${request.legalBasisCode} does not apply to the agency holding the case`,
      );
    }
    if (basis.requires_harm_assessment && !request.harmAssessment) {
      throw fieldError('harmAssessment', `${request.legalBasisCode} needs a harm assessment`);
    }
    assertWithinBasisAge(request.legalBasisCode, basis);
    return basis.id;
  }
}

export async function checkCategory(
  manager: EntityManager,
  municipalityId: string,
  category: string,
): Promise<void> {
  const [known] = await manager.query<unknown[]>(
    'SELECT 1 FROM information_category WHERE municipality_id = $1 AND code = $2',
    [municipalityId, category],
  );
  if (!known) throw fieldError('category', `unknown information category: ${category}`);
}
