import type { Order } from '../../canonical/order.js';
import type { ShipmentLine, ShipmentSubmission } from '../../canonical/shipment.js';
import { asArray, asRecord, integer, text } from './read.js';

/**
 * Pure pieces of shipment confirmation: reading an order's fulfillment orders (GraphQL Admin
 * API), matching shipped lines to their fulfillment order line items, and the FulfillmentInput.
 */
export const FULFILLMENT_ORDERS_QUERY = `query CrossdockFulfillmentOrders($id: ID!) {
  order(id: $id) {
    id
    name
    fulfillments(first: 100) { id name trackingInfo(first: 10) { number } }
    fulfillmentOrders(first: 50) {
      nodes {
        id
        status
        assignedLocation { location { id } }
        lineItems(first: 250) { nodes { id remainingQuantity lineItem { id sku } } }
      }
    }
  }
}`;

/**
 * `fulfillmentCreate(fulfillment: FulfillmentInput!)` exists from 2025-07; earlier versions
 * have the same input as `fulfillmentCreateV2(fulfillment: FulfillmentV2Input!)`.
 */
export function fulfillmentMutation(apiVersion: string): { field: string; document: string } {
  const modern = apiVersion === 'unstable' || apiVersion >= '2025-07';
  const field = modern ? 'fulfillmentCreate' : 'fulfillmentCreateV2';
  const input = modern ? 'FulfillmentInput' : 'FulfillmentV2Input';
  return {
    field,
    document: `mutation CrossdockFulfillmentCreate($fulfillment: ${input}!) {
  ${field}(fulfillment: $fulfillment) {
    fulfillment { id name status }
    userErrors { field message }
  }
}`,
  };
}

export interface ExistingFulfillment { id: string; name?: string; trackingNumbers: string[] }
export interface FulfillmentOrderLine { id: string; remainingQuantity: number; lineItemId: string; sku?: string }
export interface FulfillmentOrder { id: string; status: string; locationId?: string; lines: FulfillmentOrderLine[] }
export interface OrderFulfillmentState { orderId: string; fulfillments: ExistingFulfillment[]; fulfillmentOrders: FulfillmentOrder[] }

/** The `order` of FULFILLMENT_ORDERS_QUERY; undefined when Shopify has no such order. */
export function readFulfillmentState(data: Readonly<Record<string, unknown>>): OrderFulfillmentState | undefined {
  const order = asRecord(data.order);
  const orderId = text(order?.id);
  if (order === undefined || orderId === undefined) return undefined;
  const fulfillments = asArray(order.fulfillments).map(asRecord).filter((f) => f !== undefined).flatMap((f) => {
    const id = text(f.id);
    if (id === undefined) return [];
    const name = text(f.name);
    const trackingNumbers = asArray(f.trackingInfo).map((t) => text(asRecord(t)?.number)).filter((n) => n !== undefined);
    return [{ id, ...(name === undefined ? {} : { name }), trackingNumbers }];
  });
  const fulfillmentOrders = asArray(asRecord(order.fulfillmentOrders)?.nodes).map(asRecord).filter((f) => f !== undefined).flatMap((f) => {
    const id = text(f.id);
    if (id === undefined) return [];
    const locationId = text(asRecord(asRecord(f.assignedLocation)?.location)?.id);
    const lines = asArray(asRecord(f.lineItems)?.nodes).map(asRecord).filter((l) => l !== undefined).flatMap((l) => {
      const lineId = text(l.id);
      const lineItem = asRecord(l.lineItem);
      const lineItemId = text(lineItem?.id);
      if (lineId === undefined || lineItemId === undefined) return [];
      const sku = text(lineItem?.sku);
      return [{ id: lineId, remainingQuantity: integer(l.remainingQuantity) ?? 0, lineItemId, ...(sku === undefined ? {} : { sku }) }];
    });
    return [{ id, status: text(f.status) ?? 'UNKNOWN', ...(locationId === undefined ? {} : { locationId }), lines }];
  });
  return { orderId, fulfillments, fulfillmentOrders };
}

/** A fulfillment already carrying one of the shipment's tracking numbers: this shipment was confirmed before. */
export function existingFulfillment(state: OrderFulfillmentState, shipment: ShipmentSubmission): ExistingFulfillment | undefined {
  const numbers = new Set(shipment.tracking.map((t) => t.number));
  if (numbers.size === 0) return undefined;
  return state.fulfillments.find((f) => f.trackingNumbers.some((n) => numbers.has(n)));
}

