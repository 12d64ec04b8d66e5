import type { OrderSubmission } from '../../canonical/order.js';
import { CURRENCY_CODES } from '../../canonical/common.js';
import type { MappingContext, MappingProblem, MappingResult } from '../../channels/types.js';
import { compareDecimals, sumDecimals } from '../../lib/money.js';
import { absolute, decimalOf, isPositive, trimZeros } from './amounts.js';
import { mapAddress, personName } from './address.js';
import { arrayAt, flag, id, isObject, num, objectAt, text, type Json } from './document.js';
import { mapLines, type MoneyReader } from './lines.js';
import { mapPayment } from './payment.js';
import { isoFromMagento } from './time.js';

/**
 * Adobe Commerce order (`GET /V1/orders` item, salesDataOrderInterface) → OrderSubmission.
 * Pure: never throws, never calls anything. Amounts are booked in the BASE (shop) currency
 * (`base_currency_code`, `base_*` fields), which is what the ERP books; when the buyer paid in
 * another currency (`order_currency_code`), its `grand_total` is kept as `presentment`.
 */
export function adobeCommerceOrderToOrder(document: unknown, ctx: MappingContext): MappingResult {
  if (!isObject(document)) return { ok: false, problems: [{ path: '', message: 'the document is not an Adobe Commerce order object' }] };
  const order = document;
  const problems: MappingProblem[] = [];
  const warnings: string[] = [];

  const channelOrderId = id(order.entity_id);
  if (channelOrderId === undefined) problems.push({ path: 'entity_id', message: 'missing order entity_id' });
  const orderedAt = isoFromMagento(order.created_at);
  if (orderedAt === undefined) problems.push({ path: 'created_at', message: `not a Magento timestamp (got ${JSON.stringify(order.created_at)})` });
  const updatedAt = isoFromMagento(order.updated_at);

  const orderCurrency = text(order.order_currency_code)?.toUpperCase();
  const baseCurrency = text(order.base_currency_code)?.toUpperCase();
  const currency = baseCurrency ?? orderCurrency;
  if (currency === undefined || !CURRENCY_CODES.includes(currency)) {
    problems.push({ path: baseCurrency === undefined ? 'order_currency_code' : 'base_currency_code', message: `not an ISO 4217 currency (got ${JSON.stringify(currency)})` });
  }
  const money = moneyReader(baseCurrency !== undefined, baseCurrency === undefined || baseCurrency === orderCurrency);

  const state = text(order.state);
  const cancelled = state === 'canceled';
  const lines = mapLines(order.items, ctx, money, cancelled);
  problems.push(...lines.problems);
  warnings.push(...lines.warnings);
  if (lines.problems.length === 0 && lines.lines.length === 0) {
    problems.push({ path: 'items', message: 'every item is cancelled or refunded: nothing left to deliver' });
  }

  const shipTo = shipToOf(order, problems, warnings);
  const billTo = isObject(order.billing_address) ? mapAddress(order.billing_address, 'billing_address', []) : undefined;
  if (problems.length > 0 || channelOrderId === undefined || orderedAt === undefined || currency === undefined || shipTo === undefined) {
    return { ok: false, problems };
  }

  const payment = mapPayment(order, money, cancelled);
  const poNumber = payment.method === 'purchaseorder' ? text(objectAt(order.payment).po_number) : undefined;
  const grandTotal = decimalOf(order.grand_total);
  const presentment = orderCurrency !== undefined && orderCurrency !== currency && CURRENCY_CODES.includes(orderCurrency) && grandTotal !== undefined
    ? { currency: orderCurrency, total: grandTotal }
    : undefined;
  const charges = chargesOf(order, money, lines.itemDiscounts);
  const taxes = taxesOf(order, money);
  const notes = notesOf(order);
  const status = text(order.status);
  if (state === 'holded') warnings.push(`state: the order is on hold in Adobe Commerce (status ${status ?? 'holded'})`);
  if (state === 'payment_review') warnings.push('state: the payment is under review in Adobe Commerce');
  const incrementId = text(order.increment_id);
  const attributes: Record<string, string> = {
    ...(state === undefined ? {} : { state }),
    ...(status === undefined ? {} : { status }),
    ...(id(order.store_id) === undefined ? {} : { storeId: id(order.store_id)! }),
    ...(shippingMethod(order) === undefined ? {} : { shippingMethod: shippingMethod(order)!.slice(0, 1000) }),
  };

  const submission: OrderSubmission = {
    channel: ctx.channel,
    channelOrderId,
    ...(incrementId === undefined ? {} : { orderNumber: incrementId.slice(0, 128) }),
    ...(poNumber === undefined ? {} : { poNumber: poNumber.slice(0, 128) }),
    orderedAt,
    currency,
    customer: customerOf(order, ctx, billTo?.company),
    shipTo,
    ...(billTo === undefined ? {} : { billTo }),
    lines: lines.lines,
    ...(charges.length === 0 ? {} : { charges }),
    ...(taxes.length === 0 ? {} : { taxes }),
    payment,
    ...(presentment === undefined ? {} : { presentment }),
    ...(updatedAt === undefined ? {} : { channelUpdatedAt: updatedAt }),
    ...(cancelled ? { cancellation: { at: updatedAt ?? orderedAt, ...cancellationReason(order) } } : {}),
    ...(notes === undefined ? {} : { notes }),
    ...(Object.keys(attributes).length === 0 ? {} : { attributes }),
  };
  return { ok: true, order: submission, warnings };
}

