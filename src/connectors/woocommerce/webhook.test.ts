import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelConnector, WebhookRequest } from '../../channels/types.js';
import type { WooFake } from '../../../test/fakes/woocommerce/server.js';
import { ctx, fixture, storeAndConnector } from '../../../test/fakes/woocommerce/harness.js';
import { verifyWooDelivery } from './webhook.js';

let store: WooFake | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function setup(): Promise<{ store: WooFake; connector: ChannelConnector }> {
  const made = await storeAndConnector();
  store = made.store;
  return made;
}

describe('WooCommerce webhooks: verify', () => {
  it('accepts a delivery signed as WooCommerce signs it and names topic and delivery', async () => {
    const { store, connector } = await setup();
    const delivery = store.webhookDelivery('order.updated', fixture('order-guest.json'));
    const verdict = connector.webhooks!.verify(delivery);
    expect(verdict).toEqual({ ok: true, topic: 'order.updated', deliveryId: expect.stringMatching(/^[0-9a-f]{32}\.[0-9a-f]{16}$/) });
    expect(verdict.ok && verdict.deliveryId.startsWith(delivery.headers['x-wc-webhook-delivery-id']!)).toBe(true);
  });

  it('rejects a changed body, another secret, a missing or truncated signature, and a missing topic', async () => {
    const { store, connector } = await setup();
    const good = store.webhookDelivery('order.created', fixture('order-guest.json'));
    const tampered: WebhookRequest = { headers: good.headers, rawBody: Buffer.from(good.rawBody.toString().replace('29.35', '0.01')) };
    expect(connector.webhooks!.verify(tampered)).toEqual({ ok: false, reason: 'X-WC-Webhook-Signature does not match the body' });
    expect(connector.webhooks!.verify(store.webhookDelivery('order.created', fixture('order-guest.json'), { secret: 'other' })).ok).toBe(false);
    const { 'x-wc-webhook-signature': signature, ...unsigned } = good.headers;
    expect(connector.webhooks!.verify({ headers: unsigned, rawBody: good.rawBody })).toEqual({ ok: false, reason: 'missing X-WC-Webhook-Signature' });
    expect(connector.webhooks!.verify({ headers: { ...good.headers, 'x-wc-webhook-signature': signature!.slice(0, 10) }, rawBody: good.rawBody }).ok).toBe(false);
    const { 'x-wc-webhook-topic': _topic, ...noTopic } = good.headers;
    expect(connector.webhooks!.verify({ headers: noTopic, rawBody: good.rawBody })).toEqual({ ok: false, reason: 'missing X-WC-Webhook-Topic' });
  });

  it('answers the unsigned creation ping as topic "ping", and nothing else unsigned', async () => {
    const { store, connector } = await setup();
    expect(connector.webhooks!.verify(store.pingDelivery(17))).toEqual({ ok: true, topic: 'ping', deliveryId: 'ping:17' });
    expect(verifyWooDelivery({ headers: {}, rawBody: Buffer.from('webhook_id=17&x=1') }, 's').ok).toBe(false);
    expect(verifyWooDelivery({ headers: { 'x-wc-webhook-topic': 'order.created' }, rawBody: Buffer.from('webhook_id=17') }, 's').ok).toBe(false);
    expect(await connector.webhooks!.resolve({ topic: 'ping', deliveryId: 'ping:17' }, 'webhook_id=17', ctx)).toEqual([]);
  });

  it('keeps two events of one second apart although WooCommerce gives them one delivery id, and a redelivery the same', async () => {
    const { store, connector } = await setup();
    const at = Date.UTC(2024, 4, 14, 14, 15, 2);
    const first = store.webhookDelivery('order.updated', { ...fixture('order-guest.json'), id: 1 }, { at });
    const second = store.webhookDelivery('order.updated', { ...fixture('order-guest.json'), id: 2 }, { at });
    expect(first.headers['x-wc-webhook-delivery-id']).toBe(second.headers['x-wc-webhook-delivery-id']);
    const ids = [first, second, first].map((d) => { const v = connector.webhooks!.verify(d); return v.ok ? v.deliveryId : ''; });
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[2]).toBe(ids[0]);
  });
});

describe('WooCommerce webhooks: resolve', () => {
  it('turns order.created / updated / restored bodies into the order document without calling the store', async () => {
    const { store, connector } = await setup();
    for (const topic of ['order.created', 'order.updated', 'order.restored']) {
      const documents = await connector.webhooks!.resolve({ topic, deliveryId: 'd' }, fixture('order-guest.json'), ctx);
      expect(documents).toEqual([{ channelOrderId: '727', updatedAt: '2017-03-22T19:28:08Z', document: { order: fixture('order-guest.json'), refunds: [] } }]);
    }
    expect(store.state.calls).toEqual([]);
  });

  it('fetches the refund line items of an order that lists refunds', async () => {
    const { store, connector } = await setup();
    const { order, refunds } = fixture('document-partial-refund.json') as { order: Record<string, unknown>; refunds: Record<string, unknown>[] };
    store.seedOrder(order);
    store.seedRefunds(5005, refunds);
    const [document] = await connector.webhooks!.resolve({ topic: 'order.updated', deliveryId: 'd' }, order, ctx);
    expect(document?.document).toEqual({ order, refunds });
    expect(store.state.calls.map((c) => c.path)).toEqual(['/wp-json/wc/v3/orders/5005/refunds']);
  });

  it('reads a deleted order back: trashed it still answers (status trash), deleted for good it yields nothing', async () => {
    const { store, connector } = await setup();
    store.seedOrder({ ...fixture('order-guest.json'), status: 'trash' });
    const [trashed] = await connector.webhooks!.resolve({ topic: 'order.deleted', deliveryId: 'd' }, fixture('webhook-order-deleted.json'), ctx);
    expect((trashed?.document as { order: { status: string } }).order.status).toBe('trash');
    expect(await connector.webhooks!.resolve({ topic: 'order.deleted', deliveryId: 'd' }, { id: 99 }, ctx)).toEqual([]);
    expect(await connector.webhooks!.resolve({ topic: 'product.updated', deliveryId: 'd' }, { id: 5 }, ctx)).toEqual([]);
  });

  it('refuses an order topic whose body is not an order', async () => {
    const { connector } = await setup();
    await expect(connector.webhooks!.resolve({ topic: 'order.created', deliveryId: 'd' }, { hello: 1 }, ctx)).rejects.toMatchObject({ code: 'channel.unmappable' });
  });
});
