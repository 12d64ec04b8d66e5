import type { CallContext, ErpCustomer, ErpItem, MasterData } from '../../connectors/capabilities.js';
import type { Clock } from '../../lib/clock.js';

/**
 * Master data cached in front of the ERP, so checking an order costs no ERP call when its
 * customer and items were seen recently. Concurrent misses for the same key share one lookup,
 * so a burst of orders for one customer spends one call of the ERP's budget, not one each.
 * Only found records are cached: a missing SKU is asked again next time, so an order replayed
 * after the item was created goes through at once.
 */
export class MasterDataCache implements MasterData {
  private readonly customers = new Map<string, { value: ErpCustomer; until: number }>();
  private readonly items = new Map<string, { value: ErpItem; until: number }>();
  private readonly pendingCustomers = new Map<string, Promise<ErpCustomer | undefined>>();
  private readonly pendingItems = new Map<string, Promise<ErpItem | undefined>>();

  constructor(private readonly source: MasterData, private readonly clock: Clock, private readonly ttlMs = 60_000) {}

  async getCustomer(accountId: string, ctx: CallContext): Promise<ErpCustomer | undefined> {
    const hit = this.customers.get(accountId);
    if (hit && hit.until > this.clock.now()) return hit.value;
    let pending = this.pendingCustomers.get(accountId);
    if (!pending) {
      pending = this.source.getCustomer(accountId, ctx).then((value) => {
        if (value) this.customers.set(accountId, { value, until: this.clock.now() + this.ttlMs });
        return value;
      }).finally(() => this.pendingCustomers.delete(accountId));
      this.pendingCustomers.set(accountId, pending);
    }
    return pending;
  }

  async getItems(skus: readonly string[], ctx: CallContext): Promise<Map<string, ErpItem>> {
    const now = this.clock.now();
    const found = new Map<string, ErpItem>();
    const waiting: Promise<void>[] = [];
    const missing: string[] = [];
    for (const sku of new Set(skus)) {
      const hit = this.items.get(sku);
      if (hit && hit.until > now) found.set(sku, hit.value);
      else if (this.pendingItems.has(sku)) waiting.push(this.collect(sku, this.pendingItems.get(sku)!, found));
      else missing.push(sku);
    }
    if (missing.length > 0) {
      const batch = this.source.getItems(missing, ctx);
      for (const sku of missing) {
        const one = batch.then((fetched) => {
          const item = fetched.get(sku);
          if (item) this.items.set(sku, { value: item, until: this.clock.now() + this.ttlMs });
          return item;
        }).finally(() => this.pendingItems.delete(sku));
        this.pendingItems.set(sku, one);
        waiting.push(this.collect(sku, one, found));
      }
    }
    await Promise.all(waiting);
    return found;
  }

  private async collect(sku: string, pending: Promise<ErpItem | undefined>, into: Map<string, ErpItem>): Promise<void> {
    const item = await pending;
    if (item) into.set(sku, item);
  }
}
