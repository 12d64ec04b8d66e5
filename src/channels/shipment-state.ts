import type { Order } from '../canonical/order.js';
import type { ShipmentSubmission } from '../canonical/shipment.js';
import type { OrderRecord, Store } from '../store/types.js';

/** Order states a shipment moves on; earlier ones (not yet in the ERP) wait for the ERP's own. */
const SHIPPABLE = ['posted', 'released', 'partially_shipped'] as const;
/** States past shipping that a late shipment report is noted on, without changing them. */
const SHIPPED_AFTER = ['invoiced'] as const;

const lineKey = (line: { lineId?: string | undefined; sku: string }) => line.lineId ?? `sku:${line.sku}`;

/**
 * Every shipment recorded for the order, summed per line, against what was ordered: all
 * shipped → `shipped`, else `partially_shipped`. Gift cards sold on the order ship nothing.
 */
export function shipmentState(order: Order, shipments: readonly ShipmentSubmission[]): 'shipped' | 'partially_shipped' {
  const shipped = new Map<string, number>();
  const shippedBySku = new Map<string, number>();
  for (const s of shipments) {
    for (const l of s.lines) {
      shipped.set(lineKey(l), (shipped.get(lineKey(l)) ?? 0) + l.quantity);
      shippedBySku.set(l.sku, (shippedBySku.get(l.sku) ?? 0) + l.quantity);
    }
  }
  const complete = order.lines
    .filter((l) => l.giftCard !== true)
    .every((l) => (shipped.get(lineKey(l)) ?? shippedBySku.get(l.sku) ?? 0) >= l.quantity);
  return complete ? 'shipped' : 'partially_shipped';
}

/** Moves the order to shipped or partially shipped from every shipment journaled for it; returns those shipments. */
export async function recordShipmentOnOrder(store: Store, given: OrderRecord, order: Order, now: number, races = 0): Promise<ShipmentSubmission[]> {
  // Read the order again: publishing to the channel takes time, and an invoice polled from the
  // ERP in the meantime may have moved it on past shipping.
  const record = (await store.getOrder(given.id)) ?? given;
  const shippable = (SHIPPABLE as readonly string[]).includes(record.state);
  // An invoice may be taken before the shipment it bills (both polled from the ERP at once): the
  // order stays invoiced, and its timeline still gets the shipment.
  if (!shippable && !(SHIPPED_AFTER as readonly string[]).includes(record.state)) return [];
  const page = await store.searchMessages({ text: record.id, limit: 500 });
  const shipments: ShipmentSubmission[] = [];
  for (const summary of page.items) {
    if (summary.kind !== 'shipment') continue;
    const message = await store.getMessage(summary.id);
    if (message) shipments.push(message.canonical as ShipmentSubmission);
  }
  const to = shipmentState(order, shipments);
  if (!shippable) {
    await store.appendEvent({ messageId: record.messageId, at: now, step: to, outcome: 'info', detail: { shipments: shipments.map((s) => s.shipmentId), state: record.state } });
    return shipments;
  }
  if (to === record.state) return shipments;
  const moved = await store.transitionOrder({
    orderId: record.id, from: [...SHIPPABLE], to, now, step: to,
    detail: { shipments: shipments.map((s) => s.shipmentId) },
    event: { topic: `order.${to}`, payload: { orderId: record.id, channel: record.channel, shipments: shipments.map((s) => s.shipmentId) } },
  });
  // Lost the race to an invoice taken between the read and the move: note the shipment as above.
  if (!moved && races < 3) return recordShipmentOnOrder(store, record, order, now, races + 1);
  return shipments;
}
