import {
  Body,
  Controller,
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
  ChangeRolesRequest,
  CreateUserRequest,
  DisableUserRequest,
  MeResponse,
  PageQuery,
  UserResponse,
  type Page,
} from '@samverka/contracts';
import { Policy } from '../auth/policy.decorator.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ApiPage, ApiQueryFrom } from '../common/openapi.js';
import { UsersService } from './users.service.js';
import { uuid } from '../common/validation.js';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Policy('read', 'User')
  @ApiOkResponse({
    type: MeResponse,
    description: 'The signed-in user, roles, unit, agency, areas and municipality',
  })
  me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    return this.users.me(actor);
  }
}

/** Account administration; every change is audited. */
@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Policy('list', 'User')
  @ApiQueryFrom(PageQuery)
  @ApiPage(UserResponse)
  list(@Query() query: PageQuery, @CurrentActor() actor: Actor): Promise<Page<UserResponse>> {
    return this.users.list(actor, query.limit, query.cursor);
  }

  @Post()
  @Policy('create', 'User')
  @ApiCreatedResponse({ type: UserResponse })
  create(@Body() body: CreateUserRequest, @CurrentActor() actor: Actor): Promise<UserResponse> {
    return this.users.create(actor, body);
  }

  @Get(':id')
  @Policy('read', 'User')
  @ApiOkResponse({
    type: UserResponse,
    description: 'Any account of the municipality for administrators; your own for everyone',
  })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<UserResponse> {
    return this.users.get(actor, id);
  }

  @Patch(':id/roles')
  @Policy('update', 'User')
  @ApiOkResponse({ type: UserResponse })
  changeRoles(
    @Param('id', uuid) id: string,
    @Body() body: ChangeRolesRequest,
    @CurrentActor() actor: Actor,
  ): Promise<UserResponse> {
    return this.users.changeRoles(actor, id, body.roles);
  }

  @Post(':id/disable')
  @HttpCode(HttpStatus.OK)
  @Policy('disable', 'User')
  @ApiOkResponse({
    type: UserResponse,
    description: 'Disabled; every session of the user ends at once',
  })
  disable(
    @Param('id', uuid) id: string,
    @Body() body: DisableUserRequest,
    @CurrentActor() actor: Actor,
  ): Promise<UserResponse> {
    return this.users.setStatus(actor, id, 'disabled', body.reason);
  }

  @Post(':id/enable')
  @HttpCode(HttpStatus.OK)
  @Policy('disable', 'User')
  @ApiOkResponse({ type: UserResponse })
  enable(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<UserResponse> {
    return this.users.setStatus(actor, id, 'active');
  }

  @Post(':id/unlock')
  @HttpCode(HttpStatus.OK)
  @Policy('update', 'User')
  @ApiOkResponse({ type: UserResponse, description: 'Lifts a lock after repeated failed sign-ins' })
  unlock(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<UserResponse> {
    return this.users.unlock(actor, id);
  }
}
