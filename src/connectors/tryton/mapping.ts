import type { InvoiceLine, InvoiceSubmission } from '../../canonical/invoice.js';
import type { Order } from '../../canonical/order.js';
import type { ShipmentLine } from '../../canonical/shipment.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import { sumDecimals } from '../../lib/money.js';
import type { ErpCustomer, ErpInvoice, ErpItem, ErpShipment, ErpStockLevel } from '../capabilities.js';
import { trytonDate, trytonDecimal } from './codec.js';
import {
  relatedText,
  type TrytonAddress,
  type TrytonInvoice,
  type TrytonInvoiceLine,
  type TrytonMove,
  type TrytonParty,
  type TrytonProduct,
  type TrytonQuantities,
  type TrytonShipment,
  type TrytonStamped,
} from './records.js';
import type { TrytonSettings } from './settings.js';

/*
 * Pure translations between crossdock's canonical documents and Tryton's records. No I/O: the
 * connector resolves ids first and hands them in.
 */

// ---- codes in both directions -------------------------------------------------------------

/** The Tryton product code of a crossdock SKU (cross-referenced, else the SKU itself). */
export function productCodeOf(settings: Pick<TrytonSettings, 'skus'>, sku: string): string {
  return Object.hasOwn(settings.skus, sku) ? settings.skus[sku]! : sku;
}

/** The crossdock SKU of a Tryton product code: the inverse of `productCodeOf`. */
export function skuOf(settings: Pick<TrytonSettings, 'skus'>, productCode: string): string {
  return inverse(settings.skus, productCode) ?? productCode;
}

export function partyCodeOf(settings: Pick<TrytonSettings, 'customers'>, accountId: string): string {
  return Object.hasOwn(settings.customers, accountId) ? settings.customers[accountId]! : accountId;
}

/** The Tryton unit symbol of a crossdock unit code (`EA` → `u`); unmapped codes are taken as symbols. */
export function unitSymbolOf(settings: Pick<TrytonSettings, 'units'>, uom: string): string {
  return Object.hasOwn(settings.units, uom) ? settings.units[uom]! : uom;
}

/** The crossdock unit code of a Tryton unit symbol (`u` → `EA`); unmapped symbols upper-cased. */
export function uomOf(settings: Pick<TrytonSettings, 'units'>, symbol: string): string {
  return inverse(settings.units, symbol) ?? symbol.toUpperCase();
}

/** The crossdock location of a Tryton warehouse code (mapped, else the code itself). */
export function locationOf(settings: Pick<TrytonSettings, 'warehouses'>, warehouseCode: string): string {
  return Object.hasOwn(settings.warehouses, warehouseCode) ? settings.warehouses[warehouseCode]! : warehouseCode;
}

function inverse(mapping: Record<string, string>, value: string): string | undefined {
  return Object.entries(mapping).find(([, mapped]) => mapped === value)?.[0];
}

// ---- values -------------------------------------------------------------------------------

/**
 * A Tryton Numeric as crossdock writes money: at least two decimals, no trailing zeros beyond
 * them (`100.0000` → `100.00`, `0` → `0.00`, `12.345` stays).
 */
export function moneyText(value: string): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const trimmed = fraction.replace(/0+$/, '').padEnd(2, '0');
  const text = `${whole.replace(/^0+(?=\d)/, '')}.${trimmed}`;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/** When a record last changed on Tryton's clock: `write_date`, or `create_date` for a record never written. */
export function stampOf(record: TrytonStamped): string | undefined {
  return record.write_date ?? record.create_date ?? undefined;
}

/** Midnight UTC of a Tryton date, for canonical timestamps that only know the day. */
function dayStart(date: string): string {
  return `${date}T00:00:00Z`;
}

// ---- master data --------------------------------------------------------------------------

export function customerFromParty(accountId: string, party: TrytonParty, currency: string): ErpCustomer {
  return {
    accountId,
    name: party.name,
    currency,
    // Tryton has no credit limit without the account_credit_limit module.
    creditLimit: null,
    balance: moneyText(party.receivable ?? '0'),
    onHold: false,
  };
}

/** The unit a product is sold in: its sale unit, else its stock unit. */
export function saleUnitOf(product: TrytonProduct): { id: number; symbol: string } | undefined {
  return product['sale_uom.'] ?? product['default_uom.'] ?? undefined;
}

