import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AddInviteesRequest,
  CancelMeetingRequest,
  CreateMeetingRequest,
  MeetingQuery,
  MeetingResponse,
  RsvpRequest,
  UpdateMeetingRequest,
  type Page,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { MeetingInviteesService } from './meeting-invitees.service.js';
import { MeetingsService } from './meetings.service.js';
import { uuid } from '../common/validation.js';

/** Meetings: known to the organiser, the invitees and the area's coordinators; others get 404. */
@ApiTags('meetings')
@Controller('meetings')
export class MeetingsController {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly invitees: MeetingInviteesService,
  ) {}

  @Post()
  @Policy('create', 'Meeting')
  @ApiCreatedResponse({
    type: MeetingResponse,
    description: 'Called; 409 lists invitees already booked then (resend with overrideConflicts)',
  })
  create(
    @Body() body: CreateMeetingRequest,
    @CurrentActor() actor: Actor,
  ): Promise<MeetingResponse> {
    return this.meetings.create(actor, body);
  }

  @Get()
  @Policy('list', 'Meeting')
  @ApiQueryFrom(MeetingQuery)
  @ApiPage(MeetingResponse, 'The meetings you may know exist, soonest first')
  list(@Query() query: MeetingQuery, @CurrentActor() actor: Actor): Promise<Page<MeetingResponse>> {
    return this.meetings.list(actor, query);
  }

  @Get(':id')
  @Policy('read', 'Meeting')
  @ApiOkResponse({ type: MeetingResponse })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<MeetingResponse> {
    return this.meetings.get(actor, id);
  }

  @Patch(':id')
  @Policy('update', 'Meeting')
  @ApiOkResponse({
    type: MeetingResponse,
    description: 'Rescheduled or changed; new times reset the answers (409 on conflicts)',
  })
  update(
    @Param('id', uuid) id: string,
    @Body() body: UpdateMeetingRequest,
    @CurrentActor() actor: Actor,
  ): Promise<MeetingResponse> {
    return this.meetings.update(actor, id, body);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @Policy('update', 'Meeting')
  @ApiOkResponse({ type: MeetingResponse, description: 'Cancelled; the invitees are told' })
  cancel(
    @Param('id', uuid) id: string,
    @Body() body: CancelMeetingRequest,
    @CurrentActor() actor: Actor,
  ): Promise<MeetingResponse> {
    return this.meetings.cancel(actor, id, body);
  }

  @Post(':id/rsvp')
  @HttpCode(HttpStatus.OK)
  @Policy('respond', 'Meeting')
  @ApiOkResponse({ type: MeetingResponse, description: 'Your answer (or your unit’s) recorded' })
  respond(
    @Param('id', uuid) id: string,
    @Body() body: RsvpRequest,
    @CurrentActor() actor: Actor,
  ): Promise<MeetingResponse> {
    return this.meetings.respond(actor, id, body);
  }

  @Post(':id/invitees')
  @Policy('update', 'Meeting')
  @ApiCreatedResponse({
    type: MeetingResponse,
    description: 'Invited; 409 if an agenda item would reach an agency no consent covers',
  })
  invite(
    @Param('id', uuid) id: string,
    @Body() body: AddInviteesRequest,
    @CurrentActor() actor: Actor,
  ): Promise<MeetingResponse> {
    return this.invitees.add(actor, id, body);
  }

  @Delete(':id/invitees/:inviteeId')
  @Policy('update', 'Meeting')
  @ApiOkResponse({ type: MeetingResponse, description: 'Uninvited: they lose access at once' })
  uninvite(
    @Param('id', uuid) id: string,
    @Param('inviteeId', uuid) inviteeId: string,
    @CurrentActor() actor: Actor,
  ): Promise<MeetingResponse> {
    return this.invitees.remove(actor, id, inviteeId);
  }
}
