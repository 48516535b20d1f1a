import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AppAbility, PolicyContext, Principal } from '@samverka/authz';
import type { Request } from 'express';

/** The authenticated caller of one request: who, what they may do, and the request id. */
export interface Actor {
  principal: Principal;
  context: PolicyContext;
  ability: AppAbility;
  requestId: string;
}

export type RequestWithActor = Request & { actor?: Actor; id?: string | number };

/** Injects the caller set by the authentication guard. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor => {
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    if (!request.actor) throw new Error('CurrentActor used on a route without authentication');
    return request.actor;
  },
);
