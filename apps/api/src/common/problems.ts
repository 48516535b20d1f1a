import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldError } from '@samverka/contracts';

const TYPE_BASE = 'https://samverka.se/problems/';

/** Throwable problem details with a stable `type` (see the README's error table). */
export class Problem extends HttpException {
  constructor(
    status: HttpStatus,
    readonly problemType: string,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail, status);
  }

  /**
   * The person of the register a refused text named: the refusal tells its sender that the name
   * (or number, or address) is someone's in the register, so it is audited against that person.
   */
  namedPersonId?: string;

  get type(): string {
    return `${TYPE_BASE}${this.problemType}`;
  }
}

export const problemTypeUrl = (type: string) => `${TYPE_BASE}${type}`;

export const notFound = (what: string) =>
  new Problem(HttpStatus.NOT_FOUND, 'not-found', 'Not found', `${what} was not found`);

export const forbidden = (detail: string) =>
  new Problem(HttpStatus.FORBIDDEN, 'forbidden', 'Forbidden', detail);

export const conflict = (detail: string, type = 'conflict') =>
  new Problem(HttpStatus.CONFLICT, type, 'Conflict', detail);

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new Problem(HttpStatus.BAD_REQUEST, 'invalid-request', 'Invalid request', detail, errors);

export const fieldError = (field: string, reason: string) =>
  badRequest(`${field}: ${reason}`, [{ field, reasons: [reason] }]);

/** A 400 refusing `field` because its text names `personId`, a person of the register (audited). */
export function namesPersonError(field: string, reason: string, personId: string): Problem {
  const problem = fieldError(field, reason);
  problem.namedPersonId = personId;
  return problem;
}

export const unauthorized = (detail: string, type = 'unauthenticated') =>
  new Problem(HttpStatus.UNAUTHORIZED, type, 'Unauthorized', detail);

export const tooManyRequests = (
  detail: string,
  retryAfterSeconds: number,
  type = 'too-many-requests',
) =>
  new Problem(HttpStatus.TOO_MANY_REQUESTS, type, 'Too many requests', detail, undefined, {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });

/** The server is too busy to take this now: nothing was done; the same request may be sent again. */
export const busy = (detail: string, retryAfterSeconds: number) =>
  new Problem(HttpStatus.SERVICE_UNAVAILABLE, 'busy', 'Service unavailable', detail, undefined, {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });

export const unsupportedMediaType = (detail: string) =>
  new Problem(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'unsupported-media-type',
    'Unsupported media type',
    detail,
  );
