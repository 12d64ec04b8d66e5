import type { MappingContext, MappingProblem, MappingResult } from '../../channels/types.js';
import type { OrderSubmission } from '../../canonical/order.js';
import { compareDecimals, sumDecimals } from '../../lib/money.js';
import { orderCurrency, type OrderCurrency } from './currency.js';
import { ORDER_STATUS, readDocument } from './document.js';
import { mapLines } from './mapping-lines.js';
import { mapParties, poNumber } from './mapping-parties.js';
import { amount, clip, integer, isoDate, type Json, nonZero, text } from './values.js';

type Charges = NonNullable<OrderSubmission['charges']>;
type Payment = OrderSubmission['payment'];

/**
 * A BigCommerce order document (order + products + shipping addresses + coupons, see
 * document.ts) as a canonical OrderSubmission. Pure; never throws for bad input: what cannot be
 * mapped is listed as problems naming the field.
 */
export function bigCommerceOrderToOrder(value: unknown, ctx: MappingContext): MappingResult {
  const document = readDocument(value);
  if (!document) return { ok: false, problems: [{ path: 'order', message: 'not a BigCommerce order document ({ order, products, shippingAddresses, coupons })' }] };
  const { order, products, shippingAddresses, coupons } = document;
  const problems: MappingProblem[] = [];
  const warnings: string[] = [];

  const id = integer(order.id);
  if (id === undefined || id <= 0) problems.push({ path: 'order.id', message: 'missing order id' });
  const orderedAt = isoDate(order.date_created);
  if (!orderedAt) problems.push({ path: 'order.date_created', message: `not an RFC 2822 date: ${JSON.stringify(order.date_created)}` });
  const updatedAt = isoDate(order.date_modified);
  const currency = orderCurrency(order);
  if ('path' in currency) {
    problems.push(currency);
    return { ok: false, problems };
  }

  const parties = mapParties(order, shippingAddresses, ctx);
  const lines = mapLines(products, currency, shippingAddresses.length > 1, ctx);
  problems.push(...parties.problems, ...lines.problems);
  warnings.push(...parties.warnings, ...lines.warnings);
  if (problems.length > 0 || !parties.shipTo || id === undefined || !orderedAt) return { ok: false, problems };

  const statusId = integer(order.status_id);
  if (order.is_deleted === true) warnings.push('order is archived at BigCommerce');
  const charges = mapCharges(order, coupons, lines.lineDiscounts, currency);
  const totalTax = amount(order.total_tax);
  const po = poNumber(order, shippingAddresses, ctx.settings.poNumberFrom);
  const notes = text(order.customer_message);
  const attributes = orderAttributes(order, coupons, parties.otherShipTos);
  const cancellation = cancellationOf(statusId, text(order.custom_status) ?? text(order.status), updatedAt ?? orderedAt);

  const submission: OrderSubmission = {
    channel: ctx.channel,
    channelOrderId: String(id),
    orderNumber: String(id),
    orderedAt,
    currency: currency.currency,
    customer: parties.customer,
    shipTo: parties.shipTo,
    ...(parties.billTo ? { billTo: parties.billTo } : {}),
    lines: lines.lines,
    ...(charges.length > 0 ? { charges } : {}),
    ...(nonZero(totalTax) ? { taxes: [{ name: 'Tax', amount: currency.toBooked(totalTax, 2) }] } : {}),
    payment: mapPayment(order, statusId, currency),
    ...(currency.presentment ? { presentment: currency.presentment } : {}),
    ...(updatedAt ? { channelUpdatedAt: updatedAt } : {}),
    ...(cancellation ? { cancellation } : {}),
    ...(po ? { poNumber: po } : {}),
    ...(notes ? { notes: clip(notes, 4000) } : {}),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
  };
  return { ok: true, order: submission, warnings };
}

/**
 * Shipping, handling and gift wrapping (ex tax: taxes are listed apart), and the order-level
 * discount. BigCommerce spreads coupon and manual discounts over the products
 * (`applied_discounts`, Orders V2 "orderProductAppliedDiscounts"), which become line
 * discounts; only what the lines do not carry (a shipping coupon, say) of
 * `coupon_discount + discount_amount` is left for a discount charge, so nothing is counted twice.
 */