/** The order id and modification time of a document (for polling and `crossdock map`). */
export function identifyAdobeCommerceOrder(document: unknown): { channelOrderId: string; updatedAt: string } | undefined {
  if (!isObject(document)) return undefined;
  const channelOrderId = id(document.entity_id);
  const updatedAt = isoFromMagento(document.updated_at) ?? isoFromMagento(document.created_at);
  return channelOrderId === undefined || updatedAt === undefined ? undefined : { channelOrderId, updatedAt };
}

/**
 * Reads `field` in the booking currency: `base_<field>` when the order has a base currency, the
 * order-currency field when it has none, or when both currencies are the same and the base field
 * is missing (both hold the same number then).
 */
function moneyReader(useBase: boolean, sameCurrency: boolean): MoneyReader {
  return (row, field) => {
    if (!useBase) return decimalOf(row[field]);
    return decimalOf(row[`base_${field}`]) ?? (sameCurrency ? decimalOf(row[field]) : undefined);
  };
}

/**
 * The ship-to is `extension_attributes.shipping_assignments[0].shipping.address` (the order's
 * own `shipping_address` is not part of salesDataOrderInterface). A virtual-only order has no
 * shipping address: the billing address stands in, with a warning.
 */
function shipToOf(order: Json, problems: MappingProblem[], warnings: string[]) {
  const path = 'extension_attributes.shipping_assignments[0].shipping.address';
  const assignment = arrayAt(objectAt(order.extension_attributes).shipping_assignments)[0];
  const address = objectAt(objectAt(assignment).shipping).address;
  if (isObject(address)) return mapAddress(address, path, problems);
  if (isObject(order.billing_address)) {
    warnings.push(`${path}: no shipping address (a virtual order?); the billing address is used`);
    return mapAddress(order.billing_address, 'billing_address', problems);
  }
  problems.push({ path, message: 'the order has neither a shipping nor a billing address' });
  return undefined;
}

function customerOf(order: Json, ctx: MappingContext, company: string | undefined): OrderSubmission['customer'] {
  const guest = flag(order.customer_is_guest);
  const customerId = guest ? undefined : id(order.customer_id);
  const email = text(order.customer_email);
  const group = num(order.customer_group_id);
  const accountId = ctx.resolveCustomer([
    customerId === undefined ? undefined : `customer:${customerId}`,
    email === undefined ? undefined : `email:${email.toLowerCase()}`,
    group === undefined ? undefined : `group:${group}`,
  ]);
  const name = personName(order, 'customer_') ?? personName(objectAt(order.billing_address));
  return {
    accountId: accountId.slice(0, 100),
    ...(name === undefined ? {} : { name: name.slice(0, 200) }),
    ...(email === undefined ? {} : { email: email.slice(0, 254) }),
    ...(company === undefined ? {} : { company }),
  };
}

