import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Action } from '@samverka/authz';
import type {
  CreateEntryRequest,
  EntryResponse,
  EntrySearchRequest,
  Page,
  PageQuery,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { findCase } from '../cases/case-access.js';
import { requireCategory } from '../catalog/category-check.js';
import type { Actor } from '../common/actor.js';
import { decodeCursor, encodeCursor, pageSize } from '../common/pagination.js';
import { notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { escapeLike } from '../common/sql-text.js';
import { compactNameSql } from '../common/identifying-text.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { mayNameAny, ProtectedPeople, searchMayFind } from '../people/protected-texts.js';
import {
  ENTRY_FROM,
  entryColumns,
  entryWhere,
  entryPresenter,
  type EntryRow,
} from './entry-query.js';
import { preparedQuery } from '../database/prepared-query.js';

/**
 * Case entries: written for the author's agency, read by others only through a disclosure whose
 * basis holds at the moment of reading. Every read is audited with the basis it relied on.
 */
@Injectable()
export class EntriesService {
  /** The municipalities' protected people: what a body may not show a reader, or a search find. */
  private readonly protectedPeople = new ProtectedPeople();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  create(actor: Actor, caseId: string, request: CreateEntryRequest): Promise<EntryResponse> {
    return this.dataSource.transaction(async (manager) => {
      const kase = await findCase(manager, actor, caseId, { open: true });
      await requireCategory(manager, kase.municipality_id, request.category);
      const { userId, unitId, agency } = actor.principal;
      const [entry] = await manager.query<{ id: string }[]>(
        `INSERT INTO case_entry (municipality_id, case_id, author_user_id, author_unit_id, author_agency, category, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [kase.municipality_id, caseId, userId, unitId, agency, request.category, request.body],
      );
      // A body that may name a protected person its author may not see reads as hidden to every
      // reader not cleared for them, its author too: written in the person's trail, that a user
      // tried names shows in loggkontroll.
      const named = (await this.protectedPeople.hiddenFrom(manager, actor)).filter((person) =>
        mayNameAny(request.body, [person], kase.person_id),
      );
      await this.audit.record(manager, actor, [
        {
          action: 'entry.create',
          recordType: 'CaseEntry',
          recordId: entry!.id,
          personId: kase.person_id,
        },
        ...named.map((person) => ({
          action: 'person.named_in_text',
          recordType: 'CaseEntry',
          recordId: entry!.id,
          personId: person.id,
          details: { fields: ['body'] },
        })),
      ]);
      await this.outbox.publish(manager, [
        {
          municipalityId: kase.municipality_id,
          topic: 'case',
          aggregateId: caseId,
          type: 'entry.created',
          payload: { caseId, entryId: entry!.id, category: request.category, authorAgency: agency },
        },
      ]);
      const [view] = await this.read(
        manager,
        actor,
        'read',
        (params) => [`e.id = ${params.bind(entry!.id)}`],
        1,
      );
      return view!;
    });
  }

  // Reads need no transaction: one statement sees one snapshot, and the audit events are
  // appended by group commit before the data is handed out.

  async get(actor: Actor, entryId: string): Promise<EntryResponse> {
    const [view] = await this.read(
      this.dataSource.manager,
      actor,
      'read',
      (params) => [`e.id = ${params.bind(entryId)}`],
      1,
    );
    if (!view) throw notFound('The entry');
    return view;
  }

  async list(actor: Actor, caseId: string, query: PageQuery): Promise<Page<EntryResponse>> {
    const manager = this.dataSource.manager;
    await findCase(manager, actor, caseId);
    return this.page(manager, actor, 'list', query.limit, query.cursor, (params) => [
      `e.case_id = ${params.bind(caseId)}`,
    ]);
  }

  async search(actor: Actor, request: EntrySearchRequest): Promise<Page<EntryResponse>> {
    const manager = this.dataSource.manager;
    // A protected young person never appears in an uncleared user's search: a search by what may
    // be their name, street or number, or a piece of a name or street, leaves their cases' entries
    // out (a hit would tie the name to the case).
    // Nor does an entry of another case that names them: a search by a piece of their family
    // name or street leaves out the entries that hold the whole of it, and one by their number
    // those that hold it (the others read as hidden to the uncleared, as every output shows them).
    const findable = (await this.protectedPeople.hiddenFrom(manager, actor)).filter((person) =>
      searchMayFind(request.text, person),
    );
    return this.page(manager, actor, 'search', request.limit, request.cursor, (params) => {
      const where = [`e.body ILIKE ${params.bind(`%${escapeLike(request.text)}%`)}`];
      if (findable.length > 0) {
        where.push(
          `k.person_id <> ALL(${params.bind(findable.map((person) => person.id))}::uuid[])`,
        );
        const pieces = findable.flatMap((person) => [...person.family, person.street]);
        const texts = pieces.filter((piece) => piece.length > 1).map((p) => `%${escapeLike(p)}%`);
        where.push(`${compactNameSql('e.body')} NOT ILIKE ALL(${params.bind(texts)}::text[])`);
        where.push(
          `regexp_replace(e.body, '[^0-9]', '', 'g') NOT LIKE ALL(${params.bind(
            findable
              .filter((person) => person.digits.length >= 4)
              .map((person) => `%${person.digits}%`),
          )}::text[])`,
        );
      }
      if (request.caseId) where.push(`e.case_id = ${params.bind(request.caseId)}`);
      if (request.category) where.push(`e.category = ${params.bind(request.category)}`);
      return where;
    });
  }

  private async page(
    manager: EntityManager,
    actor: Actor,
    action: Action,
    limit: number | undefined,
    cursor: string | undefined,
    filters: (params: SqlParams) => string[],
  ): Promise<Page<EntryResponse>> {
    const size = pageSize(limit);
    const after = decodeCursor(cursor, ['time', 'uuid']);
    const items = await this.read(
      manager,
      actor,
      action,
      (params) => [
        ...filters(params),
        ...(after
          ? [
              `(e.created_at, e.id) < (${params.bind(after[0])}::timestamptz, ${params.bind(after[1])}::uuid)`,
            ]
          : []),
      ],
      size + 1,
      size,
    );
    const pageItems = items.slice(0, size);
    const last = pageItems[pageItems.length - 1];
    return {
      items: pageItems,
      nextCursor: items.length > size && last ? encodeCursor([last.createdAt, last.id]) : null,
    };
  }

  /** Reads entries through the policy's SQL and audits each one returned, with its legal basis. */
  private async read(
    manager: EntityManager,
    actor: Actor,
    action: Action,
    filters: (params: SqlParams) => string[],
    limit: number,
    /** How many of the rows are handed out (the rest only tell whether there is a next page). */
    returned = limit,
  ): Promise<EntryResponse[]> {
    const params = new SqlParams();
    const columns = entryColumns(actor, params);
    const where = [entryWhere(actor, action, params), ...filters(params)];
    const rows = await preparedQuery<EntryRow>(
      manager,
      `SELECT ${columns} FROM ${ENTRY_FROM} WHERE ${where.join(' AND ')}
       ORDER BY e.created_at DESC, e.id DESC LIMIT ${limit}`,
      params.values,
    );
    await this.audit.recordAccess(
      manager,
      actor,
      rows.slice(0, returned).map((row) => ({
        action: 'entry.read',
        recordType: 'CaseEntry',
        recordId: row.id,
        personId: row.person_id,
        legalBasis: row.legal_basis ?? undefined,
      })),
    );
    const hidden =
      rows.length > 0
        ? await this.protectedPeople.hiddenFrom(manager, actor, rows[0]!.protected_version)
        : [];
    return rows.map(entryPresenter(hidden));
  }
}
