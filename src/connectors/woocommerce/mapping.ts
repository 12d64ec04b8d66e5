import type { OrderSubmission } from '../../canonical/order.js';
import type { MappingContext, MappingProblem, MappingResult } from '../../channels/types.js';
import { absDecimal, addDecimals, decimalOf, isZero } from './decimals.js';
import { gmtToIso, isRecord, orderIdOf, readDocument } from './document.js';
import { mapLines, refundedUnits, type TaxRates } from './mapping-lines.js';
import { mapAddress, mapCustomer } from './mapping-parties.js';
import { metaAttributes, metaValueText, plainText } from './text.js';

/** Where the store keeps B2B PO numbers unless the instance says otherwise. */
export const DEFAULT_PO_META_KEY = '_po_number';

type Payment = OrderSubmission['payment'];

/**
 * A WooCommerce order document (see `WooOrderDocument`) → OrderSubmission. Pure: never throws
 * for bad input, names each field it cannot map.
 */
export function woocommerceOrderToOrder(document: unknown, ctx: MappingContext): MappingResult {
  const parts = readDocument(document);
  if (!parts) return { ok: false, problems: [{ path: '', message: 'not a WooCommerce order (expected an order object or { order, refunds })' }] };
  const { order } = parts;
  const problems: MappingProblem[] = [];
  const warnings: string[] = [];

  const channelOrderId = orderIdOf(order);
  if (channelOrderId === undefined) problems.push({ path: 'id', message: 'missing or not a positive integer' });
  const orderedAt = gmtToIso(order.date_created_gmt);
  if (orderedAt === undefined) problems.push({ path: 'date_created_gmt', message: 'missing or not a date' });
  const currency = typeof order.currency === 'string' && /^[A-Z]{3}$/.test(order.currency) ? order.currency : undefined;
  if (currency === undefined) problems.push({ path: 'currency', message: 'missing or not an ISO 4217 code' });
  const status = typeof order.status === 'string' ? order.status : '';
  if (status === 'checkout-draft') {
    // Block checkout keeps the cart as a draft order until the buyer places it.
    problems.push({ path: 'status', message: 'checkout-draft: the buyer has not placed this order yet' });
  }

  if (parts.refunds === undefined && Array.isArray(order.refunds) && order.refunds.length > 0) {
    warnings.push('the order has refunds but the document carries no refund line items: quantities are as ordered');
  }
  const refunded = refundedUnits(parts.refunds ?? [], warnings);
  const rates = taxRates(order.tax_lines);
  const lines = mapLines(order.line_items, refunded, rates, ctx);
  problems.push(...lines.problems);
  warnings.push(...lines.warnings);

  const billTo = mapAddress(order.billing, 'billing');
  let shipTo = mapAddress(order.shipping, 'shipping');
  if (!shipTo.address) {
    if (billTo.address) {
      // Virtual and downloadable orders carry no shipping address (WooCommerce leaves it empty).
      warnings.push('the order has no shipping address: shipping to the billing address');
      shipTo = billTo;
    } else {
      problems.push(...shipTo.problems, ...billTo.problems);
    }
  }

  if (problems.length > 0 || !channelOrderId || !orderedAt || !currency || !shipTo.address) return { ok: false, problems };

  const poKey = typeof ctx.settings.poNumberMetaKey === 'string' && ctx.settings.poNumberMetaKey !== '' ? ctx.settings.poNumberMetaKey : DEFAULT_PO_META_KEY;
  const submission: OrderSubmission = {
    channel: ctx.channel,
    channelOrderId,
    orderedAt,
    currency,
    customer: mapCustomer(order, ctx),
    shipTo: shipTo.address,
    lines: lines.lines,
    payment: mapPayment(order, status, warnings),
  };
  if (typeof order.number === 'string' && order.number !== '') submission.orderNumber = order.number.slice(0, 128);
  const po = poNumber(order.meta_data, poKey);
  if (po) submission.poNumber = po;
  if (billTo.address) submission.billTo = billTo.address;
  const charges = mapCharges(order);
  if (charges.length > 0) submission.charges = charges;
  const taxes = mapTaxes(order.tax_lines);
  if (taxes.length > 0) submission.taxes = taxes;
  const updatedAt = gmtToIso(order.date_modified_gmt);
  if (updatedAt) submission.channelUpdatedAt = updatedAt;
  const cancellation = mapCancellation(status, updatedAt ?? orderedAt);
  if (cancellation) submission.cancellation = cancellation;
  const note = plainText(order.customer_note);
  if (note) submission.notes = note.slice(0, 4000);
  const attributes = orderAttributes(order, status, poKey);
  if (attributes) submission.attributes = attributes;
  return { ok: true, order: submission, warnings };
}

/** The id and modification time crossdock keys versions by. */
export function identifyWooOrder(document: unknown): { channelOrderId: string; updatedAt: string } | undefined {
  const parts = readDocument(document);
  if (!parts) return undefined;
  const channelOrderId = orderIdOf(parts.order);
  const updatedAt = gmtToIso(parts.order.date_modified_gmt) ?? gmtToIso(parts.order.date_created_gmt);
  return channelOrderId && updatedAt ? { channelOrderId, updatedAt } : undefined;
}

/**
 * WooCommerce statuses (Orders reference, `status`) → payment status. `processing` and
 * `completed` mean the shop accepted the order for fulfilment: paid when `date_paid_gmt` is set,
 * else on account (cash on delivery, cheque or invoice gateways complete without a payment date).
 */
