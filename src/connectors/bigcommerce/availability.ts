import type { AvailabilityUpdate } from '../../canonical/availability.js';
import type { AvailabilitySink, PublishResult } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { CallContext } from '../capabilities.js';
import { type BigCommerceClient, vendorMessage } from './client.js';
import { type AdjustmentItem, availabilityToAdjustments } from './outbound.js';
import type { ResolvedSettings } from './settings.js';
import { isRecord, text } from './values.js';

/** Inventory API limit: 2,000 items per adjustment request (Inventory reference, Absolute Adjustment). */
export const MAX_ADJUSTMENT_ITEMS = 2000;

/**
 * Availability as absolute inventory adjustments. The whole request fails with 422 when an
 * item is unknown; the answer names the items (`Items with identity: [sku X] …`, or per-index
 * `errors`), which are reported as rejected, and the rest is sent again once.
 */
export function bigCommerceAvailability(settings: ResolvedSettings, client: BigCommerceClient): AvailabilitySink {
  return {
    maxBatch: MAX_ADJUSTMENT_ITEMS,
    async publish(updates: readonly AvailabilityUpdate[], ctx: CallContext): Promise<PublishResult> {
      const { items, rejected } = availabilityToAdjustments(updates, settings.locations, settings.defaultLocation);
      let pending = items;
      for (let attempt = 1; pending.length > 0; attempt++) {
        const response = await client.absoluteAdjustment({ reason: settings.inventoryReason, items: pending }, ctx);
        if (response.status !== 422) {
          const transactionId = isRecord(response.body) ? text(response.body.transaction_id) : undefined;
          return { detail: { transactionId, items: pending.length }, ...(rejected.length > 0 ? { rejected } : {}) };
        }
        const message = vendorMessage(response.body) ?? 'HTTP 422';
        const unknown = namedItems(response.body, pending);
        if (unknown.size === 0 || attempt > 1) {
          throw new CrossdockError('target.rejected', `BigCommerce refused the inventory adjustment: ${message}`, {
            target: 'bigcommerce',
            context: { operation: 'inventory.absolute', status: 422, body: response.body },
          });
        }
        for (const item of pending) if (unknown.has(item)) rejected.push({ sku: item.sku, reason: message });
        pending = pending.filter((item) => !unknown.has(item));
      }
      return { detail: { items: 0 }, ...(rejected.length > 0 ? { rejected } : {}) };
    },
  };
}

/** The items a 422 answer names as unknown, by index (`errors: { "items.3.sku": "… not found" }`) or by identity in the text. */
function namedItems(body: unknown, sent: readonly AdjustmentItem[]): Set<AdjustmentItem> {
  const named = new Set<AdjustmentItem>();
  const errors = isRecord(body) && isRecord(body.errors) ? body.errors : {};
  for (const [key, why] of Object.entries(errors)) {
    const match = /^items\.(\d+)/.exec(key);
    const item = match ? sent[Number(match[1])] : undefined;
    // Only an item the store does not know is the item's fault; a malformed field is ours.
    if (item && /not found|does not exist|unknown/i.test(String(why))) named.add(item);
  }
  const words = `${vendorMessage(body) ?? ''}`;
  for (const item of sent) {
    const escaped = item.sku.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`sku ${escaped}(?=[\\],;\\s]|$)`).test(words)) named.add(item);
  }
  return named;
}
