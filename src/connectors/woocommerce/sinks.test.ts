import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import { createMappingContext } from '../../channels/mapping-context.js';
import type { WooFake } from '../../../test/fakes/woocommerce/server.js';
import { ctx, fixture, storeAndConnector } from '../../../test/fakes/woocommerce/harness.js';
import { woocommerceOrderToOrder } from './mapping.js';
import { parseShipmentMarker, shipmentNoteText } from './outbound.js';

let store: WooFake | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** The canonical order crossdock would hold for the reference order 727 (lines 315 × 2, 316 × 1). */
function canonicalOrder(): Order {
  const result = woocommerceOrderToOrder(fixture('order-guest.json'), createMappingContext({ channel: 'woo-us' }));
  if (!result.ok) throw new Error('fixture does not map');
  return { ...result.order, id: 'ord_1', version: 1, source: { system: 'woocommerce', id: '727' }, receivedAt: '2024-01-01T00:00:00Z' };
}

function shipment(id: string, lines: ShipmentSubmission['lines']): ShipmentSubmission {
  return { orderId: 'ord_1', shipmentId: id, shippedAt: '2024-05-02T10:00:00Z', carrier: 'UPS', service: 'Ground', tracking: [{ number: '1Z999AA10123456784', url: 'https://ups.example/t/1Z999' }], lines };
}

describe('WooCommerce shipments', () => {
  it('adds one customer note with the tracking and the marker, and completes the order once every line shipped', async () => {
    const made = await storeAndConnector();
    store = made.store;
    store.seedOrder(fixture('order-guest.json'));
    const ref = await made.connector.shipments!.publish(shipment('SHIP 1', [{ lineId: '315', sku: 'product:93', quantity: 2 }, { lineId: '316', sku: 'Bar3', quantity: 1 }]), canonicalOrder(), ctx);
    expect(ref).toEqual({ system: 'woocommerce', id: '9000', number: 'SHIP 1' });
    expect(store.state.notesCreated).toEqual([{
      orderId: 727,
      customer_note: true,
      note: 'Shipped 3 items via UPS Ground tracking 1Z999AA10123456784 (https://ups.example/t/1Z999). [crossdock shipment SHIP%201 lines 315*2,316*1]',
    }]);
    expect(store.state.statusChanges).toEqual([{ orderId: 727, from: 'processing', to: 'completed' }]);
  });

  it('publishes a shipment once: a retry finds its note and answers existed', async () => {
    const made = await storeAndConnector();
    store = made.store;
    store.seedOrder(fixture('order-guest.json'));
    const first = shipment('S-1', [{ lineId: '315', sku: 'product:93', quantity: 2 }]);
    const created = await made.connector.shipments!.publish(first, canonicalOrder(), ctx);
    const again = await made.connector.shipments!.publish(first, canonicalOrder(), ctx);
    expect(again).toEqual({ ...created, existed: true });
    expect(store.state.notesCreated).toHaveLength(1);
    expect(store.state.statusChanges).toEqual([]);
  });

  it('completes on the last of several partial shipments, and answers existed for lines already shipped', async () => {
    const made = await storeAndConnector();
    store = made.store;
    store.seedOrder(fixture('order-guest.json'));
    const order = canonicalOrder();
    await made.connector.shipments!.publish(shipment('S-1', [{ lineId: '315', sku: 'product:93', quantity: 1 }]), order, ctx);
    await made.connector.shipments!.publish(shipment('S-2', [{ lineId: '315', sku: 'product:93', quantity: 1 }]), order, ctx);
    expect(store.state.statusChanges).toEqual([]);
    await made.connector.shipments!.publish(shipment('S-3', [{ lineId: '316', sku: 'Bar3', quantity: 1 }]), order, ctx);
    expect(store.state.statusChanges).toEqual([{ orderId: 727, from: 'processing', to: 'completed' }]);
    const dup = await made.connector.shipments!.publish(shipment('S-4', [{ lineId: '316', sku: 'Bar3', quantity: 1 }]), order, ctx);
    expect(dup.existed).toBe(true);
    expect(store.state.notesCreated).toHaveLength(3);
  });

  it('leaves the status alone when completeOnShipment is off, and reports an unknown order as channel.not-found', async () => {
    const made = await storeAndConnector({ completeOnShipment: false });
    store = made.store;
    store.seedOrder(fixture('order-guest.json'));
    await made.connector.shipments!.publish(shipment('S-1', [{ lineId: '315', sku: 'x', quantity: 2 }, { lineId: '316', sku: 'y', quantity: 1 }]), canonicalOrder(), ctx);
    expect(store.state.statusChanges).toEqual([]);
    const stranger = { ...canonicalOrder(), channelOrderId: '999' };
    await expect(made.connector.shipments!.publish(shipment('S-9', [{ sku: 'x', quantity: 1 }]), stranger, ctx)).rejects.toMatchObject({
      code: 'channel.not-found', message: expect.stringContaining('woocommerce_rest_order_invalid_id'),
    });
  });

  it('writes markers that read back whatever the shipment id holds', () => {
    const text = shipmentNoteText(shipment('A/B [x] 1', [{ sku: 'SKU 1', quantity: 2 }]));
    expect(parseShipmentMarker(text)).toEqual({ shipmentId: 'A/B [x] 1', units: new Map([['sku:SKU 1', 2]]) });
  });
});