function mapPayment(order: Record<string, unknown>, status: string, warnings: string[]): Payment {
  const paid = gmtToIso(order.date_paid_gmt) !== undefined;
  let paymentStatus: Payment['status'];
  switch (status) {
    case 'processing':
    case 'completed':
      paymentStatus = paid ? 'paid' : 'on_account';
      break;
    case 'pending':
    case 'on-hold':
      paymentStatus = 'pending';
      break;
    case 'failed':
      paymentStatus = 'pending';
      warnings.push('status failed: the payment did not go through');
      break;
    case 'refunded':
      paymentStatus = 'refunded';
      break;
    case 'cancelled':
      paymentStatus = 'voided';
      break;
    case 'trash':
      paymentStatus = paid ? 'paid' : 'pending';
      break;
    default:
      // Plugins register their own statuses (e.g. "shipped"): fall back on the payment date.
      paymentStatus = paid ? 'paid' : 'pending';
      warnings.push(`status "${status}" is not a WooCommerce core status: payment status taken from date_paid_gmt`);
  }
  const payment: Payment = { status: paymentStatus };
  const method = plainText(order.payment_method_title) ?? plainText(order.payment_method);
  if (method) payment.method = method.slice(0, 64);
  if (typeof order.transaction_id === 'string' && order.transaction_id.trim() !== '') payment.reference = order.transaction_id.trim().slice(0, 128);
  return payment;
}

/** Cancelled orders, and orders moved to the trash (what `order.deleted` leaves behind), are cancellations. */
function mapCancellation(status: string, at: string): OrderSubmission['cancellation'] {
  if (status === 'cancelled') return { at, reason: 'cancelled in WooCommerce' };
  if (status === 'trash') return { at, reason: 'moved to the trash in WooCommerce' };
  return undefined;
}

/**
 * Shipping lines are shipping charges; fee lines are fees, or discounts when negative (the
 * usual way to give a cart discount without a coupon). Coupon lines are NOT charges:
 * WooCommerce has already taken them off the line totals (`subtotal` − `total`).
 */
function mapCharges(order: Record<string, unknown>): NonNullable<OrderSubmission['charges']> {
  const charges: NonNullable<OrderSubmission['charges']> = [];
  for (const line of arrayOf(order.shipping_lines)) {
    const amount = decimalOf(line.total);
    if (amount === undefined) continue;
    const description = plainText(line.method_title);
    charges.push({ type: 'shipping', amount, ...(description ? { description: description.slice(0, 200) } : {}) });
  }
  for (const line of arrayOf(order.fee_lines)) {
    const amount = decimalOf(line.total);
    if (amount === undefined || isZero(amount)) continue;
    const description = plainText(line.name);
    const type = amount.startsWith('-') ? 'discount' : 'fee';
    // Canonical discounts are positive amounts taken off; the ERP mapping gives them their sign.
    charges.push({ type, amount: absDecimal(amount), ...(description ? { description: description.slice(0, 200) } : {}) });
  }
  return charges.slice(0, 100);
}

/** `tax_lines`: one canonical tax per rate, cart and shipping tax together. */
function mapTaxes(taxLines: unknown): NonNullable<OrderSubmission['taxes']> {
  const taxes: NonNullable<OrderSubmission['taxes']> = [];
  for (const line of arrayOf(taxLines)) {
    const parts = [decimalOf(line.tax_total), decimalOf(line.shipping_tax_total)].filter((v): v is string => v !== undefined);
    if (parts.length === 0) continue;
    const name = plainText(line.label) ?? plainText(line.rate_code) ?? 'Tax';
    const rate = decimalOf(line.rate_percent);
    taxes.push({ name: name.slice(0, 100), amount: addDecimals(parts), ...(rate ? { rate } : {}) });
  }
  return taxes.slice(0, 100);
}

function taxRates(taxLines: unknown): TaxRates {
  const rates = new Map<number, { name: string; rate?: string }>();
  for (const line of arrayOf(taxLines)) {
    if (typeof line.rate_id !== 'number') continue;
    const rate = decimalOf(line.rate_percent);
    rates.set(line.rate_id, { name: plainText(line.label) ?? plainText(line.rate_code) ?? 'Tax', ...(rate ? { rate } : {}) });
  }
  return rates;
}

function poNumber(meta: unknown, key: string): string | undefined {
  for (const entry of Array.isArray(meta) ? meta : []) {
    if (!isRecord(entry) || entry.key !== key) continue;
    const value = metaValueText(entry.value)?.trim();
    if (value) return value.slice(0, 128);
  }
  return undefined;
}

/** Public order meta, the coupon codes and how prices were entered, for people reading the order in the ERP. */
function orderAttributes(order: Record<string, unknown>, status: string, poKey: string): Record<string, string> | undefined {
  const attributes: Record<string, string> = { ...metaAttributes(order.meta_data, [poKey]) };
  const codes = arrayOf(order.coupon_lines).map((c) => plainText(c.code)).filter((c): c is string => c !== undefined);
  if (codes.length > 0) attributes.coupons = codes.join(',').slice(0, 1000);
  if (order.prices_include_tax === true) attributes.pricesIncludeTax = 'true';
  if (status !== '') attributes.wooStatus = status;
  if (typeof order.payment_method === 'string' && order.payment_method !== '') attributes.paymentMethodId = order.payment_method.slice(0, 1000);
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}

function arrayOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
