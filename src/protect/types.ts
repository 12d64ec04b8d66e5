import type { CallContext } from '../connectors/capabilities.js';

/**
 * Protection policy settings for one target. Every call to an external system goes through
 * its target's policy: shared rate limit → concurrency cap → circuit breaker → timeout → retry.
 */
export interface ProtectionSettings {
  /** Calls per second allowed across every crossdock process on the same store. @default 50 */
  ratePerSecond: number;
  /** Calls allowed above the steady rate in a burst. 1 means evenly spaced calls. @default 1 */
  burst: number;
  /** Calls in flight at once from this process. @default 8 */
  concurrency: number;
  /** Per-attempt timeout, ms. @default 10000 */
  timeoutMs: number;
  /** Attempts inside one job run (transient errors only). @default 3 */
  attempts: number;
  /** First retry delay, ms; doubles each time, with jitter. @default 200 */
  backoffMs: number;
  /** Longest a call waits for a rate slot or a `Retry-After` before giving the job back to the queue, ms. @default 5000 */
  maxWaitMs: number;
  /** Consecutive failures that open the breaker. @default 5 */
  breakerThreshold: number;
  /** How long the breaker stays open before a half-open probe, ms. @default 5000 */
  breakerHalfOpenAfterMs: number;
}

export const DEFAULT_PROTECTION: ProtectionSettings = {
  ratePerSecond: 50,
  burst: 1,
  concurrency: 8,
  timeoutMs: 10_000,
  attempts: 3,
  backoffMs: 200,
  maxWaitMs: 5_000,
  breakerThreshold: 5,
  breakerHalfOpenAfterMs: 5_000,
};

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface PolicySnapshot {
  target: string;
  circuit: CircuitState;
  inFlight: number;
  queued: number;
  /**
   * Calls the target's shared rate budget would let start right now (0 … burst), as this
   * process last saw the budget: other processes' calls since then are not counted.
   */
  rateBudgetRemaining?: number;
}

export interface ProtectionPolicy {
  readonly target: string;
  /**
   * Runs `call` under the policy. `call` gets an AbortSignal that fires on timeout.
   * Throws CrossdockError: the call's own error after the last attempt, or
   * `target.circuit-open` / `target.rate-limited` when the policy refuses to wait longer.
   */
  execute<T>(operation: string, call: (signal: AbortSignal) => Promise<T>, ctx: CallContext): Promise<T>;
  /**
   * The target's own signals say no call should leave before `untilMs` (epoch ms): a leaky
   * bucket nearly full (`X-Shopify-Shop-Api-Call-Limit: 39/40`), GraphQL `throttleStatus`, a
   * rate-limit header. Pushed into the shared budget, so every process waits, and a client
   * that slows down before the target throttles it is never throttled twice in a row.
   */
  holdOff(untilMs: number): Promise<void>;
  snapshot(): PolicySnapshot;
}

/** HTTP as connectors see it: already wrapped by the target's policy, errors already classified. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, appended to the client's base URL. */
  path: string;
  /** Names the call in the journal, metrics and traces (e.g. `salesOrder.create`). */
  operation: string;
  headers?: Record<string, string>;
  /** Serialised as JSON when not a string. */
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: unknown;
}

export interface HttpClient {
  /**
   * Sends the request through the policy. Transient answers (429, 5xx, timeouts, dropped
   * connections) are thrown as CrossdockErrors and retried by the policy; 2xx–4xx answers are
   * returned for the connector to interpret in its vendor's terms.
   */
  request(request: HttpRequest, ctx: CallContext): Promise<HttpResponse>;
}
