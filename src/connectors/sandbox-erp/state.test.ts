import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefusalCode, SandboxSalesOrderInput } from './document.js';
import { demoInvoice, demoSalesOrder, demoShipment } from './fixtures/documents.js';
import { SEED_ITEMS } from './seed.js';
import { openSandboxErpState, type SandboxErpState } from './state.js';

let dir: string;
let state: SandboxErpState;
let now: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-erp-state-'));
  now = Date.parse('2025-03-01T12:00:00Z');
  state = openSandboxErpState(dir, { clock: { now: () => now } });
});

/** Moves the ERP's clock on. */
function advance(ms: number): void {
  now += ms;
}

/** Creates `demoSalesOrder(overrides)` and returns its number. */
function createOrder(overrides: Partial<SandboxSalesOrderInput> = {}): string {
  const result = state.createSalesOrder(demoSalesOrder(overrides));
  if (result.outcome !== 'created') throw new Error(`not created: ${JSON.stringify(result)}`);
  return result.order.number;
}

/** What the books hold of a SKU in a warehouse. */
function stockOf(sku: string, warehouse: string): number | undefined {
  return state.getItems([sku]).get(sku)?.stock[warehouse];
}

afterEach(() => {
  state.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sandbox ERP state', () => {
  it('seeds demo customers, items, stock per warehouse and prices on first open', () => {
    expect(state.getCustomer('C-100')).toMatchObject({ name: 'Acme Retail Inc.', currency: 'USD', balance: '0.00', onHold: false });
    expect(state.getCustomer('C-200')?.creditLimit).toBe('50.00');
    expect(state.getCustomer('C-300')?.onHold).toBe(true);
    expect(state.getCustomer('C-400')?.creditLimit).toBeNull();
    const items = state.getItems(['SKU-1', 'SKU-20', 'SKU-13', 'NOPE']);
    expect([...items.keys()].sort()).toEqual(['SKU-1', 'SKU-13', 'SKU-20']);
    expect(items.get('SKU-1')).toMatchObject({ active: true, uom: 'EA', prices: { USD: '7.49', EUR: '6.89' } });
    expect(Object.keys(items.get('SKU-1')?.stock ?? {}).sort()).toEqual(['WH1', 'WH2']);
    expect(items.get('SKU-13')?.active).toBe(false);
  });

  it('creates a sales order with a number, its total, and adds the total to the balance', () => {
    const result = state.createSalesOrder(demoSalesOrder());
    expect(result.outcome).toBe('created');
    if (result.outcome !== 'created') return;
    expect(result.order).toMatchObject({ number: 'SO-000001', externalRef: 'ord_TEST0001', total: '29.97', createdAt: '2025-03-01T12:00:00.000Z' });
    expect(state.getCustomer('C-100')?.balance).toBe('29.97');
    expect(state.findSalesOrder('ord_TEST0001')).toEqual(result.order);
    expect(state.createSalesOrder(demoSalesOrder({ externalRef: 'ord_TEST0002' }))).toMatchObject({ order: { number: 'SO-000002' } });
  });

  it('refuses a second order with the same external reference and returns the first', () => {
    const first = state.createSalesOrder(demoSalesOrder());
    const second = state.createSalesOrder(demoSalesOrder({ lines: [{ lineNo: 1, sku: 'SKU-3', quantity: 9, uom: 'EA' }] }));
    expect(second.outcome).toBe('duplicate');
    expect(second).toMatchObject({ order: { number: first.outcome === 'created' ? first.order.number : '?' } });
    expect(state.listSalesOrders()).toHaveLength(1);
    expect(state.getCustomer('C-100')?.balance).toBe('29.97');
  });

  it.each([
    ['unknown-customer', { customerId: 'C-999' }],
    ['unknown-item', { lines: [{ lineNo: 1, sku: 'SKU-404', quantity: 1, uom: 'EA', unitPrice: '1.00' }] }],
    ['inactive-item', { lines: [{ lineNo: 1, sku: 'SKU-13', quantity: 1, uom: 'EA', unitPrice: '1.00' }] }],
    ['credit-hold', { customerId: 'C-300' }],
    ['credit-hold', { customerId: 'C-200', lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 10, uom: 'EA' }] }],
    ['no-price', { currency: 'JPY', lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 1, uom: 'EA' }] }],
  ] satisfies [RefusalCode, Partial<SandboxSalesOrderInput>][])('refuses as %s and writes nothing', (code, overrides) => {
    const before = state.getCustomer('C-200')?.balance;
    const result = state.createSalesOrder(demoSalesOrder(overrides));
    expect(result).toMatchObject({ outcome: 'refused', refusal: { code } });
    expect(result.outcome === 'refused' && result.refusal.message.length).toBeGreaterThan(10);
    expect(state.listSalesOrders()).toHaveLength(0);
    expect(state.getCustomer('C-200')?.balance).toBe(before);
  });

  it('lets a small-credit customer order within its limit, then refuses once the balance would exceed it', () => {
    const line = { lineNo: 1, sku: 'SKU-1', quantity: 4, uom: 'EA' };
    expect(state.createSalesOrder(demoSalesOrder({ externalRef: 'a', customerId: 'C-200', lines: [line], charges: [] })).outcome).toBe('created');
    expect(state.getCustomer('C-200')?.balance).toBe('29.96');
    const second = state.createSalesOrder(demoSalesOrder({ externalRef: 'b', customerId: 'C-200', lines: [line], charges: [] }));
    expect(second).toMatchObject({ outcome: 'refused', refusal: { code: 'credit-hold' } });
  });

  it('prices a line from its price list when the line carries no price', () => {
    const result = state.createSalesOrder(demoSalesOrder({ lines: [{ lineNo: 1, sku: 'SKU-2', quantity: 2, uom: 'EA' }], charges: [] }));
    expect(result).toMatchObject({ outcome: 'created', order: { total: '19.98', lines: [{ unitPrice: '9.99' }] } });
  });

  it('still has its orders, balances and counters after being closed and reopened', () => {
    state.createSalesOrder(demoSalesOrder());
    state.saveCounters({ counts: { total: 3, 'calls:POST /api/sales-orders': 1 }, peaks: { 'peak:received': 2 } });
    state.saveCounters({ counts: { total: 1 }, peaks: { 'peak:received': 1 } });
    state.close();

    state = openSandboxErpState(dir);
    expect(state.listSalesOrders().map((o) => o.externalRef)).toEqual(['ord_TEST0001']);
    expect(state.getCustomer('C-100')?.balance).toBe('29.97');
    expect(state.loadCounters()).toEqual({ total: 4, 'calls:POST /api/sales-orders': 1, 'peak:received': 2 });
    // Seeding happens once: reopening does not reset master data.
    expect(state.getItems(['SKU-1']).size).toBe(1);
    expect(state.createSalesOrder(demoSalesOrder()).outcome).toBe('duplicate');
  });
});

