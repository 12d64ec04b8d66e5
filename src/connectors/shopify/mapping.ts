import type { OrderSubmission } from '../../canonical/order.js';
import { CURRENCY_CODES } from '../../canonical/common.js';
import { submissionProblems } from '../../canonical/validate.js';
import type { MappingContext, MappingProblem, MappingResult } from '../../channels/types.js';
import { compareDecimals, sumDecimals } from '../../lib/money.js';
import { mapLines, properties, taxLine } from './mapping-lines.js';
import { mapPayment } from './mapping-payment.js';
import { asArray, asRecord, clip, decimal, idText, moneyOf, text, type JsonRecord } from './read.js';

type Address = OrderSubmission['shipTo'];
type Charges = NonNullable<OrderSubmission['charges']>;

/** The order id and modification time of a REST-format Shopify order (webhook payloads are REST-format). */
export function identifyShopifyOrder(document: unknown): { channelOrderId: string; updatedAt: string } | undefined {
  const order = asRecord(document);
  const id = idText(order?.id);
  const updatedAt = text(order?.updated_at);
  if (id === undefined || updatedAt === undefined || Number.isNaN(Date.parse(updatedAt))) return undefined;
  return { channelOrderId: id, updatedAt };
}

/**
 * A Shopify order (REST Admin API Order resource, the shape of `orders/*` webhook bodies) as a
 * canonical OrderSubmission. Pure: never throws for bad input, names each field it cannot use.
 * Amounts are the shop currency (`price`, `discount_allocations[].amount`, `tax_lines[].price`
 * are documented in shop money), which is what the ERP books.
 */
export function shopifyOrderToOrder(document: unknown, ctx: MappingContext): MappingResult {
  const order = asRecord(document);
  if (order === undefined) return { ok: false, problems: [{ path: '', message: 'a Shopify order must be a JSON object' }] };
  const problems: MappingProblem[] = [];
  const warnings: string[] = [];

  const channelOrderId = idText(order.id);
  if (channelOrderId === undefined) problems.push({ path: 'id', message: 'missing or not a Shopify order id' });
  const orderedAt = timestamp(order.created_at, 'created_at', problems);
  const currency = text(order.currency);
  if (currency === undefined || !CURRENCY_CODES.includes(currency)) problems.push({ path: 'currency', message: 'missing or not an ISO 4217 shop currency' });
  const cancelledAt = text(order.cancelled_at);

  let mapped = mapLines(order, ctx, problems, warnings);
  if (mapped.lines.length === 0 && mapped.dropped > 0 && cancelledAt !== undefined && problems.length === 0) {
    // Cancelling with a refund removes every unit, yet the ERP must still learn of the
    // cancellation of the order it booked: send the lines as ordered, flagged cancelled.
    warnings.length = 0;
    mapped = mapLines(order, ctx, problems, warnings, { ignoreRemovals: true });
    warnings.push('cancelled order with every unit removed or refunded: lines sent with their ordered quantities');
  }
  if (asArray(order.line_items).length === 0) problems.push({ path: 'line_items', message: 'the order has no line items' });
  else if (mapped.lines.length === 0 && problems.length === 0) problems.push({ path: 'line_items', message: 'no line item has a quantity left (all removed or refunded)' });

  const shipTo = shippingAddress(order, problems, warnings);
  const billTo = order.billing_address ? address(order.billing_address, 'billing_address', []) : undefined;
  if (problems.length > 0 || channelOrderId === undefined || orderedAt === undefined || currency === undefined || shipTo === undefined) {
    return { ok: false, problems };
  }

  if (order.taxes_included === true) {
    warnings.push('prices include tax (taxes_included): unit prices are gross, the order taxes are the part of them that is tax');
  }
  const charges = [...shippingCharges(order), ...unallocatedDiscount(order, mapped.allocatedDiscounts)];
  const taxes = asArray(order.tax_lines).map(taxLine).filter((tax) => tax !== undefined);
  const attributes = properties(order.note_attributes);
  const note = text(order.note);
  const poNumber = text(order.po_number);
  const orderNumber = text(order.name);
  const updatedAt = text(order.updated_at);
  const presentment = presentmentOf(order, currency, warnings);

  const submission: OrderSubmission = {
    channel: ctx.channel,
    channelOrderId,
    ...(orderNumber === undefined ? {} : { orderNumber: clip(orderNumber, 128) }),
    ...(poNumber === undefined ? {} : { poNumber: clip(poNumber, 128) }),
    orderedAt,
    currency,
    customer: customerOf(order, ctx, shipTo, billTo),
    shipTo,
    ...(billTo === undefined ? {} : { billTo }),
    lines: mapped.lines,
    ...(charges.length === 0 ? {} : { charges }),
    ...(taxes.length === 0 ? {} : { taxes: taxes.slice(0, 100) }),
    payment: mapPayment(order, warnings),
    ...(presentment === undefined ? {} : { presentment }),
    ...(updatedAt === undefined ? {} : { channelUpdatedAt: updatedAt }),
    ...(cancelledAt === undefined ? {} : { cancellation: cancellationOf(order, cancelledAt) }),
    ...(note === undefined ? {} : { notes: clip(note, 4000) }),
    ...(attributes === undefined ? {} : { attributes }),
  };

  // The last guard: a mapping never hands the order flow a submission that breaks Order v1.
  const invalid = submissionProblems(submission);
  if (invalid.length > 0) return { ok: false, problems: invalid.map((p) => ({ path: `(mapped)${p.pointer}`, message: p.detail })) };
  return { ok: true, order: submission, warnings };
}

