import { afterEach, describe, expect, it } from 'vitest';
import { orderAt } from './harness.js';
import { startWooCommerceFake, type WooFake } from './server.js';

let store: WooFake | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const auth = { authorization: `Basic ${Buffer.from('ck:cs').toString('base64')}` };
const T0 = Date.UTC(2024, 0, 1);

describe('fake WooCommerce store', () => {
  it('refuses missing and wrong credentials with WooCommerce error bodies', async () => {
    store = await startWooCommerceFake({ consumerKey: 'ck', consumerSecret: 'cs' });
    const none = await fetch(`${store.url}/wp-json/wc/v3/orders`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
    const wrong = await fetch(`${store.url}/wp-json/wc/v3/orders`, { headers: { authorization: `Basic ${Buffer.from('ck:nope').toString('base64')}` } });
    expect((await wrong.json()) as unknown).toMatchObject({ code: 'woocommerce_rest_authentication_error' });
    const query = await fetch(`${store.url}/wp-json/wc/v3/orders?consumer_key=ck&consumer_secret=cs`);
    expect(query.status).toBe(200);
  });

  it('filters by modified_after (exclusive), orders by modification, paginates with X-WP-Total(Pages), hides the trash', async () => {
    store = await startWooCommerceFake({ consumerKey: 'ck', consumerSecret: 'cs' });
    for (let i = 1; i <= 5; i += 1) store.seedOrder(orderAt(i, T0 + i * 1000));
    store.seedOrder(orderAt(6, T0 + 6000, { status: 'trash' }));
    const response = await fetch(`${store.url}/wp-json/wc/v3/orders?modified_after=2024-01-01T00:00:01&dates_are_gmt=true&orderby=modified&order=asc&per_page=2&page=2`, { headers: auth });
    expect(response.headers.get('x-wp-total')).toBe('4');
    expect(response.headers.get('x-wp-totalpages')).toBe('2');
    expect(((await response.json()) as { id: number }[]).map((o) => o.id)).toEqual([4, 5]);
    const tooMany = await fetch(`${store.url}/wp-json/wc/v3/orders?per_page=101`, { headers: auth });
    expect(tooMany.status).toBe(400);
  });

  it('throttles with 429 and Retry-After when its bucket is empty, and fails on request', async () => {
    store = await startWooCommerceFake({ consumerKey: 'ck', consumerSecret: 'cs', bucket: { capacity: 1, refillPerSecond: 0.1 }, retryAfterSeconds: 7 });
    expect((await fetch(`${store.url}/wp-json/wc/v3/orders`, { headers: auth })).status).toBe(200);
    const throttled = await fetch(`${store.url}/wp-json/wc/v3/orders`, { headers: auth });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    store.setBucket({ capacity: 10, refillPerSecond: 10 });
    store.failNext(1, 500);
    expect((await fetch(`${store.url}/wp-json/wc/v3/orders`, { headers: auth })).status).toBe(500);
    expect((await fetch(`${store.url}/wp-json/wc/v3/orders`, { headers: auth })).status).toBe(200);
  });
});
