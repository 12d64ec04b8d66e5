import type { OrderLine } from '../../canonical/order.js';
import type { MappingContext, MappingProblem } from '../../channels/types.js';
import { divideDecimal, isDecimal } from '../../lib/money.js';
import { isPositive, trimZeros } from './amounts.js';
import { flag, id, num, objectAt, text, type Json } from './document.js';

/**
 * Order item rows → canonical lines. Adobe Commerce lists composite products as a parent row
 * and child rows (`parent_item_id` set) in the same `items` array (salesDataOrderItemInterface):
 * - configurable: the parent row carries price, discount, tax and quantity, and its `sku` is
 *   already the chosen simple's SKU; the child row (price 0) names the simple product. One line:
 *   the simple, priced from the parent, with the PARENT `item_id` as line id, because
 *   `POST /V1/order/{id}/ship` ships a configurable through its parent item.
 * - bundle: the children are what is picked and shipped, so each child is a line. With dynamic
 *   pricing the children carry the prices; with fixed pricing only the parent does, and its
 *   whole price (discount and tax too) goes on the FIRST child, the others at 0: the order total
 *   stays exact and no amount is split into fractions of a cent.
 * - anything else (simple, virtual, downloadable, giftcard, grouped members) is its own line.
 */

/** Reads an amount of a row in the currency the order is booked in (base or order currency). */
export type MoneyReader = (row: Json, field: string) => string | undefined;

export interface LinesResult {
  lines: OrderLine[];
  warnings: string[];
  problems: MappingProblem[];
  /** Sum of the item discounts Magento applied (dropped lines included), to isolate the shipping discount. */
  itemDiscounts: string[];
}

interface Row {
  index: number;
  item: Json;
  id: string | undefined;
  parentId: string | undefined;
}

/** What one line is made of: which row gives what. */
interface Candidate {
  skuRow: Row;
  qtyRow: Row;
  /** Gives the unit price, unless `unitPrice` is set. */
  priceRow: Row;
  unitPrice?: string;
  /** Gives discount and tax; undefined for the zero-priced children of a fixed-price bundle. */
  amountsRow: Row | undefined;
  lineId: string | undefined;
  attributes: Record<string, string>;
}

const VIRTUAL_TYPES = new Set(['virtual', 'downloadable']);

export function mapLines(items: unknown, ctx: MappingContext, money: MoneyReader, orderCancelled: boolean): LinesResult {
  const result: LinesResult = { lines: [], warnings: [], problems: [], itemDiscounts: [] };
  if (!Array.isArray(items) || items.length === 0) {
    result.problems.push({ path: 'items', message: 'the order has no items' });
    return result;
  }
  const rows: Row[] = items.map((raw, index) => {
    const item = objectAt(raw);
    return { index, item, id: id(item.item_id), parentId: id(item.parent_item_id) };
  });
  const byId = new Map(rows.flatMap((row) => (row.id === undefined ? [] : [[row.id, row] as const])));
  const childrenOf = new Map<string, Row[]>();
  for (const row of rows) {
    if (row.parentId === undefined || !byId.has(row.parentId)) continue;
    childrenOf.set(row.parentId, [...(childrenOf.get(row.parentId) ?? []), row]);
  }

  for (const row of rows) {
    // Child rows are reached through their parent.
    if (row.parentId !== undefined && byId.has(row.parentId)) continue;
    const kids = row.id === undefined ? [] : childrenOf.get(row.id) ?? [];
    for (const candidate of candidatesOf(row, kids, money, result)) addLine(candidate, ctx, money, orderCancelled, result);
  }
  return result;
}

function candidatesOf(row: Row, kids: Row[], money: MoneyReader, result: LinesResult): Candidate[] {
  const type = text(row.item.product_type) ?? 'simple';
  const plain = { skuRow: row, qtyRow: row, priceRow: row, amountsRow: row, lineId: row.id };
  if (type === 'configurable') {
    const child = kids[0];
    return [{ ...plain, skuRow: child ?? row, attributes: { productType: 'configurable', ...(child?.id ? { childItemId: child.id } : {}) } }];
  }
  if (type === 'bundle') {
    if (kids.length === 0) {
      result.warnings.push(`items[${row.index}]: bundle ${text(row.item.sku) ?? ''} has no child rows; shipped as one line`);
      return [{ ...plain, attributes: { productType: 'bundle' } }];
    }
    const bundle = { productType: 'bundle-item', ...(row.id ? { bundleItemId: row.id } : {}), ...(text(row.item.sku) ? { bundleSku: text(row.item.sku)! } : {}) };
    const dynamic = kids.some((kid) => isPositive(money(kid.item, 'price')));
    if (dynamic) return kids.map((kid) => ({ skuRow: kid, qtyRow: kid, priceRow: kid, amountsRow: kid, lineId: kid.id, attributes: bundle }));
    return kids.map((kid, position) => {
      const first = position === 0;
      const unitPrice = first ? fixedBundlePrice(row, kid, money) : '0';
      return { skuRow: kid, qtyRow: kid, priceRow: first ? row : kid, amountsRow: first ? row : undefined, lineId: kid.id, attributes: bundle, ...(unitPrice === undefined ? {} : { unitPrice }) };
    });
  }
  return [{ ...plain, attributes: type === 'simple' ? {} : { productType: type } }];
}

