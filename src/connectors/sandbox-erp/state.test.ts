import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefusalCode, SandboxSalesOrderInput } from './document.js';
import { demoSalesOrder } from './fixtures/documents.js';
import { openSandboxErpState, type SandboxErpState } from './state.js';

let dir: string;
let state: SandboxErpState;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-erp-state-'));
  state = openSandboxErpState(dir, { clock: { now: () => Date.parse('2025-03-01T12:00:00Z') } });
});

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
