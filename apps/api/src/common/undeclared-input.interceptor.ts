import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { FieldError } from '@samverka/contracts';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { badRequest } from './problems.js';

/** What a route reads of a request besides its path: a body, a query string. */
interface Takes {
  body: boolean;
  query: boolean;
}

/**
 * A route refuses input it does not read, as a route with a body refuses fields it does not know:
 * `{"reason": "…"}` sent to acknowledge, or `?include=all` on `GET /me`, is a mistake to be told
 * of, not something to drop in silence. (A route that reads a query string or a body has its
 * DTO refuse the parameters and fields it does not know.)
 */
@Injectable()
export class UndeclaredInputInterceptor implements NestInterceptor {
  private readonly takes = new WeakMap<object, Takes>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const takes = this.takesOf(context);
    const request = context.switchToHttp().getRequest<Request>();
    const errors = [
      ...(takes.query ? [] : unreadQuery(request.query)),
      ...(takes.body ? [] : unreadBody(request.body)),
    ];
    if (errors.length > 0) {
      throw badRequest(errors.map((error) => error.reasons[0]).join('; '), errors);
    }
    return next.handle();
  }

  private takesOf(context: ExecutionContext): Takes {
    const handler = context.getHandler();
    let takes = this.takes.get(handler);
    if (takes === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ??
        {}) as Record<string, unknown>;
      const types = Object.keys(args).map((key) => Number(key.split(':')[0]));
      takes = {
        body: types.some((type) => [RouteParamtypes.BODY, RouteParamtypes.RAW_BODY].includes(type)),
        query: types.includes(RouteParamtypes.QUERY),
      };
      this.takes.set(handler, takes);
    }
    return takes;
  }
}

function unreadQuery(query: unknown): FieldError[] {
  if (typeof query !== 'object' || query === null) return [];
  return Object.keys(query).map((parameter) => ({
    field: parameter,
    reasons: [`${parameter} is not a known parameter: this request takes no query parameters`],
  }));
}

function unreadBody(body: unknown): FieldError[] {
  if (body === undefined || body === null) return [];
  const fields = typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : ['(body)'];
  return fields.map((field) => ({
    field,
    reasons: [`${field} is not a known field: this request takes no body`],
  }));
}
