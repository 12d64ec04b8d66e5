import { multiplyDecimal, sumDecimals } from '../../lib/money.js';
import type { SalesOrderState, SandboxSalesOrder, SandboxSalesOrderLine } from './document.js';
import type { SandboxInvoiceLine } from './fulfilment-documents.js';

/**
 * The sandbox ERP's rules after the sale: what a shipment may take, which warehouse it leaves
 * from, what an invoice bills and when an order may still be cancelled. Pure, like `rules.ts`:
 * the state module reads the rows and writes the outcome in one transaction.
 */

/** Why the ERP will not ship, invoice or cancel. */
export type FulfilmentRefusalCode =
  | 'cancelled'
  | 'nothing-to-ship'
  | 'not-on-order'
  | 'over-shipment'
  | 'unknown-warehouse'
  | 'insufficient-stock'
  | 'nothing-to-invoice'
  | 'not-cancellable';

export interface FulfilmentRefusal {
  code: FulfilmentRefusalCode;
  message: string;
}

export type Decision<T> = ({ ok: true } & T) | { ok: false; refusal: FulfilmentRefusal };

/** A sales-order line with what has been shipped and invoiced of it so far. */
export interface LineProgress {
  line: SandboxSalesOrderLine;
  shipped: number;
  invoiced: number;
}

/** What to ship of one sales-order line. */
export interface LineToShip {
  lineNo: number;
  sku: string;
  quantity: number;
  uom: string;
}

/** How much of each SKU a warehouse holds. */
export type WarehouseStock = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** Days from an invoice's date to its due date: the sandbox's one payment term. */
export const NET_DAYS = 30;

/**
 * The lines a shipment takes: what was asked for (`requested`, by SKU, spread over the order's
 * lines of that SKU in line order), or everything still open.
 */
export function planShipment(
  order: Pick<SandboxSalesOrder, 'number' | 'state'>,
  progress: readonly LineProgress[],
  requested?: readonly { sku: string; quantity: number }[],
): Decision<{ lines: LineToShip[] }> {
  if (order.state === 'cancelled') return refuse('cancelled', `Sales order ${order.number} is cancelled`);
  const open = progress.map((p) => ({ line: p.line, open: quantity(p.line.quantity - p.shipped) }));
  if (requested === undefined || requested.length === 0) {
    const lines = open.filter((o) => o.open > 0).map((o) => toShip(o.line, o.open));
    if (lines.length === 0) return refuse('nothing-to-ship', `Sales order ${order.number} has shipped in full`);
    return { ok: true, lines };
  }

  const wanted = new Map<string, number>();
  for (const r of requested) wanted.set(r.sku, quantity((wanted.get(r.sku) ?? 0) + r.quantity));
  const lines: LineToShip[] = [];
  for (const [sku, asked] of wanted) {
    const candidates = open.filter((o) => o.line.sku === sku);
    if (candidates.length === 0) return refuse('not-on-order', `Sales order ${order.number} has no line for ${sku}`);
    const available = quantity(candidates.reduce((sum, c) => sum + c.open, 0));
    if (asked > available) {
      return refuse('over-shipment', `Sales order ${order.number} has ${available} of ${sku} left to ship, not ${asked}`);
    }
    let left = asked;
    for (const candidate of candidates) {
      const take = quantity(Math.min(left, candidate.open));
      if (take > 0) lines.push(toShip(candidate.line, take));
      left = quantity(left - take);
    }
  }
  lines.sort((a, b) => a.lineNo - b.lineNo);
  return { ok: true, lines };
}

/**
 * The warehouse a shipment leaves from: the one asked for, else the first (by code) that holds
 * enough of every SKU. A shipment never takes a warehouse below zero.
 */
export function chooseWarehouse(lines: readonly LineToShip[], stock: WarehouseStock, requested?: string): Decision<{ warehouse: string }> {
  const needed = new Map<string, number>();
  for (const line of lines) needed.set(line.sku, quantity((needed.get(line.sku) ?? 0) + line.quantity));
  const holdsEnough = (warehouse: string) => [...needed].every(([sku, qty]) => (stock.get(warehouse)?.get(sku) ?? 0) >= qty);
  const shortOf = (warehouse: string) => [...needed].filter(([sku, qty]) => (stock.get(warehouse)?.get(sku) ?? 0) < qty).map(([sku]) => sku);

  if (requested !== undefined) {
    if (!stock.has(requested)) return refuse('unknown-warehouse', `Warehouse ${requested} does not exist`);
    if (!holdsEnough(requested)) return refuse('insufficient-stock', `Warehouse ${requested} does not hold enough of ${shortOf(requested).join(', ')}`);
    return { ok: true, warehouse: requested };
  }
  const warehouses = [...stock.keys()].sort();
  const warehouse = warehouses.find(holdsEnough);
  if (warehouse === undefined) {
    return refuse('insufficient-stock', `No warehouse holds enough of every line (${[...needed.keys()].join(', ')}) to ship them together`);
  }
  return { ok: true, warehouse };
}

