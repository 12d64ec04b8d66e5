import type { AvailabilityUpdate } from '../../canonical/availability.js';

/**
 * Pure builders of the GraphQL Admin API documents for availability. `inventorySetQuantities`
 * sets absolute quantities; crossdock is the source of truth for what may be sold, so the
 * compare-and-set check is skipped (`ignoreCompareQuantity: true`, allowed up to 2026-01; from
 * 2026-04 `changeFromQuantity: null` and an `@idempotent` key are required instead).
 */
export const INVENTORY_SET_MUTATION = `mutation CrossdockInventorySet($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { id }
    userErrors { field message code }
  }
}`;

export const VARIANTS_BY_SKU_QUERY = `query CrossdockVariantsBySku($query: String!, $first: Int!) {
  productVariants(first: $first, query: $query) {
    nodes { sku inventoryItem { id } }
  }
}`;

/** One quantity line of the mutation, with the crossdock SKU it came from. */
export interface PlannedQuantity {
  sku: string;
  inventoryItemId: string;
  locationId: string;
  quantity: number;
}

export function inventorySetInput(quantities: readonly PlannedQuantity[]): Record<string, unknown> {
  return {
    name: 'available',
    reason: 'correction',
    ignoreCompareQuantity: true,
    quantities: quantities.map((q) => ({ inventoryItemId: q.inventoryItemId, locationId: q.locationId, quantity: q.quantity })),
  };
}

/**
 * Shopify's search syntax (`sku:"A-1" OR sku:"B 2"`): values quoted so SKUs with spaces,
 * colons or dashes stay one term. Passed as a variable, never pasted into the document.
 */
export function skuSearchQuery(skus: readonly string[]): string {
  return skus.map((sku) => `sku:"${sku.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(' OR ');
}

/** The Shopify location of an update: `locations[code]`, else `defaultLocation`. */
export function locationOf(update: AvailabilityUpdate, locations: Readonly<Record<string, string>>, fallback: string | undefined): string | undefined {
  if (update.location !== undefined && Object.hasOwn(locations, update.location)) return locations[update.location];
  return fallback;
}

/** `userErrors[].field` such as `["input", "quantities", "3", "locationId"]` → 3. */
export function quantityIndexOf(field: unknown): number | undefined {
  if (!Array.isArray(field)) return undefined;
  const at = field.indexOf('quantities');
  if (at < 0) return undefined;
  const index = Number(field[at + 1]);
  return Number.isInteger(index) && index >= 0 ? index : undefined;
}
