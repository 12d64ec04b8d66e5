import type { OrderLine } from '../../canonical/order.js';
import type { MappingContext, MappingProblem } from '../../channels/types.js';
import { compareDecimals, divideDecimal, multiplyDecimal, sumDecimals } from '../../lib/money.js';
import { asArray, asRecord, clip, decimal, idText, integer, moneyOf, text, type JsonRecord } from './read.js';

/** What the lines of one Shopify order became. */
export interface MappedLines {
  lines: OrderLine[];
  /** Every line-level discount allocation of the order, removed quantities included (to find unallocated order discounts). */
  allocatedDiscounts: string[];
  /** Lines whose current quantity is 0 (removed by an edit or refunded), left out of `lines`. */
  dropped: number;
}

/**
 * Maps `line_items` (REST Admin API, Order resource). Quantities are the line's *current*
 * quantity: `current_quantity` (REST 2024-01+: "the line item's current quantity after
 * removals"), else `quantity` minus the quantities of `refunds[].refund_line_items` for the line,
 * which is how Shopify documented it before that field existed.
 */
export function mapLines(
  order: JsonRecord,
  ctx: MappingContext,
  problems: MappingProblem[],
  warnings: string[],
  options: { ignoreRemovals?: boolean } = {},
): MappedLines {
  // With removals ignored every line keeps its ordered quantity (see the cancelled-order case in mapping.ts).
  const refunded = options.ignoreRemovals ? new Map<string, number>() : refundedQuantities(order);
  const result: MappedLines = { lines: [], allocatedDiscounts: [], dropped: 0 };
  asArray(order.line_items).forEach((raw, index) => {
    const path = `line_items[${index}]`;
    const line = asRecord(raw);
    if (line === undefined) {
      problems.push({ path, message: 'a line item must be an object' });
      return;
    }
    const mapped = mapLine(line, path, ctx, refunded, problems, warnings, options.ignoreRemovals === true);
    if (mapped === undefined) return;
    result.allocatedDiscounts.push(...mapped.allocations);
    if (mapped.line === undefined) result.dropped++;
    else result.lines.push(mapped.line);
  });
  return result;
}

function mapLine(
  line: JsonRecord,
  path: string,
  ctx: MappingContext,
  refunded: ReadonlyMap<string, number>,
  problems: MappingProblem[],
  warnings: string[],
  ignoreRemovals: boolean,
): { line: OrderLine | undefined; allocations: string[] } | undefined {
  const before = problems.length;
  const lineId = idText(line.id);
  if (lineId === undefined) problems.push({ path: `${path}.id`, message: 'missing or not a Shopify id' });
  const ordered = integer(line.quantity);
  if (ordered === undefined || ordered <= 0) problems.push({ path: `${path}.quantity`, message: 'must be a positive integer' });
  const price = decimal(line.price) ?? moneyOf(line.price_set, 'shop_money')?.amount;
  if (price === undefined) problems.push({ path: `${path}.price`, message: 'missing or not a decimal amount' });
  const allocations = discountAllocations(line, `${path}.discount_allocations`, problems);
  if (problems.length > before || lineId === undefined || ordered === undefined || price === undefined) return undefined;

  const current = ignoreRemovals ? ordered : currentQuantity(line, lineId, ordered, refunded);
  const title = text(line.name) ?? text(line.title);
  if (current <= 0) {
    warnings.push(`${path} (${title ?? lineId}) dropped: nothing of it remains on the order (removed by an edit or refunded)`);
    return { line: undefined, allocations };
  }

  const keys = skuKeys(line);
  if (!keys.some((key) => key !== undefined)) {
    // A custom line item (added by staff, no product behind it): its title is all there is.
    keys.push(`custom:${clip(title ?? lineId, 93)}`);
    warnings.push(`${path} has no SKU, variant or product (a custom item): published as ${keys.at(-1)}`);
  }
  const resolved = ctx.resolveSku(keys);
  const shopifyRef = keys.find((key): key is string => key !== undefined);
  const discount = lineDiscount(line, allocations, ordered, current);
  const taxes = lineTaxes(line, ordered, current);
  const attributes = properties(line.properties);

  const mapped: OrderLine = {
    lineId,
    sku: resolved.sku,
    quantity: current * resolved.factor,
    uom: resolved.uom,
    // `price` is the unit price in the shop currency, before discounts; a channel pack of
    // `factor` crossdock units costs `price`, so one crossdock unit costs price ÷ factor.
    unitPrice: resolved.factor === 1 ? price : divideDecimal(price, resolved.factor),
    ...(title === undefined ? {} : { description: clip(title, 500) }),
    ...(discount === undefined ? {} : { discount }),
    ...(taxes.length === 0 ? {} : { taxes }),
    ...(resolved.mapped && shopifyRef !== undefined && shopifyRef !== resolved.sku ? { channelSku: clip(shopifyRef, 255) } : {}),
    ...(line.gift_card === true ? { giftCard: true } : {}),
    ...(attributes === undefined ? {} : { attributes }),
  };
  return { line: mapped, allocations };
}

