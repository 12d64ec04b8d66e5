import type { AvailabilityUpdate } from '../../canonical/availability.js';
import type { AvailabilitySink, PublishResult } from '../../channels/types.js';
import type { CallContext } from '../capabilities.js';
import { MAX_BATCH, type WooClient } from './client.js';
import { stockBySku } from './outbound.js';

/** SKUs per `GET /products?sku=` call: one page of 100 answers covers them even with variations sharing a SKU list. */
const SKUS_PER_LOOKUP = 50;

interface StockTarget {
  id: number;
  /** The variable product of a variation; undefined for a product. */
  parentId: number | undefined;
}

/**
 * Availability out: each crossdock SKU is published under the same WooCommerce SKU. Products
 * and variations are found by SKU once per connector instance (ids do not change), then their
 * stock set with `manage_stock: true` through the batch endpoints — products in
 * `POST /products/batch`, variations in `POST /products/{parent}/variations/batch` — at most 100
 * per call. Setting an absolute quantity is idempotent, so retries are safe.
 */
export function createWooAvailabilitySink(options: { client: WooClient }): AvailabilitySink {
  const { client } = options;
  const targets = new Map<string, StockTarget>();

  async function locate(skus: readonly string[], ctx: CallContext): Promise<void> {
    const unknown = skus.filter((sku) => !targets.has(sku));
    for (let i = 0; i < unknown.length; i += SKUS_PER_LOOKUP) {
      for (const product of await client.findBySkus(unknown.slice(i, i + SKUS_PER_LOOKUP), ctx)) {
        if (!product.sku || targets.has(product.sku)) continue;
        const parentId = product.parent_id && product.parent_id > 0 ? product.parent_id : undefined;
        targets.set(product.sku, { id: product.id, parentId });
      }
    }
  }

  return {
    maxBatch: MAX_BATCH,
    async publish(updates: readonly AvailabilityUpdate[], ctx: CallContext): Promise<PublishResult> {
      const stock = stockBySku(updates);
      await locate([...stock.keys()], ctx);
      const rejected: { sku: string; reason: string }[] = [];
      // Batches per endpoint: undefined = the products batch, a number = that product's variations.
      const groups = new Map<number | undefined, { sku: string; id: number; quantity: number }[]>();
      for (const [sku, quantity] of stock) {
        const target = targets.get(sku);
        if (!target) {
          rejected.push({ sku, reason: 'no WooCommerce product or variation has this SKU' });
          continue;
        }
        const group = groups.get(target.parentId) ?? [];
        group.push({ sku, id: target.id, quantity });
        groups.set(target.parentId, group);
      }
      const updated: { sku: string; id: number; parentId?: number; stock_quantity: number }[] = [];
      for (const [parentId, items] of groups) {
        for (let i = 0; i < items.length; i += MAX_BATCH) {
          const chunk = items.slice(i, i + MAX_BATCH);
          const results = await client.batchUpdate(parentId, chunk.map((item) => ({ id: item.id, manage_stock: true, stock_quantity: item.quantity })), ctx);
          const errors = new Map(results.filter((r) => r.error).map((r) => [r.id, r.error!]));
          for (const item of chunk) {
            const error = errors.get(item.id);
            if (error) {
              // The product may have been deleted or re-created: look it up afresh next time.
              targets.delete(item.sku);
              rejected.push({ sku: item.sku, reason: `${error.code}: ${error.message}` });
            } else {
              updated.push({ sku: item.sku, id: item.id, ...(parentId === undefined ? {} : { parentId }), stock_quantity: item.quantity });
            }
          }
        }
      }
      return { detail: { updated }, ...(rejected.length > 0 ? { rejected } : {}) };
    },
  };
}
