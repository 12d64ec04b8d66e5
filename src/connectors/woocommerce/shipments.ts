import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import type { ShipmentSink } from '../../channels/types.js';
import type { CallContext, ExternalRef } from '../capabilities.js';
import type { WooClient } from './client.js';
import type { WooNote } from './document.js';
import { alreadyShipped, everyLineShipped, parseShipmentMarker, shipmentNoteText, type ShipmentMarker } from './outbound.js';

export const SYSTEM = 'woocommerce';

/**
 * Shipments out: a customer note per shipment, then `status: completed` once every line has
 * shipped (when `completeOnShipment`). WooCommerce e-mails the buyer for both. Idempotent: the
 * order's notes are read first, and a note carrying this shipment's marker is the shipment.
 */
export function createWooShipmentSink(options: { client: WooClient; completeOnShipment: boolean }): ShipmentSink {
  const { client } = options;
  return {
    async publish(shipment: ShipmentSubmission, order: Order, ctx: CallContext): Promise<ExternalRef> {
      const orderId = order.channelOrderId;
      const notes = await client.listNotes(orderId, ctx);
      const marked = notes
        .map((note) => ({ note, marker: parseShipmentMarker(note.note) }))
        .filter((entry): entry is { note: WooNote; marker: ShipmentMarker } => entry.marker !== undefined);

      const same = marked.find((entry) => entry.marker.shipmentId === shipment.shipmentId);
      if (same) {
        // A retry after a lost answer or a crash before the status change: finish that too.
        await completeIfShipped(order, marked.map((e) => e.marker), orderId, ctx);
        return { system: SYSTEM, id: String(same.note.id), number: shipment.shipmentId, existed: true };
      }
      const earlier = marked.map((entry) => entry.marker);
      if (alreadyShipped(order, shipment, earlier)) {
        const latest = marked.reduce((a, b) => (b.note.id > a.note.id ? b : a));
        return { system: SYSTEM, id: String(latest.note.id), number: latest.marker.shipmentId, existed: true };
      }

      const text = shipmentNoteText(shipment);
      const created = await client.addNote(orderId, text, true, ctx);
      const marker = parseShipmentMarker(text);
      await completeIfShipped(order, marker ? [...earlier, marker] : earlier, orderId, ctx);
      return { system: SYSTEM, id: String(created.id), number: shipment.shipmentId };
    },
  };

  async function completeIfShipped(order: Order, shipments: readonly ShipmentMarker[], orderId: string, ctx: CallContext): Promise<void> {
    if (!options.completeOnShipment) return;
    // Completing would revive a cancelled or refunded order in WooCommerce.
    if (order.cancellation || order.payment.status === 'refunded' || order.payment.status === 'voided') return;
    if (!everyLineShipped(order, shipments)) return;
    await client.setOrderStatus(orderId, 'completed', ctx);
  }
}
