import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import { createMappingContext } from '../../channels/mapping-context.js';
import { startAdobeCommerceFake, type AdobeCommerceFake } from '../../../test/fakes/adobe-commerce/server.js';
import { fixture } from './fixtures/load.js';
import { adobeCommerceOrderToOrder } from './mapping.js';
import { connectorFor, ctx } from '../../../test/fakes/adobe-commerce/harness.js';

let fake: AdobeCommerceFake;
beforeEach(async () => {
  fake = await startAdobeCommerceFake({ orders: [fixture('order-configurable'), fixture('order-bundle-fixed'), fixture('order-guest-simple')] });
  fake.knobs.sources.add('dallas');
});
afterEach(async () => fake.close());

function canonical(name: string): Order {
  const result = adobeCommerceOrderToOrder(fixture(name), createMappingContext({ channel: 'magento-us', defaultCustomer: 'WEB' }));
  if (!result.ok) throw new Error('fixture does not map');
  return { ...result.order, id: `ord-${name}`, version: 1, source: { system: 'magento-us', id: result.order.channelOrderId }, receivedAt: '2024-05-10T00:00:00Z' };
}
const shipment = (lines: ShipmentSubmission['lines'], extra: Partial<ShipmentSubmission> = {}): ShipmentSubmission => ({
  orderId: 'ord', shipmentId: 'SHP-1', shippedAt: '2024-05-10T12:00:00Z', carrier: 'UPS', service: 'Ground', tracking: [{ number: '1Z999AA10123456784' }], lines, ...extra,
});
const sink = (settings = {}) => connectorFor(fake, { carrierCodes: { ups: 'ups' }, notifyCustomer: true, sources: { DAL: 'dallas' }, ...settings }).shipments!;
const shipCalls = (orderId: number) => fake.callsTo(`/V1/order/${orderId}/ship`, 'POST');

describe('Adobe Commerce shipments', () => {
  it('ships a configurable through its PARENT item, with tracking, carrier code, source and a marker comment', async () => {
    const ref = await sink().publish(shipment([{ lineId: '21', sku: 'MH01-M-Orange', quantity: 2 }, { lineId: '23', sku: '24-WG085', quantity: 1 }], { warehouse: 'DAL' }), canonical('order-configurable'), ctx);
    expect(ref).toEqual({ system: 'magento-us', id: '1' });
    expect(shipCalls(1002).map((c) => c.body)).toEqual([{
      items: [{ order_item_id: 21, qty: 2 }, { order_item_id: 23, qty: 1 }],
      notify: true,
      appendComment: false,
      comment: { comment: 'crossdock shipment SHP-1', is_visible_on_front: 0 },
      tracks: [{ track_number: '1Z999AA10123456784', title: 'UPS Ground', carrier_code: 'ups' }],
      arguments: { extension_attributes: { source_code: 'dallas' } },
    }]);
    expect(fake.state.orders.get('1002')).toMatchObject({ state: 'complete' });
  });

  it('returns the existing shipment, without a second ship call, when published again', async () => {
    const order = canonical('order-configurable');
    const first = await sink().publish(shipment([{ lineId: '23', sku: '24-WG085', quantity: 1 }]), order, ctx);
    const again = await sink().publish(shipment([{ lineId: '23', sku: '24-WG085', quantity: 1 }]), order, ctx);
    expect(again).toEqual({ system: 'magento-us', id: first.id, number: '000000001', existed: true });
    expect(shipCalls(1002)).toHaveLength(1);
  });

  it('matches a line by SKU when it has no line id, and sends an unknown carrier as custom', async () => {
    await sink().publish(shipment([{ sku: '24-WG085', quantity: 1 }], { carrier: 'Acme Freight', service: undefined }), canonical('order-configurable'), ctx);
    expect(shipCalls(1002)[0]!.body).toMatchObject({ items: [{ order_item_id: 23, qty: 1 }], tracks: [{ title: 'Acme Freight', carrier_code: 'custom' }] });
  });

  it('ships bundle children with their bundle parent for the whole bundles shipped', async () => {
    await sink().publish(shipment([{ lineId: '42', sku: '24-WG081-blue', quantity: 1 }, { lineId: '43', sku: '24-WG084', quantity: 2 }]), canonical('order-bundle-fixed'), ctx);
    expect(shipCalls(1004)[0]!.body).toMatchObject({ items: [{ order_item_id: 42, qty: 1 }, { order_item_id: 43, qty: 2 }, { order_item_id: 41, qty: 1 }] });
  });

  it('creates one shipment when the ship response is lost, resolving it as existing', async () => {
    fake.knobs.dropShipResponses = 1;
    const ref = await sink().publish(shipment([{ lineId: '11', sku: '24-MB01', quantity: 1 }]), canonical('order-guest-simple'), ctx);
    expect(ref).toEqual({ system: 'magento-us', id: '1', number: '000000001', existed: true });
    expect(fake.state.shipments).toHaveLength(1);
    expect(shipCalls(1001)).toHaveLength(1);
  });

  it('resolves "The order does not allow a shipment to be created." to the order\'s shipment', async () => {
    // Shipped in full by someone else (no marker, no tracking crossdock knows).
    const response = await fetch(`${fake.url}/V1/order/1001/ship`, { method: 'POST', headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(200);
    const ref = await sink().publish(shipment([{ lineId: '11', sku: '24-MB01', quantity: 2 }]), canonical('order-guest-simple'), ctx);
    expect(ref).toEqual({ system: 'magento-us', id: '1', number: '000000001', existed: true });
    expect(shipCalls(1001).map((c) => c.status)).toEqual([200, 400]);
  });

  it('reports an order Magento does not know as channel.not-found, and a line it cannot place as channel.unmappable', async () => {
    const ghost = { ...canonical('order-guest-simple'), channelOrderId: '9999' };
    await expect(sink().publish(shipment([{ sku: '24-MB01', quantity: 1 }]), ghost, ctx)).rejects.toMatchObject({ code: 'channel.not-found' });
    await expect(sink().publish(shipment([{ sku: 'NOT-ON-ORDER', quantity: 1 }]), canonical('order-guest-simple'), ctx)).rejects.toMatchObject({
      code: 'channel.unmappable', errors: [{ pointer: '/lines/0' }],
    });
    expect(fake.state.shipments).toHaveLength(0);
  });

  it('passes any other refusal on as target.rejected with Magento\'s text', async () => {
    await expect(sink().publish(shipment([{ lineId: '11', sku: '24-MB01', quantity: 5 }]), canonical('order-guest-simple'), ctx)).rejects.toMatchObject({
      code: 'target.rejected', message: expect.stringContaining('The quantity to ship for item 11 exceeds what is left to ship.'),
    });
  });
});
