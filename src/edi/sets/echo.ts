/**
 * What the 850 mapping keeps on the canonical order so outbound sets can echo the partner's
 * own values: PO1 line numbers (as `lineId`), N1 location codes (as `locationCode`), and,
 * in `attributes`, the item ids with their qualifiers, the unit, quantity and price as ordered,
 * and the PO date. Retailers reject 855/856/810 documents that do not echo them.
 */
import type { Order, OrderLine, OrderSubmission } from '../../canonical/order.js';
import type { ItemId } from './cross-reference.js';
import { multiplyDecimal } from '../../lib/money.js';

/** Attribute keys written by the inbound 850/860 mappings and read by outbound sets. */
export const ATTR = {
  /** Line: one key per product id qualifier, in the order the partner sent them (`x12.id.UP`). */
  idPrefix: 'x12.id.',
  /** Line: the partner's unit (PO103) when it differs from the crossdock unit. */
  unit: 'x12.unit',
  /** Line: crossdock units in one partner unit. */
  factor: 'x12.factor',
  /** Line: PO104 as received. */
  price: 'x12.price',
  /** Line: PO105 basis of unit price code. */
  priceBasis: 'x12.priceBasis',
  /** Header: BEG05 (CCYYMMDD). */
  poDate: 'x12.poDate',
  /** Header: BEG02 purchase order type (SA stand-alone, DS drop ship …). */
  poType: 'x12.poType',
  /** Header: BEG04 release number. */
  release: 'x12.release',
  /** Header: N103 qualifier of an N1 loop, per entity code (`x12.n103.ST`). */
  n103Prefix: 'x12.n103.',
  /** Header: N104 of a party with no canonical address (`x12.n104.BY`). */
  n104Prefix: 'x12.n104.',
} as const;

export type AnyOrder = OrderSubmission | Order;

/** The item ids the partner sent for a line, in order. */
export function lineItemIds(line: OrderLine): ItemId[] {
  return Object.entries(line.attributes ?? {})
    .filter(([k]) => k.startsWith(ATTR.idPrefix))
    .map(([k, id]) => ({ qualifier: k.slice(ATTR.idPrefix.length), id }));
}

/** The line of `order` a shipment or invoice line refers to: by line id, else by SKU. */
export function findOrderLine(order: AnyOrder, ref: { lineId?: string | undefined; sku: string }): OrderLine | undefined {
  return (ref.lineId !== undefined ? order.lines.find((l) => l.lineId === ref.lineId) : undefined) ?? order.lines.find((l) => l.sku === ref.sku);
}

/** Item ids to send for a line: the partner's own ids when the order carries them, else the SKU under the profile's qualifier. */
export function outboundItemIds(line: OrderLine | undefined, sku: string, skuQualifier: string): ItemId[] {
  const ids = line ? lineItemIds(line) : [];
  return ids.length > 0 ? ids : [{ qualifier: skuQualifier, id: sku }];
}

export interface PartnerQuantity {
  quantity: number;
  uom: string;
  /** The crossdock quantity divided back into the partner's unit, so prices are per partner unit too. */
  factor: number;
}

/**
 * A crossdock quantity in the partner's unit when it divides evenly (12 EA → 1 CA), so the
 * partner reads back what it ordered; otherwise in the crossdock unit (a broken case).
 */
export function toPartnerQuantity(quantity: number, uom: string | undefined, line: OrderLine | undefined): PartnerQuantity {
  const unit = line?.attributes?.[ATTR.unit];
  const factor = Number(line?.attributes?.[ATTR.factor] ?? '1');
  const canonicalUom = uom ?? line?.uom ?? 'EA';
  if (unit && factor > 0 && factor !== 1) {
    const q = quantity / factor;
    // Whole partner units only (float noise aside): 18 EA of a 12-pack stays 18 EA, not 1.5 CA.
    if (Math.abs(q - Math.round(q)) < 1e-9) return { quantity: Math.round(q), uom: unit, factor };
  }
  return { quantity, uom: canonicalUom, factor: 1 };
}

/** A crossdock unit price per partner unit (`factor` crossdock units). */
export function toPartnerPrice(unitPrice: string, factor: number): string {
  return factor === 1 ? unitPrice : multiplyDecimal(unitPrice, factor, 4);
}

/** The PO date to echo (BEG05), falling back to the order date. */
export function poDateOf(order: AnyOrder): string {
  return order.attributes?.[ATTR.poDate] ?? order.orderedAt.slice(0, 10).replace(/-/g, '');
}
