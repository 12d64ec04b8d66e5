import type { RateBudgetStore, RateSlot, RateSlotRequest } from '../store/types.js';

/**
 * A `RateBudgetStore` kept in memory: the GCRA schedule of the SQLite and PostgreSQL stores,
 * for one process. Used by unit tests and by anything that needs a budget without a database.
 *
 * GCRA (generic cell rate algorithm) keeps one "theoretical arrival time" (TAT) per target.
 * With emission interval T = `intervalMs` and burst tolerance τ = (burst − 1)·T, a call may go
 * at `max(now, TAT − τ)`; reserving it moves TAT to `max(TAT, now) + T`. So an idle target
 * admits `burst` calls at once, then one every T.
 */
export class MemoryRateBudget implements RateBudgetStore {
  readonly #tat = new Map<string, number>();
  /**
   * `deferRate` deadlines, kept apart from TAT: the store does not know the burst tolerance
   * when deferring, and folding `until` into TAT would let a burst start up to τ before it.
   */
  readonly #notBefore = new Map<string, number>();

  /** @inheritdoc */
  async reserveRateSlot(request: RateSlotRequest): Promise<RateSlot> {
    const { target, intervalMs, maxWaitMs, now } = request;
    if (!(intervalMs > 0)) throw new RangeError(`intervalMs must be positive, got ${intervalMs}`);
    const burst = Math.max(1, Math.floor(request.burst));
    const tolerance = (burst - 1) * intervalMs;

    const notBefore = this.#notBefore.get(target) ?? Number.NEGATIVE_INFINITY;
    if (notBefore <= now) this.#notBefore.delete(target);
    const earliest = Math.max(now, notBefore);
    const tat = Math.max(this.#tat.get(target) ?? earliest, earliest);
    const at = Math.max(earliest, tat - tolerance);

    const wait = at - now;
    // A refused request changes nothing: it must not push later callers back.
    if (wait > maxWaitMs) return { granted: false, retryInMs: wait };
    this.#tat.set(target, tat + intervalMs);
    return { granted: true, at };
  }

  /** @inheritdoc */
  async deferRate(target: string, until: number): Promise<void> {
    const current = this.#notBefore.get(target) ?? Number.NEGATIVE_INFINITY;
    // Never moves backwards: a shorter Retry-After seen later must not cut a longer one short.
    if (until > current) this.#notBefore.set(target, until);
  }
}
