import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBigCommerceFake, type BigCommerceFake } from '../../../test/fakes/bigcommerce/server.js';
import { testChannelDeps } from '../../../test/support/channel-deps.js';
import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import { createMappingContext } from '../../channels/mapping-context.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import { bigcommerceChannel } from './index.js';
import { carrierFields } from './outbound.js';
import { connectorFor, ctx, fixture } from './test-support.js';

let fake: BigCommerceFake;
beforeEach(async () => {
  fake = await startBigCommerceFake({ skus: ['TOWEL-BEIGE-S', 'ABS', 'MUG-GRY'], locations: [1, 2] });
});
afterEach(async () => {
  await fake.close();
});

describe('BigCommerce availability', () => {
  it('sends absolute adjustments per mapped location, default location for the rest', async () => {
    const connector = connectorFor(fake, testChannelDeps('bc-test'), { locations: { 'WH-EAST': 2 }, inventoryReason: 'nightly sync' });
    expect(connector.availability!.maxBatch).toBe(2000);
    const result = await connector.availability!.publish([
      { sku: 'ABS', available: 7, location: 'WH-EAST' },
      { sku: 'TOWEL-BEIGE-S', available: 40 },
    ], ctx);
    expect(result.rejected).toBeUndefined();
    expect(result.detail).toMatchObject({ items: 2, transactionId: expect.any(String) });
    expect(fake.state.adjustments).toEqual([{ reason: 'nightly sync', items: [{ location_id: 1, sku: 'TOWEL-BEIGE-S', quantity: 40 }, { location_id: 2, sku: 'ABS', quantity: 7 }] }]);
    expect(fake.state.inventory.get('2|ABS')).toBe(7);
  });

  it('reports SKUs the store does not know and locations without a mapping as rejected, and sends the rest', async () => {
    const connector = connectorFor(fake, testChannelDeps('bc-test'));
    const result = await connector.availability!.publish([
      { sku: 'ABS', available: 3 },
      { sku: 'NOPE-1', available: 5 },
      { sku: 'MUG-GRY', available: 1, location: 'WH-WEST' },
    ], ctx);
    expect(result.rejected).toEqual([
      { sku: 'MUG-GRY', reason: 'location WH-WEST has no BigCommerce location_id (settings.locations)' },
      { sku: 'NOPE-1', reason: 'Items with identity: [sku NOPE-1] were not found' },
    ]);
    expect(fake.state.adjustments.map((a) => a.items)).toEqual([[{ location_id: 1, sku: 'ABS', quantity: 3 }]]);
  });

  it('fails as a rejected contract when the 422 names no item', async () => {
    const connector = connectorFor(fake, testChannelDeps('bc-test'), { defaultLocation: 9 });
    await expect(connector.availability!.publish([{ sku: 'ABS', available: 3 }], ctx)).rejects.toMatchObject({
      code: 'target.rejected',
      message: expect.stringContaining('Payload contains invalid fields'),
    });
  });
});

function mappedOrder(document = fixture('order-awaiting-fulfillment')): Order {
  fake.seedOrder(document);
  const result = bigcommerceChannel.mapOrder(document, createMappingContext({ channel: 'bc-test' }));
  if (!result.ok) throw new Error('fixture does not map');
  return { ...result.order, id: 'ord_1', version: 1, source: { system: 'bc-test', id: result.order.channelOrderId }, receivedAt: '2024-05-01T10:00:00Z' };
}

