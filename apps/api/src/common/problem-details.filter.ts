import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { ProblemDetails } from '@samverka/contracts';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import type { RequestWithActor } from './actor.js';
import { AuditService } from '../audit/audit.service.js';
import { Problem, problemTypeUrl } from './problems.js';
import { assignRequestId } from './request-id.js';
import { notAnObject } from './validation.js';

interface BodyParserError {
  type?: string;
  /** The body as received (parse errors). */
  body?: string;
  status?: number;
  statusCode?: number;
}

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

function slug(status: number): string {
  return (TITLES[status] ?? 'error').toLowerCase().replace(/\s+/g, '-');
}

/** Every error leaves as RFC 9457 problem details; nothing internal leaks into `detail`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly audit: AuditService) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<RequestWithActor>();
    if (request.actor) {
      // A refusal that named a person of the register is audited before it is answered.
      await this.audit.recordRefusal(request.actor, exception).catch((error: unknown) => {
        this.logger.error(`Auditing a refusal failed: ${String(error)}`);
        exception = new Error('audit failed');
      });
    }
    const problem = this.toProblem(exception);
    // Errors of the body parser come before the request logger has given the request its id.
    request.id ??= assignRequestId(request, response);
    problem.requestId = String(request.id);
    if (exception instanceof Problem && exception.headers) {
      for (const [name, value] of Object.entries(exception.headers))
        response.setHeader(name, value);
    }
    response.status(problem.status).type('application/problem+json').json(problem);
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof Problem) {
      return {
        type: exception.type,
        title: exception.title,
        status: exception.getStatus(),
        detail: exception.message,
        ...(exception.errors ? { errors: exception.errors } : {}),
      };
    }
    // Express's body parser errors (the adapter wraps them in an HttpException with the cause).
    const parserError = (exception instanceof HttpException ? exception.cause : exception) as
      BodyParserError | undefined;
    if (parserError?.type === 'entity.too.large') {
      return this.simple(413, 'The request body is larger than this server accepts');
    }
    if (parserError?.type === 'entity.parse.failed') {
      // The parser takes only an object or an array: a lone value (null, 42, "text") is JSON too.
      const kind = loneValue(parserError.body);
      if (kind) {
        const reason = `the body must be a JSON object, not ${kind}`;
        return { ...this.simple(400, reason), errors: [{ field: '(body)', reasons: [reason] }] };
      }
      return this.simple(400, 'The request body is not valid JSON');
    }
    if (parserError?.type === 'request.aborted') {
      return this.simple(400, 'The request was aborted before its body arrived');
    }
    if (
      parserError?.type === 'encoding.unsupported' ||
      parserError?.type === 'charset.unsupported'
    ) {
      return this.simple(415, 'The request body encoding is not supported');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body !== null && 'message' in body ? body.message : body;
      const detail = Array.isArray(message) ? message.join('; ') : String(message);
      return {
        type: problemTypeUrl(slug(status)),
        title: TITLES[status] ?? 'Error',
        status,
        detail,
      };
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string } | undefined)?.code;
      if (code === '23505') return this.simple(409, 'This conflicts with an existing record');
      if (code === '40001' || code === '40P01') {
        return this.simple(409, 'A concurrent change got in the way; try again');
      }
      // A value the database could not take (out of range, not a date that exists, not a
      // number): validation should have caught it; whatever slipped through is still the
      // request's fault, and nothing was changed.
      if (code?.startsWith('22')) {
        this.logger.warn(`a request value reached the database unvalidated: ${exception.message}`);
        return this.simple(
          400,
          'A value in the request is out of range or not in a form it can take',
        );
      }
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return this.simple(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'Something went wrong on our side; the error is logged',
    );
  }

  private simple(status: number, detail: string): ProblemDetails {
    return { type: problemTypeUrl(slug(status)), title: TITLES[status] ?? 'Error', status, detail };
  }
}

/** What a body that is one JSON value other than an object or array is ('null', 'a number', …). */
function loneValue(body: string | undefined): string | null {
  if (body === undefined) return null;
  try {
    return notAnObject(JSON.parse(body));
  } catch {
    return null;
  }
}

/**
 * A request outside `/api` (Nest answers only under its prefix) gets the same problem details,
 * with a request id, as one inside: a 404, or the error that stopped it (a body that is not
 * JSON), instead of Express's HTML page. Registered after every route.
 */
export function answerOutsideTheApi(app: NestExpressApplication): void {
  const filter = new ProblemDetailsFilter(app.get(AuditService));
  const answer = (error: unknown, request: Request, response: Response) =>
    void filter.catch(error, new ExecutionContextHost([request, response]));
  app.use((request: Request, response: Response) =>
    answer(new NotFoundException(`Cannot ${request.method} ${request.path}`), request, response),
  );
  app.use((error: unknown, request: Request, response: Response, _next: NextFunction) =>
    answer(error, request, response),
  );
}
