import type { OrderLine } from '../../canonical/order.js';
import type { MappingContext, MappingProblem } from '../../channels/types.js';
import { compareDecimals, divideDecimal, sumDecimals } from '../../lib/money.js';
import { amountOf, clip, currencyOf, flag, record, text, type JsonRecord } from './document.js';

/** Amounts Amazon gives per item that crossdock carries per order (Orders API v0 `OrderItem`). */
export interface ItemTotals {
  /** ItemPrice of the mapped lines (whole quantity), for the total check. */
  itemPrices: string[];
  promotionDiscounts: string[];
  itemTaxes: string[];
  shipping: string[];
  shippingDiscounts: string[];
  shippingTaxes: string[];
  giftWrap: string[];
  giftWrapTaxes: string[];
  codFees: string[];
}

export interface ItemsOutcome {
  lines: OrderLine[];
  totals: ItemTotals;
}

interface ItemsInput {
  items: readonly JsonRecord[];
  currency: string | undefined;
  /** The order is `Canceled`: Amazon reports its items with QuantityOrdered 0. */
  cancelled: boolean;
  ctx: MappingContext;
  problems: MappingProblem[];
  warnings: string[];
}

/**
 * Turns `getOrderItems` entries into canonical lines. `ItemPrice` is the price of the whole
 * quantity (OrderItem model: "the selling price of the item multiplied by the quantity
 * ordered"), so the unit price is ItemPrice ÷ (QuantityOrdered × pack factor). A line whose
 * QuantityOrdered is 0 was cancelled at Amazon: dropped with a warning.
 */
export function mapItems(input: ItemsInput): ItemsOutcome {
  const totals: ItemTotals = {
    itemPrices: [], promotionDiscounts: [], itemTaxes: [], shipping: [], shippingDiscounts: [],
    shippingTaxes: [], giftWrap: [], giftWrapTaxes: [], codFees: [],
  };
  const lines: OrderLine[] = [];
  const zeroLines: number[] = [];
  input.items.forEach((item, index) => {
    const quantity = item.QuantityOrdered;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) {
      input.problems.push({ path: `items[${index}].QuantityOrdered`, message: 'must be a whole number of at least 0' });
      return;
    }
    if (quantity === 0) {
      zeroLines.push(index);
      return;
    }
    const line = mapItem(item, index, quantity, input, totals);
    if (line) lines.push(line);
  });

  if (lines.length === 0 && input.cancelled && zeroLines.length > 0) {
    // A cancelled order's items come back with QuantityOrdered 0. The cancellation must still
    // reach crossdock (the order may have been taken while Unshipped), and a canonical line
    // needs a positive quantity: each line is kept as one unit at no price, marked cancelled.
    input.warnings.push('order cancelled at Amazon: items report QuantityOrdered 0, lines kept as 1 unit at 0.00 to carry the cancellation');
    for (const index of zeroLines) {
      const line = mapItem(input.items[index]!, index, 1, input, undefined);
      if (line) lines.push({ ...line, unitPrice: '0.00', attributes: { ...line.attributes, cancelledLine: 'true' } });
    }
  } else {
    for (const index of zeroLines) {
      input.warnings.push(`items[${index}]: QuantityOrdered is 0 (line cancelled at Amazon), dropped`);
    }
  }
  if (lines.length === 0 && input.problems.length === 0) {
    input.problems.push({ path: 'items', message: 'the order has no item with a quantity to map' });
  }
  return { lines, totals };
}

/** One item as a line; `totals` undefined for placeholder lines of a cancelled order. */
function mapItem(item: JsonRecord, index: number, quantityOrdered: number, input: ItemsInput, totals: ItemTotals | undefined): OrderLine | undefined {
  const path = `items[${index}]`;
  const { problems, ctx } = input;
  const before = problems.length;
  const orderItemId = text(item.OrderItemId);
  if (orderItemId === undefined) problems.push({ path: `${path}.OrderItemId`, message: 'is required (it identifies the line in shipment confirmations)' });
  const sellerSku = text(item.SellerSKU);
  const asin = text(item.ASIN);
  if (sellerSku === undefined && asin === undefined) problems.push({ path: `${path}.SellerSKU`, message: 'neither SellerSKU nor ASIN is present' });
  const resolved = ctx.resolveSku([sellerSku, asin === undefined ? undefined : `asin:${asin}`]);
  if (!Number.isInteger(resolved.factor) || resolved.factor < 1) {
    problems.push({ path: `${path}.SellerSKU`, message: `the SKU cross-reference has a pack factor that is not a whole number (${resolved.factor})` });
  }

  const price = totals === undefined ? '0.00' : amountOf(item.ItemPrice);
  if (price === undefined) problems.push({ path: `${path}.ItemPrice.Amount`, message: 'is required once the order left Pending' });
  checkCurrencies(item, path, input);
  if (problems.length > before || price === undefined) return undefined;

  const quantity = quantityOrdered * resolved.factor;
  const discount = positive(amountOf(item.PromotionDiscount));
  // Amazon taxes the item price and credits tax on promotions separately: the line carries the net.
  const tax = net(amountOf(item.ItemTax), amountOf(item.PromotionDiscountTax));
  if (totals) collect(totals, item, price);

  const channelSku = sellerSku ?? `asin:${asin}`;
  return {
    lineId: clip(orderItemId!, 64),
    sku: resolved.sku,
    ...(text(item.Title) === undefined ? {} : { description: clip(text(item.Title)!, 500) }),
    quantity,
    uom: resolved.uom,
    unitPrice: unitPrice(price, quantity),
    ...(discount === undefined ? {} : { discount }),
    ...(tax === undefined ? {} : { taxes: [{ name: 'Item tax', amount: tax }] }),
    ...(resolved.mapped ? { channelSku: clip(channelSku, 255) } : {}),
    attributes: lineAttributes(item, quantityOrdered, asin),
  };
}

