/**
 * The PO1 baseline item (850 and, through POC, 860): quantity, unit, price and item ids →
 * canonical order line, through the partner profile's item cross-references and unit
 * conversions. A case of 12 ordered at 24.00 becomes 12 EA at 2.00; the partner's own values
 * are kept in attributes (see echo.ts) so acknowledgments and invoices echo them.
 */
import type { OrderLine } from '../../canonical/order.js';
import { divideDecimal, multiplyDecimal } from '../../lib/money.js';
import { resolveItem, resolveUnit, type ItemId } from './cross-reference.js';
import { ATTR } from './echo.js';
import type { PartnerMappingProfile } from './partner-profile.js';
import { quantityToR, rToDecimal, tidyMoney } from './values.js';

export interface LineInput {
  lineNumber?: string;
  /** Quantity as received (R element). */
  quantity: string;
  unit?: string;
  /** Unit price as received (R element). */
  price?: string;
  priceBasis?: string;
  ids: ItemId[];
  description?: string;
  /** Where the line came from, for messages ("PO1 at segment 12"). */
  where: string;
}

/** The canonical line of a PO1 (or POC): resolved SKU, converted unit, quantity and price. */
export function toOrderLine(input: LineInput, profile: PartnerMappingProfile, warnings: string[]): OrderLine | undefined {
  const item = resolveItem(profile, input.ids);
  if (!item) return undefined;
  if (!item.mapped) warnings.push(`${input.where}: no cross-reference for ${input.ids.map((i) => `${i.qualifier}:${i.id}`).join(', ')}; kept as SKU "${item.sku}" for the order flow to resolve`);
  const unit = resolveUnit(profile, item.sku, input.unit, item);
  const quantity = Number(input.quantity) * unit.factor;
  const received = tidyMoney(rToDecimal(input.price ?? '0') ?? '0');
  let unitPrice = received;
  if (unit.factor !== 1) {
    unitPrice = pricePerUnit(received, unit.factor);
    if (multiplyDecimal(unitPrice, unit.factor, 6) !== multiplyDecimal(received, 1, 6)) {
      warnings.push(`${input.where}: ${received} per ${input.unit ?? 'partner unit'} does not divide evenly into ${unit.factor} ${unit.uom}; ${unitPrice} per ${unit.uom} recorded`);
    }
  }
  if (input.price === undefined) warnings.push(`${input.where}: no unit price (PO104); 0 recorded, the ERP's price list applies`);
  const attributes: Record<string, string> = {};
  for (const id of input.ids) if (!((ATTR.idPrefix + id.qualifier) in attributes)) attributes[ATTR.idPrefix + id.qualifier] = id.id.slice(0, 1000);
  if (input.unit && (unit.factor !== 1 || unit.uom !== input.unit)) {
    attributes[ATTR.unit] = input.unit;
    attributes[ATTR.factor] = String(unit.factor);
  }
  if (input.price !== undefined) attributes[ATTR.price] = input.price;
  if (input.priceBasis) attributes[ATTR.priceBasis] = input.priceBasis;
  return {
    ...(input.lineNumber ? { lineId: input.lineNumber } : {}),
    sku: item.sku,
    ...(input.description ? { description: input.description.slice(0, 500) } : {}),
    quantity: Number(quantityToR(quantity)),
    uom: unit.uom,
    unitPrice,
    ...(item.mapped ? { channelSku: item.key.slice(0, 255) } : {}),
    attributes,
  };
}

/** `price ÷ factor` in decimal arithmetic, also for fractional factors (2.5 = 25 / 10). */
export function pricePerUnit(price: string, factor: number): string {
  const [, fraction = ''] = String(factor).split('.');
  const scale = 10 ** fraction.length;
  return tidyMoney(divideDecimal(multiplyDecimal(price, scale, 6), Math.round(factor * scale), 6));
}