const shipment = (overrides: Partial<ShipmentSubmission> = {}): ShipmentSubmission => ({
  orderId: 'ord_1',
  shipmentId: 'SHP-1',
  shippedAt: '2024-05-02T08:00:00Z',
  carrier: 'UPS',
  service: 'Ground',
  tracking: [{ number: '1Z999AA10123456784', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' }],
  lines: [{ lineId: '301', sku: 'TOWEL-BEIGE-S', quantity: 2 }, { sku: 'ABS', quantity: 1 }],
  ...overrides,
});

describe('BigCommerce shipments', () => {
  it('creates one shipment with the order address, matched order products, carrier and tracking', async () => {
    const order = mappedOrder();
    const connector = connectorFor(fake, testChannelDeps('bc-test'));
    const ref = await connector.shipments!.publish(shipment(), order, ctx);
    expect(ref).toEqual({ system: 'bigcommerce', id: '1', number: '1Z999AA10123456784' });
    expect(fake.state.shipments).toHaveLength(1);
    expect(fake.state.shipments[0]).toMatchObject({
      order_id: 250, order_address_id: 51, tracking_number: '1Z999AA10123456784', shipping_provider: 'ups', tracking_carrier: '',
      tracking_link: 'https://www.ups.com/track?tracknum=1Z999AA10123456784', shipping_method: 'Ground', comments: 'crossdock shipment SHP-1',
      items: [{ order_product_id: 301, quantity: 2 }, { order_product_id: 302, quantity: 1 }],
    });
    expect(fake.state.orders.get(250)?.order.status_id).toBe(2);
  });

  it('publishes a retried shipment once: the second answer is the existing shipment', async () => {
    const order = mappedOrder();
    const connector = connectorFor(fake, testChannelDeps('bc-test'));
    await connector.shipments!.publish(shipment(), order, ctx);
    const again = await connector.shipments!.publish(shipment(), order, ctx);
    expect(again).toEqual({ system: 'bigcommerce', id: '1', number: '1Z999AA10123456784', existed: true });
    expect(fake.state.shipments).toHaveLength(1);
  });

  it('recognises a shipment without tracking number by its shipment id', async () => {
    const order = mappedOrder();
    const connector = connectorFor(fake, testChannelDeps('bc-test'));
    const partial = shipment({ tracking: [], carrier: 'Own van', lines: [{ lineId: '301', sku: 'TOWEL-BEIGE-S', quantity: 1 }] });
    const first = await connector.shipments!.publish(partial, order, ctx);
    const second = await connector.shipments!.publish(partial, order, ctx);
    expect(second).toEqual({ ...first, existed: true });
    expect(fake.state.shipments).toHaveLength(1);
    expect(fake.state.shipments[0]).toMatchObject({ tracking_carrier: 'own-van', shipping_provider: '', items: [{ order_product_id: 301, quantity: 1 }] });
    // A different shipment of the rest is a new BigCommerce shipment.
    await connector.shipments!.publish(shipment({ shipmentId: 'SHP-2', tracking: [{ number: 'TRK-2' }], lines: [{ lineId: '301', sku: 'TOWEL-BEIGE-S', quantity: 1 }] }), order, ctx);
    expect(fake.state.shipments).toHaveLength(2);
  });

  it('answers existed when nothing is left to ship for the lines', async () => {
    const order = mappedOrder();
    const connector = connectorFor(fake, testChannelDeps('bc-test'));
    await connector.shipments!.publish(shipment(), order, ctx);
    const other = await connector.shipments!.publish(shipment({ shipmentId: 'SHP-9', tracking: [{ number: 'OTHER' }] }), order, ctx);
    expect(other).toMatchObject({ id: '1', existed: true });
    expect(fake.state.shipments).toHaveLength(1);
  });

  it('splits a shipment over the order addresses its lines go to', async () => {
    const order = mappedOrder(fixture('order-multi-address'));
    const connector = connectorFor(fake, testChannelDeps('bc-test'));
    await connector.shipments!.publish(shipment(), order, ctx);
    expect(fake.state.shipments.map((s) => [s.order_address_id, s.items])).toEqual([
      [51, [{ order_product_id: 301, product_id: 77, quantity: 2 }]],
      [52, [{ order_product_id: 302, product_id: 86, quantity: 1 }]],
    ]);
  });

  it('refuses a line that is not on the order', async () => {
    const order = mappedOrder();
    const connector = connectorFor(fake, testChannelDeps('bc-test'));
    const error = await connector.shipments!.publish(shipment({ lines: [{ sku: 'GHOST', quantity: 1 }] }), order, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrossdockError);
    expect(error).toMatchObject({ code: 'channel.not-found' });
    expect(fake.state.shipments).toHaveLength(0);
  });

  it('ships cases: crossdock units are turned back into channel units', async () => {
    const document = fixture('order-b2b-coupon');
    fake.seedOrder(document);
    const result = bigcommerceChannel.mapOrder(document, createMappingContext({ channel: 'bc-test', skus: { 'WIDGET-RED-CS': { sku: 'WR-100', factor: 12 } } }));
    if (!result.ok) throw new Error('fixture does not map');
    const order: Order = { ...result.order, id: 'ord_2', version: 1, source: { system: 'bc-test', id: '257' }, receivedAt: '2024-05-01T10:00:00Z' };
    const connector = connectorFor(fake, testChannelDeps('bc-test'));
    await connector.shipments!.publish(shipment({ lines: [{ sku: 'WR-100', quantity: 12 }] }), order, ctx);
    expect(fake.state.shipments[0]).toMatchObject({ order_address_id: 71, items: [{ order_product_id: 331, quantity: 1 }] });
  });

  it('maps carriers to BigCommerce providers or AfterShip slugs', () => {
    expect(carrierFields('FedEx')).toEqual({ shipping_provider: 'fedex', tracking_carrier: '' });
    expect(carrierFields('Canada Post')).toEqual({ shipping_provider: 'canadapost', tracking_carrier: '' });
    expect(carrierFields('DHL Express')).toEqual({ shipping_provider: '', tracking_carrier: 'dhl' });
    expect(carrierFields('Purolator')).toEqual({ shipping_provider: '', tracking_carrier: 'purolator' });
  });
});
