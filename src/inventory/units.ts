import type { InventorySettings } from './config-schema.js';
import type { Requirement } from './reserve.js';

/**
 * Quantities in the SKU's stock unit: a figure or an order line counted in a unit that
 * `inventory.units` converts (`SKU-5: { CA: 12 }`: a case is 12) is multiplied out; any other
 * unit is taken to be the stock unit.
 */
export function stockUnits(settings: Pick<InventorySettings, 'units'>, sku: string, uom: string | undefined, quantity: number): number {
  if (uom === undefined) return quantity;
  const factor = settings.units[sku]?.[uom.toUpperCase()];
  return factor === undefined ? quantity : quantity * factor;
}

/** What an order's lines need in stock units: a kit line needs each of its components. */
export function requirementsOf(
  settings: Pick<InventorySettings, 'units' | 'kits'>, lines: readonly { sku: string; quantity: number; uom?: string }[],
): Requirement[] {
  return lines.flatMap((line, index) => {
    const quantity = stockUnits(settings, line.sku, line.uom, line.quantity);
    const kit = settings.kits[line.sku];
    if (!kit) return [{ line: index, sku: line.sku, quantity }];
    return kit.map((c) => ({ line: index, sku: c.sku, quantity: quantity * c.quantity }));
  });
}