/** ItemPrice ÷ quantity with 2 places when exact, else 4 (never a float). */
function unitPrice(total: string, quantity: number): string {
  const precise = divideDecimal(total, quantity, 4);
  return precise.endsWith('00') ? divideDecimal(total, quantity, 2) : precise;
}

function lineAttributes(item: JsonRecord, quantityOrdered: number, asin: string | undefined): Record<string, string> {
  const buyer = record(item.BuyerInfo);
  const cancel = record(item.BuyerRequestedCancel);
  const attributes: Record<string, string> = {
    // The shipment confirmation counts Amazon units: kept so a pack factor can be undone.
    amazonQuantityOrdered: String(quantityOrdered),
  };
  if (asin !== undefined) attributes.asin = asin;
  if (flag(item.IsGift) === true) attributes.gift = 'true';
  const message = text(buyer?.GiftMessageText);
  if (message !== undefined) attributes.giftMessage = clip(message, 1000);
  const wrap = text(buyer?.GiftWrapLevel);
  if (wrap !== undefined) attributes.giftWrapLevel = clip(wrap, 1000);
  const condition = text(item.ConditionId);
  if (condition !== undefined) attributes.condition = clip(condition, 1000);
  if (flag(cancel?.IsBuyerRequestedCancel) === true) {
    attributes.buyerRequestedCancel = clip(text(cancel?.BuyerCancelReason) ?? 'true', 1000);
  }
  return attributes;
}

function collect(totals: ItemTotals, item: JsonRecord, price: string): void {
  const push = (list: string[], value: string | undefined) => { if (value !== undefined) list.push(value); };
  const buyer = record(item.BuyerInfo);
  totals.itemPrices.push(price);
  push(totals.promotionDiscounts, amountOf(item.PromotionDiscount));
  push(totals.itemTaxes, net(amountOf(item.ItemTax), amountOf(item.PromotionDiscountTax)));
  push(totals.shipping, amountOf(item.ShippingPrice));
  push(totals.shippingDiscounts, amountOf(item.ShippingDiscount));
  push(totals.shippingTaxes, net(amountOf(item.ShippingTax), amountOf(item.ShippingDiscountTax)));
  push(totals.giftWrap, amountOf(buyer?.GiftWrapPrice));
  push(totals.giftWrapTaxes, amountOf(buyer?.GiftWrapTax));
  push(totals.codFees, net(amountOf(item.CODFee), amountOf(item.CODFeeDiscount)));
}

/** Every Money of the item must be in the order's currency: crossdock books one currency per order. */
function checkCurrencies(item: JsonRecord, path: string, input: ItemsInput): void {
  if (input.currency === undefined) return;
  for (const field of ['ItemPrice', 'ItemTax', 'ShippingPrice', 'ShippingTax', 'ShippingDiscount', 'PromotionDiscount'] as const) {
    const code = currencyOf(item[field]);
    if (code !== undefined && code !== input.currency) {
      input.problems.push({ path: `${path}.${field}.CurrencyCode`, message: `is ${code}, the order is in ${input.currency}` });
    }
  }
}

/** `a − b`, undefined when both are absent or the result is zero. */
function net(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined && b === undefined) return undefined;
  const value = sumDecimals([a ?? '0', b === undefined ? '0' : negate(b)]);
  return compareDecimals(value, '0') === 0 ? undefined : value;
}

/** The amount when above zero, else undefined. */
export function positive(value: string | undefined): string | undefined {
  return value !== undefined && compareDecimals(value, '0') > 0 ? sumDecimals([value]) : undefined;
}

function negate(value: string): string {
  return value.startsWith('-') ? value.slice(1) : `-${value}`;
}
