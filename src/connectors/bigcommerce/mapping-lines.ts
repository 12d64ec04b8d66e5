import type { MappingContext, MappingProblem } from '../../channels/types.js';
import type { OrderLine } from '../../canonical/order.js';
import { divideDecimal, multiplyDecimal, sumDecimals } from '../../lib/money.js';
import type { OrderCurrency } from './currency.js';
import { amount, clip, integer, type Json, nonZero, numeric, records, text } from './values.js';

export interface MappedLines {
  lines: OrderLine[];
  /** Sum of the discounts carried by the lines, in the order's own (transactional) currency. */
  lineDiscounts: string;
  problems: MappingProblem[];
  warnings: string[];
}

/**
 * Order products (`GET /v2/orders/{id}/products`) as canonical lines. The quantity is what is
 * still owed (`quantity − quantity_refunded`); lines refunded in full are left out, unless every
 * line is, when the lines stay as ordered so the refunded order still has something to show.
 */
export function mapLines(products: readonly Json[], currency: OrderCurrency, multipleAddresses: boolean, ctx: MappingContext): MappedLines {
  const problems: MappingProblem[] = [];
  const warnings: string[] = [];
  const owed: OrderLine[] = [];
  const asOrdered: OrderLine[] = [];
  const discounts: string[] = [];

  if (products.length === 0) problems.push({ path: 'products', message: 'the order has no products' });
  products.forEach((product, index) => {
    const path = `products[${index}]`;
    const before = problems.length;
    const rowId = integer(product.id);
    if (rowId === undefined || rowId <= 0) problems.push({ path: `${path}.id`, message: 'missing order product id' });
    const quantity = integer(product.quantity);
    if (quantity === undefined || quantity < 0) problems.push({ path: `${path}.quantity`, message: `not a whole non-negative quantity: ${JSON.stringify(product.quantity)}` });
    const refunded = numeric(product.quantity_refunded) ?? 0;
    if (quantity !== undefined && quantity >= 0 && (refunded < 0 || refunded > quantity || !Number.isInteger(refunded))) {
      problems.push({ path: `${path}.quantity_refunded`, message: `refunded quantity ${refunded} does not fit ordered quantity ${quantity}` });
    }
    const unit = amount(product.price_ex_tax, 4) ?? amount(product.base_price, 4);
    if (unit === undefined) problems.push({ path: `${path}.price_ex_tax`, message: 'missing or not a number' });

    const sku = text(product.sku);
    const variantId = integer(product.variant_id);
    const productId = integer(product.product_id);
    const giftCard = text(product.type) === 'giftcertificate';
    // A custom product has product_id 0 and no variant (Orders V2: "Custom Product"); a gift
    // certificate usually has no SKU at all.
    const keys = [
      sku,
      variantId !== undefined && variantId > 0 ? `variant:${variantId}` : undefined,
      productId !== undefined && productId > 0 ? `product:${productId}` : undefined,
      giftCard ? 'giftcertificate' : undefined,
    ];
    if (keys.every((k) => k === undefined)) problems.push({ path: `${path}.sku`, message: 'no sku, variant_id or product_id to identify the item' });
    if (problems.length > before || quantity === undefined || unit === undefined || rowId === undefined) return;
    if (quantity === 0) {
      warnings.push(`${path}: quantity 0, left out`);
      return;
    }

    const resolved = ctx.resolveSku(keys);
    const discount = sumDecimals(records(product.applied_discounts).map((d) => amount(d.amount) ?? '0'), 2);
    const tax = amount(product.total_tax);
    const attributes = lineAttributes(product, multipleAddresses);
    const description = text(product.name_merchant) ?? text(product.name);
    // Discount and tax are for the quantity ordered; a partly refunded line keeps its share.
    const share = (value: string, qty: number): string => currency.toBooked(qty === quantity ? value : divideDecimal(multiplyDecimal(value, qty, 6), quantity, 2), 2);
    const build = (qty: number): OrderLine => ({
      lineId: String(rowId),
      sku: resolved.sku,
      quantity: qty * resolved.factor,
      uom: resolved.uom,
      unitPrice: resolved.factor > 1 ? divideDecimal(currency.toBooked(unit, 4), resolved.factor, 4) : currency.toBooked(unit, 4),
      ...(description ? { description: clip(description, 500) } : {}),
      ...(nonZero(discount) ? { discount: share(discount, qty) } : {}),
      ...(nonZero(tax) ? { taxes: [{ name: 'Tax', amount: share(tax, qty) }] } : {}),
      ...(resolved.mapped ? { channelSku: clip(keys.find((k) => k !== undefined)!, 255) } : {}),
      ...(giftCard ? { giftCard: true } : {}),
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    });
    if (nonZero(discount)) discounts.push(discount);
    asOrdered.push(build(quantity));
    const net = quantity - refunded;
    if (net > 0) owed.push(build(net));
    else warnings.push(`${path}: refunded in full, left out`);
  });

  let lines = owed;
  if (owed.length === 0 && asOrdered.length > 0) {
    lines = asOrdered;
    warnings.push('every product is refunded: lines are as ordered');
  }
  return { lines, lineDiscounts: sumDecimals(discounts, 2), problems, warnings };
}

/**
 * Line properties: the shopper's option choices (`product_options`: display_name → display_value),
 * Catalog V2 `configurable_fields`, gift wrapping, the bundle a pick-list item belongs to, and
 * the shipping address the line goes to when the order has several.
 */
function lineAttributes(product: Json, multipleAddresses: boolean): Record<string, string> {
  const attributes: Record<string, string> = {};
  const put = (name: string | undefined, value: string | undefined): void => {
    if (name === undefined || value === undefined) return;
    let key = clip(name, 64);
    for (let n = 2; Object.hasOwn(attributes, key); n++) key = clip(`${name} (${n})`, 64);
    attributes[key] = clip(value, 1000);
  };
  for (const option of records(product.product_options)) {
    put(text(option.display_name) ?? text(option.display_name_merchant) ?? text(option.name), text(option.display_value) ?? text(option.display_value_merchant) ?? text(option.value));
  }
  for (const field of records(product.configurable_fields)) put(text(field.name), text(field.value));
  if (integer(product.wrapping_id)) {
    put('giftWrap', text(product.wrapping_name));
    put('giftMessage', text(product.wrapping_message));
  }
  const parent = integer(product.parent_order_product_id);
  if (parent !== undefined && parent > 0) put('bundledIn', String(parent));
  const addressId = integer(product.order_address_id);
  if (multipleAddresses && addressId !== undefined && addressId > 0) put('shipToAddressId', String(addressId));
  return attributes;
}