/** `[sku, 'variant:'+variant_id, 'product:'+product_id]`: Shopify leaves `sku` empty ("") on many variants. */
function skuKeys(line: JsonRecord): (string | undefined)[] {
  const variant = idText(line.variant_id);
  const product = idText(line.product_id);
  return [
    text(line.sku),
    variant === undefined ? undefined : `variant:${variant}`,
    product === undefined ? undefined : `product:${product}`,
  ];
}

function currentQuantity(line: JsonRecord, lineId: string, ordered: number, refunded: ReadonlyMap<string, number>): number {
  const current = integer(line.current_quantity);
  if (current !== undefined) return current;
  return ordered - (refunded.get(lineId) ?? 0);
}

/** Quantities refunded per line item id, from `refunds[].refund_line_items[]`. */
function refundedQuantities(order: JsonRecord): Map<string, number> {
  const totals = new Map<string, number>();
  for (const refund of asArray(order.refunds)) {
    for (const item of asArray(asRecord(refund)?.refund_line_items)) {
      const record = asRecord(item);
      const id = idText(record?.line_item_id);
      const quantity = integer(record?.quantity);
      if (id !== undefined && quantity !== undefined && quantity > 0) totals.set(id, (totals.get(id) ?? 0) + quantity);
    }
  }
  return totals;
}

/**
 * The line's `discount_allocations[].amount` (shop currency). Order-level discounts that Shopify
 * spreads over lines ("allocation_method": "across") are allocated here too, so this is the
 * whole discount the line carries.
 */
function discountAllocations(line: JsonRecord, path: string, problems: MappingProblem[]): string[] {
  const amounts: string[] = [];
  asArray(line.discount_allocations).forEach((raw, index) => {
    const record = asRecord(raw);
    const amount = decimal(record?.amount) ?? moneyOf(record?.amount_set, 'shop_money')?.amount;
    if (amount === undefined) problems.push({ path: `${path}[${index}].amount`, message: 'missing or not a decimal amount' });
    else amounts.push(amount);
  });
  return amounts;
}

/**
 * Total discount of the line for its current quantity: the allocations, else the older
 * `total_discount` field. Allocations cover the ordered quantity, so a line partly removed keeps
 * its share (discount × current ÷ ordered).
 */
function lineDiscount(line: JsonRecord, allocations: readonly string[], ordered: number, current: number): string | undefined {
  const total = allocations.length > 0 ? sumDecimals(allocations) : decimal(line.total_discount);
  if (total === undefined || compareDecimals(total, '0') <= 0) return undefined;
  return prorate(total, ordered, current);
}

function lineTaxes(line: JsonRecord, ordered: number, current: number): NonNullable<OrderLine['taxes']> {
  const taxes: NonNullable<OrderLine['taxes']> = [];
  for (const raw of asArray(line.tax_lines)) {
    const tax = taxLine(raw);
    if (tax !== undefined) taxes.push({ ...tax, amount: prorate(tax.amount, ordered, current) });
  }
  return taxes.slice(0, 20);
}

/** One `tax_lines[]` entry: `{ title, price, rate }` (rate is a fraction: 0.06 for 6%). */
export function taxLine(raw: unknown): { name: string; amount: string; rate?: string } | undefined {
  const tax = asRecord(raw);
  const amount = decimal(tax?.price) ?? moneyOf(tax?.price_set, 'shop_money')?.amount;
  if (amount === undefined) return undefined;
  const rate = decimal(tax?.rate);
  return { name: clip(text(tax?.title) ?? 'Tax', 100), amount, ...(rate === undefined ? {} : { rate }) };
}

function prorate(amount: string, ordered: number, current: number): string {
  if (current >= ordered) return amount;
  return multiplyDecimal(divideDecimal(amount, ordered, 6), current);
}

/** `properties: [{ name, value }]` (engraving, bundle configuration) → line attributes. */
export function properties(raw: unknown): Record<string, string> | undefined {
  const attributes: Record<string, string> = {};
  for (const entry of asArray(raw)) {
    const record = asRecord(entry);
    const name = text(record?.name);
    const value = record?.value;
    if (name === undefined || value === undefined || value === null) continue;
    attributes[clip(name, 64)] = clip(typeof value === 'string' ? value : JSON.stringify(value), 1000);
  }
  return Object.keys(attributes).length === 0 ? undefined : attributes;
}
