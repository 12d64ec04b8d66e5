import type { AvailabilityUpdate } from '../canonical/availability.js';
import type { ChannelInstanceSettings } from '../config/config.js';

/**
 * Availability of crossdock SKUs in a channel's own SKUs: every plain SKU cross-reference
 * (`WIDGET-RED: SKU-1`) that points at the item is published under the channel's key, in
 * channel units (a case of 12 → available ÷ 12, rounded down: never promise a part case).
 * Keys with a prefix (`variant:…`, `asin:…`) identify listings, not SKUs, and are left to the
 * connector. An item with no plain cross-reference is published under its own SKU.
 */
export function toChannelSkus(config: Pick<ChannelInstanceSettings, 'skus'>, updates: readonly AvailabilityUpdate[]): AvailabilityUpdate[] {
  const byItem = new Map<string, { key: string; factor: number }[]>();
  for (const [key, ref] of Object.entries(config.skus)) {
    if (key.includes(':')) continue;
    const sku = typeof ref === 'string' ? ref : ref.sku;
    const factor = typeof ref === 'string' ? 1 : ref.factor ?? 1;
    byItem.set(sku, [...(byItem.get(sku) ?? []), { key, factor }]);
  }
  return updates.flatMap((u) => {
    const refs = byItem.get(u.sku);
    if (!refs) return [u];
    return refs.map((r) => ({ ...u, sku: r.key, available: Math.floor(u.available / r.factor) }));
  });
}
