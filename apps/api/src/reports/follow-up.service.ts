import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AGENCY_TYPES,
  CASE_KINDS,
  GOAL_ATTAINMENTS,
  type AgencyType,
  type FollowUpQuery,
  type FollowUpReportResponse,
  type ReportTableResponse,
} from '@samverka/contracts';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { fieldError } from '../common/problems.js';
import { stockholmDate } from '../concerns/deadlines.js';
import {
  actionCounts,
  caseCounts,
  concernCounts,
  concernDemography,
  goalAttainment,
  inStockholmTime,
  type ConcernCounts,
  type Scope,
} from './follow-up-queries.js';
import { suppress, suppressAcross, SUPPRESSION_THRESHOLD, type ShownCount } from './suppression.js';

const TOTAL = 'Totalt';
const AGE_BANDS = ['0-5', '6-11', '12-14', '15-17', '18+', 'unknown'];
const GENDERS = ['female', 'male', 'other'];
const LEGEND =
  '"<5": 1–4, not shown so that no child can be identified. "x": hidden so that a hidden count cannot be worked out from the totals and the other cells (0 or 5 and more); a table of "x" only is withheld, as too small to show anything. "–": nothing to measure. Medians are shown from 5 reports. Actions count those due in the period; goals count each goal assessed at a review held in the period.';

const AGENCY_LABELS: Record<AgencyType, string> = {
  school: 'Skola',
  social_services: 'Socialtjänst',
  police: 'Polis',
  leisure: 'Fritid',
  health: 'Hälso- och sjukvård',
};

type Counts = number[][];

/** One additive table: rows × columns of counts, shown with margins and suppression. */
function table(
  id: string,
  title: string,
  rows: string[],
  columns: string[],
  counts: Counts,
): ReportTableResponse {
  return shownTable(id, title, rows, columns, suppress(counts, columns.length));
}

function shownTable(
  id: string,
  title: string,
  rows: string[],
  columns: string[],
  cells: ReportTableResponse['cells'],
): ReportTableResponse {
  return { id, title, rows: [...rows, TOTAL], columns: [...columns, TOTAL], cells };
}

type Shown = number | string;

const share = (part: Shown | undefined, whole: Shown | undefined): string =>
  typeof part === 'number' && typeof whole === 'number'
    ? whole === 0
      ? '–'
      : `${Math.round((100 * part) / whole)} %`
    : 'x';

/**
 * The follow-up overview of domain.md and the city's audit (seeds/002): concern reports and their
 * deadlines, cases, and the children concerned by age and gender, per area and period. No
 * personal data leaves: only counts, with small counts suppressed (see suppression.ts).
 */
@Injectable()
export class FollowUpService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async overview(actor: Actor, query: FollowUpQuery): Promise<FollowUpReportResponse> {
    if (query.to < query.from) throw fieldError('to', 'to must not be before from');
    const { municipalityId } = actor.principal;
    const manager = this.dataSource.manager;
    // Tables per area are counted and suppressed for every area, the same in every view, and an
    // area's view shows its own row of them: two views never differ in what they hide.
    const areas = await manager.query<{ id: string; name: string }[]>(
      'SELECT id, name FROM area WHERE municipality_id = $1 ORDER BY name',
      [municipalityId],
    );
    const areaIndex = query.areaId ? areas.findIndex((area) => area.id === query.areaId) : -1;
    if (query.areaId && areaIndex < 0) {
      throw fieldError('areaId', 'no such area in your municipality');
    }
    const scope: Scope = {
      municipalityId,
      from: query.from,
      to: query.to,
      areaId: query.areaId ?? null,
    };
    const everywhere: Scope = { ...scope, areaId: null };
    const today = stockholmDate(new Date());
    const [concerns, demography, cases, actions, goals] = await Promise.all([
      inStockholmTime(this.dataSource, (m) => concernCounts(m, everywhere, today)),
      inStockholmTime(this.dataSource, (m) => concernDemography(m, everywhere)),
      inStockholmTime(this.dataSource, (m) => caseCounts(m, everywhere)),
      inStockholmTime(this.dataSource, (m) => actionCounts(m, everywhere, today)),
      inStockholmTime(this.dataSource, (m) => goalAttainment(m, everywhere)),
    ]);
    /** An area's view of a table per area: its row, which is also its total. */
    const slice = (t: ReportTableResponse): ReportTableResponse =>
      areaIndex < 0
        ? t
        : {
            ...t,
            rows: [t.rows[areaIndex]!, TOTAL],
            cells: [t.cells[areaIndex]!, t.cells[areaIndex]!],
          };
    const byArea = new Map(concerns.map((row) => [row.area_id, row]));
    const names = areas.map((area) => area.name);
    const shownAreas = areaIndex < 0 ? areas : [areas[areaIndex]!];
    const shownNames = shownAreas.map((area) => area.name);
    const perArea = (pick: (row: ConcernCounts) => number[], width: number): Counts =>
      areas.map((area) => {
        const row = byArea.get(area.id);
        return row ? pick(row) : Array<number>(width).fill(0);
      });

