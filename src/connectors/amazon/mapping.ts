import type { OrderSubmission } from '../../canonical/order.js';

type OrderCharge = NonNullable<OrderSubmission['charges']>[number];
type OrderTax = NonNullable<OrderSubmission['taxes']>[number];
import { CURRENCY_CODES } from '../../canonical/common.js';
import type { MappingContext, MappingProblem, MappingResult } from '../../channels/types.js';
import { compareDecimals, sumDecimals } from '../../lib/money.js';
import { amountOf, clip, currencyOf, flag, instant, readDocument, record, text, type JsonRecord } from './document.js';
import { mapAddress } from './mapping-address.js';
import { mapItems, positive, type ItemTotals } from './mapping-items.js';

/**
 * Amazon Orders API v0 order (`getOrders` entry + `getOrderItems`) → canonical OrderSubmission.
 * Pure: never throws for bad input, every problem names its path in the document.
 */
export function amazonOrderToOrder(document: unknown, ctx: MappingContext): MappingResult {
  const read = readDocument(document);
  if (!read.ok) return read;
  const { order, items } = read.value;
  const problems: MappingProblem[] = [];
  const warnings: string[] = [];

  const channelOrderId = text(order.AmazonOrderId);
  if (channelOrderId === undefined) problems.push({ path: 'order.AmazonOrderId', message: 'is required' });
  const orderedAt = instant(order.PurchaseDate);
  if (orderedAt === undefined) problems.push({ path: 'order.PurchaseDate', message: 'must be an ISO 8601 date-time' });
  const updatedAt = instant(order.LastUpdateDate);
  if (updatedAt === undefined) problems.push({ path: 'order.LastUpdateDate', message: 'must be an ISO 8601 date-time' });
  const status = text(order.OrderStatus);
  if (status === undefined) problems.push({ path: 'order.OrderStatus', message: 'is required' });
  if (status === 'Pending' || status === 'PendingAvailability') {
    // getOrderItems gives no prices and getOrders no address before payment is authorised
    // (Orders API v0, getOrderItems note): the order comes again, with a newer LastUpdateDate.
    problems.push({ path: 'order.OrderStatus', message: `${status}: Amazon releases prices and address only once payment is authorised` });
  }
  const cancelled = status === 'Canceled';
  const fulfilledBy = fulfilledByOf(order, warnings);

  const currency = currencyOf(order.OrderTotal) ?? items.map((item) => currencyOf(item.ItemPrice)).find((code) => code !== undefined);
  if (currency === undefined) problems.push({ path: 'order.OrderTotal.CurrencyCode', message: 'no currency on the order total or any item price' });
  else if (!CURRENCY_CODES.includes(currency)) problems.push({ path: 'order.OrderTotal.CurrencyCode', message: `${currency} is not an ISO 4217 code` });

  const shipTo = mapAddress(order, { fulfilledBy, cancelled, problems, warnings });
  const { lines, totals } = mapItems({ items, currency, cancelled, ctx, problems, warnings });
  if (problems.length > 0) return { ok: false, problems };

  const charges = chargesOf(totals);
  const taxes = taxesOf(totals);
  checkTotal(order, totals, warnings);
  const buyer = record(order.BuyerInfo);
  const poNumber = text(buyer?.PurchaseOrderNumber);
  const submission: OrderSubmission = {
    channel: ctx.channel,
    channelOrderId: channelOrderId!,
    orderNumber: channelOrderId!,
    ...(poNumber === undefined ? {} : { poNumber: clip(poNumber, 128) }),
    orderedAt: orderedAt!,
    currency: currency!,
    customer: customerOf(order, ctx),
    shipTo: shipTo!,
    lines,
    ...(charges.length > 0 ? { charges } : {}),
    ...(taxes.length > 0 ? { taxes } : {}),
    payment: paymentOf(order, status!),
    channelUpdatedAt: updatedAt!,
    ...(cancelled ? { cancellation: { at: updatedAt!, reason: cancelReason(items) } } : {}),
    fulfilledBy,
    attributes: orderAttributes(order),
  };
  return { ok: true, order: submission, warnings };
}

/** The order id and modification time of a document (`{ order, items }` or a bare Order). */
export function identifyAmazonOrder(document: unknown): { channelOrderId: string; updatedAt: string } | undefined {
  const root = record(document);
  const order = record(root?.order) ?? root;
  const channelOrderId = text(order?.AmazonOrderId);
  const updatedAt = instant(order?.LastUpdateDate);
  return channelOrderId === undefined || updatedAt === undefined ? undefined : { channelOrderId, updatedAt };
}

function fulfilledByOf(order: JsonRecord, warnings: string[]): 'merchant' | 'channel' {
  const channel = text(order.FulfillmentChannel);
  if (channel === 'AFN') return 'channel';
  // MFN; older sandbox answers say "SellerFulfilled" for the same thing.
  if (channel !== 'MFN' && channel !== 'SellerFulfilled') warnings.push(`FulfillmentChannel ${channel ?? '(absent)'}: taken as MFN (seller fulfils)`);
  return 'merchant';
}

/**
 * Customer keys, most specific first: the buyer's (anonymised, stable per seller) email, the
 * business's legal name, the buyer's name, then the marketplace, so one account per
 * marketplace can take every consumer order. Buyer data is restricted (needs the RDT).
 */
