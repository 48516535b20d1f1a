import { Body, Controller, Delete, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiTags,
} from '@nestjs/swagger';
import { LegalHoldResponse, PlaceLegalHoldRequest, ProblemDetails } from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { LegalHoldService } from './legal-hold.service.js';
import { uuid } from '../common/validation.js';

/** Legal hold on a case: retention removes nothing of it while the hold stands. */
@ApiTags('retention')
@Controller('cases/:id/legal-hold')
export class LegalHoldController {
  constructor(private readonly holds: LegalHoldService) {}

  @Post()
  @Policy('create', 'LegalHold')
  @ApiCreatedResponse({ type: LegalHoldResponse, description: 'The case is held (audited)' })
  @ApiConflictResponse({ type: ProblemDetails, description: 'The case is already held' })
  place(
    @Param('id', uuid) caseId: string,
    @Body() body: PlaceLegalHoldRequest,
    @CurrentActor() actor: Actor,
  ): Promise<LegalHoldResponse> {
    return this.holds.place(actor, caseId, body.reason);
  }

  @Delete()
  @Policy('revoke', 'LegalHold')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The hold is lifted (audited); retention applies again' })
  async lift(@Param('id', uuid) caseId: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.holds.lift(actor, caseId);
  }
}
