/** The outcome of taking one request from a client's budget. */
export type RateDecision =
  | { allowed: true; limit: number; remaining: number; resetSeconds: number }
  | { allowed: false; limit: number; retryAfterMs: number };

interface Bucket { tokens: number; at: number; perMinute: number }

/**
 * One token bucket per API client, in this process's memory: a client may burst up to its
 * per-minute rate, then proceeds at that rate. With several crossdock processes behind a
 * balancer each allows the full rate (documented in docs/access.md); the point is to stop one
 * runaway integration from starving the others, not exact accounting.
 */
export class ClientRateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  take(clientId: string, perMinute: number, now: number): RateDecision {
    let bucket = this.#buckets.get(clientId);
    if (!bucket || bucket.perMinute !== perMinute) {
      bucket = { tokens: perMinute, at: now, perMinute };
      this.#buckets.set(clientId, bucket);
    }
    const perMs = perMinute / 60_000;
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    if (bucket.tokens < 1) return { allowed: false, limit: perMinute, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
    bucket.tokens -= 1;
    return { allowed: true, limit: perMinute, remaining: Math.floor(bucket.tokens), resetSeconds: Math.ceil((perMinute - bucket.tokens) / perMs / 1000) };
  }
}
