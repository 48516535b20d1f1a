import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  LoginRequest,
  LogoutRequest,
  ProblemDetails,
  RefreshRequest,
  TokenResponse,
} from '@samverka/contracts';
import type { RequestWithActor } from '../common/actor.js';
import { PasswordAuthenticator } from './password-authenticator.js';
import { Public } from './policy.decorator.js';
import { SessionService } from './session.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly passwords: PasswordAuthenticator,
    private readonly sessions: SessionService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TokenResponse, description: 'Signed in' })
  @ApiUnauthorizedResponse({ type: ProblemDetails, description: 'Wrong email or password' })
  @ApiTooManyRequestsResponse({
    type: ProblemDetails,
    description: 'Rate limited or account locked (see Retry-After)',
  })
  login(@Body() body: LoginRequest, @Req() request: RequestWithActor): Promise<TokenResponse> {
    return this.passwords.login(
      body.email,
      body.password,
      request.ip ?? 'unknown',
      String(request.id ?? ''),
    );
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: TokenResponse,
    description: 'A new access token and the next refresh token',
  })
  @ApiUnauthorizedResponse({
    type: ProblemDetails,
    description: 'Invalid, used or expired refresh token',
  })
  refresh(@Body() body: RefreshRequest, @Req() request: RequestWithActor): Promise<TokenResponse> {
    return this.sessions.refresh(body.refreshToken, String(request.id ?? ''));
  }

  /** Public so that a client whose access token has expired can still sign out. */
  @Public()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The session is revoked; its tokens no longer work' })
  async logout(@Body() body: LogoutRequest, @Req() request: RequestWithActor): Promise<void> {
    await this.sessions.logout(body.refreshToken, String(request.id ?? ''));
  }
}
