import { isoDate, isRecord, integer, type Json, records } from './values.js';

/**
 * One version of a BigCommerce order as crossdock journals it. A v2 order is spread over several
 * resources (Orders V2 reference): the order, `GET /v2/orders/{id}/products`,
 * `GET /v2/orders/{id}/shipping_addresses` and, when the order has a coupon discount,
 * `GET /v2/orders/{id}/coupons`. The document keeps each answer verbatim.
 */
export interface BigCommerceOrderDocument {
  order: Json;
  products: Json[];
  shippingAddresses: Json[];
  coupons: Json[];
}

/** The parts of a journaled document, tolerating absent sub-resources (they map as empty). */
export function readDocument(value: unknown): BigCommerceOrderDocument | undefined {
  if (!isRecord(value) || !isRecord(value.order)) return undefined;
  return {
    order: value.order,
    products: records(value.products),
    shippingAddresses: records(value.shippingAddresses),
    coupons: records(value.coupons),
  };
}

/** The order id and modification time of a document (or of a bare v2 order). */
export function identifyDocument(value: unknown): { channelOrderId: string; updatedAt: string } | undefined {
  const order = isRecord(value) && isRecord(value.order) ? value.order : value;
  if (!isRecord(order)) return undefined;
  const id = integer(order.id);
  const updatedAt = isoDate(order.date_modified) ?? isoDate(order.date_created);
  if (id === undefined || id <= 0 || updatedAt === undefined) return undefined;
  return { channelOrderId: String(id), updatedAt };
}

/**
 * Order statuses (Orders V2 reference, "Get All Order Statuses"). 0 Incomplete is a checkout the
 * shopper never finished: not an order to fulfil.
 */
export const ORDER_STATUS = {
  incomplete: 0,
  pending: 1,
  shipped: 2,
  partiallyShipped: 3,
  refunded: 4,
  cancelled: 5,
  declined: 6,
  awaitingPayment: 7,
  awaitingPickup: 8,
  awaitingShipment: 9,
  completed: 10,
  awaitingFulfillment: 11,
  manualVerificationRequired: 12,
  disputed: 13,
  partiallyRefunded: 14,
} as const;
