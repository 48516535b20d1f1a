import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Action } from '@samverka/authz';
import type { Page, PersonResponse, SearchPeopleRequest } from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { decodeCursor, encodeCursor, pageSize } from '../common/pagination.js';
import { badRequest } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { nameMatches } from '../common/sql-text.js';
import { resolveIdentity } from './identity.js';
import { PERSON_COLUMNS, personWhere, type PersonRow } from './person-query.js';
import { guardianReads, PersonPresenter } from './person-presenter.js';

/**
 * Finding people: filtered in SQL by the policy (a protected person the caller is not cleared for
 * is never found), paginated by keyset, and every person returned is an audited read.
 */
@Injectable()
export class PeopleSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  search(actor: Actor, request: SearchPeopleRequest): Promise<Page<PersonResponse>> {
    const byName = request.name !== undefined;
    const byNumber = request.identityNumber !== undefined;
    if (byName === byNumber) {
      throw badRequest('Search by exactly one of name and identityNumber', [
        {
          field: byName ? 'identityNumber' : 'name',
          reasons: ['send exactly one of name and identityNumber'],
        },
      ]);
    }
    return this.query(actor, 'search', request.limit, request.cursor, (params) => {
      if (byNumber) {
        const identity = resolveIdentity(request.identityNumber, request.identityKind);
        return [`p.identity_number = ${params.bind(identity.normalized)}`];
      }
      return nameMatches(request.name!, params);
    });
  }

  list(actor: Actor, limit?: number, cursor?: string): Promise<Page<PersonResponse>> {
    return this.query(actor, 'list', limit, cursor, () => []);
  }

  private async query(
    actor: Actor,
    action: Action,
    limit: number | undefined,
    cursor: string | undefined,
    filters: (params: SqlParams) => string[],
  ): Promise<Page<PersonResponse>> {
    const size = pageSize(limit);
    const after = decodeCursor(cursor, ['text', 'text', 'uuid']);
    const params = new SqlParams();
    const where = [personWhere(actor, action, params), ...filters(params)];
    if (after) {
      where.push(
        `(p.family_name, p.given_name, p.id) > (${params.bind(after[0])}, ${params.bind(after[1])}, ${params.bind(after[2])}::uuid)`,
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<PersonRow[]>(
        `SELECT ${PERSON_COLUMNS} FROM person p WHERE ${where.join(' AND ')}
         ORDER BY p.family_name, p.given_name, p.id LIMIT ${size + 1}`,
        params.values,
      );
      const more = rows.length > size;
      const page = more ? rows.slice(0, size) : rows;
      const items = await new PersonPresenter(actor.ability).present(manager, page);
      await this.audit.record(manager, actor, [
        ...page.map((row) => ({
          action: `person.${action}_result`,
          recordType: 'Person',
          recordId: row.id,
          personId: row.id,
        })),
        ...guardianReads(items, `person.${action}_result`),
      ]);
      const last = page[page.length - 1];
      return {
        items,
        nextCursor:
          more && last ? encodeCursor([last.family_name, last.given_name, last.id]) : null,
      };
    });
  }
}