function timestamp(value: unknown, path: string, problems: MappingProblem[]): string | undefined {
  const time = text(value);
  if (time === undefined || Number.isNaN(Date.parse(time))) {
    problems.push({ path, message: 'missing or not an ISO 8601 timestamp' });
    return undefined;
  }
  return time;
}

/**
 * `shipping_address`; an order with nothing to ship (gift cards only, local pickup) has none:
 * the billing address stands in, with a warning. Neither: the order cannot be booked.
 */
function shippingAddress(order: JsonRecord, problems: MappingProblem[], warnings: string[]): Address | undefined {
  if (asRecord(order.shipping_address) !== undefined) return address(order.shipping_address, 'shipping_address', problems);
  if (asRecord(order.billing_address) !== undefined) {
    warnings.push('no shipping_address (gift cards only or local pickup): the billing address is used as ship-to');
    return address(order.billing_address, 'billing_address', problems);
  }
  problems.push({ path: 'shipping_address', message: 'the order has neither a shipping nor a billing address' });
  return undefined;
}

/** A Shopify address (`address1`, `province_code`, `zip`, `country_code` …) as a canonical Address. */
function address(raw: unknown, path: string, problems: MappingProblem[]): Address | undefined {
  const record = asRecord(raw);
  if (record === undefined) return undefined;
  const name = text(record.name) ?? ([text(record.first_name), text(record.last_name)].filter(Boolean).join(' ') || text(record.company));
  const line1 = text(record.address1);
  const city = text(record.city);
  const country = text(record.country_code)?.toUpperCase();
  const before = problems.length;
  if (name === undefined) problems.push({ path: `${path}.name`, message: 'no name, first_name/last_name or company' });
  if (line1 === undefined) problems.push({ path: `${path}.address1`, message: 'missing' });
  if (city === undefined) problems.push({ path: `${path}.city`, message: 'missing' });
  if (country === undefined || !/^[A-Z]{2}$/.test(country)) problems.push({ path: `${path}.country_code`, message: 'missing or not an ISO 3166-1 alpha-2 code' });
  if (problems.length > before || name === undefined || line1 === undefined || city === undefined || country === undefined) return undefined;
  const line2 = text(record.address2);
  const company = text(record.company);
  const region = text(record.province_code) ?? text(record.province);
  const postalCode = text(record.zip);
  const phone = text(record.phone);
  return {
    name: clip(name, 200),
    ...(company === undefined ? {} : { company: clip(company, 200) }),
    line1: clip(line1, 200),
    ...(line2 === undefined ? {} : { line2: clip(line2, 200) }),
    city: clip(city, 100),
    ...(region === undefined ? {} : { region: clip(region, 100) }),
    ...(postalCode === undefined ? {} : { postalCode: clip(postalCode, 20) }),
    country,
    ...(phone === undefined ? {} : { phone: clip(phone, 40) }),
  };
}

