import { describe, expect, it } from 'vitest';
import type { Order } from '../canonical/order.js';
import { applyCrossReferences, type ReferenceLookup } from './cross-references.js';

const order = (lines: Order['lines'], accountId = 'web-42'): Order => ({
  id: 'ord_1', version: 1, source: { system: 'b2b-portal', receivedVia: 'api' } as unknown as Order['source'], receivedAt: '2026-01-01T00:00:00Z',
  channel: 'b2b-portal', channelOrderId: 'PO-1', orderedAt: '2026-01-01T00:00:00Z', currency: 'USD', customer: { accountId },
  shipTo: { name: 'A', line1: '1 Rd', city: 'Reno', postalCode: '89501', country: 'US' } as Order['shipTo'],
  lines, payment: { status: 'authorized' },
});

const refs = (skus: Record<string, { sku: string; uom?: string; factor?: number }>, customers: Record<string, string> = {}): ReferenceLookup => ({
  sku: (channel, key) => (channel === 'b2b-portal' ? skus[key] : undefined),
  customer: (channel, key) => (channel === 'b2b-portal' ? customers[key] : undefined),
});

describe('applying run-time cross-references to an order', () => {
  it('maps a channel SKU to the crossdock SKU, converting quantity and unit price by the pack factor', () => {
    const applied = applyCrossReferences(order([{ sku: 'CASE-RED', quantity: 2, uom: 'CA', unitPrice: '24.00' }]), refs({ 'CASE-RED': { sku: 'SKU-1', uom: 'EA', factor: 12 } }));
    expect(applied?.order.lines).toEqual([{ sku: 'SKU-1', channelSku: 'CASE-RED', quantity: 24, uom: 'EA', unitPrice: '2.0000' }]);
    expect(applied?.changes.lines).toEqual([{ line: 0, key: 'CASE-RED', from: { sku: 'CASE-RED', quantity: 2, uom: 'CA' }, to: { sku: 'SKU-1', quantity: 24, uom: 'EA' } }]);
  });

  it('changes only the item of a line the intake already mapped, and maps the customer account', () => {
    const applied = applyCrossReferences(
      order([{ sku: 'SKU-OLD', channelSku: 'V-9', quantity: 12, uom: 'EA', unitPrice: '1.00' }, { sku: 'SKU-2', quantity: 1, uom: 'EA', unitPrice: '5.00' }]),
      refs({ 'V-9': { sku: 'SKU-1', factor: 12 } }, { 'web-42': 'C-100' }),
    );
    expect(applied?.order.lines[0]).toEqual({ sku: 'SKU-1', channelSku: 'V-9', quantity: 12, uom: 'EA', unitPrice: '1.00' });
    expect(applied?.order.lines[1]).toEqual({ sku: 'SKU-2', quantity: 1, uom: 'EA', unitPrice: '5.00' });
    expect(applied?.order.customer.accountId).toBe('C-100');
    expect(applied?.changes.customer).toEqual({ from: 'web-42', to: 'C-100' });
  });

  it('changes nothing when applied again, or when no reference matches', () => {
    const lookup = refs({ 'CASE-RED': { sku: 'SKU-1', uom: 'EA', factor: 12 } }, { 'web-42': 'C-100' });
    const once = applyCrossReferences(order([{ sku: 'CASE-RED', quantity: 2, uom: 'CA', unitPrice: '24.00' }]), lookup);
    expect(applyCrossReferences(once!.order, lookup)).toBeUndefined();
    expect(applyCrossReferences({ ...order([{ sku: 'CASE-RED', quantity: 2, uom: 'CA', unitPrice: '24.00' }]), channel: 'other' }, lookup)).toBeUndefined();
  });
});

describe('run-time cross-references at channel intake', () => {
  it('win over the configured ones for the same key, and fall back to them otherwise', async () => {
    const { createMappingContext } = await import('../channels/mapping-context.js');
    const { RuntimeCrossReferences } = await import('./cross-references.js');
    const rows: import('../store/operations-types.js').CrossReference[] = [];
    const runtime = new RuntimeCrossReferences({
      listCrossReferences: async () => rows,
      putCrossReference: async (r) => { rows.push(r); return undefined; },
      deleteCrossReference: async () => undefined,
    }, () => 0);
    const ctx = createMappingContext({
      channel: 'shop', skus: { 'RED': 'SKU-OLD', 'BLUE': 'SKU-2' }, customers: { 'customer:1': 'C-1' }, runtime: runtime.lookupFor('shop'),
    });
    expect(ctx.resolveSku(['RED']).sku).toBe('SKU-OLD');
    await runtime.put({ channel: 'shop', kind: 'sku', key: 'RED', value: { sku: 'SKU-1', factor: 6 }, updatedBy: 'user:ann', updatedAt: 0 });
    await runtime.put({ channel: 'shop', kind: 'customer', key: 'customer:1', value: { account: 'C-100' }, updatedBy: 'user:ann', updatedAt: 0 });
    await runtime.put({ channel: 'other', kind: 'sku', key: 'BLUE', value: { sku: 'SKU-9' }, updatedBy: 'user:ann', updatedAt: 0 });
    expect(ctx.resolveSku(['RED'])).toEqual({ sku: 'SKU-1', uom: 'EA', factor: 6, mapped: true });
    expect(ctx.resolveSku(['BLUE']).sku).toBe('SKU-2');
    expect(ctx.resolveCustomer(['customer:1'])).toBe('C-100');
  });
});
