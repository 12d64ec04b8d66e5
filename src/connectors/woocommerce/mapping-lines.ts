import type { OrderLine } from '../../canonical/order.js';
import type { MappingContext, MappingProblem } from '../../channels/types.js';
import { decimalOf, isPositive, isZero, perUnit, prorate, subtractDecimals } from './decimals.js';
import { isRecord } from './document.js';
import { metaAttributes, plainText } from './text.js';

/** Tax rate id → what `tax_lines` says about it (label, percent), for naming line taxes. */
export type TaxRates = ReadonlyMap<number, { name: string; rate?: string }>;

export interface LinesResult {
  lines: OrderLine[];
  problems: MappingProblem[];
  warnings: string[];
}

/**
 * Units refunded per order line id, from the refunds' line items: WooCommerce writes refunded
 * units as negative quantities and links each refund item to the order item it refunds with the
 * `_refunded_item_id` meta (Order refunds, "Line items properties").
 */
export function refundedUnits(refunds: readonly unknown[], warnings: string[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const refund of refunds) {
    if (!isRecord(refund) || !Array.isArray(refund.line_items)) continue;
    for (const item of refund.line_items) {
      if (!isRecord(item)) continue;
      const quantity = typeof item.quantity === 'number' ? Math.abs(item.quantity) : 0;
      // Amount-only refunds (a price adjustment) carry quantity 0: nothing to take off the lines.
      if (quantity === 0) continue;
      const meta = Array.isArray(item.meta_data) ? item.meta_data : [];
      const link = meta.find((m) => isRecord(m) && m.key === '_refunded_item_id');
      const lineId = isRecord(link) && (typeof link.value === 'string' || typeof link.value === 'number') ? String(link.value) : undefined;
      if (lineId === undefined) {
        warnings.push(`refund ${String(refund.id)}: a refunded item names no order line (_refunded_item_id); its ${quantity} unit(s) were not taken off`);
        continue;
      }
      units.set(lineId, (units.get(lineId) ?? 0) + quantity);
    }
  }
  return units;
}

/**
 * `line_items` → canonical lines. Unit prices come from `subtotal` ÷ `quantity` as decimals
 * (the documented `price` field is a float of the discounted total); the line discount is
 * `subtotal` − `total` (coupons are already spread over the lines by WooCommerce). WooCommerce
 * keeps `subtotal` net of tax even when the shop enters prices with tax
 * (`prices_include_tax: true`), so unit prices are always net and taxes travel separately.
 */
export function mapLines(items: unknown, refunded: ReadonlyMap<string, number>, rates: TaxRates, ctx: MappingContext): LinesResult {
  const result: LinesResult = { lines: [], problems: [], warnings: [] };
  if (!Array.isArray(items) || items.length === 0) {
    result.problems.push({ path: 'line_items', message: 'the order has no line items' });
    return result;
  }
  const kept: OrderLine[] = [];
  const asOrdered: OrderLine[] = [];
  items.forEach((item, index) => {
    const mapped = mapLine(item, `line_items[${index}]`, refunded, rates, ctx, result);
    if (!mapped) return;
    asOrdered.push(mapped.asOrdered);
    if (mapped.remaining) kept.push(mapped.remaining);
  });
  if (result.problems.length > 0) return result;
  if (kept.length === 0) {
    // Canonical orders need a line; payment.status "refunded" tells the ERP the rest.
    result.warnings.push('every line was refunded: lines are kept as ordered');
    result.lines = asOrdered;
  } else {
    result.lines = kept;
  }
  return result;
}

