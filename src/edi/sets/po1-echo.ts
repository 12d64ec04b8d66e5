/**
 * The PO1 segment an outbound 855 (PO1) or 810 (IT1) echoes for an order line: the partner's
 * line number, its quantity and unit, its price and its item ids, exactly as ordered.
 */
import type { OrderLine } from '../../canonical/order.js';
import type { ItemId } from './cross-reference.js';
import { ATTR, outboundItemIds, toPartnerPrice, toPartnerQuantity } from './echo.js';
import { itemIdElements } from './items.js';
import { decimalToR, quantityToR } from './values.js';

export interface EchoedLine {
  lineNumber?: string;
  quantity: string;
  uom: string;
  price: string;
  priceBasis?: string;
  ids: ItemId[];
  /** crossdock units per echoed unit. */
  factor: number;
}

/** `quantity` (crossdock units) of `line`, in the unit and with the price the partner ordered. */
export function echoLine(line: OrderLine | undefined, sku: string, quantity: number, unitPrice: string, skuQualifier: string): EchoedLine {
  const q = toPartnerQuantity(quantity, line?.uom, line);
  const asOrdered = line?.attributes?.[ATTR.price];
  // The price as received is the partner's own text ("24.00"): echo it when nothing changed, so its matching succeeds.
  const price = asOrdered !== undefined && line?.unitPrice === unitPrice && q.factor === Number(line.attributes?.[ATTR.factor] ?? '1') ? asOrdered : decimalToR(toPartnerPrice(unitPrice, q.factor));
  const basis = line?.attributes?.[ATTR.priceBasis];
  return {
    ...(line?.lineId ? { lineNumber: line.lineId } : {}),
    quantity: quantityToR(q.quantity), uom: q.uom, price, ...(basis ? { priceBasis: basis } : {}),
    ids: outboundItemIds(line, sku, skuQualifier), factor: q.factor,
  };
}

/** The elements after the line number: quantity, unit, price, basis, then up to `pairs` qualifier/id pairs. */
export function echoElements(e: EchoedLine, pairs = 10): (string | undefined)[] {
  return [e.lineNumber, e.quantity, e.uom, e.price, e.priceBasis, ...itemIdElements(e.ids, pairs)];
}