/**
 * An item as crossdock sees it. `active` follows Tryton's own flag only: a product that is not
 * salable is still reported active, so the order goes to Tryton and is held with Tryton's reason.
 */
export function itemFromProduct(settings: Pick<TrytonSettings, 'units'>, sku: string, product: TrytonProduct): ErpItem | undefined {
  const unit = saleUnitOf(product);
  if (unit === undefined) return undefined;
  return { sku, description: product.name, uom: uomOf(settings, unit.symbol), active: Boolean(product.active) };
}

/** Stock of a product in one warehouse, counted in the product's stock unit. */
export function stockLevel(
  settings: Pick<TrytonSettings, 'units' | 'warehouses'>,
  sku: string,
  product: TrytonProduct,
  warehouseCode: string,
  quantities: TrytonQuantities,
): ErpStockLevel | undefined {
  const unit = product['default_uom.'];
  if (unit === null) return undefined;
  return {
    sku,
    location: locationOf(settings, warehouseCode),
    onHand: quantities.quantity,
    forecast: quantities.forecast_quantity,
    uom: uomOf(settings, unit.symbol),
  };
}

// ---- addresses ----------------------------------------------------------------------------

export type CanonicalAddress = Order['shipTo'];

/** How a canonical address's street lines read in Tryton's one multi-line `street`. */
export function streetOf(address: Pick<CanonicalAddress, 'line1' | 'line2'>): string {
  return address.line2 ? `${address.line1}\n${address.line2}` : address.line1;
}

