import { OutboxService } from '../outbox/outbox.service.js';
import { lapseConsents, consentsInForce } from '../sharing/consent-query.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  AreaResponse,
  CreateAreaRequest,
  CreateUnitRequest,
  MunicipalSettings,
  MunicipalityResponse,
  Page,
  UnitResponse,
  UpdateMunicipalSettingsRequest,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { decodeCursor, pageSize, toPage } from '../common/pagination.js';
import { badRequest, conflict, fieldError, notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';

interface SettingsRow {
  youth_consent_age: number;
  sig_min_age: number;
  sig_max_age: number;
  meeting_reminder_minutes: number[];
}

/** Serialises the naming of a municipality's areas or units (with the table in the key). */
const NAMES_LOCK = 727_310_003;

/**
 * The name of the municipality's area (or unit) that is this name ignoring case, or null: "norra"
 * is "Norra" (two areas that only a capital tells apart are one area twice). Holds a lock on the
 * municipality's area (or unit) names until the transaction ends, so that a concurrent creation
 * of "NORRA" waits for this one and then finds it. (lower() follows the database's ctype: Å, Ä
 * and Ö fold under a UTF-8 ctype, as on the embedded database, not under "C".)
 */
async function nameTaken(
  manager: EntityManager,
  table: 'area' | 'unit',
  municipalityId: string,
  name: string,
): Promise<string | null> {
  await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
    NAMES_LOCK,
    `${table}:${municipalityId}`,
  ]);
  const [found] = await manager.query<{ name: string }[]>(
    `SELECT name FROM ${table} WHERE municipality_id = $1 AND lower(name) = lower($2) LIMIT 1`,
    [municipalityId, name],
  );
  return found?.name ?? null;
}

const SETTING_NAMES = [
  'youthConsentAge',
  'sigMinAge',
  'sigMaxAge',
  'meetingReminderMinutes',
] as const satisfies readonly (keyof MunicipalSettings)[];