    const received = perArea((r) => [r.urgent, r.not_urgent], 2);
    const demographyCounts = AGE_BANDS.map((band) =>
      GENDERS.map(
        (gender) => demography.find((d) => d.band === band && d.gender === gender)?.n ?? 0,
      ),
    );
    // Reports and children are counted apart (one child, many reports): neither total gives the other.
    const receivedTable = table(
      'concerns-received',
      'Orosanmälningar mottagna',
      names,
      ['Akut fara uppgiven', 'Ej akut'],
      received,
    );
    const demographyTable = table(
      'concerns-children',
      'Barnen i orosanmälningarna, ålder vid mottagandet och kön',
      AGE_BANDS.map((band) => (band === 'unknown' ? 'Okänd ålder' : `${band} år`)),
      ['Flickor', 'Pojkar', 'Annat eller okänt'],
      demographyCounts,
    );
    const preliminary = table(
      'preliminary-assessments',
      'Förhandsbedömningar beslutade, inom 14 dagar från mottagandet eller senare',
      names,
      ['Inom 14 dagar', 'Senare'],
      perArea((r) => [r.prelim_within, r.prelim_late], 2),
    );
    const investigations = table(
      'investigations',
      'Utredningar inledda (4 månader, eller förlängd tid efter beslut)',
      names,
      [
        'Avslutad inom 4 månader',
        'Avslutad inom förlängd tid',
        'Avslutad för sent',
        'Pågår inom tid',
        'Pågår, försenad',
      ],
      perArea(
        (r) => [r.inv_within, r.inv_extended, r.inv_late, r.inv_running, r.inv_running_overdue],
        5,
      ),
    );
    const followUps = table(
      'follow-ups',
      'Avböjda insatser och uppföljning inom 2 månader',
      names,
      ['Uppföljning gjord', 'Ingen uppföljning'],
      perArea((r) => [r.follow_up_done, r.follow_up_missing], 2),
    );
    const statusColumns = CASE_KINDS.flatMap((kind) => [
      `${kind.toUpperCase()} pågående`,
      `${kind.toUpperCase()} avslutade`,
    ]);
    const caseTable = table(
      'cases',
      'Ärenden öppnade, efter slag och status',
      names,
      statusColumns,
      areas.map((area) =>
        CASE_KINDS.flatMap((kind) =>
          [false, true].map(
            (finished) =>
              cases.find((c) => c.area_id === area.id && c.kind === kind && c.finished === finished)
                ?.n ?? 0,
          ),
        ),
      ),
    );
    // Tables whose rows are not areas are counted per area and suppressed together with the
    // whole municipality's (suppressAcross): a view shows its area's table, or the whole's.
    const view = (tables: ShownCount[][][]) => tables[areaIndex < 0 ? areas.length : areaIndex]!;
    const actionTable = shownTable(
      'actions',
      'Åtgärder i planerna med sista dag i perioden, efter ansvarig verksamhet och status',
      AGENCY_TYPES.map((agency) => AGENCY_LABELS[agency]),
      ['Klara', 'Öppna', 'Försenade'],
      view(
        suppressAcross(
          areas.map((area) =>
            AGENCY_TYPES.map((agency) => {
              const row = actions.find((a) => a.area_id === area.id && a.agency === agency);
              return [row?.done ?? 0, row?.open ?? 0, row?.overdue ?? 0];
            }),
          ),
          AGENCY_TYPES.length,
          3,
        ),
      ),
    );
    const goalTable = shownTable(
      'goal-attainment',
      'Mål bedömda vid uppföljningar i perioden, efter ärendeslag och måluppfyllelse',
      CASE_KINDS.map((kind) => kind.toUpperCase()),
      ['Ej påbörjat', 'Ej uppnått', 'Delvis uppnått', 'Uppnått'],
      view(
        suppressAcross(
          areas.map((area) =>
            CASE_KINDS.map((kind) =>
              GOAL_ATTAINMENTS.map(
                (attainment) =>
                  goals.find(
                    (g) => g.area_id === area.id && g.kind === kind && g.attainment === attainment,
                  )?.n ?? 0,
              ),
            ),
          ),
          CASE_KINDS.length,
          GOAL_ATTAINMENTS.length,
        ),
      ),
    );
    const line = (t: ReportTableResponse, r: number) => slice(t).cells[r] ?? [];
    const shares: ReportTableResponse = {
      id: 'shares',
      title: 'Andel inom tidsgränsen',
      rows: [...shownNames, TOTAL],
      columns: [
        'Förhandsbedömningar inom 14 dagar',
        'Avslutade utredningar inom 4 månader',
        'Avslutade utredningar med förlängning',
        'Uppföljningar efter avböjd insats',
      ],
      cells: [...shownNames, TOTAL].map((_, r) => [
        share(line(preliminary, r)[0], line(preliminary, r)[2]),
        share(line(investigations, r)[0], sumOf(line(investigations, r).slice(0, 3))),
        share(line(investigations, r)[1], sumOf(line(investigations, r).slice(0, 3))),
        share(line(followUps, r)[0], line(followUps, r)[2]),
      ]),
    };
    const times: ReportTableResponse = {
      id: 'assessment-times',
      title: 'Dagar från mottagandet till bedömning (median)',
      rows: shownNames,
      columns: ['Skyddsbedömning', 'Förhandsbedömning'],
      cells: shownAreas.map((area) => {
        const row = byArea.get(area.id);
        return [
          median(row?.protection_n ?? 0, row?.protection_median),
          median(row?.prelim_n ?? 0, row?.prelim_median),
        ];
      }),
    };
    await this.audit.recordAccess(manager, actor, [
      { action: 'report.follow_up', recordType: 'FollowUpReport', details: { ...scope } },
    ]);
    return {
      from: query.from,
      to: query.to,
      areaId: query.areaId ?? null,
      areaName: areaIndex < 0 ? null : areas[areaIndex]!.name,
      generatedAt: new Date().toISOString(),
      legend: LEGEND,
      // The children by age and gender are counted for the whole municipality only: one area's
      // beside the whole's would give the others' small counts away by difference.
      tables: [
        slice(receivedTable),
        times,
        slice(preliminary),
        slice(investigations),
        slice(followUps),
        shares,
        ...(areaIndex < 0 ? [demographyTable] : []),
        slice(caseTable),
        actionTable,
        goalTable,
      ],
    };
  }
}

/** The sum of shown counts, or "x" if any is hidden. */
function sumOf(cells: Shown[]): Shown {
  const counts = cells.filter((cell): cell is number => typeof cell === 'number');
  return counts.length === cells.length ? counts.reduce((sum, n) => sum + n, 0) : 'x';
}

function median(n: number, value: number | null | undefined): number | string {
  if (n === 0 || value === null || value === undefined) return '–';
  return n < SUPPRESSION_THRESHOLD ? '<5' : Number(value);
}
