import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { badRequest } from './problems.js';

/**
 * A route that takes no body refuses one that carries fields, as a route with a body refuses
 * fields it does not know: `{"reason": "…"}` sent to acknowledge is a mistake to be told of, not
 * something to drop in silence.
 */
@Injectable()
export class NoBodyInterceptor implements NestInterceptor {
  private readonly takesBody = new WeakMap<object, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const handler = context.getHandler();
    let takes = this.takesBody.get(handler);
    if (takes === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ??
        {}) as Record<string, unknown>;
      takes = Object.keys(args).some((key) =>
        [RouteParamtypes.BODY, RouteParamtypes.RAW_BODY].includes(Number(key.split(':')[0])),
      );
      this.takesBody.set(handler, takes);
    }
    const body = context.switchToHttp().getRequest<Request>().body as unknown;
    if (!takes && body !== undefined && body !== null) {
      const fields =
        typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : ['(body)'];
      if (fields.length > 0) {
        const errors = fields.map((field) => ({
          field,
          reasons: [`${field} is not a known field: this request takes no body`],
        }));
        throw badRequest(errors.map((error) => error.reasons[0]).join('; '), errors);
      }
    }
    return next.handle();
  }
}
