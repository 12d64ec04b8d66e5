import { describe, expect, it } from 'vitest';
import type { Order } from '../canonical/order.js';
import type { ShipmentSubmission } from '../canonical/shipment.js';
import { readJsonDocuments } from '../cli/json-documents.js';
import { resolveConfig } from '../config/config.js';
import { createMappingContext } from './mapping-context.js';
import { toChannelSkus } from './outbound-skus.js';
import { shipmentState } from './shipment-state.js';

describe('mapping context', () => {
  const ctx = createMappingContext({
    channel: 'shopify-us',
    skus: { 'WIDGET-RED': 'SKU-1', 'variant:77': { sku: 'SKU-2', uom: 'EA', factor: 12 } },
    customers: { 'company:9': 'C-200', 'email:buyer@acme.com': 'C-100' },
    defaultCustomer: 'WEB',
  });

  it('resolves the first key that has a cross-reference, with unit and pack factor', () => {
    expect(ctx.resolveSku(['NOT-MAPPED', 'variant:77'])).toEqual({ sku: 'SKU-2', uom: 'EA', factor: 12, mapped: true });
    expect(ctx.resolveSku([null, 'WIDGET-RED'])).toEqual({ sku: 'SKU-1', uom: 'EA', factor: 1, mapped: true });
  });

  it('keeps the first non-empty key when nothing matches, so the order flow can hold it by name', () => {
    expect(ctx.resolveSku(['', undefined, 'RAW-SKU', 'variant:1'])).toEqual({ sku: 'RAW-SKU', uom: 'EA', factor: 1, mapped: false });
  });

  it('resolves customers by key, then the default account', () => {
    expect(ctx.resolveCustomer(['customer:5', 'email:buyer@acme.com'])).toBe('C-100');
    expect(ctx.resolveCustomer(['company:9', 'email:buyer@acme.com'])).toBe('C-200');
    expect(ctx.resolveCustomer(['customer:5'])).toBe('WEB');
    expect(createMappingContext({ channel: 'x' }).resolveCustomer(['customer:5'])).toBe('customer:5');
  });

  it('does not treat inherited object keys as cross-references', () => {
    expect(ctx.resolveSku(['constructor']).mapped).toBe(false);
    expect(ctx.resolveCustomer(['toString'])).toBe('WEB');
  });
});

describe('availability in channel SKUs', () => {
  const config = { skus: { 'WIDGET-RED': 'SKU-1', 'WIDGET-CASE': { sku: 'SKU-1', factor: 12 }, 'variant:9': 'SKU-2' } };

  it('publishes an item under every plain SKU that points at it, in channel units rounded down', () => {
    expect(toChannelSkus(config, [{ sku: 'SKU-1', available: 30 }])).toEqual([
      { sku: 'WIDGET-RED', available: 30 }, { sku: 'WIDGET-CASE', available: 2 },
    ]);
  });

  it('publishes an item without a plain cross-reference under its own SKU', () => {
    expect(toChannelSkus(config, [{ sku: 'SKU-2', available: 5, location: 'MAIN' }])).toEqual([{ sku: 'SKU-2', available: 5, location: 'MAIN' }]);
  });
});

describe('shipment state of an order', () => {
  const order = {
    lines: [
      { lineId: 'L1', sku: 'SKU-1', quantity: 2, uom: 'EA', unitPrice: '1.00' },
      { sku: 'SKU-2', quantity: 1, uom: 'EA', unitPrice: '1.00' },
      { sku: 'GIFT', quantity: 1, uom: 'EA', unitPrice: '25.00', giftCard: true },
    ],
  } as unknown as Order;
  const shipment = (lines: ShipmentSubmission['lines']): ShipmentSubmission =>
    ({ orderId: 'o', shipmentId: 's', shippedAt: '2026-11-20T00:00:00Z', carrier: 'UPS', tracking: [], lines });

  it('is partially shipped until every shippable line is covered, summed over shipments', () => {
    expect(shipmentState(order, [shipment([{ lineId: 'L1', sku: 'SKU-1', quantity: 1 }])])).toBe('partially_shipped');
    expect(shipmentState(order, [
      shipment([{ lineId: 'L1', sku: 'SKU-1', quantity: 1 }]),
      shipment([{ lineId: 'L1', sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-2', quantity: 1 }]),
    ])).toBe('shipped');
  });

  it('needs no shipment for a gift card line', () => {
    expect(shipmentState(order, [shipment([{ lineId: 'L1', sku: 'SKU-1', quantity: 2 }, { sku: 'SKU-2', quantity: 1 }])])).toBe('shipped');
  });
});

describe('documents side by side', () => {
  it('reads one document, or several one after the other', () => {
    expect(readJsonDocuments('{"a":1}')).toEqual([{ a: 1 }]);
    expect(readJsonDocuments('{"a":"}{"}\n[1,2]\n')).toEqual([{ a: '}{' }, [1, 2]]);
  });

  it('names the offset of a broken document', () => {
    expect(() => readJsonDocuments('{"a":1} {"b":}')).toThrow(/offset 8/);
    expect(() => readJsonDocuments('')).toThrow(/empty/);
  });
});

describe('channel configuration', () => {
  it('reads env: references from the environment and names a missing one by path', () => {
    const file = { channels: [{ id: 'shopify-us', type: 'shopify', settings: { accessToken: 'env:SHOP_TOKEN', nested: { s: 'env:OTHER' } } }] };
    const config = resolveConfig(file, {}, { SHOP_TOKEN: 'shpat_1', OTHER: 'x' });
    expect(config.channels[0]!.settings).toEqual({ accessToken: 'shpat_1', nested: { s: 'x' } });
    expect(() => resolveConfig(file, {}, { SHOP_TOKEN: 'shpat_1' })).toThrow(/\/channels\/0\/settings\/nested\/s: environment variable OTHER is not set/);
  });

  it('refuses two instances with the same id', () => {
    const file = { channels: [{ id: 'a', type: 'shopify' }, { id: 'a', type: 'woocommerce' }] };
    expect(() => resolveConfig(file, {}, {})).toThrow(/\/channels\/1\/id: a is used by another channel instance/);
  });
});
