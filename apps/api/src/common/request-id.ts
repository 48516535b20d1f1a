import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { numbersAs } from './identifying-text.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Whether a client's request id could carry an identity number, which would then be written to
 * every log line and audit event of the request: ten or more digits in a row, however they are
 * written (dashes, dots or underscores between them, O for 0, l or I for 1).
 */
export function couldCarryIdentityNumber(id: string): boolean {
  return /\d{10}/.test(numbersAs(id).replace(/[._-]/g, ''));
}

/** A client's id worth keeping: a short token of letters, digits and `._-`, and no number in it. */
export const acceptableRequestId = (id: unknown): id is string =>
  typeof id === 'string' && REQUEST_ID.test(id) && !couldCarryIdentityNumber(id);

/**
 * The request's id: the `X-Request-Id` it came with if acceptable, else a new one; echoed in the
 * response header. The request logger assigns it; errors raised before that (the body parser's)
 * assign it here.
 */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers['x-request-id'];
  const id = acceptableRequestId(given) ? given : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}
