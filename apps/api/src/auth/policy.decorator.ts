import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Action, RoutePolicy, SubjectType } from '@samverka/authz';
import { ProblemDetails } from '@samverka/contracts';

export const POLICY_KEY = 'samverka:policy';
export const PUBLIC_KEY = 'samverka:public';

/**
 * Declares the permission a route needs. Every route has this or `@Public()`; the app refuses to
 * start otherwise. The record-level check happens in the service, against the same policy.
 */
export function Policy(action: Action, subject: SubjectType) {
  const policy: RoutePolicy = { action, subject };
  return applyDecorators(
    SetMetadata(POLICY_KEY, policy),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      description: 'Missing, invalid or expired access token',
      type: ProblemDetails,
    }),
    ApiForbiddenResponse({
      description: `Requires permission to ${action} ${subject}`,
      type: ProblemDetails,
    }),
  );
}

/** The only way out of authentication: for health checks, login and token refresh. */
export function Public() {
  return SetMetadata(PUBLIC_KEY, true);
}