/**
 * Customer keys, most specific first: the B2B company (`company.id`, Shopify B2B orders), the
 * Shopify customer, then the email address.
 */
function customerOf(order: JsonRecord, ctx: MappingContext, shipTo: Address, billTo: Address | undefined): OrderSubmission['customer'] {
  const company = asRecord(order.company);
  const companyId = idText(company?.id);
  const customer = asRecord(order.customer);
  const customerId = idText(customer?.id);
  const email = text(order.email) ?? text(order.contact_email) ?? text(customer?.email);
  const accountId = ctx.resolveCustomer([
    companyId === undefined ? undefined : `company:${companyId}`,
    customerId === undefined ? undefined : `customer:${customerId}`,
    email === undefined ? undefined : `email:${email.toLowerCase()}`,
  ]);
  const name = [text(customer?.first_name), text(customer?.last_name)].filter(Boolean).join(' ') || billTo?.name || shipTo.name;
  const companyName = billTo?.company ?? shipTo.company;
  return {
    accountId: clip(accountId, 100),
    name: clip(name, 200),
    ...(email === undefined ? {} : { email: clip(email, 254) }),
    ...(companyName === undefined ? {} : { company: companyName }),
    ...(companyId === undefined ? {} : { business: true }),
  };
}

/** `shipping_lines[]`: what the buyer pays for shipping, after shipping discounts (`discounted_price`). */
function shippingCharges(order: JsonRecord): Charges {
  const charges: Charges = [];
  for (const raw of asArray(order.shipping_lines)) {
    const line = asRecord(raw);
    if (line === undefined || line.is_removed === true) continue;
    const amount = decimal(line.discounted_price) ?? decimal(line.price) ?? moneyOf(line.price_set, 'shop_money')?.amount;
    if (amount === undefined) continue;
    const title = text(line.title) ?? text(line.code);
    charges.push({ type: 'shipping', amount, ...(title === undefined ? {} : { description: clip(title, 200) }) });
  }
  return charges;
}

/**
 * Shopify allocates order-level discounts across the lines (`discount_applications` with
 * `allocation_method: across`), so they are already in the line discounts; shipping discounts
 * are in `discounted_price`. Whatever of `total_discounts` is in neither place is sent as one
 * `discount` charge with a NEGATIVE amount (charges add to the total; the sandbox ERP and the
 * canonical model read a discount charge as money off).
 */
function unallocatedDiscount(order: JsonRecord, lineAllocations: readonly string[]): Charges {
  const total = decimal(order.total_discounts);
  if (total === undefined || compareDecimals(total, '0') <= 0) return [];
  const shippingAllocations = asArray(order.shipping_lines).flatMap((line) =>
    asArray(asRecord(line)?.discount_allocations).map((a) => decimal(asRecord(a)?.amount)).filter((a) => a !== undefined));
  const allocated = sumDecimals([...lineAllocations, ...shippingAllocations]);
  const rest = sumDecimals([total, `-${allocated}`]);
  if (compareDecimals(rest, '0') <= 0) return [];
  const codes = asArray(order.discount_codes).map((c) => text(asRecord(c)?.code)).filter((c) => c !== undefined);
  return [{ type: 'discount', amount: `-${rest}`, description: clip(codes.length > 0 ? `Order discount (${codes.join(', ')})` : 'Order discount', 200) }];
}

/** What the buyer saw, when the checkout currency (`presentment_currency`) is not the shop's. */
function presentmentOf(order: JsonRecord, currency: string, warnings: string[]): OrderSubmission['presentment'] {
  const presentment = text(order.presentment_currency);
  if (presentment === undefined || presentment === currency) return undefined;
  const total = moneyOf(order.current_total_price_set, 'presentment_money') ?? moneyOf(order.total_price_set, 'presentment_money');
  if (!CURRENCY_CODES.includes(presentment) || total === undefined) {
    warnings.push(`presentment currency ${presentment} differs from the shop currency but its total is unreadable`);
    return undefined;
  }
  return { currency: presentment, total: total.amount };
}

function cancellationOf(order: JsonRecord, at: string): NonNullable<OrderSubmission['cancellation']> {
  const reason = text(order.cancel_reason);
  return { at, ...(reason === undefined ? {} : { reason: clip(reason, 500) }) };
}