function mapLine(
  item: unknown,
  path: string,
  refunded: ReadonlyMap<string, number>,
  rates: TaxRates,
  ctx: MappingContext,
  out: LinesResult,
): { asOrdered: OrderLine; remaining: OrderLine | undefined } | undefined {
  if (!isRecord(item)) {
    out.problems.push({ path, message: 'not an object' });
    return undefined;
  }
  const before = out.problems.length;
  const quantity = item.quantity;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity <= 0) {
    out.problems.push({ path: `${path}.quantity`, message: `must be a whole number above 0 (got ${JSON.stringify(quantity)})` });
  }
  const subtotal = decimalOf(item.subtotal);
  if (subtotal === undefined) out.problems.push({ path: `${path}.subtotal`, message: 'must be a decimal amount' });
  const total = decimalOf(item.total);
  if (total === undefined) out.problems.push({ path: `${path}.total`, message: 'must be a decimal amount' });
  const id = typeof item.id === 'number' || typeof item.id === 'string' ? String(item.id) : undefined;
  if (id === undefined) out.problems.push({ path: `${path}.id`, message: 'missing line item id' });
  if (out.problems.length > before || subtotal === undefined || total === undefined || id === undefined || typeof quantity !== 'number') return undefined;

  const sku = typeof item.sku === 'string' && item.sku.trim() !== '' ? item.sku.trim() : undefined;
  const variationId = positiveId(item.variation_id);
  const productId = positiveId(item.product_id);
  // Products without a SKU are still identifiable by their WooCommerce ids.
  const keys = [sku, variationId ? `variation:${variationId}` : undefined, productId ? `product:${productId}` : undefined];
  const resolved = ctx.resolveSku(keys);
  const channelSku = keys.find((k): k is string => k !== undefined);

  let unitPrice = perUnit(subtotal, quantity);
  if (resolved.factor !== 1) {
    if (Number.isInteger(resolved.factor) && resolved.factor > 0) unitPrice = perUnit(unitPrice, resolved.factor);
    else out.warnings.push(`${path}: pack factor ${resolved.factor} is not a whole number; unit price left per channel unit`);
  }
  const discount = subtractDecimals(subtotal, total);

  const line: OrderLine = {
    lineId: id.slice(0, 64),
    sku: resolved.sku.slice(0, 100),
    quantity: quantity * resolved.factor,
    uom: resolved.uom,
    unitPrice,
  };
  const name = plainText(item.name);
  if (name) line.description = name.slice(0, 500);
  if (isPositive(discount)) line.discount = discount;
  const taxes = lineTaxes(item.taxes, rates);
  if (taxes.length > 0) line.taxes = taxes;
  if (channelSku !== undefined && channelSku !== line.sku) line.channelSku = channelSku.slice(0, 255);
  const attributes = metaAttributes(item.meta_data);
  if (attributes) line.attributes = attributes;

  const gone = Math.min(refunded.get(id) ?? 0, quantity);
  if (gone === 0) return { asOrdered: line, remaining: line };
  if (gone === quantity) {
    out.warnings.push(`${path}: all ${quantity} unit(s) refunded; line left out`);
    return { asOrdered: line, remaining: undefined };
  }
  const left = quantity - gone;
  out.warnings.push(`${path}: ${gone} of ${quantity} unit(s) refunded`);
  const remaining: OrderLine = { ...line, quantity: left * resolved.factor };
  if (line.discount) {
    const share = prorate(line.discount, left, quantity);
    if (isPositive(share)) remaining.discount = share;
    else delete remaining.discount;
  }
  // Taxes are per line as charged; refunds' own tax lines say what was given back.
  return { asOrdered: line, remaining };
}

function lineTaxes(taxes: unknown, rates: TaxRates): NonNullable<OrderLine['taxes']> {
  if (!Array.isArray(taxes)) return [];
  const out: NonNullable<OrderLine['taxes']> = [];
  for (const tax of taxes) {
    if (!isRecord(tax)) continue;
    const amount = decimalOf(tax.total);
    if (amount === undefined || isZero(amount)) continue;
    const rateId = typeof tax.id === 'number' ? tax.id : Number(tax.id);
    const rate = rates.get(rateId);
    out.push({ name: (rate?.name ?? `tax rate ${String(tax.id)}`).slice(0, 100), amount, ...(rate?.rate ? { rate: rate.rate } : {}) });
    if (out.length === 20) break;
  }
  return out;
}

function positiveId(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
