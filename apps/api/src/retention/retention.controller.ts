import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseEnumPipe,
  Put,
  Query,
} from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  RETENTION_RECORD_TYPES,
  RetentionDryRunQuery,
  RetentionDryRunResponse,
  RetentionRuleResponse,
  SetRetentionRuleRequest,
  type RetentionRecordType,
  PageQuery,
  type Page,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { badRequest } from '../common/problems.js';
import { RetentionRulesService } from './retention-rules.service.js';
import { RetentionService } from './retention.service.js';

/** An unknown kind is a 400 naming `recordType` and the kinds there are, as for every other field. */
const recordTypePipe = new ParseEnumPipe(
  Object.fromEntries(RETENTION_RECORD_TYPES.map((type) => [type, type])),
  {
    exceptionFactory: () => {
      const reason = `recordType must be one of the following values: ${RETENTION_RECORD_TYPES.join(', ')}`;
      return badRequest(reason, [{ field: 'recordType', reasons: [reason] }]);
    },
  },
);
const RecordTypeParam = () =>
  ApiParam({ name: 'recordType', enum: RETENTION_RECORD_TYPES, description: 'The kind of record' });

/** Retention (gallring): the municipality's rules, and what a run would remove. */
@ApiTags('retention')
@Controller('retention')
export class RetentionController {
  constructor(
    private readonly rules: RetentionRulesService,
    private readonly retention: RetentionService,
  ) {}

  @Get('rules')
  @Policy('list', 'RetentionRule')
  @ApiQueryFrom(PageQuery)
  @ApiPage(RetentionRuleResponse, 'Every kind of record, with its rule (period and action) or none')
  list(
    @Query() query: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<RetentionRuleResponse>> {
    return this.rules.list(actor, query);
  }

  @Put('rules/:recordType')
  @Policy('update', 'RetentionRule')
  @RecordTypeParam()
  @ApiOkResponse({ type: RetentionRuleResponse, description: 'The rule as now set (audited)' })
  set(
    @Param('recordType', recordTypePipe) recordType: RetentionRecordType,
    @Body() body: SetRetentionRuleRequest,
    @CurrentActor() actor: Actor,
  ): Promise<RetentionRuleResponse> {
    return this.rules.set(actor, recordType, body);
  }

  @Delete('rules/:recordType')
  @Policy('update', 'RetentionRule')
  @RecordTypeParam()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'No rule any more: nothing of this kind is removed' })
  async remove(
    @Param('recordType', recordTypePipe) recordType: RetentionRecordType,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.rules.remove(actor, recordType);
  }

  @Get('dry-run')
  @Policy('read', 'RetentionRun')
  @ApiQueryFrom(RetentionDryRunQuery)
  @ApiOkResponse({
    type: RetentionDryRunResponse,
    description: 'What a run now (or at `at`) would remove per kind: counts and ids, no content',
  })
  async dryRun(
    @Query() query: RetentionDryRunQuery,
    @CurrentActor() actor: Actor,
  ): Promise<RetentionDryRunResponse> {
    const at = query.at ? new Date(query.at) : new Date();
    const outcomes = await this.retention.run(at, {
      dryRun: true,
      municipalityId: actor.principal.municipalityId,
    });
    return {
      at: at.toISOString(),
      outcomes: outcomes.map((outcome) => ({
        recordType: outcome.recordType,
        action: outcome.action,
        period: outcome.period,
        cutoff: outcome.cutoff.toISOString(),
        count: outcome.count,
        ids: outcome.ids,
        idsTruncated: outcome.idsTruncated,
      })),
    };
  }
}