/** The bundle's price per unit of its first child: parent price ÷ that child's quantity per bundle. */
function fixedBundlePrice(parent: Row, kid: Row, money: MoneyReader): string | undefined {
  const price = money(parent.item, 'price');
  const perBundle = (num(kid.item.qty_ordered) ?? 0) / (num(parent.item.qty_ordered) ?? 0);
  if (price === undefined || !(perBundle > 0) || !Number.isFinite(perBundle)) return undefined;
  if (Number.isInteger(perBundle)) return trimZeros(divideDecimal(price, perBundle, 6));
  return trimZeros((Number(price) / perBundle).toFixed(6));
}

function addLine(candidate: Candidate, ctx: MappingContext, money: MoneyReader, orderCancelled: boolean, result: LinesResult): void {
  const { skuRow, qtyRow, priceRow, amountsRow } = candidate;
  const at = (row: Row, field: string) => `items[${row.index}].${field}`;
  const discount = amountsRow ? money(amountsRow.item, 'discount_amount') : undefined;
  if (isPositive(discount)) result.itemDiscounts.push(discount);

  const sku = text(skuRow.item.sku);
  const ordered = num(qtyRow.item.qty_ordered);
  const unitPrice = candidate.unitPrice ?? money(priceRow.item, 'price');
  const before = result.problems.length;
  if (sku === undefined) result.problems.push({ path: at(skuRow, 'sku'), message: 'missing SKU' });
  if (ordered === undefined || !(ordered > 0)) result.problems.push({ path: at(qtyRow, 'qty_ordered'), message: `quantity must be a positive number (got ${JSON.stringify(qtyRow.item.qty_ordered)})` });
  if (unitPrice === undefined || !isDecimal(unitPrice)) result.problems.push({ path: at(priceRow, 'price'), message: 'missing or unreadable price' });
  if (result.problems.length > before || sku === undefined || ordered === undefined || unitPrice === undefined) return;

  // A cancelled order keeps its lines as ordered, so the cancellation reaches the ERP against them.
  const quantity = orderCancelled ? ordered : openQuantity(qtyRow.item, ordered);
  if (!(quantity > 0)) {
    result.warnings.push(`${at(qtyRow, 'qty_canceled')}: ${sku} is cancelled or refunded in full; line dropped`);
    return;
  }
  const type = text(skuRow.item.product_type) ?? text(qtyRow.item.product_type);
  if ((type !== undefined && VIRTUAL_TYPES.has(type)) || flag(skuRow.item.is_virtual)) {
    result.warnings.push(`${at(skuRow, 'sku')}: ${sku} is a ${type ?? 'virtual'} product (nothing to ship); line kept`);
  }

  const resolved = ctx.resolveSku([sku, productKey(skuRow.item)]);
  const name = text(skuRow.item.name) ?? text(qtyRow.item.name);
  const tax = amountsRow ? money(amountsRow.item, 'tax_amount') : undefined;
  const rate = amountsRow ? num(amountsRow.item.tax_percent) : undefined;
  const attributes = { ...candidate.attributes, ...(resolved.factor === 1 ? {} : { channelFactor: String(resolved.factor) }) };
  result.lines.push({
    ...(candidate.lineId === undefined ? {} : { lineId: candidate.lineId }),
    sku: resolved.sku,
    ...(name === undefined ? {} : { description: name.slice(0, 500) }),
    quantity: roundQuantity(quantity * resolved.factor),
    uom: resolved.uom,
    unitPrice: perCrossdockUnit(unitPrice, resolved.factor),
    ...(isPositive(discount) ? { discount } : {}),
    ...(isPositive(tax) ? { taxes: [{ name: 'Tax', amount: tax, ...(rate !== undefined && rate > 0 ? { rate: trimZeros(rate.toFixed(4)) } : {}) }] } : {}),
    ...(resolved.mapped && resolved.sku !== sku ? { channelSku: sku } : {}),
    ...(type === 'giftcard' ? { giftCard: true } : {}),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
  });
}

/**
 * What is still to be delivered: ordered − cancelled − refunded, never less than what already
 * shipped (a refund after shipping is a return, not an unshipped unit). The same arithmetic as
 * Magento's own `Order\Item::getQtyToShip()` plus what shipped.
 */
function openQuantity(item: Json, ordered: number): number {
  const shipped = num(item.qty_shipped) ?? 0;
  const remaining = ordered - (num(item.qty_canceled) ?? 0) - (num(item.qty_refunded) ?? 0);
  return roundQuantity(Math.max(shipped, remaining));
}

function productKey(item: Json): string | undefined {
  const product = id(item.product_id);
  return product === undefined ? undefined : `product:${product}`;
}

const roundQuantity = (quantity: number): number => Math.round(quantity * 1e6) / 1e6;

function perCrossdockUnit(price: string, factor: number): string {
  if (factor === 1) return price;
  if (Number.isInteger(factor) && factor > 0) return trimZeros(divideDecimal(price, factor, 6));
  return trimZeros((Number(price) / factor).toFixed(6));
}