describe('sandbox ERP state after the sale', () => {
  const seeded = (sku: string, warehouse: string) => SEED_ITEMS.find((i) => i.sku === sku)!.stock[warehouse]!;

  it('ships the whole order from the first warehouse that holds it, takes the stock out and marks the order shipped', () => {
    const number = createOrder();
    const result = state.shipSalesOrder(number, { carrier: 'UPS', tracking: '1Z999AA10123456784' });
    expect(result).toEqual({ outcome: 'done', result: demoShipment() });
    expect(stockOf('SKU-1', 'WH1')).toBe(seeded('SKU-1', 'WH1') - 2);
    expect(stockOf('SKU-2', 'WH1')).toBe(seeded('SKU-2', 'WH1') - 1);
    expect(stockOf('SKU-1', 'WH2')).toBe(seeded('SKU-1', 'WH2'));
    expect(state.getSalesOrder(number)?.state).toBe('shipped');
    expect(state.shipSalesOrder(number)).toMatchObject({ outcome: 'refused', refusal: { code: 'nothing-to-ship' } });
    expect(state.listShipments()).toEqual([demoShipment()]);
  });

  it('ships part of an order, from another warehouse when the first is out, and refuses what no warehouse holds', () => {
    // SKU-7 is out in WH1: the shipment leaves from WH2.
    const number = createOrder({ lines: [{ lineNo: 1, sku: 'SKU-7', quantity: 3, uom: 'EA' }, { lineNo: 2, sku: 'SKU-1', quantity: 1, uom: 'EA' }] });
    const part = state.shipSalesOrder(number, { lines: [{ sku: 'SKU-7', quantity: 2 }] });
    expect(part).toMatchObject({ outcome: 'done', result: { warehouse: 'WH2', carrier: 'Sandbox Freight', tracking: null, lines: [{ sku: 'SKU-7', quantity: 2, warehouse: 'WH2' }] } });
    expect(stockOf('SKU-7', 'WH2')).toBe(seeded('SKU-7', 'WH2') - 2);
    expect(state.getSalesOrder(number)?.state).toBe('partially-shipped');
    expect(state.shipSalesOrder(number, { warehouse: 'WH1' })).toMatchObject({ outcome: 'refused', refusal: { code: 'insufficient-stock' } });
    expect(state.shipSalesOrder('SO-999999')).toMatchObject({ outcome: 'not-found' });

    // SKU-11 is out everywhere: nothing is written.
    const out = createOrder({ externalRef: 'out', lines: [{ lineNo: 1, sku: 'SKU-11', quantity: 1, uom: 'EA' }] });
    expect(state.shipSalesOrder(out)).toMatchObject({ outcome: 'refused', refusal: { code: 'insufficient-stock' } });
    expect(state.listShipments()).toHaveLength(1);
    expect(state.getSalesOrder(out)?.state).toBe('open');
  });

  it('invoices what shipped, then the rest, and the invoices add up to the order total', () => {
    const number = createOrder();
    state.shipSalesOrder(number, { lines: [{ sku: 'SKU-1', quantity: 2 }] });
    const first = state.invoiceSalesOrder(number);
    expect(first).toMatchObject({ outcome: 'done', result: { number: 'INV-000001', total: '19.98', charges: [{ kind: 'freight', amount: '5.00' }], lines: [{ sku: 'SKU-1', quantity: 2 }] } });
    expect(state.invoiceSalesOrder(number)).toMatchObject({ outcome: 'refused', refusal: { code: 'nothing-to-invoice' } });
    state.shipSalesOrder(number);
    const second = state.invoiceSalesOrder(number);
    expect(second).toMatchObject({ outcome: 'done', result: { number: 'INV-000002', total: '9.99', charges: [], lines: [{ sku: 'SKU-2', quantity: 1, amount: '9.99' }] } });
    expect(state.listInvoices().map((i) => i.total)).toEqual(['19.98', '9.99']);
    expect(state.getSalesOrder(number)?.total).toBe('29.97');
  });

  it('invoices the whole order when nothing shipped, exactly as documented', () => {
    const number = createOrder();
    expect(state.invoiceSalesOrder(number)).toEqual({ outcome: 'done', result: demoInvoice() });
  });

  it('cancels an order nothing of which shipped, releasing its total from the balance, and refuses once shipped', () => {
    const kept = createOrder();
    const cancelled = createOrder({ externalRef: 'ord_TEST0002' });
    expect(state.getCustomer('C-100')?.balance).toBe('59.94');
    expect(state.cancelSalesOrder(cancelled)).toMatchObject({ outcome: 'done', result: { number: cancelled, state: 'cancelled' } });
    expect(state.getCustomer('C-100')?.balance).toBe('29.97');
    // Again: nothing more is released.
    expect(state.cancelSalesOrder(cancelled)).toMatchObject({ outcome: 'done', result: { state: 'cancelled' } });
    expect(state.getCustomer('C-100')?.balance).toBe('29.97');
    expect(state.shipSalesOrder(cancelled)).toMatchObject({ outcome: 'refused', refusal: { code: 'cancelled' } });

    state.shipSalesOrder(kept, { lines: [{ sku: 'SKU-2', quantity: 1 }] });
    const refused = state.cancelSalesOrder(kept);
    expect(refused).toMatchObject({ outcome: 'refused', refusal: { code: 'not-cancellable', message: expect.stringContaining(kept) } });
    expect(state.getSalesOrder(kept)?.state).toBe('partially-shipped');
    expect(state.getCustomer('C-100')?.balance).toBe('29.97');
  });

  it('refuses to cancel an invoiced order that never shipped', () => {
    const number = createOrder();
    state.invoiceSalesOrder(number);
    expect(state.cancelSalesOrder(number)).toMatchObject({ outcome: 'refused', refusal: { code: 'not-cancellable' } });
  });

  it('finds shipments and invoices changed since a cursor, less two seconds of overlap, oldest first', () => {
    const a = createOrder({ externalRef: 'a' });
    const b = createOrder({ externalRef: 'b' });
    state.shipSalesOrder(a); // 12:00:00.000
    advance(1_500);
    state.shipSalesOrder(b); // 12:00:01.500
    state.invoiceSalesOrder(a);
    advance(3_000);
    const c = createOrder({ externalRef: 'c' });
    state.shipSalesOrder(c); // 12:00:04.500

    const all = state.shipmentsChangedSince(undefined, { limit: 500 });
    expect(all.items.map((s) => s.salesOrder)).toEqual([a, b, c]);
    expect(all).toMatchObject({ cursor: '2025-03-01T12:00:04.500Z', more: false });
    // From 12:00:03.000 the window opens at 12:00:01.000: b again (overlap) and c.
    expect(state.shipmentsChangedSince('2025-03-01T12:00:03.000Z', { limit: 500 }).items.map((s) => s.salesOrder)).toEqual([b, c]);
    // Nothing new since the cursor but what the overlap brings back: the cursor does not move.
    const again = state.shipmentsChangedSince(all.cursor, { limit: 500 });
    expect(again.items.map((s) => s.salesOrder)).toEqual([c]);
    expect(again.cursor).toBe(all.cursor);
    expect(state.shipmentsChangedSince('2025-03-01T12:10:00.000Z', { limit: 500 })).toEqual({ items: [], cursor: '2025-03-01T12:10:00.000Z', more: false });

    expect(state.invoicesChangedSince(undefined, { limit: 500 })).toMatchObject({ items: [{ salesOrder: a }], cursor: '2025-03-01T12:00:01.500Z' });
    expect(state.invoicesChangedSince('2025-03-01T12:00:04.000Z', { limit: 500 }).items).toEqual([]);
  });

  it('pages by stamp and id, so records with the same stamp are neither repeated nor skipped across pages', () => {
    const numbers = ['a', 'b', 'c', 'd', 'e'].map((ref) => createOrder({ externalRef: ref }));
    for (const number of numbers) state.shipSalesOrder(number); // all at 12:00:00.000
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = state.shipmentsChangedSince(undefined, { limit: 2, ...(after ? { after } : {}) });
      pages += 1;
      seen.push(...page.items.map((s) => s.salesOrder));
      if (!page.more) break;
      after = page.next;
    }
    expect(seen).toEqual(numbers);
    expect(pages).toBe(3);
  });

  it('reports the levels in every warehouse of the items whose stock changed, and not the seeded stock', () => {
    expect(state.stockChangedSince(undefined, { limit: 500 })).toEqual({ items: [], cursor: '1970-01-01T00:00:00.000Z', more: false });
    const number = createOrder({ lines: [{ lineNo: 1, sku: 'SKU-3', quantity: 4, uom: 'EA' }] });
    state.shipSalesOrder(number);
    advance(5_000);
    expect(state.setStock('SKU-5', 'WH3', 12)).toEqual({ sku: 'SKU-5', warehouse: 'WH3', quantity: 12, uom: 'CA', updatedAt: '2025-03-01T12:00:05.000Z' });
    expect(state.setStock('SKU-404', 'WH1', 1)).toBeUndefined();

    const changes = state.stockChangedSince(undefined, { limit: 500 });
    expect(changes.items.map((l) => [l.sku, l.warehouse, l.quantity])).toEqual([
      ['SKU-3', 'WH1', seeded('SKU-3', 'WH1') - 4], ['SKU-3', 'WH2', seeded('SKU-3', 'WH2')],
      ['SKU-5', 'WH1', seeded('SKU-5', 'WH1')], ['SKU-5', 'WH2', seeded('SKU-5', 'WH2')], ['SKU-5', 'WH3', 12],
    ]);
    expect(changes.cursor).toBe('2025-03-01T12:00:05.000Z');
    // Since the shipment's stamp plus three seconds: only the count.
    expect(state.stockChangedSince('2025-03-01T12:00:03.000Z', { limit: 500 }).items.map((l) => l.sku)).toEqual(['SKU-5', 'SKU-5', 'SKU-5']);
    // Pages count items: one SKU per page, all of its warehouses together.
    const first = state.stockChangedSince(undefined, { limit: 1 });
    expect(first).toMatchObject({ more: true, cursor: '2025-03-01T12:00:00.000Z' });
    expect(first.items.map((l) => l.sku)).toEqual(['SKU-3', 'SKU-3']);
    expect(state.stockChangedSince(undefined, { limit: 1, after: first.next! }).items.map((l) => l.sku)).toEqual(['SKU-5', 'SKU-5', 'SKU-5']);
  });

  it('answers stock levels per warehouse for the SKUs asked, in the order asked', () => {
    expect(state.stockLevels(['SKU-2', 'NOPE', 'SKU-1']).map((l) => [l.sku, l.warehouse])).toEqual([
      ['SKU-2', 'WH1'], ['SKU-2', 'WH2'], ['SKU-1', 'WH1'], ['SKU-1', 'WH2'],
    ]);
  });

  it('keeps shipments, invoices and order states across a reopen', () => {
    const number = createOrder();
    state.shipSalesOrder(number, { carrier: 'UPS', tracking: '1Z999AA10123456784' });
    state.invoiceSalesOrder(number);
    state.close();
    state = openSandboxErpState(dir);
    expect(state.listShipments()).toEqual([demoShipment()]);
    expect(state.listInvoices()).toEqual([demoInvoice()]);
    expect(state.getSalesOrder(number)?.state).toBe('shipped');
  });
});
