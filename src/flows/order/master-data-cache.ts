import type { CallContext, ErpCustomer, ErpItem, MasterData } from '../../connectors/capabilities.js';
import type { Clock } from '../../lib/clock.js';

/**
 * Master data cached in front of the ERP, so checking an order costs no ERP call when its
 * customer and items were seen recently. Only found records are cached: a missing SKU is asked
 * again next time, so an order replayed after the item was created goes through at once.
 */
export class MasterDataCache implements MasterData {
  private readonly customers = new Map<string, { value: ErpCustomer; until: number }>();
  private readonly items = new Map<string, { value: ErpItem; until: number }>();

  constructor(private readonly source: MasterData, private readonly clock: Clock, private readonly ttlMs = 60_000) {}

  async getCustomer(accountId: string, ctx: CallContext): Promise<ErpCustomer | undefined> {
    const hit = this.customers.get(accountId);
    if (hit && hit.until > this.clock.now()) return hit.value;
    const value = await this.source.getCustomer(accountId, ctx);
    if (value) this.customers.set(accountId, { value, until: this.clock.now() + this.ttlMs });
    return value;
  }

  async getItems(skus: readonly string[], ctx: CallContext): Promise<Map<string, ErpItem>> {
    const now = this.clock.now();
    const found = new Map<string, ErpItem>();
    const missing: string[] = [];
    for (const sku of new Set(skus)) {
      const hit = this.items.get(sku);
      if (hit && hit.until > now) found.set(sku, hit.value);
      else missing.push(sku);
    }
    if (missing.length > 0) {
      const fetched = await this.source.getItems(missing, ctx);
      for (const [sku, item] of fetched) {
        found.set(sku, item);
        this.items.set(sku, { value: item, until: this.clock.now() + this.ttlMs });
      }
    }
    return found;
  }

  /** Forgets everything, e.g. after a person fixed master data and replays. */
  clear(): void {
    this.customers.clear();
    this.items.clear();
  }
}
