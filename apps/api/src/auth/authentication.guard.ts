import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SUBJECT_NOUNS, type RoutePolicy } from '@samverka/authz';
import type { RequestWithActor } from '../common/actor.js';
import { forbidden, unauthorized } from '../common/problems.js';
import { AccessTokenVerifier, bearerToken } from './access-token-verifier.js';
import { POLICY_KEY, PUBLIC_KEY } from './policy.decorator.js';
import { PrincipalService } from './principal.service.js';

/**
 * Deny by default. A route passes only when it is `@Public()`, or the caller has a valid access
 * token for a live session and the route's declared `@Policy()` is one the caller's ability can
 * satisfy. A route with neither is refused (and the app does not start with one).
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenVerifier,
    private readonly principals: PrincipalService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Sockets are authenticated at the handshake and re-checked on every event by the gateway.
    if (context.getType() === 'ws') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const policy = this.reflector.getAllAndOverride<RoutePolicy | undefined>(POLICY_KEY, targets);
    if (!policy) throw forbidden('This route declares no policy and is closed');

    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const header = request.headers.authorization;
    const token = bearerToken(header);
    if (!token)
      throw unauthorized('Sign in: send the access token as "Authorization: Bearer <token>"');
    const claims = await this.tokens.verify(token);
    if (!claims) {
      throw unauthorized(
        'The access token is invalid or has expired; refresh it or sign in again',
        'invalid-token',
      );
    }
    const resolved = await this.principals.resolve(claims.sub, claims.sid);
    if (!resolved) {
      throw unauthorized(
        'The session has ended (signed out, revoked or account disabled); sign in again',
        'session-ended',
      );
    }
    if (!resolved.ability.can(policy.action, policy.subject)) {
      throw forbidden(
        `Your role does not allow you to ${policy.action} ${SUBJECT_NOUNS[policy.subject]}`,
      );
    }
    request.actor = { ...resolved, requestId: String(request.id ?? '') };
    return true;
  }
}
