import type { AvailabilityUpdate } from '../../canonical/availability.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import { clip } from './values.js';

/**
 * The carrier fields of a v2 shipment (Orders V2, Create Order Shipment): `shipping_provider`
 * takes one of BigCommerce's integrated providers (auspost, canadapost, endicia, usps, fedex,
 * royalmail, ups, upsready, shipperhq, or ''); any other carrier goes in `tracking_carrier` as
 * an AfterShip courier slug (`dhl`, `dpd`, `purolator` …) so the tracking link is still built.
 */
export function carrierFields(carrier: string): { shipping_provider: string; tracking_carrier: string } {
  const key = carrier.toLowerCase().replace(/[^a-z0-9]/g, '');
  const providers: Record<string, string> = {
    ups: 'ups', fedex: 'fedex', usps: 'usps', endicia: 'endicia', canadapost: 'canadapost',
    auspost: 'auspost', australiapost: 'auspost', royalmail: 'royalmail',
  };
  const provider = providers[key];
  if (provider) return { shipping_provider: provider, tracking_carrier: '' };
  const slugs: Record<string, string> = { dhlexpress: 'dhl', dhl: 'dhl', dhlecommerce: 'dhl-global-mail' };
  return { shipping_provider: '', tracking_carrier: slugs[key] ?? carrier.trim().toLowerCase().replace(/\s+/g, '-') };
}

/** Marks a shipment as crossdock's, so a retry finds it even without a tracking number. */
export function shipmentMarker(shipmentId: string): string {
  return `crossdock shipment ${shipmentId}`;
}

export interface ShipmentItem {
  order_product_id: number;
  quantity: number;
}

/** The `POST /v2/orders/{id}/shipments` body for one shipping address of a shipment. */
export function shipmentToBigCommerceShipment(shipment: ShipmentSubmission, orderAddressId: number, items: readonly ShipmentItem[]): Record<string, unknown> {
  const [first, ...more] = shipment.tracking;
  // A v2 shipment holds one tracking number (maxLength 50): the others are kept in the comments.
  const comments = [shipmentMarker(shipment.shipmentId), ...(more.length > 0 ? [`more tracking: ${more.map((t) => t.number).join(', ')}`] : [])].join('; ');
  return {
    order_address_id: orderAddressId,
    ...(first ? { tracking_number: clip(first.number, 50) } : {}),
    ...(first?.url ? { tracking_link: clip(first.url, 500) } : {}),
    ...carrierFields(shipment.carrier),
    ...(shipment.service ? { shipping_method: shipment.service } : {}),
    comments,
    items: items.map((i) => ({ order_product_id: i.order_product_id, quantity: i.quantity })),
  };
}

export interface AdjustmentItem {
  location_id: number;
  sku: string;
  quantity: number;
}

/**
 * Availability as Inventory API absolute adjustments (`{ location_id, sku, quantity }`), grouped
 * by location as the inventory guide recommends for bulk adjustments. An update for a location
 * the instance does not map is rejected, not guessed.
 */
export function availabilityToAdjustments(
  updates: readonly AvailabilityUpdate[],
  locations: Readonly<Record<string, number>>,
  defaultLocation: number,
): { items: AdjustmentItem[]; rejected: { sku: string; reason: string }[] } {
  const items: AdjustmentItem[] = [];
  const rejected: { sku: string; reason: string }[] = [];
  for (const update of updates) {
    const locationId = update.location === undefined ? defaultLocation : (Object.hasOwn(locations, update.location) ? locations[update.location] : undefined);
    if (locationId === undefined) {
      rejected.push({ sku: update.sku, reason: `location ${update.location} has no BigCommerce location_id (settings.locations)` });
      continue;
    }
    items.push({ location_id: locationId, sku: update.sku, quantity: update.available });
  }
  items.sort((a, b) => a.location_id - b.location_id);
  return { items, rejected };
}
