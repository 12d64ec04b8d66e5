import { CrossdockError } from '../errors/crossdock-error.js';

/** Where a transport error came from, for its message and context. */
export interface TransportScope {
  target: string;
  operation: string;
}

/**
 * Error codes Node (libuv) and undici put on a failed connection: the target could not be
 * reached, or dropped the connection before answering.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** undici's own header/body timeouts: the target accepted the call but did not answer in time. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Classifies what `fetch` (or reading its body) threw. An aborted signal's reason wins: the
 * protection policy aborts with the very error it wants reported (`target.timeout`, or the
 * caller's cancellation). Network failures become `target.unreachable`; anything else (an
 * invalid URL or header) is crossdock's own defect and is returned unchanged.
 */
export function classifyTransportError(error: unknown, signal: AbortSignal, scope: TransportScope): unknown {
  if (error instanceof CrossdockError) return error;
  if (signal.aborted) {
    return signal.reason instanceof CrossdockError
      ? signal.reason
      : new CrossdockError('target.timeout', `${scope.operation} to ${scope.target} was aborted`, { target: scope.target, cause: error });
  }
  const code = networkCode(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new CrossdockError('target.timeout', `${scope.target} did not answer ${scope.operation} in time (${code})`, {
      target: scope.target,
      context: { operation: scope.operation, code },
      cause: error,
    });
  }
  // undici reports every network failure as TypeError('fetch failed') with the reason as cause,
  // and a body cut off mid-way as TypeError('terminated').
  const isNetworkFailure =
    (code !== undefined && UNREACHABLE_CODES.has(code)) ||
    (error instanceof TypeError && (error.message === 'fetch failed' || error.message === 'terminated'));
  if (isNetworkFailure) {
    return new CrossdockError(
      'target.unreachable',
      `${scope.target} could not be reached or dropped the connection during ${scope.operation}${code ? ` (${code})` : ''}`,
      { target: scope.target, context: { operation: scope.operation, ...(code ? { code } : {}) }, cause: error },
    );
  }
  return error;
}

/** The first system error code found on the error or its causes (including an AggregateError's errors). */
function networkCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || TIMEOUT_CODES.has(code))) return code;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = networkCode(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return networkCode(cause, depth + 1);
}