/** What an invoice bills: its lines, the charges and taxes that go with them, and its total. */
export interface InvoicePlan {
  lines: SandboxInvoiceLine[];
  charges: NonNullable<SandboxSalesOrder['charges']>;
  taxes: NonNullable<SandboxSalesOrder['taxes']>;
  total: string;
}

/**
 * The next invoice of an order: what has shipped and is not invoiced yet, or — when nothing has
 * shipped — the whole order less what is invoiced. The order's charges and taxes go on its first
 * invoice, and a line's discount on the first invoice that bills the line, so the invoices of an
 * order add up to its total.
 */
export function planInvoice(
  order: Pick<SandboxSalesOrder, 'number' | 'state' | 'charges' | 'taxes'>,
  progress: readonly LineProgress[],
  options: { firstInvoice: boolean },
): Decision<InvoicePlan> {
  if (order.state === 'cancelled') return refuse('cancelled', `Sales order ${order.number} is cancelled`);
  const anyShipped = progress.some((p) => p.shipped > 0);
  const lines: SandboxInvoiceLine[] = [];
  const charges: InvoicePlan['charges'] = options.firstInvoice ? [...(order.charges ?? [])] : [];
  for (const { line, shipped, invoiced } of progress) {
    const billable = quantity((anyShipped ? shipped : line.quantity) - invoiced);
    if (billable <= 0) continue;
    // Stored orders are priced (judgeSalesOrder fills every price in); '0' only guards the type.
    const unitPrice = line.unitPrice ?? '0';
    lines.push({
      lineNo: line.lineNo,
      sku: line.sku,
      ...(line.description === undefined ? {} : { description: line.description }),
      quantity: billable,
      uom: line.uom,
      unitPrice,
      amount: multiplyDecimal(unitPrice, billable),
    });
    if (invoiced === 0 && line.discount !== undefined) {
      charges.push({ kind: 'discount', amount: negative(line.discount), description: `Discount on line ${line.lineNo} (${line.sku})` });
    }
  }
  if (lines.length === 0) {
    return refuse('nothing-to-invoice', `Sales order ${order.number} has nothing ${anyShipped ? 'shipped' : 'left'} to invoice`);
  }
  const taxes = options.firstInvoice ? [...(order.taxes ?? [])] : [];
  const total = sumDecimals([...lines.map((l) => l.amount), ...charges.map((c) => c.amount), ...taxes.map((t) => t.amount)]);
  return { ok: true, lines, charges, taxes, total };
}

/**
 * Whether the order may be cancelled: only before anything shipped or was invoiced. Cancelling
 * a cancelled order is allowed and changes nothing (`already`).
 */
export function decideCancel(order: Pick<SandboxSalesOrder, 'number' | 'state'>, invoices: number): Decision<{ already: boolean }> {
  if (order.state === 'cancelled') return { ok: true, already: true };
  if (order.state !== 'open') {
    return refuse('not-cancellable', `Sales order ${order.number} is ${order.state}: it can no longer be cancelled`);
  }
  if (invoices > 0) return refuse('not-cancellable', `Sales order ${order.number} is invoiced: it can no longer be cancelled`);
  return { ok: true, already: false };
}

/** The state a shipment leaves the order in. */
export function stateAfterShipping(progress: readonly LineProgress[]): SalesOrderState {
  return progress.every((p) => p.shipped >= p.line.quantity) ? 'shipped' : 'partially-shipped';
}

function toShip(line: SandboxSalesOrderLine, qty: number): LineToShip {
  return { lineNo: line.lineNo, sku: line.sku, quantity: qty, uom: line.uom };
}

function refuse(code: FulfilmentRefusalCode, message: string): { ok: false; refusal: FulfilmentRefusal } {
  return { ok: false, refusal: { code, message } };
}

function negative(amount: string): string {
  return amount.startsWith('-') || /^0(\.0*)?$/.test(amount) ? amount : `-${amount}`;
}

/** Quantities are floats in the books: six decimals, so 1.5 − 0.5 is 1 and not 0.9999999. */
function quantity(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
