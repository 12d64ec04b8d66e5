import { afterEach, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import type { HttpResponse } from '../../protect/types.js';
import { testChannelDeps } from '../../../test/support/channel-deps.js';
import type { WooFake } from '../../../test/fakes/woocommerce/server.js';
import { ctx, fixture, orderAt, storeAndConnector } from '../../../test/fakes/woocommerce/harness.js';
import { startWooCommerceFake } from '../../../test/fakes/woocommerce/server.js';
import { apiBaseUrl, basicAuthorization, WooClient, wooError } from './client.js';
import { woocommerceChannel } from './index.js';

let store: WooFake | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const answer = (status: number, body: unknown): HttpResponse => ({ status, headers: new Headers(), body });

describe('WooCommerce errors', () => {
  it("turns WooCommerce's { code, message, data.status } into crossdock errors", () => {
    expect(wooError(answer(401, { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } }), 'orders.list'))
      .toMatchObject({ code: 'channel.unauthorized', message: 'WooCommerce answered orders.list with HTTP 401 woocommerce_rest_cannot_view: Sorry, you cannot list resources.' });
    expect(wooError(answer(403, { code: 'woocommerce_rest_cannot_edit', message: 'no' }), 'order.update').code).toBe('channel.unauthorized');
    expect(wooError(answer(404, { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.' }), 'order.get').code).toBe('channel.not-found');
    expect(wooError(answer(400, { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.' }), 'order.update').code).toBe('channel.not-found');
    expect(wooError(answer(404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.' }), 'order.get').code).toBe('target.rejected');
    expect(wooError(answer(400, { code: 'rest_invalid_param', message: 'Invalid parameter(s): status' }), 'order.update'))
      .toMatchObject({ code: 'target.rejected', message: expect.stringContaining('Invalid parameter(s): status') });
  });

  it('authenticates with HTTP Basic under /wp-json/wc/v3', () => {
    expect(apiBaseUrl('https://shop.example.com/')).toBe('https://shop.example.com/wp-json/wc/v3');
    expect(basicAuthorization('ck_1', 'cs_2')).toBe(`Basic ${Buffer.from('ck_1:cs_2').toString('base64')}`);
  });
});

describe('WooClient against the fake store', () => {
  it('answers undefined for an order the store does not have, and the order when it has it', async () => {
    const made = await storeAndConnector();
    store = made.store;
    store.seedOrder(fixture('order-guest.json'));
    const client = WooClient.create(made.deps, { baseUrl: store.url, consumerKey: 'ck_live', consumerSecret: 'cs_live' });
    expect(await client.getOrder('404', ctx)).toBeUndefined();
    expect((await client.getOrder('727', ctx))?.id).toBe(727);
    await expect(client.setOrderStatus('404', 'completed', ctx)).rejects.toMatchObject({ code: 'channel.not-found' });
  });

  it('holds every call off when the host says its budget is spent, instead of running into 429', async () => {
    store = await startWooCommerceFake({ consumerKey: 'k', consumerSecret: 's', bucket: { capacity: 2, refillPerSecond: 2 }, advertiseBudget: true });
    for (let i = 0; i < 3; i += 1) store.seedOrder(orderAt(i + 1, Date.UTC(2024, 0, 1)));
    const client = WooClient.create(testChannelDeps('woo-budget'), { baseUrl: store.url, consumerKey: 'k', consumerSecret: 's' });
    for (const id of ['1', '2', '3']) expect((await client.getOrder(id, ctx))?.id).toBe(Number(id));
    expect(store.state.calls.map((c) => c.status)).toEqual([200, 200, 200]);
  });
});

describe('woocommerceChannel manifest', () => {
  it('names the type, validates settings and signs webhooks with the consumer secret when no webhook secret is set', async () => {
    expect(woocommerceChannel).toMatchObject({ type: 'woocommerce', title: 'WooCommerce' });
    const settings = { baseUrl: 'https://shop.example.com', consumerKey: 'ck', consumerSecret: 'cs', poNumberMetaKey: 'po', overlapSeconds: 60, completeOnShipment: false };
    expect(Value.Check(woocommerceChannel.settingsSchema, settings)).toBe(true);
    expect(Value.Check(woocommerceChannel.settingsSchema, { ...settings, consumerKey: '' })).toBe(false);
    expect(Value.Check(woocommerceChannel.settingsSchema, { ...settings, unknown: 1 })).toBe(false);

    const made = await storeAndConnector({ webhookSecret: undefined });
    store = made.store;
    expect(made.connector).toMatchObject({ instance: 'woo-us', type: 'woocommerce' });
    expect(made.connector.webhooks!.verify(store.webhookDelivery('order.created', fixture('order-guest.json'), { secret: 'cs_live' })).ok).toBe(true);
  });
});
