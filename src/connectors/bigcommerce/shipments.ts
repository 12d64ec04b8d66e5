import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import type { ShipmentSink } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { CallContext, ExternalRef } from '../capabilities.js';
import type { BigCommerceClient } from './client.js';
import { type ShipmentItem, shipmentMarker, shipmentToBigCommerceShipment } from './outbound.js';
import { integer, type Json, numeric, text } from './values.js';

/**
 * Shipment confirmations as v2 order shipments. A v2 shipment belongs to one shipping address
 * (`order_address_id`), so a crossdock shipment whose lines go to several addresses becomes one
 * BigCommerce shipment per address. Idempotent: the order's shipments are read first, and one
 * for the same address carrying the same tracking number (or crossdock's marker with the same
 * shipment id in its comments) is answered as `existed`; so are lines with nothing left to ship.
 */
export function bigCommerceShipments(client: BigCommerceClient): ShipmentSink {
  return {
    async publish(shipment: ShipmentSubmission, order: Order, ctx: CallContext): Promise<ExternalRef> {
      const orderId = integer(order.channelOrderId);
      if (orderId === undefined) throw new CrossdockError('channel.not-found', `order ${order.channelOrderId} is not a BigCommerce order id`, { target: 'bigcommerce' });
      const products = await client.listAll(`/v2/orders/${orderId}/products`, 'order.products', ctx);
      const existing = await client.listShipments(orderId, ctx);
      const groups = await planShipment(shipment, order, products, async () => client.listAll(`/v2/orders/${orderId}/shipping_addresses`, 'order.shippingAddresses', ctx));

      const refs: ExternalRef[] = [];
      for (const group of groups) {
        const found = existing.find((s) => integer(s.order_address_id) === group.addressId && isSameShipment(s, shipment));
        if (found) {
          refs.push(ref(found, true));
          continue;
        }
        const items = group.items.filter((i) => i.quantity > 0);
        if (items.length === 0) continue; // nothing left to ship to this address
        const created = await client.createShipment(orderId, shipmentToBigCommerceShipment(shipment, group.addressId, items), ctx);
        refs.push(ref(created, false));
      }
      if (refs.length > 0) {
        const { existed: _first, ...first } = refs[0]!;
        return refs.every((r) => r.existed === true) ? { ...first, existed: true } : first;
      }
      // Every line was already shipped (outside crossdock, or by a shipment we cannot recognise).
      const latest = existing.at(-1);
      if (latest) return ref(latest, true);
      throw new CrossdockError('target.rejected', `BigCommerce order ${orderId} has nothing left to ship for shipment ${shipment.shipmentId}`, { target: 'bigcommerce' });
    },
  };
}

interface ShipmentGroup {
  addressId: number;
  items: ShipmentItem[];
}

/**
 * Which order product each shipment line is (by line id, then by SKU through the order's lines,
 * then by the channel SKU), how many channel units it ships (capped at what is left to ship),
 * and to which address.
 */
async function planShipment(shipment: ShipmentSubmission, order: Order, products: readonly Json[], shippingAddresses: () => Promise<Json[]>): Promise<ShipmentGroup[]> {
  const byId = new Map(products.map((p) => [integer(p.id), p] as const));
  const groups = new Map<number, ShipmentGroup>();
  let fallbackAddress: number | undefined;
  for (const line of shipment.lines) {
    const orderLine = line.lineId !== undefined ? order.lines.find((l) => l.lineId === line.lineId) : order.lines.find((l) => l.sku === line.sku && l.lineId !== undefined);
    const lineId = line.lineId ?? orderLine?.lineId;
    const product = (lineId !== undefined ? byId.get(Number(lineId)) : undefined)
      ?? products.find((p) => text(p.sku) === line.sku || (orderLine?.channelSku !== undefined && text(p.sku) === orderLine.channelSku));
    if (!product) {
      throw new CrossdockError('channel.not-found', `shipment ${shipment.shipmentId}: ${line.sku}${line.lineId ? ` (line ${line.lineId})` : ''} is not on BigCommerce order ${order.channelOrderId}`, { target: 'bigcommerce' });
    }
    const ordered = integer(product.quantity) ?? 0;
    const owed = ordered - (numeric(product.quantity_refunded) ?? 0);
    // crossdock counts in its own units: a channel case of 12 was mapped to 12× the quantity.
    const factor = orderLine && owed > 0 && Number.isInteger(orderLine.quantity / owed) && orderLine.quantity / owed > 1 ? orderLine.quantity / owed : 1;
    const units = Number.isInteger(line.quantity / factor) ? line.quantity / factor : line.quantity;
    const left = Math.max(0, owed - (numeric(product.quantity_shipped) ?? 0));
    let addressId = integer(product.order_address_id) ?? 0;
    if (addressId <= 0) {
      fallbackAddress ??= integer((await shippingAddresses())[0]?.id) ?? 0;
      addressId = fallbackAddress;
    }
    const group = groups.get(addressId) ?? { addressId, items: [] };
    group.items.push({ order_product_id: integer(product.id)!, quantity: Math.min(Math.floor(units), left) });
    groups.set(addressId, group);
  }
  return [...groups.values()];
}

function isSameShipment(existing: Json, shipment: ShipmentSubmission): boolean {
  const tracking = text(existing.tracking_number);
  if (tracking !== undefined && shipment.tracking.some((t) => t.number.slice(0, 50) === tracking)) return true;
  const marker = shipmentMarker(shipment.shipmentId);
  return (text(existing.comments) ?? '').split(';').some((part) => part.trim() === marker);
}

function ref(shipment: Json, existed: boolean): ExternalRef {
  const tracking = text(shipment.tracking_number);
  return { system: 'bigcommerce', id: String(shipment.id), ...(tracking ? { number: tracking } : {}), ...(existed ? { existed: true } : {}) };
}
