import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import type { MappingProblem } from '../../channels/types.js';
import { arrayAt, id, num, objectAt, text, type Json } from './document.js';

/** The body of `POST /V1/order/{id}/ship` (salesShipOrderV1). */
export interface MagentoShipRequest {
  items: { order_item_id: number; qty: number }[];
  notify: boolean;
  appendComment: boolean;
  comment: { comment: string; is_visible_on_front: 0 };
  tracks: { track_number: string; title: string; carrier_code: string }[];
  arguments?: { extension_attributes: { source_code: string } };
}

export interface ShipRequestOptions {
  /** Carrier name → Magento carrier_code; matched case-insensitively. */
  carrierCodes: Readonly<Record<string, string>>;
  notify: boolean;
  /** crossdock location → MSI source_code: the source the shipment deducts from. */
  sources: Readonly<Record<string, string>>;
  /** Written as the shipment comment, so a retry can find the shipment it already created. */
  marker: string;
}

/** The comment that marks a shipment crossdock created. */
export const shipmentMarker = (shipmentId: string): string => `crossdock shipment ${shipmentId}`;

/**
 * Canonical shipment → ship request, against the order's items as Magento has them now. Each
 * shipment line finds its order item by line id (the `item_id` the mapping put there: the
 * PARENT row of a configurable, which is what Magento ships), else by SKU. A bundle child is
 * shipped by its own id, and its bundle parent with the number of whole bundles the shipment
 * completes: a bundle shipped "together" ships through its parent, one shipped "separately"
 * through its children, and Magento reads the rows that apply to the bundle's shipment type.
 * Quantities go back to channel units (÷ the line's `channelFactor`).
 */
export function shipmentToMagentoShipRequest(
  shipment: ShipmentSubmission,
  order: Pick<Order, 'lines'>,
  magentoItems: unknown,
  options: ShipRequestOptions,
): { ok: true; body: MagentoShipRequest } | { ok: false; problems: MappingProblem[] } {
  const rows = arrayAt(magentoItems).map(objectAt);
  const byId = new Map(rows.flatMap((row) => (id(row.item_id) === undefined ? [] : [[id(row.item_id)!, row] as const])));
  const problems: MappingProblem[] = [];
  const quantities = new Map<string, number>();

  shipment.lines.forEach((line, index) => {
    const orderLine = order.lines.find((l) => line.lineId !== undefined && l.lineId === line.lineId) ?? order.lines.find((l) => l.sku === line.sku);
    const lineId = line.lineId ?? orderLine?.lineId;
    const row = (lineId === undefined ? undefined : byId.get(lineId)) ?? bySku(rows, byId, orderLine?.channelSku ?? line.sku);
    const itemId = row === undefined ? undefined : id(row.item_id);
    if (itemId === undefined) {
      problems.push({ path: `lines[${index}]`, message: `no item of the Adobe Commerce order matches line id ${lineId ?? '(none)'} or SKU ${line.sku}` });
      return;
    }
    const factor = Number(orderLine?.attributes?.channelFactor ?? 1) || 1;
    quantities.set(itemId, round((quantities.get(itemId) ?? 0) + line.quantity / factor));
  });
  if (problems.length > 0) return { ok: false, problems };

  const items = [...quantities].map(([itemId, qty]) => ({ order_item_id: Number(itemId), qty }));
  for (const [parentId, bundles] of bundleParents(quantities, byId)) items.push({ order_item_id: Number(parentId), qty: bundles });
  const carrierCode = carrierCodeOf(shipment.carrier, options.carrierCodes);
  const title = shipment.service === undefined ? shipment.carrier : `${shipment.carrier} ${shipment.service}`;
  const source = shipment.warehouse === undefined ? undefined : options.sources[shipment.warehouse];
  return {
    ok: true,
    body: {
      items,
      notify: options.notify,
      // The marker is an internal comment: kept on the shipment, never put in the customer's e-mail.
      appendComment: false,
      comment: { comment: options.marker, is_visible_on_front: 0 },
      tracks: shipment.tracking.map((t) => ({ track_number: t.number, title: title.slice(0, 255), carrier_code: carrierCode })),
      ...(source === undefined ? {} : { arguments: { extension_attributes: { source_code: source } } }),
    },
  };
}

/** The shippable row with this SKU: never the child row of a configurable (Magento ships its parent). */
function bySku(rows: Json[], byId: Map<string, Json>, sku: string): Json | undefined {
  return rows.find((row) => {
    if (text(row.sku) !== sku) return false;
    const parent = id(row.parent_item_id) === undefined ? undefined : byId.get(id(row.parent_item_id)!);
    return parent === undefined || text(parent.product_type) !== 'configurable';
  });
}

/** Bundle parents of the shipped children, with the whole bundles shipped (min over children of shipped ÷ per bundle). */
function bundleParents(quantities: Map<string, number>, byId: Map<string, Json>): Map<string, number> {
  const bundles = new Map<string, number>();
  for (const [itemId, qty] of quantities) {
    const row = byId.get(itemId)!;
    const parentId = id(row.parent_item_id);
    const parent = parentId === undefined ? undefined : byId.get(parentId);
    if (parentId === undefined || parent === undefined || text(parent.product_type) !== 'bundle' || quantities.has(parentId)) continue;
    const perBundle = (num(row.qty_ordered) ?? 0) / (num(parent.qty_ordered) ?? 0);
    if (!(perBundle > 0) || !Number.isFinite(perBundle)) continue;
    const whole = Math.floor(round(qty / perBundle));
    bundles.set(parentId, Math.min(bundles.get(parentId) ?? whole, whole));
  }
  for (const [parentId, count] of bundles) if (count <= 0) bundles.delete(parentId);
  return bundles;
}

function carrierCodeOf(carrier: string, codes: Readonly<Record<string, string>>): string {
  const wanted = carrier.trim().toLowerCase();
  const match = Object.entries(codes).find(([name]) => name.trim().toLowerCase() === wanted);
  // `custom` is Magento's "Custom Value" carrier: the title carries the carrier's name.
  return match?.[1] ?? 'custom';
}

const round = (n: number): number => Math.round(n * 1e6) / 1e6;