function customerOf(order: JsonRecord, ctx: MappingContext): OrderSubmission['customer'] {
  const buyer = record(order.BuyerInfo);
  const email = text(buyer?.BuyerEmail);
  const name = text(buyer?.BuyerName);
  const company = text(record(buyer?.BuyerTaxInfo)?.CompanyLegalName);
  const marketplace = text(order.MarketplaceId);
  const accountId = ctx.resolveCustomer([
    email === undefined ? undefined : `email:${email.toLowerCase()}`,
    company === undefined ? undefined : `company:${company}`,
    name === undefined ? undefined : `amazon-buyer:${name}`,
    marketplace === undefined ? undefined : `amazon-marketplace:${marketplace}`,
  ]);
  const business = flag(order.IsBusinessOrder);
  return {
    accountId: clip(accountId, 100),
    ...(name === undefined ? {} : { name: clip(name, 200) }),
    ...(email === undefined ? {} : { email: clip(email, 254) }),
    ...(company === undefined ? {} : { company: clip(company, 200) }),
    ...(business === undefined ? {} : { business }),
  };
}

/**
 * Amazon collects the money: once an order is past Pending the seller is paid by Amazon, so
 * `paid`; a cancelled order was never charged (`voided`). Cash on delivery is collected by the
 * carrier: `pending` until then.
 */
function paymentOf(order: JsonRecord, status: string): OrderSubmission['payment'] {
  const method = text(order.PaymentMethod);
  const paymentStatus = status === 'Canceled' ? 'voided' : method === 'COD' ? 'pending' : 'paid';
  const details = Array.isArray(order.PaymentMethodDetails) ? order.PaymentMethodDetails.filter((d): d is string => typeof d === 'string') : [];
  const described = details.length > 0 ? details.join(',') : method;
  return {
    status: paymentStatus,
    ...(described === undefined ? {} : { method: clip(described, 64) }),
    reference: clip(text(order.AmazonOrderId) ?? '', 128),
  };
}

function cancelReason(items: readonly JsonRecord[]): string {
  for (const item of items) {
    const reason = text(record(item.BuyerRequestedCancel)?.BuyerCancelReason);
    if (reason !== undefined) return clip(`buyer requested: ${reason}`, 500);
  }
  return 'cancelled at Amazon';
}

function chargesOf(totals: ItemTotals): OrderCharge[] {
  const charges: OrderCharge[] = [];
  const shipping = positive(sum(totals.shipping));
  if (shipping !== undefined) charges.push({ type: 'shipping', amount: shipping });
  const shippingDiscount = positive(sum(totals.shippingDiscounts));
  if (shippingDiscount !== undefined) charges.push({ type: 'discount', amount: shippingDiscount, description: 'Shipping discount' });
  const giftWrap = positive(sum(totals.giftWrap));
  if (giftWrap !== undefined) charges.push({ type: 'fee', amount: giftWrap, description: 'Gift wrap' });
  const cod = positive(sum(totals.codFees));
  if (cod !== undefined) charges.push({ type: 'fee', amount: cod, description: 'Cash on delivery fee' });
  return charges;
}

function taxesOf(totals: ItemTotals): OrderTax[] {
  const taxes: OrderTax[] = [];
  const shipping = sum(totals.shippingTaxes);
  if (shipping !== undefined && compareDecimals(shipping, '0') !== 0) taxes.push({ name: 'Shipping tax', amount: shipping });
  const wrap = sum(totals.giftWrapTaxes);
  if (wrap !== undefined && compareDecimals(wrap, '0') !== 0) taxes.push({ name: 'Gift wrap tax', amount: wrap });
  return taxes;
}

/** OrderTotal is not carried (the canonical order has no total); a mismatch is worth a warning. */
function checkTotal(order: JsonRecord, totals: ItemTotals, warnings: string[]): void {
  const total = amountOf(order.OrderTotal);
  if (total === undefined) return;
  const computed = sumDecimals([
    ...totals.itemPrices, ...totals.itemTaxes, ...totals.shipping, ...totals.shippingTaxes,
    ...totals.giftWrap, ...totals.giftWrapTaxes, ...totals.codFees,
    ...totals.promotionDiscounts.map(negative), ...totals.shippingDiscounts.map(negative),
  ]);
  if (compareDecimals(computed, total) !== 0) warnings.push(`OrderTotal ${total} differs from the items' sum ${computed}`);
}

function orderAttributes(order: JsonRecord): Record<string, string> {
  const attributes: Record<string, string> = {};
  const put = (key: string, value: unknown) => {
    const v = typeof value === 'boolean' ? String(value) : text(value);
    if (v !== undefined) attributes[key] = clip(v, 1000);
  };
  put('marketplaceId', order.MarketplaceId);
  put('salesChannel', order.SalesChannel);
  put('orderStatus', order.OrderStatus);
  put('fulfillmentChannel', order.FulfillmentChannel);
  put('shipServiceLevel', order.ShipServiceLevel);
  put('shipmentServiceLevelCategory', order.ShipmentServiceLevelCategory);
  put('earliestShipDate', order.EarliestShipDate);
  put('latestShipDate', order.LatestShipDate);
  put('earliestDeliveryDate', order.EarliestDeliveryDate);
  put('latestDeliveryDate', order.LatestDeliveryDate);
  put('orderType', order.OrderType);
  put('sellerOrderId', order.SellerOrderId);
  put('isPrime', order.IsPrime);
  put('isPremiumOrder', order.IsPremiumOrder);
  put('isReplacementOrder', order.IsReplacementOrder);
  put('replacedOrderId', order.ReplacedOrderId);
  put('orderTotal', amountOf(order.OrderTotal));
  put('addressType', record(order.ShippingAddress)?.AddressType);
  return attributes;
}

function sum(values: readonly string[]): string | undefined {
  return values.length === 0 ? undefined : sumDecimals(values);
}

function negative(value: string): string {
  return value.startsWith('-') ? value.slice(1) : `-${value}`;
}