/**
 * Shipping, and the discount not already on the lines. Magento's order `discount_amount` is
 * negative and sums the item discounts plus the discount on shipping; the item part is on the
 * lines (`discount`), so only the remainder becomes a discount charge, named by
 * `discount_description` (the rule labels or coupon code).
 */
function chargesOf(order: Json, money: MoneyReader, itemDiscounts: string[]): NonNullable<OrderSubmission['charges']> {
  const charges: NonNullable<OrderSubmission['charges']> = [];
  const shipping = money(order, 'shipping_amount');
  const description = text(order.shipping_description);
  if (isPositive(shipping)) charges.push({ type: 'shipping', amount: shipping, ...(description ? { description: description.slice(0, 200) } : {}) });
  const discount = money(order, 'discount_amount');
  if (discount !== undefined) {
    const remainder = trimZeros(sumDecimals([absolute(discount), ...itemDiscounts.map((d) => `-${d}`)], 4));
    if (compareDecimals(remainder, '0') > 0) {
      const label = text(order.discount_description);
      charges.push({ type: 'discount', amount: `-${remainder}`, ...(label ? { description: label.slice(0, 200) } : {}) });
    }
  }
  return charges;
}

/** `extension_attributes.applied_taxes` (one per tax rate, with its title) when present, else the order's `tax_amount`. */
function taxesOf(order: Json, money: MoneyReader): NonNullable<OrderSubmission['taxes']> {
  const applied = arrayAt(objectAt(order.extension_attributes).applied_taxes).flatMap((raw) => {
    const tax = objectAt(raw);
    const amount = money(tax, 'amount');
    if (!isPositive(amount)) return [];
    const rate = num(tax.percent);
    const name = text(tax.title) ?? text(tax.code) ?? 'Tax';
    return [{ name: name.slice(0, 100), amount, ...(rate !== undefined && rate > 0 ? { rate: trimZeros(rate.toFixed(4)) } : {}) }];
  });
  if (applied.length > 0) return applied;
  const total = money(order, 'tax_amount');
  return isPositive(total) ? [{ name: 'Tax', amount: total }] : [];
}

/** The buyer's `customer_note`, then the order's comments (`status_histories`) oldest first. */
function notesOf(order: Json): string | undefined {
  const comments = arrayAt(order.status_histories)
    .map(objectAt)
    .filter((history) => text(history.comment) !== undefined)
    .sort((a, b) => String(a.created_at ?? '').localeCompare(String(b.created_at ?? '')) || (num(a.entity_id) ?? 0) - (num(b.entity_id) ?? 0))
    .map((history) => text(history.comment)!);
  const note = text(order.customer_note);
  const all = [...(note === undefined ? [] : [note]), ...comments];
  return all.length === 0 ? undefined : all.join('\n').slice(0, 4000);
}

function cancellationReason(order: Json): { reason?: string } {
  const latest = arrayAt(order.status_histories)
    .map(objectAt)
    .filter((history) => text(history.status) === 'canceled' && text(history.comment) !== undefined)
    .sort((a, b) => String(b.created_at ?? '').localeCompare(String(a.created_at ?? '')))[0];
  const reason = latest === undefined ? text(order.status) : text(latest.comment);
  return reason === undefined ? {} : { reason: reason.slice(0, 500) };
}

function shippingMethod(order: Json): string | undefined {
  const assignment = objectAt(arrayAt(objectAt(order.extension_attributes).shipping_assignments)[0]);
  return text(objectAt(assignment.shipping).method);
}
