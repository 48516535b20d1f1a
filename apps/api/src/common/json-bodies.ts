import type { IncomingMessage, ServerResponse } from 'node:http';
import { unsupportedMediaType } from './problems.js';

/** Whether the request carries a body (as body-parser decides: a length above 0, or chunks). */
function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && length.trim() !== '0')
  );
}

/**
 * Every body the API reads is JSON: a body of another type (form data, plain text, even
 * `application/merge-patch+json`, whose nulls mean something else) is a 415, not a request that
 * succeeds while the JSON parser passes over it and nothing the user sent is done.
 */
export function requireJsonBodies(
  request: IncomingMessage,
  _response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  if (!hasBody(request)) return next();
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return next();
  next(
    unsupportedMediaType(
      type
        ? `A request body must be application/json, not ${type}`
        : 'A request body must be application/json; this one has no content type',
    ),
  );
}
