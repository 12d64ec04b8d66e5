import type { CallContext } from '../capabilities.js';
import type { Clock } from '../../lib/clock.js';

/** Refresh this long before the RDT expires (Tokens API: `expiresIn`, typically 3600 s). */
const EXPIRY_MARGIN_MS = 60_000;

/** A restricted resource of the Tokens API 2021-03-01 `createRestrictedDataToken` request. */
export interface RestrictedResource {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  /** `buyerInfo`, `shippingAddress` (getOrders, getOrder, getOrderItems only). */
  dataElements?: string[];
}

interface Cached {
  value: string;
  expiresAt: number;
}

/**
 * Restricted Data Tokens, cached per set of resources until shortly before they expire. An RDT
 * replaces the LWA token in `x-amz-access-token` on calls that return buyer data (Tokens API
 * use case guide); one RDT may cover up to 50 resources, so the items of a page of orders
 * share one.
 */
export class RestrictedDataTokens {
  readonly #cache = new Map<string, Cached>();
  readonly #inflight = new Map<string, Promise<Cached>>();

  constructor(
    private readonly create: (resources: RestrictedResource[], ctx: CallContext) => Promise<{ token: string; expiresIn: number }>,
    private readonly clock: Clock,
  ) {}

  async get(resources: RestrictedResource[], ctx: CallContext): Promise<string> {
    const key = JSON.stringify(resources);
    const cached = this.#cache.get(key);
    if (cached !== undefined && cached.expiresAt - EXPIRY_MARGIN_MS > this.clock.now()) return cached.value;
    let pending = this.#inflight.get(key);
    if (pending === undefined) {
      pending = this.create(resources, ctx)
        .then(({ token, expiresIn }) => {
          const entry = { value: token, expiresAt: this.clock.now() + expiresIn * 1000 };
          this.#cache.set(key, entry);
          return entry;
        })
        .finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return (await pending).value;
  }

  invalidate(resources: RestrictedResource[], token: string): void {
    const key = JSON.stringify(resources);
    if (this.#cache.get(key)?.value === token) this.#cache.delete(key);
  }

  /** Drops tokens that can no longer be used, so per-page tokens do not pile up. */
  prune(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.#cache) if (entry.expiresAt - EXPIRY_MARGIN_MS <= now) this.#cache.delete(key);
  }
}
