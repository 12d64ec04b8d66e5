import type { Clock } from '../../lib/clock.js';
import type { Operation, UsagePlan } from './settings.js';

interface Bucket {
  tokens: number;
  at: number;
  rate: number;
  burst: number;
}

/**
 * crossdock's copy of Amazon's per-operation token buckets ("Usage Plans and Rate Limits":
 * SP-API refills each operation's bucket at its rate up to its burst, one token per call). It
 * starts full at the documented burst, follows the rate Amazon reports in
 * `x-amzn-RateLimit-Limit`, and is emptied by a 429. Asked before each call, it says how long
 * to wait so that the call finds a token at Amazon: crossdock slows down before it is
 * throttled.
 */
export class UsageBuckets {
  readonly #buckets = new Map<Operation, Bucket>();

  constructor(private readonly plans: Readonly<Record<Operation, UsagePlan>>, private readonly clock: Clock) {}

  /** Milliseconds until `operation` has a token; 0 when one is there now. Takes nothing. */
  waitMs(operation: Operation): number {
    const bucket = this.refilled(operation);
    return bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) / bucket.rate) * 1000);
  }

  /** Spends a token for a call about to leave (the bucket may go below zero: later calls wait longer). */
  take(operation: Operation): void {
    this.refilled(operation).tokens -= 1;
  }

  /** The rate Amazon applied (`x-amzn-RateLimit-Limit`, requests per second), when readable. */
  observeRate(operation: Operation, header: string | null): void {
    const rate = header === null ? Number.NaN : Number.parseFloat(header);
    if (Number.isFinite(rate) && rate > 0) this.refilled(operation).rate = rate;
  }

  /** Amazon answered 429: its bucket is empty whatever ours says. */
  drain(operation: Operation): void {
    const bucket = this.refilled(operation);
    bucket.tokens = Math.min(bucket.tokens, 0);
  }

  /** The current rate of `operation` (documented, or as Amazon last reported it). */
  rate(operation: Operation): number {
    return this.refilled(operation).rate;
  }

  private refilled(operation: Operation): Bucket {
    const now = this.clock.now();
    let bucket = this.#buckets.get(operation);
    if (bucket === undefined) {
      const plan = this.plans[operation];
      bucket = { tokens: plan.burst, at: now, rate: plan.rate, burst: plan.burst };
      this.#buckets.set(operation, bucket);
    }
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + ((now - bucket.at) / 1000) * bucket.rate);
    bucket.at = now;
    return bucket;
  }
}
