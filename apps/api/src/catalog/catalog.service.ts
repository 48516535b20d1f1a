import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  AgencyType,
  CategoryResponse,
  CreateCategoryRequest,
  CreateLegalBasisRequest,
  LegalBasisResponse,
  Page,
  PageQuery,
} from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { pageInMemory } from '../common/pagination.js';
import { conflict, fieldError } from '../common/problems.js';
import { basisCodeIs } from './basis-age.js';

interface LegalBasisRow {
  id: string;
  code: string;
  title: string;
  citation: string;
  from_agencies: AgencyType[];
  to_agencies: AgencyType[];
  requires_harm_assessment: boolean;
  person_under_age: number | null;
}

export const presentLegalBasis = (row: LegalBasisRow): LegalBasisResponse => ({
  id: row.id,
  code: row.code,
  title: row.title,
  citation: row.citation,
  fromAgencies: row.from_agencies,
  toAgencies: row.to_agencies,
  requiresHarmAssessment: row.requires_harm_assessment,
  personUnderAge: row.person_under_age,
});

/** Per-municipality catalogues: information categories and statutory bases for disclosure. */
@Injectable()
export class CatalogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async categories(actor: Actor, query: PageQuery): Promise<Page<CategoryResponse>> {
    const rows = await this.dataSource.query<CategoryResponse[]>(
      'SELECT code, label FROM information_category WHERE municipality_id = $1',
      [actor.principal.municipalityId],
    );
    return pageInMemory(rows, query, ['text'], (row) => [row.code]);
  }

  async createCategory(actor: Actor, request: CreateCategoryRequest): Promise<CategoryResponse> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<CategoryResponse[]>(
        `INSERT INTO information_category (municipality_id, code, label) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING code, label`,
        [actor.principal.municipalityId, request.code, request.label.trim()],
      );
      if (!row) throw conflict(`The category ${request.code} already exists`);
      await this.audit.record(manager, actor, [
        { action: 'category.create', recordType: 'InformationCategory', recordId: request.code },
      ]);
      return row;
    });
  }

  async legalBases(actor: Actor, query: PageQuery): Promise<Page<LegalBasisResponse>> {
    const rows = await this.dataSource.query<LegalBasisRow[]>(
      'SELECT * FROM legal_basis WHERE municipality_id = $1',
      [actor.principal.municipalityId],
    );
    return pageInMemory(rows.map(presentLegalBasis), query, ['text'], (row) => [row.code]);
  }

  async createLegalBasis(
    actor: Actor,
    request: CreateLegalBasisRequest,
  ): Promise<LegalBasisResponse> {
    return this.dataSource.transaction(async (manager) => {
      // Codes that differ only in case would read as one statute with two sets of rules.
      // `consent` names the other kind of basis (OSL 12:2): no statutory code may read as it.
      if (request.code.replace(/\s+/g, '').toLowerCase() === 'consent') {
        throw fieldError(
          'code',
          'consent is not a statutory basis code: a disclosure or notice on consent names it so',
        );
      }
      const [same] = await manager.query<{ code: string }[]>(
        `SELECT code FROM legal_basis lb WHERE municipality_id = $1 AND ${basisCodeIs('$2')}`,
        [actor.principal.municipalityId, request.code],
      );
      if (same) throw conflict(`A legal basis with code ${same.code} already exists`);
      const [row] = await manager.query<LegalBasisRow[]>(
        `INSERT INTO legal_basis (municipality_id, code, title, citation, from_agencies, to_agencies, requires_harm_assessment, person_under_age)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING *`,
        [
          actor.principal.municipalityId,
          request.code.trim(),
          request.title.trim(),
          request.citation.trim(),
          request.fromAgencies,
          request.toAgencies,
          request.requiresHarmAssessment,
          request.personUnderAge ?? null,
        ],
      );
      if (!row) throw conflict(`A legal basis with code ${request.code.trim()} already exists`);
      await this.audit.record(manager, actor, [
        {
          action: 'legal_basis.create',
          recordType: 'LegalBasis',
          recordId: row.id,
          // What a disclosure may rest on from now: the auditor reads it (the catalogue is not theirs).
          details: { ...presentLegalBasis(row) },
        },
      ]);
      return presentLegalBasis(row);
    });
  }
}
