import {
  Inject,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Req,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CalendarFeedResponse } from '@samverka/contracts';
import type { Request } from 'express';
import { Policy, Public } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { CalendarService } from './calendar.service.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';

/** Your meetings as an iCalendar feed at a secret, revocable address. */
@ApiTags('calendar')
@Controller()
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The configured public address; without one, the request's (its Host header is trusted). */
  private baseUrl(request: Request): string {
    return this.config.publicUrl ?? `${request.protocol}://${request.get('host') ?? 'localhost'}`;
  }

  @Post('me/calendar-feed')
  @Policy('list', 'Meeting')
  @ApiCreatedResponse({
    type: CalendarFeedResponse,
    description: 'A new secret address (shown once); any previous one stops working',
  })
  create(@Req() request: Request, @CurrentActor() actor: Actor): Promise<CalendarFeedResponse> {
    return this.calendar.create(actor, this.baseUrl(request));
  }

  @Delete('me/calendar-feed')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Policy('list', 'Meeting')
  @ApiNoContentResponse({ description: 'Revoked: the address answers 404 from now on' })
  revoke(@CurrentActor() actor: Actor): Promise<void> {
    return this.calendar.revoke(actor);
  }

  /** Calendar programs cannot sign in: the secret in the address is the credential. */
  @Get('calendar/:token.ics')
  @Public()
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/calendar')
  @ApiOkResponse({
    description: 'iCalendar (RFC 5545): kind, time, place and link of your meetings; no names',
    content: {
      'application/json': { schema: { type: 'string' } },
      'text/calendar': { schema: { type: 'string' } },
    },
  })
  feed(@Param('token') token: string, @Req() request: Request): Promise<string> {
    return this.calendar.feed(token, this.baseUrl(request));
  }
}