/** The municipality (tenant), its areas and agency units, and its settings. */
@Injectable()
export class OrganisationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async municipality(actor: Actor): Promise<MunicipalityResponse> {
    const [row] = await this.dataSource.query<(SettingsRow & { id: string; name: string })[]>(
      `SELECT m.id, m.name, s.youth_consent_age, s.sig_min_age, s.sig_max_age, s.meeting_reminder_minutes
       FROM municipality m JOIN municipal_settings s ON s.municipality_id = m.id WHERE m.id = $1`,
      [actor.principal.municipalityId],
    );
    if (!row) throw notFound('The municipality');
    return { id: row.id, name: row.name, settings: this.settings(row) };
  }

  async updateSettings(
    actor: Actor,
    changes: UpdateMunicipalSettingsRequest,
  ): Promise<MunicipalityResponse> {
    await this.dataSource.transaction(async (manager) => {
      const [current] = await manager.query<SettingsRow[]>(
        'SELECT youth_consent_age, sig_min_age, sig_max_age, meeting_reminder_minutes FROM municipal_settings WHERE municipality_id = $1 FOR UPDATE',
        [actor.principal.municipalityId],
      );
      if (!current) throw notFound('The municipality');
      const before = this.settings(current);
      const next = {
        ...before,
        ...changes,
        meetingReminderMinutes: [
          ...(changes.meetingReminderMinutes ?? before.meetingReminderMinutes),
        ].sort((a, b) => b - a),
      };
      if (next.sigMinAge > next.sigMaxAge) {
        throw badRequest('sigMinAge must not be above sigMaxAge', [
          {
            field: 'sigMinAge',
            reasons: [`sigMinAge (${next.sigMinAge}) is above sigMaxAge (${next.sigMaxAge})`],
          },
        ]);
      }
      // The settings that change, each with its value before and after: what the auditor reads.
      // Nothing changes (an empty request, or the values there already): nothing is written.
      const changed = Object.fromEntries(
        SETTING_NAMES.filter(
          (name) => JSON.stringify(before[name]) !== JSON.stringify(next[name]),
        ).map((name) => [name, { before: before[name], after: next[name] }]),
      );
      if (Object.keys(changed).length === 0) return;
      // A lower youth consent age asks more young people for their own consent: consents that
      // lack it lapse at once, and their cases' members are told, as for a revocation.
      const inForce =
        next.youthConsentAge < before.youthConsentAge
          ? await consentsInForce(manager, actor.principal.municipalityId)
          : [];
      await manager.query(
        `UPDATE municipal_settings SET youth_consent_age = $2, sig_min_age = $3, sig_max_age = $4,
           meeting_reminder_minutes = $5::int[], updated_at = now()
         WHERE municipality_id = $1`,
        [
          actor.principal.municipalityId,
          next.youthConsentAge,
          next.sigMinAge,
          next.sigMaxAge,
          next.meetingReminderMinutes,
        ],
      );
      await this.audit.record(manager, actor, [
        {
          action: 'municipality.settings_update',
          recordType: 'Municipality',
          recordId: actor.principal.municipalityId,
          details: { changed },
        },
      ]);
      await lapseConsents(
        manager,
        this.outbox,
        actor.principal.municipalityId,
        next.youthConsentAge,
        inForce,
      );
    });
    return this.municipality(actor);
  }

  async areas(actor: Actor, limit?: number, cursor?: string): Promise<Page<AreaResponse>> {
    const size = pageSize(limit);
    const after = decodeCursor(cursor, ['text', 'uuid']);
    const params = new SqlParams([actor.principal.municipalityId]);
    const rows = await this.dataSource.query<AreaResponse[]>(
      `SELECT id, name FROM area WHERE municipality_id = $1
       ${after ? `AND (name, id) > (${params.bind(after[0])}, ${params.bind(after[1])}::uuid)` : ''}
       ORDER BY name, id LIMIT ${size + 1}`,
      params.values,
    );
    return toPage(
      rows,
      size,
      (row) => ({ id: row.id, name: row.name }),
      (row) => [row.name, row.id],
    );
  }

  async createArea(actor: Actor, request: CreateAreaRequest): Promise<AreaResponse> {
    const name = request.name.trim();
    return this.dataSource.transaction(async (manager) => {
      const taken = await nameTaken(manager, 'area', actor.principal.municipalityId, name);
      if (taken !== null) throw conflict(`An area named "${taken}" already exists`);
      const [row] = await manager.query<AreaResponse[]>(
        `INSERT INTO area (municipality_id, name) VALUES ($1, $2)
         ON CONFLICT (municipality_id, name) DO NOTHING RETURNING id, name`,
        [actor.principal.municipalityId, name],
      );
      if (!row) throw conflict(`An area named "${name}" already exists`);
      await this.audit.record(manager, actor, [
        { action: 'area.create', recordType: 'Area', recordId: row.id },
      ]);
      return row;
    });
  }

  async units(
    actor: Actor,
    filter: { areaId?: string; agency?: string; limit?: number; cursor?: string },
  ): Promise<Page<UnitResponse>> {
    const size = pageSize(filter.limit);
    const after = decodeCursor(filter.cursor, ['text', 'uuid']);
    const params = new SqlParams([actor.principal.municipalityId]);
    const where = ['municipality_id = $1'];
    if (filter.areaId) where.push(`area_id = ${params.bind(filter.areaId)}`);
    if (filter.agency) where.push(`agency = ${params.bind(filter.agency)}`);
    if (after)
      where.push(`(name, id) > (${params.bind(after[0])}, ${params.bind(after[1])}::uuid)`);
    const rows = await this.dataSource.query<
      { id: string; name: string; agency: UnitResponse['agency']; area_id: string }[]
    >(
      `SELECT id, name, agency, area_id FROM unit WHERE ${where.join(' AND ')} ORDER BY name, id LIMIT ${size + 1}`,
      params.values,
    );
    return toPage(
      rows,
      size,
      (row) => ({ id: row.id, name: row.name, agency: row.agency, areaId: row.area_id }),
      (row) => [row.name, row.id],
    );
  }

  async createUnit(actor: Actor, request: CreateUnitRequest): Promise<UnitResponse> {
    const name = request.name.trim();
    return this.dataSource.transaction(async (manager) => {
      const [area] = await manager.query<{ id: string }[]>(
        'SELECT id FROM area WHERE id = $1 AND municipality_id = $2',
        [request.areaId, actor.principal.municipalityId],
      );
      if (!area) throw fieldError('areaId', 'no such area in your municipality');
      const taken = await nameTaken(manager, 'unit', actor.principal.municipalityId, name);
      if (taken !== null) throw conflict(`A unit named "${taken}" already exists`);
      const [row] = await manager.query<{ id: string }[]>(
        `INSERT INTO unit (municipality_id, area_id, name, agency) VALUES ($1, $2, $3, $4)
         ON CONFLICT (municipality_id, name) DO NOTHING RETURNING id`,
        [actor.principal.municipalityId, request.areaId, name, request.agency],
      );
      if (!row) throw conflict(`A unit named "${name}" already exists`);
      await this.audit.record(manager, actor, [
        { action: 'unit.create', recordType: 'Unit', recordId: row.id },
      ]);
      return {
        id: row.id,
        name,
        agency: request.agency,
        areaId: request.areaId,
      };
    });
  }

  private settings(row: SettingsRow) {
    return {
      youthConsentAge: row.youth_consent_age,
      sigMinAge: row.sig_min_age,
      sigMaxAge: row.sig_max_age,
      meetingReminderMinutes: row.meeting_reminder_minutes,
    };
  }
}
