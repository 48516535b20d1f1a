import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FollowUpQuery, FollowUpReportResponse } from '@samverka/contracts';
import type { Response } from 'express';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiQueryFrom } from '../common/openapi.js';
import { overviewCsv } from './csv.js';
import { FollowUpService } from './follow-up.service.js';

/** Aggregated follow-up for coordinators and auditors: counts only, small counts suppressed. */
@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly followUp: FollowUpService) {}

  @Get('follow-up')
  @Policy('read', 'FollowUpReport')
  @ApiQueryFrom(FollowUpQuery)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    type: FollowUpReportResponse,
    description: 'The overview for the period (`format=csv` for a CSV file of the same tables)',
  })
  async overview(
    @Query() query: FollowUpQuery,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FollowUpReportResponse | string> {
    const report = await this.followUp.overview(actor, query);
    if (query.format !== 'csv') return report;
    // An area's file is named after it too (`attachment` encodes a name beyond ASCII, RFC 6266).
    const area = report.areaName ? `-${report.areaName.replace(/[^\p{L}\p{N}]+/gu, '-')}` : '';
    response.attachment(`uppfoljning-${report.from}-${report.to}${area}.csv`);
    response.type('text/csv; charset=utf-8');
    return overviewCsv(report);
  }
}
