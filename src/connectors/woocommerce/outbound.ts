import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import type { AvailabilityUpdate } from '../../canonical/availability.js';

/**
 * Pure builders for what crossdock sends to WooCommerce: shipment notes (with the marker that
 * makes them idempotent and remembers what shipped) and stock updates.
 */

/**
 * WooCommerce core has no shipment object: a shipment is told to the buyer as a customer note
 * (`POST /orders/{id}/notes` with `customer_note: true`, e-mailed to the buyer). The note ends
 * with a marker naming the shipment and the units it shipped per order line, so a retried
 * publish finds it (`GET /orders/{id}/notes`) and the last shipment knows the order is complete.
 * The shipment id is URI-encoded to keep the marker parseable whatever it contains.
 */
const MARKER = /\[crossdock shipment (\S+) lines ([^\]\s]*)\]/;

export interface ShipmentMarker {
  shipmentId: string;
  /** Units shipped per order line key (WooCommerce line item id, else crossdock SKU). */
  units: Map<string, number>;
}

/** The key a shipment line and an order line share: the WooCommerce line id, else the SKU. */
export function lineKey(line: { lineId?: string; sku: string }): string {
  return line.lineId ?? `sku:${line.sku}`;
}

export function shipmentNoteText(shipment: ShipmentSubmission): string {
  const units = shipment.lines.reduce((sum, line) => sum + line.quantity, 0);
  const via = [shipment.carrier, shipment.service].filter(Boolean).join(' ');
  const tracking = shipment.tracking.map((t) => (t.url ? `${t.number} (${t.url})` : t.number)).join(', ');
  const lines = shipment.lines.map((line) => `${encodeURIComponent(lineKey(line))}*${line.quantity}`).join(',');
  return [
    `Shipped ${units} item${units === 1 ? '' : 's'} via ${via}`,
    tracking ? ` tracking ${tracking}` : '',
    `. [crossdock shipment ${encodeURIComponent(shipment.shipmentId)} lines ${lines}]`,
  ].join('');
}

export function parseShipmentMarker(note: string): ShipmentMarker | undefined {
  const match = MARKER.exec(note);
  if (!match) return undefined;
  const units = new Map<string, number>();
  for (const part of (match[2] ?? '').split(',')) {
    const star = part.lastIndexOf('*');
    if (star <= 0) continue;
    const quantity = Number(part.slice(star + 1));
    if (!Number.isFinite(quantity)) continue;
    const key = safeDecode(part.slice(0, star));
    units.set(key, (units.get(key) ?? 0) + quantity);
  }
  return { shipmentId: safeDecode(match[1] ?? ''), units };
}

/** True when the shipments (earlier ones and this one) cover every unit of every order line. */
export function everyLineShipped(order: Pick<Order, 'lines'>, shipments: readonly ShipmentMarker[]): boolean {
  const shipped = new Map<string, number>();
  for (const marker of shipments) for (const [key, quantity] of marker.units) shipped.set(key, (shipped.get(key) ?? 0) + quantity);
  return order.lines.every((line) => (shipped.get(lineKey(line)) ?? 0) >= line.quantity);
}

/** The units of this shipment already covered by earlier shipments: nothing left to tell. */
export function alreadyShipped(order: Pick<Order, 'lines'>, shipment: ShipmentSubmission, earlier: readonly ShipmentMarker[]): boolean {
  if (earlier.length === 0) return false;
  const ordered = new Map(order.lines.map((line) => [lineKey(line), line.quantity]));
  const shipped = new Map<string, number>();
  for (const marker of earlier) for (const [key, quantity] of marker.units) shipped.set(key, (shipped.get(key) ?? 0) + quantity);
  return shipment.lines.every((line) => {
    const key = lineKey(line);
    const total = ordered.get(key);
    return total !== undefined && (shipped.get(key) ?? 0) >= total;
  });
}

/**
 * Availability updates → one stock quantity per SKU. WooCommerce core keeps a single stock
 * figure per product or variation, so locations are not told apart: the last update for a SKU
 * in the batch wins.
 */
export function stockBySku(updates: readonly AvailabilityUpdate[]): Map<string, number> {
  const stock = new Map<string, number>();
  for (const update of updates) stock.set(update.sku, update.available);
  return stock;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