describe('WooCommerce availability', () => {
  it('sets stock on products and variations through their batch endpoints, and rejects unknown SKUs', async () => {
    const made = await storeAndConnector();
    store = made.store;
    store.seedProduct({ id: 93, parent_id: 0, type: 'simple', sku: 'SINGLE-1', manage_stock: false, stock_quantity: null });
    store.seedProduct({ id: 22, parent_id: 0, type: 'variable', sku: 'SHIRT', manage_stock: false, stock_quantity: null });
    store.seedProduct({ id: 23, parent_id: 22, type: 'variation', sku: 'SHIRT-BLK-M', manage_stock: true, stock_quantity: 1 });
    const result = await made.connector.availability!.publish([
      { sku: 'SINGLE-1', available: 40 },
      { sku: 'SHIRT-BLK-M', available: 7 },
      { sku: 'NOPE', available: 1 },
    ], ctx);
    expect(result.rejected).toEqual([{ sku: 'NOPE', reason: 'no WooCommerce product or variation has this SKU' }]);
    expect(store.state.stockUpdates).toEqual([
      { id: 93, manage_stock: true, stock_quantity: 40 },
      { id: 23, parentId: 22, manage_stock: true, stock_quantity: 7 },
    ]);
    const paths = store.state.calls.map((c) => `${c.method} ${c.path}`);
    expect(paths).toEqual(['GET /wp-json/wc/v3/products', 'POST /wp-json/wc/v3/products/batch', 'POST /wp-json/wc/v3/products/22/variations/batch']);
    expect(store.state.calls[0]!.query.sku).toBe('SINGLE-1,SHIRT-BLK-M,NOPE');
    expect(made.connector.availability!.maxBatch).toBe(100);
  });

  it('looks each SKU up once per instance, and again after WooCommerce refused its id', async () => {
    const made = await storeAndConnector();
    store = made.store;
    store.seedProduct({ id: 93, parent_id: 0, sku: 'SINGLE-1' });
    await made.connector.availability!.publish([{ sku: 'SINGLE-1', available: 1 }], ctx);
    await made.connector.availability!.publish([{ sku: 'SINGLE-1', available: 2 }], ctx);
    expect(store.state.calls.filter((c) => c.path.endsWith('/products')).length).toBe(1);
    store.state.products.delete(93);
    const refused = await made.connector.availability!.publish([{ sku: 'SINGLE-1', available: 3 }], ctx);
    expect(refused.rejected).toEqual([{ sku: 'SINGLE-1', reason: 'woocommerce_rest_product_invalid_id: Invalid ID.' }]);
    store.seedProduct({ id: 94, parent_id: 0, sku: 'SINGLE-1' });
    await made.connector.availability!.publish([{ sku: 'SINGLE-1', available: 4 }], ctx);
    expect(store.state.stockUpdates.at(-1)).toEqual({ id: 94, manage_stock: true, stock_quantity: 4 });
  });

  it('splits more than 100 products into batches of 100', async () => {
    const made = await storeAndConnector();
    store = made.store;
    for (let i = 1; i <= 130; i += 1) store.seedProduct({ id: i, parent_id: 0, sku: `S-${i}` });
    const result = await made.connector.availability!.publish(Array.from({ length: 130 }, (_, i) => ({ sku: `S-${i + 1}`, available: i })), ctx);
    expect(result.rejected).toBeUndefined();
    expect(store.state.calls.filter((c) => c.path.endsWith('/batch')).map((c) => (c.body as { update: unknown[] }).update.length)).toEqual([100, 30]);
    expect(store.state.stockUpdates).toHaveLength(130);
  });
});
