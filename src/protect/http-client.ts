import type { AttemptReport, CallContext } from '../connectors/capabilities.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { startClientSpan } from '../observability/tracing.js';
import { classifyTransportError, type TransportScope } from './http-errors.js';
import { parseRetryAfter } from './retry-after.js';
import type { HttpClient, HttpRequest, HttpResponse, ProtectionPolicy } from './types.js';

/** How a connector's HTTP client is built (by the composition root, never by the connector). */
export interface HttpClientOptions {
  /** Scheme, host and optional base path; `HttpRequest.path` is appended to it. */
  baseUrl: string;
  /** The target name used in errors and attempt reports; the same as the policy's. */
  target: string;
  /** Every request runs inside `policy.execute`. */
  policy: ProtectionPolicy;
  /** Sent with every request (authentication, API version); a request's own headers win. */
  defaultHeaders?: Record<string, string>;
  /** @default globalThis.fetch (Node's built-in, undici) */
  fetch?: typeof fetch;
  /** Turns an HTTP-date `Retry-After` into a delay. @default systemClock */
  clock?: Clock;
  /**
   * The wait a throttled (429) or unavailable (503) answer asks for, for vendors that say it in
   * their own header (BigCommerce `X-Rate-Limit-Time-Reset-Ms`). Consulted when `Retry-After`
   * is absent.
   */
  retryAfter?: (headers: Headers) => number | undefined;
}

/** Longest excerpt of an answer kept in attempt reports and error context. */
const EXCERPT_CHARS = 2000;

/**
 * An HTTP client wrapped by its target's protection policy. Requests carry the correlation id
 * (`x-correlation-id`); JSON bodies are serialised and parsed. Answers are classified so the
 * policy can act on them: 429 → `target.rate-limited`, 5xx → `target.unavailable` (both with
 * `retryAfterMs` from `Retry-After` on 429 and 503), dropped connections →
 * `target.unreachable`, timeouts → `target.timeout`. 2xx–4xx are returned for the connector
 * to interpret in its vendor's terms. Each attempt report carries the status, the request and
 * an excerpt of the answer.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { target, policy } = options;
  const send = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? systemClock;
  const base = options.baseUrl.replace(/\/+$/, '');
  const serverAddress = URL.canParse(base) ? new URL(base).host : base;

  return {
    async request(request: HttpRequest, ctx: CallContext): Promise<HttpResponse> {
      const scope: TransportScope = { target, operation: request.operation };
      const url = base + (request.path.startsWith('/') ? request.path : `/${request.path}`);
      const body = serialiseBody(request.body);
      const headers = buildHeaders(options.defaultHeaders, request, body !== undefined, ctx.correlationId);
      const sent = { method: request.method, path: request.path, ...(request.body === undefined ? {} : { body: request.body }) };

      // What the current attempt learnt from the answer; attempts run one after another, so
      // one variable per request is enough to enrich each attempt's report.
      let answer: Pick<AttemptReport, 'status' | 'response'> = {};
      const onAttempt = ctx.onAttempt;
      const reportingCtx: CallContext =
        onAttempt === undefined ? ctx : { ...ctx, onAttempt: (report) => onAttempt({ ...report, request: sent, ...answer }) };

      return policy.execute(
        request.operation,
        async (signal) => {
          answer = {};
          // One CLIENT span per attempt, its traceparent in this attempt's headers.
          const span = startClientSpan(`${target} ${request.operation}`, headers, {
            'http.request.method': request.method, 'server.address': serverAddress, 'url.full': url.split('?', 1)[0],
            'crossdock.target': target, 'crossdock.operation': request.operation,
          });
          let response: Response;
          let text: string;
          try {
            response = await send(url, { method: request.method, headers, body, signal });
            text = await response.text();
          } catch (error) {
            const failure = classifyTransportError(error, signal, scope);
            span.end(undefined, failure);
            throw failure;
          }
          span.end(response.status);
          answer = { status: response.status, ...(text === '' ? {} : { response: summarise(response, text) }) };
          const failure = classifyAnswer(response, text, scope, clock.now(), options.retryAfter);
          if (failure) throw failure;
          return { status: response.status, headers: response.headers, body: parseBody(response, text, scope) };
        },
        reportingCtx,
      );
    },
  };
}

function serialiseBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function buildHeaders(
  defaults: Record<string, string> | undefined,
  request: HttpRequest,
  hasBody: boolean,
  correlationId: string,
): Headers {
  const headers = new Headers({ accept: 'application/json' });
  for (const [name, value] of Object.entries(defaults ?? {})) headers.set(name, value);
  if (hasBody && typeof request.body !== 'string') headers.set('content-type', 'application/json');
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
  // The correlation id ties the target's logs to crossdock's journal (DESIGN: every hop is traceable).
  if (correlationId !== '') headers.set('x-correlation-id', correlationId);
  return headers;
}

/**
 * JSON when the answer says so, else the text; undefined when there is no body. A body that
 * claims to be JSON and is not breaks the contract: `target.rejected`, not retried.
 */
function parseBody(response: Response, text: string, scope: TransportScope): unknown {
  if (text === '') return undefined;
  if (!isJson(response)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CrossdockError('target.rejected', `${scope.target} answered ${scope.operation} with invalid JSON`, {
      target: scope.target,
      context: { operation: scope.operation, status: response.status, body: excerpt(text) },
      cause: error,
    });
  }
}

/** The transient answers the policy retries; undefined for answers the connector interprets. */
function classifyAnswer(
  response: Response,
  text: string,
  scope: TransportScope,
  now: number,
  vendorRetryAfter?: (headers: Headers) => number | undefined,
): CrossdockError | undefined {
  const { status } = response;
  if (status !== 429 && status < 500) return undefined;
  // RFC 9110 §10.2.3: Retry-After accompanies 429 and 503.
  const retryAfterMs = status === 429 || status === 503
    ? parseRetryAfter(response.headers.get('retry-after'), now) ?? vendorRetryAfter?.(response.headers)
    : undefined;
  const code = status === 429 ? 'target.rate-limited' : 'target.unavailable';
  return new CrossdockError(code, `${scope.target} answered ${scope.operation} with HTTP ${status}`, {
    target: scope.target,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    context: { operation: scope.operation, status, ...(text === '' ? {} : { body: excerpt(text) }) },
  });
}

/** What the journal keeps of an answer: the parsed JSON when small and valid, else a text excerpt. */
function summarise(response: Response, text: string): unknown {
  if (text.length <= EXCERPT_CHARS && isJson(response)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not JSON after all: keep the text, which is what a person needs to see.
    }
  }
  return excerpt(text);
}

function isJson(response: Response): boolean {
  // application/json, application/problem+json, application/vnd.api+json, with any parameters.
  return /[/+]json\b/i.test(response.headers.get('content-type') ?? '');
}

function excerpt(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS)}…`;
}
