import type { AvailabilityUpdate } from '../../canonical/availability.js';
import type { AvailabilitySink, PublishResult } from '../../channels/types.js';
import type { CallContext } from '../capabilities.js';
import type { ShopifyClient } from './client.js';
import {
  INVENTORY_SET_MUTATION, inventorySetInput, locationOf, quantityIndexOf, skuSearchQuery, VARIANTS_BY_SKU_QUERY, type PlannedQuantity,
} from './inventory.js';
import { asArray, asRecord, text } from './read.js';
import type { ResolvedShopifySettings } from './settings.js';

/** SKUs per productVariants lookup: keeps each query's cost well under Shopify's 1,000-point cap. */
const LOOKUP_CHUNK = 50;

/**
 * Availability out: `inventorySetQuantities` with each SKU's inventory item at its Shopify
 * location. The inventory item comes from `skuInventoryItems`, else from a `productVariants`
 * search by SKU, cached for the life of the connector (a SKU's inventory item does not change).
 */
export function createShopifyAvailability(settings: ResolvedShopifySettings, client: ShopifyClient): AvailabilitySink {
  const cache = new Map<string, string>(Object.entries(settings.skuInventoryItems));

  const lookUp = async (skus: readonly string[], ctx: CallContext): Promise<void> => {
    const missing = [...new Set(skus.filter((sku) => !cache.has(sku)))];
    for (let i = 0; i < missing.length; i += LOOKUP_CHUNK) {
      const chunk = missing.slice(i, i + LOOKUP_CHUNK);
      const first = Math.min(250, chunk.length * 2);
      const data = await client.graphql('productVariants.bySku', VARIANTS_BY_SKU_QUERY, { query: skuSearchQuery(chunk), first }, ctx, first + 2);
      const wanted = new Set(chunk);
      for (const node of asArray(asRecord(data.productVariants)?.nodes)) {
        const sku = text(asRecord(node)?.sku);
        const item = text(asRecord(asRecord(node)?.inventoryItem)?.id);
        // The search matches loosely (prefixes, tokens): keep exact SKUs only, first one wins.
        if (sku !== undefined && item !== undefined && wanted.has(sku) && !cache.has(sku)) cache.set(sku, item);
      }
    }
  };

  return {
    maxBatch: 250,
    async publish(updates: readonly AvailabilityUpdate[], ctx: CallContext): Promise<PublishResult> {
      const rejected: { sku: string; reason: string }[] = [];
      await lookUp(updates.map((u) => u.sku), ctx);
      // One quantity per inventory item and location: the last update of a batch wins.
      const planned = new Map<string, PlannedQuantity>();
      for (const update of updates) {
        const locationId = locationOf(update, settings.locations, settings.defaultLocation);
        const inventoryItemId = cache.get(update.sku);
        if (locationId === undefined) rejected.push({ sku: update.sku, reason: `no Shopify location for ${update.location ?? '(no location)'}: add it to locations or set defaultLocation` });
        else if (inventoryItemId === undefined) rejected.push({ sku: update.sku, reason: 'no Shopify variant has this SKU' });
        else planned.set(`${inventoryItemId}@${locationId}`, { sku: update.sku, inventoryItemId, locationId, quantity: update.available });
      }
      let pending = [...planned.values()];
      const groups: string[] = [];
      // The mutation is all or nothing: after user errors that name their quantity lines,
      // those lines are refused and the rest are sent once more.
      for (let round = 0; pending.length > 0 && round < 2; round++) {
        const data = await client.graphql('inventorySetQuantities', INVENTORY_SET_MUTATION, { input: inventorySetInput(pending) }, ctx, 10);
        const payload = asRecord(data.inventorySetQuantities);
        const errors = asArray(payload?.userErrors).map(asRecord).filter((e) => e !== undefined);
        if (errors.length === 0) {
          const group = text(asRecord(payload?.inventoryAdjustmentGroup)?.id);
          if (group !== undefined) groups.push(group);
          return { detail: { set: pending.length, adjustmentGroups: groups }, ...(rejected.length > 0 ? { rejected } : {}) };
        }
        const bad = new Set<number>();
        for (const error of errors) {
          const index = quantityIndexOf(error.field);
          const reason = `${text(error.code) ?? 'USER_ERROR'}: ${text(error.message) ?? 'refused by Shopify'}`;
          if (index === undefined || pending[index] === undefined) {
            rejected.push(...pending.filter((_, i) => !bad.has(i)).map((q) => ({ sku: q.sku, reason })));
            return { detail: { set: 0, adjustmentGroups: groups }, rejected };
          }
          if (!bad.has(index)) rejected.push({ sku: pending[index].sku, reason });
          bad.add(index);
        }
        pending = pending.filter((_, i) => !bad.has(i));
      }
      // Refused twice in a row: reported rather than sent a third time.
      rejected.push(...pending.map((q) => ({ sku: q.sku, reason: 'not set: Shopify refused the batch again after the refused lines were removed' })));
      return { detail: { set: 0, adjustmentGroups: groups }, ...(rejected.length > 0 ? { rejected } : {}) };
    },
  };
}