/** One `fulfillmentCreate` call: fulfillment orders of one location (Shopify requires one location per call). */
export interface FulfillmentGroup {
  locationId: string | undefined;
  lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems: { id: string; quantity: number }[] }[];
}

export interface FulfillmentPlan {
  groups: FulfillmentGroup[];
  /** Shipment lines that match no line item of the order. */
  unmatched: ShipmentLine[];
  /** Shipment lines that matched but had less (or nothing) left to fulfil than shipped. */
  short: { line: ShipmentLine; missing: number }[];
}

/** Fulfillment order statuses that take a fulfillment (FulfillmentOrderStatus: OPEN, IN_PROGRESS). */
const FULFILLABLE = new Set(['OPEN', 'IN_PROGRESS']);

/**
 * Spreads each shipped line over the open fulfillment order line items of its order line item
 * (a line can be split across locations), never beyond their `remainingQuantity`. A shipment
 * line is matched by its `lineId` (the Shopify line item id the order mapping kept), else by the
 * SKU of the canonical order line (its `channelSku` when a cross-reference renamed it).
 */
export function planFulfillment(shipment: ShipmentSubmission, order: Order, state: OrderFulfillmentState): FulfillmentPlan {
  const remaining = new Map<string, number>();
  const candidates = state.fulfillmentOrders
    .filter((fo) => FULFILLABLE.has(fo.status))
    .flatMap((fo) => fo.lines.map((line) => ({ fo, line })));
  for (const { line } of candidates) remaining.set(line.id, line.remainingQuantity);

  const picked = new Map<string, { fo: FulfillmentOrder; items: Map<string, number> }>();
  const plan: FulfillmentPlan = { groups: [], unmatched: [], short: [] };
  for (const shipped of shipment.lines) {
    const matches = candidates.filter(matcher(shipped, order));
    if (matches.length === 0) {
      plan.unmatched.push(shipped);
      continue;
    }
    let left = shipped.quantity;
    for (const { fo, line } of matches) {
      const take = Math.min(left, remaining.get(line.id) ?? 0);
      if (take <= 0) continue;
      remaining.set(line.id, (remaining.get(line.id) ?? 0) - take);
      left -= take;
      const entry = picked.get(fo.id) ?? { fo, items: new Map<string, number>() };
      entry.items.set(line.id, (entry.items.get(line.id) ?? 0) + take);
      picked.set(fo.id, entry);
      if (left <= 0) break;
    }
    if (left > 0) plan.short.push({ line: shipped, missing: left });
  }
  const byLocation = new Map<string, FulfillmentGroup>();
  for (const { fo, items } of picked.values()) {
    const key = fo.locationId ?? '';
    const group = byLocation.get(key) ?? { locationId: fo.locationId, lineItemsByFulfillmentOrder: [] };
    group.lineItemsByFulfillmentOrder.push({ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [...items].map(([id, quantity]) => ({ id, quantity })) });
    byLocation.set(key, group);
  }
  plan.groups = [...byLocation.values()];
  return plan;
}

function matcher(shipped: ShipmentLine, order: Order): (c: { line: FulfillmentOrderLine }) => boolean {
  const orderLine = shipped.lineId === undefined ? order.lines.find((l) => l.sku === shipped.sku) : undefined;
  const lineId = shipped.lineId ?? orderLine?.lineId;
  if (lineId !== undefined) {
    const gid = lineId.startsWith('gid://') ? lineId : `gid://shopify/LineItem/${lineId}`;
    return ({ line }) => line.lineItemId === gid;
  }
  const sku = orderLine?.channelSku ?? shipped.sku;
  return ({ line }) => line.sku === sku;
}

/** The FulfillmentInput of one group: tracking (one number, or `numbers`/`urls` for several) and notification. */
export function fulfillmentInput(group: FulfillmentGroup, shipment: ShipmentSubmission, notifyCustomer: boolean): Record<string, unknown> {
  const tracking = shipment.tracking;
  const trackingInfo: Record<string, unknown> = { company: shipment.carrier };
  if (tracking.length === 1) {
    trackingInfo.number = tracking[0]!.number;
    if (tracking[0]!.url !== undefined) trackingInfo.url = tracking[0]!.url;
  } else if (tracking.length > 1) {
    trackingInfo.numbers = tracking.map((t) => t.number);
    const urls = tracking.map((t) => t.url).filter((u) => u !== undefined);
    if (urls.length === tracking.length) trackingInfo.urls = urls;
  }
  return { lineItemsByFulfillmentOrder: group.lineItemsByFulfillmentOrder, trackingInfo, notifyCustomer };
}
