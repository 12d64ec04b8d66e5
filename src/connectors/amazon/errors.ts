import { CrossdockError } from '../../errors/crossdock-error.js';
import type { HttpResponse } from '../../protect/types.js';
import { record, text } from './document.js';

/** SP-API error shape: `{ "errors": [{ "code", "message", "details" }] }` (every API model's ErrorList). */
export interface SpApiError {
  code: string;
  message: string;
  details?: string;
}

export function spApiErrors(body: unknown): SpApiError[] {
  const errors = record(body)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((raw) => {
    const error = record(raw);
    if (error === undefined) return [];
    const details = text(error.details);
    return [{ code: text(error.code) ?? 'Unknown', message: text(error.message) ?? '', ...(details === undefined ? {} : { details }) }];
  });
}

/** The errors as one line a person can read in the journal. */
export function describeErrors(response: HttpResponse): string {
  const errors = spApiErrors(response.body);
  if (errors.length === 0) return typeof response.body === 'string' && response.body !== '' ? response.body.slice(0, 500) : `HTTP ${response.status}`;
  return errors.map((e) => `${e.code}: ${e.message}${e.details === undefined ? '' : ` (${e.details})`}`).join('; ');
}

/**
 * 2xx passes; other answers become CrossdockErrors. 401/403 are handled before (refresh and
 * retry); 429 and 5xx never get here (the HTTP client throws them as transient).
 */
export function ensureOk(response: HttpResponse, target: string, operation: string): HttpResponse {
  if (response.status >= 200 && response.status < 300) return response;
  const message = `Amazon ${operation} answered ${response.status}: ${describeErrors(response)}`;
  const options = { target, context: { operation, status: response.status, errors: spApiErrors(response.body) } };
  if (response.status === 401 || response.status === 403) throw new CrossdockError('channel.unauthorized', message, options);
  if (response.status === 404) throw new CrossdockError('channel.not-found', message, options);
  throw new CrossdockError('target.rejected', message, options);
}
