import { compareDecimals, multiplyDecimal, sumDecimals } from '../../lib/money.js';
import type { Refusal, SandboxCustomer, SandboxItem, SandboxSalesOrderInput, SandboxSalesOrderLine } from './document.js';

/** The ERP's answer to a sales order, before anything is written. */
export type Verdict =
  | { ok: true; total: string; lines: SandboxSalesOrderLine[] }
  | { ok: false; refusal: Refusal };

/**
 * The sandbox ERP's business rules for a new sales order, in the order a real ERP applies
 * them: the customer must exist, every item must exist, be active and have a price, and the
 * customer must not be on hold nor go over its credit limit with this order.
 * Pure: the state module reads the rows and writes the result in one transaction.
 */
export function judgeSalesOrder(
  order: SandboxSalesOrderInput,
  customer: SandboxCustomer | undefined,
  items: ReadonlyMap<string, SandboxItem>,
): Verdict {
  if (!customer) return refuse('unknown-customer', `Customer ${order.customerId} does not exist`);

  const unknown = distinct(order.lines.filter((l) => !items.has(l.sku)).map((l) => l.sku));
  if (unknown.length > 0) return refuse('unknown-item', `Unknown item(s): ${unknown.join(', ')}`);

  const inactive = distinct(order.lines.filter((l) => items.get(l.sku)?.active === false).map((l) => l.sku));
  if (inactive.length > 0) return refuse('inactive-item', `Item(s) no longer sold: ${inactive.join(', ')}`);

  const lines: SandboxSalesOrderLine[] = [];
  for (const line of order.lines) {
    const unitPrice = line.unitPrice ?? items.get(line.sku)?.prices[order.currency];
    if (unitPrice === undefined) {
      return refuse('no-price', `Item ${line.sku} has no price in ${order.currency} and the line carries none`);
    }
    lines.push({ ...line, unitPrice });
  }
  const total = orderTotal(order, lines);

  if (customer.onHold) return refuse('credit-hold', `Customer ${customer.id} is on credit hold`);
  if (customer.creditLimit !== null) {
    const exposure = sumDecimals([customer.balance, total]);
    if (compareDecimals(exposure, customer.creditLimit) > 0) {
      return refuse(
        'credit-hold',
        `Customer ${customer.id} would exceed its credit limit: balance ${customer.balance} + order ${total} > limit ${customer.creditLimit}`,
      );
    }
  }
  return { ok: true, total, lines };
}

/** Lines (net of their discounts), charges and taxes, to two decimals. */
export function orderTotal(order: Pick<SandboxSalesOrderInput, 'charges' | 'taxes'>, pricedLines: readonly SandboxSalesOrderLine[]): string {
  const amounts: string[] = [];
  for (const line of pricedLines) {
    amounts.push(multiplyDecimal(line.unitPrice ?? '0', toSixDecimals(line.quantity)));
    if (line.discount !== undefined) amounts.push(negate(line.discount));
  }
  for (const charge of order.charges ?? []) amounts.push(charge.amount);
  for (const tax of order.taxes ?? []) amounts.push(tax.amount);
  return sumDecimals(amounts);
}

function refuse(code: Refusal['code'], message: string): Verdict {
  return { ok: false, refusal: { code, message } };
}

function negate(amount: string): string {
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}

/** `multiplyDecimal` reads the quantity's decimal text; 1e-7 would not be one. */
function toSixDecimals(quantity: number): number {
  return Math.round(quantity * 1e6) / 1e6;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
