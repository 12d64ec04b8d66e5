import { describe, expect, it } from 'vitest';
import type { Order } from '../../../canonical/order.js';
import type { ErpCustomer, ErpItem } from '../../../connectors/capabilities.js';
import { checkMasterData } from './check-master-data.js';

const order: Order = {
  id: 'ord_1', version: 1, source: { system: 'b2b-portal', id: 'PO-1' }, receivedAt: '2026-11-22T10:00:01Z',
  channel: 'b2b-portal', channelOrderId: 'PO-1', orderedAt: '2026-11-22T10:00:00Z', currency: 'USD',
  customer: { accountId: 'C-100' },
  shipTo: { name: 'Acme', line1: '1 Dock Rd', city: 'Reno', country: 'US' },
  lines: [
    { sku: 'SKU-1', quantity: 2, uom: 'EA', unitPrice: '10.00' },
    { sku: 'SKU-404', quantity: 1, uom: 'EA', unitPrice: '1.00' },
    { sku: 'SKU-OLD', quantity: 1, uom: 'EA', unitPrice: '1.00' },
  ],
  payment: { status: 'authorized' },
};
const customer: ErpCustomer = { accountId: 'C-100', name: 'Acme', currency: 'USD', creditLimit: '1000.00', balance: '0', onHold: false };
const item = (sku: string, active = true): ErpItem => ({ sku, description: sku, uom: 'EA', active });

describe('checking an order against ERP master data', () => {
  it('passes an order whose customer and items all exist', () => {
    const items = new Map([['SKU-1', item('SKU-1')], ['SKU-404', item('SKU-404')], ['SKU-OLD', item('SKU-OLD')]]);
    expect(checkMasterData(order, customer, items)).toBeUndefined();
  });

  it('holds an order for an unknown customer, naming the account', () => {
    const error = checkMasterData(order, undefined, new Map());
    expect(error?.code).toBe('customer.unknown');
    expect(error?.message).toContain('C-100');
  });

  it('holds an order whose customer is on credit hold', () => {
    expect(checkMasterData(order, { ...customer, onHold: true }, new Map())?.code).toBe('customer.credit-hold');
  });

  it('names every unknown or inactive SKU with its line', () => {
    const error = checkMasterData(order, customer, new Map([['SKU-1', item('SKU-1')], ['SKU-OLD', item('SKU-OLD', false)]]));
    expect(error?.code).toBe('sku.unknown');
    expect(error?.message).toBe('SKUs SKU-404, SKU-OLD (inactive) are not orderable in the ERP');
    expect(error?.errors.map((e) => e.pointer)).toEqual(['/lines/1/sku', '/lines/2/sku']);
  });
});