function mapCharges(order: Json, coupons: readonly Json[], lineDiscounts: string, currency: OrderCurrency): Charges {
  const charges: Charges = [];
  const add = (type: Charges[number]['type'], value: string | undefined, description: string): void => {
    if (nonZero(value) && compareDecimals(value, '0') > 0) charges.push({ type, amount: currency.toBooked(value, 2), description });
  };
  add('shipping', amount(order.shipping_cost_ex_tax), 'Shipping');
  add('handling', amount(order.handling_cost_ex_tax), 'Handling');
  add('fee', amount(order.wrapping_cost_ex_tax), 'Gift wrapping');
  const orderDiscount = sumDecimals([amount(order.coupon_discount) ?? '0', amount(order.discount_amount) ?? '0'], 2);
  const rest = sumDecimals([orderDiscount, `-${lineDiscounts}`.replace(/^--/, '')], 2);
  const codes = coupons.map((c) => text(c.code)).filter((c): c is string => c !== undefined);
  add('discount', rest, clip(codes.length > 0 ? `Discount (${codes.join(', ')})` : 'Discount', 200));
  return charges;
}

/**
 * `payment_status` (Orders V2: authorized, captured, capture pending, declined, held for review,
 * paid, partially refunded, pending, refunded, void, void pending, '') as the canonical status;
 * the order status wins where it is more definite (4 Refunded, 7 Awaiting Payment).
 */
function mapPayment(order: Json, statusId: number | undefined, currency: OrderCurrency): Payment {
  const byPayment: Record<string, Payment['status']> = {
    authorized: 'authorized',
    'capture pending': 'authorized',
    captured: 'paid',
    paid: 'paid',
    'partially refunded': 'paid',
    refunded: 'refunded',
    void: 'voided',
    'void pending': 'voided',
    declined: 'voided',
    pending: 'pending',
    'held for review': 'pending',
  };
  let status: Payment['status'] = byPayment[text(order.payment_status)?.toLowerCase() ?? ''] ?? 'pending';
  if (statusId === ORDER_STATUS.refunded) status = 'refunded';
  if (statusId === ORDER_STATUS.awaitingPayment && status === 'paid') status = 'pending';
  const method = text(order.payment_method);
  const reference = text(order.payment_provider_id);
  const giftCard = amount(order.gift_certificate_amount);
  return {
    status,
    ...(method ? { method: clip(method, 64) } : {}),
    ...(reference ? { reference: clip(reference, 128) } : {}),
    ...(nonZero(giftCard) ? { giftCardAmount: currency.toBooked(giftCard, 2) } : {}),
  };
}

/** 5 Cancelled and 6 Declined end the order at BigCommerce; every other status keeps it alive. */
function cancellationOf(statusId: number | undefined, label: string | undefined, at: string): OrderSubmission['cancellation'] {
  if (statusId !== ORDER_STATUS.cancelled && statusId !== ORDER_STATUS.declined) return undefined;
  const fallback = statusId === ORDER_STATUS.cancelled ? 'Cancelled' : 'Declined';
  return { at, reason: clip(`${label ?? fallback} at BigCommerce`, 500) };
}

function orderAttributes(order: Json, coupons: readonly Json[], otherShipTos: readonly string[]): Record<string, string> {
  const attributes: Record<string, string> = {};
  const put = (key: string, value: string | undefined): void => {
    if (value !== undefined) attributes[key] = clip(value, 1000);
  };
  put('bigcommerceStatus', text(order.custom_status) ?? text(order.status));
  put('staffNotes', text(order.staff_notes));
  put('channelId', text(order.channel_id));
  put('orderSource', text(order.order_source));
  put('externalOrderId', text(order.external_order_id));
  const codes = coupons.map((c) => text(c.code)).filter((c): c is string => c !== undefined);
  if (codes.length > 0) put('coupons', codes.join(', '));
  const storeCredit = amount(order.store_credit_amount);
  if (nonZero(storeCredit)) put('storeCreditAmount', storeCredit);
  if (order.is_deleted === true) put('archived', 'true');
  otherShipTos.forEach((address, index) => put(`shipTo${index + 2}`, address));
  return attributes;
}