const comparable = (value: string | null | undefined): string => (value ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

/** A party address that is the same place as `address`: street, postal code and city, ignoring case and spacing. */
export function findMatchingAddress(addresses: readonly TrytonAddress[], address: CanonicalAddress): TrytonAddress | undefined {
  return addresses.find((candidate) =>
    comparable(candidate.street) === comparable(streetOf(address))
    && comparable(candidate.postal_code) === comparable(address.postalCode)
    && comparable(candidate.city) === comparable(address.city));
}

/** A new `party.address` for a place the party has no address for yet. */
export function addressValues(partyId: number, address: CanonicalAddress, countryId: number | undefined): Record<string, unknown> {
  return {
    party: partyId,
    party_name: address.company ? `${address.name}, ${address.company}` : address.name,
    street: streetOf(address),
    city: address.city,
    ...(address.postalCode ? { postal_code: address.postalCode } : {}),
    ...(countryId === undefined ? {} : { country: countryId }),
  };
}

// ---- sales --------------------------------------------------------------------------------

/** The Tryton ids an order refers to, resolved by the connector before `saleValues`. */
export interface SaleReferences {
  party: number;
  invoiceAddress: number;
  shipmentAddress: number;
  warehouse: number;
  currency: number;
  /** The party's customer payment term, when it has one (create runs no on_change to fetch it). */
  paymentTerm?: number | null;
  /** Products by Tryton product code. */
  products: ReadonlyMap<string, TrytonProduct>;
  /** Unit ids by Tryton unit symbol. */
  units: ReadonlyMap<string, number>;
  /** The freight product (`settings.shippingProduct`), when the order has shipping charges to send. */
  shippingProduct?: TrytonProduct;
}

/** What the order charges for shipping, or undefined when it charges nothing. */
export function shippingChargeOf(order: Pick<Order, 'charges'>): string | undefined {
  const amounts = (order.charges ?? []).filter((charge) => charge.type === 'shipping').map((charge) => charge.amount);
  return amounts.length === 0 ? undefined : sumDecimals(amounts);
}

/**
 * The `sale.sale` create values for an order. Tryton's `create` runs no on_change, so every
 * value a user's form would fill in (unit price, description, payment term) is sent.
 */
export function saleValues(
  order: Order,
  refs: SaleReferences,
  settings: Pick<TrytonSettings, 'referenceField' | 'skus' | 'units'>,
): Record<string, unknown> {
  const lines: Record<string, unknown>[] = order.lines.map((line) => {
    const code = productCodeOf(settings, line.sku);
    const product = refs.products.get(code);
    const symbol = unitSymbolOf(settings, line.uom);
    const unit = refs.units.get(symbol);
    if (product === undefined || unit === undefined) {
      throw new CrossdockError('internal.defect', `sale values for ${order.id}: ${product ? `unit ${symbol}` : `product ${code}`} was not resolved`);
    }
    return {
      type: 'line',
      product: product.id,
      quantity: line.quantity,
      unit,
      unit_price: trytonDecimal(line.unitPrice),
      description: line.description ?? product.name,
    };
  });
  const shipping = shippingChargeOf(order);
  if (shipping !== undefined && refs.shippingProduct !== undefined) {
    const unit = saleUnitOf(refs.shippingProduct);
    const descriptions = (order.charges ?? []).filter((c) => c.type === 'shipping' && c.description).map((c) => c.description);
    lines.push({
      type: 'line',
      product: refs.shippingProduct.id,
      quantity: 1,
      ...(unit ? { unit: unit.id } : {}),
      unit_price: trytonDecimal(shipping),
      description: descriptions.length > 0 ? descriptions.join(', ') : refs.shippingProduct.name,
    });
  }
  return {
    party: refs.party,
    invoice_address: refs.invoiceAddress,
    shipment_address: refs.shipmentAddress,
    warehouse: refs.warehouse,
    currency: refs.currency,
    [settings.referenceField]: order.id,
    description: `${order.channel} ${order.channelOrderId}`,
    sale_date: trytonDate(new Date(order.orderedAt).toISOString()),
    ...(refs.paymentTerm ? { payment_term: refs.paymentTerm } : {}),
    lines: [['create', lines]],
  };
}

// ---- shipments ----------------------------------------------------------------------------

/**
 * A done customer shipment as canonical shipments: one per crossdock order it ships (Tryton
 * lets a clerk merge moves of several sales into one shipment). Moves of sales crossdock did
 * not post (no reference) are left out, and so is a shipment with nothing left.
 */
export function shipmentsFromTryton(
  settings: Pick<TrytonSettings, 'skus' | 'units' | 'warehouses' | 'referenceField' | 'trackingField' | 'defaultCarrier'>,
  shipment: TrytonShipment,
  moves: readonly TrytonMove[],
): ErpShipment[] {
  const byOrder = new Map<string, { salesOrderNumber: string | undefined; moves: TrytonMove[] }>();
  for (const move of moves) {
    const orderId = relatedText(move['sale.'], settings.referenceField);
    if (orderId === undefined || move.state === 'cancelled' || move.quantity <= 0) continue;
    const group = byOrder.get(orderId) ?? { salesOrderNumber: move['sale.']?.number ?? undefined, moves: [] };
    group.moves.push(move);
    byOrder.set(orderId, group);
  }
  const tracking = relatedText(shipment as Record<string, unknown>, settings.trackingField);
  const carrier = shipment['carrier.']?.['party.']?.name.trim() || settings.defaultCarrier;
  const warehouseCode = shipment['warehouse.']?.code ?? undefined;
  const baseId = `tryton:stock.shipment.out:${shipment.id}`;
  const result: ErpShipment[] = [];
  for (const [orderId, group] of byOrder) {
    const lines = shipmentLines(settings, group.moves);
    if (lines.length === 0) continue;
    result.push({
      shipment: {
        orderId,
        // Suffixed only when the shipment is split over orders, so the usual id stays short and plain.
        shipmentId: byOrder.size === 1 ? baseId : `${baseId}:${orderId}`,
        shippedAt: shippedAtOf(shipment),
        carrier,
        tracking: tracking === undefined ? [] : [{ number: tracking }],
        lines,
        ...(warehouseCode ? { warehouse: locationOf(settings, warehouseCode) } : {}),
      },
      number: shipment.number ?? String(shipment.id),
      ...(group.salesOrderNumber ? { salesOrderNumber: group.salesOrderNumber } : {}),
    });
  }
  return result;
}

/** One line per SKU and unit: a sale line split over moves (partial picking) ships as one. */
function shipmentLines(settings: Pick<TrytonSettings, 'skus' | 'units'>, moves: readonly TrytonMove[]): ShipmentLine[] {
  const lines = new Map<string, ShipmentLine>();
  for (const move of moves) {
    const code = move['product.']?.code;
    const symbol = move['uom.']?.symbol;
    if (!code || !symbol) continue;
    const sku = skuOf(settings, code);
    const uom = uomOf(settings, symbol);
    const key = `${sku}\u0000${uom}`;
    const line = lines.get(key);
    if (line) line.quantity += move.quantity;
    else lines.set(key, { sku, quantity: move.quantity, uom });
  }
  return [...lines.values()];
}

/**
 * When it shipped: the time the shipment was marked done (its last write) when that was on its
 * effective date, else the effective date itself (a clerk back-dated it, or edited it later).
 */
function shippedAtOf(shipment: TrytonShipment): string {
  const stamp = stampOf(shipment);
  if (shipment.effective_date === null) return stamp ?? new Date(0).toISOString();
  if (stamp !== undefined && stamp.startsWith(shipment.effective_date)) return stamp;
  return dayStart(shipment.effective_date);
}

// ---- invoices -----------------------------------------------------------------------------

/**
 * A posted (or paid) customer invoice in canonical form, linked to crossdock's order through
 * the sales it invoices. Lines of the freight product become a shipping charge, lines without
 * a product a fee. Undefined when the invoice is not for a crossdock order or has no product line.
 */
export function invoiceFromTryton(
  settings: Pick<TrytonSettings, 'skus' | 'units' | 'referenceField' | 'shippingProduct'>,
  invoice: TrytonInvoice,
  lines: readonly TrytonInvoiceLine[],
): ErpInvoice | undefined {
  const sale = invoice['sales.'].find((s) => relatedText(s, settings.referenceField) !== undefined);
  const orderId = relatedText(sale, settings.referenceField);
  if (orderId === undefined || invoice.number === null) return undefined;
  const order = new Map(invoice.lines.map((id, index) => [id, index]));
  const ordered = [...lines].filter((line) => line.type === 'line').sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));

  const invoiceLines: InvoiceLine[] = [];
  const charges: NonNullable<InvoiceSubmission['charges']> = [];
  for (const line of ordered) {
    const code = line['product.']?.code;
    const symbol = line['unit.']?.symbol;
    const amount = moneyText(line.amount ?? '0');
    if (code && code === settings.shippingProduct) {
      charges.push({ type: 'shipping', amount, ...(line.description ? { description: line.description } : {}) });
    } else if (code && symbol && line.quantity !== null && line.quantity > 0 && line.unit_price !== null) {
      invoiceLines.push({
        sku: skuOf(settings, code),
        ...(line.description ? { description: line.description.slice(0, 500) } : {}),
        quantity: line.quantity,
        uom: uomOf(settings, symbol),
        unitPrice: moneyText(line.unit_price),
      });
    } else {
      charges.push({ type: Number(amount) < 0 ? 'discount' : 'fee', amount, ...(line.description ? { description: line.description.slice(0, 200) } : {}) });
    }
  }
  if (invoiceLines.length === 0) return undefined;

  const taxes = invoice['taxes.'].map((tax) => ({ name: tax.description ?? 'Tax', amount: moneyText(tax.amount) }));
  const dueDates = invoice['lines_to_pay.'].map((line) => line.maturity_date).filter((date): date is string => date !== null).sort();
  const invoiceDate = invoice.invoice_date ?? stampOf(invoice)?.slice(0, 10);
  const submission: InvoiceSubmission = {
    orderId,
    invoiceId: `tryton:account.invoice:${invoice.id}`,
    number: invoice.number,
    invoiceDate: invoiceDate ? dayStart(invoiceDate) : new Date(0).toISOString(),
    // The last instalment is when the invoice is due in full.
    ...(dueDates.length > 0 ? { dueDate: dayStart(dueDates.at(-1)!) } : {}),
    currency: invoice['currency.']?.code ?? 'XXX',
    lines: invoiceLines,
    ...(charges.length > 0 ? { charges } : {}),
    ...(taxes.length > 0 ? { taxes } : {}),
    total: moneyText(invoice.total_amount),
    ...(invoice['payment_term.'] ? { terms: { description: invoice['payment_term.'].name.slice(0, 200) } } : {}),
  };
  const salesOrderNumber = sale?.number ?? undefined;
  return { invoice: submission, state: invoice.state, ...(salesOrderNumber ? { salesOrderNumber } : {}) };
}
