import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rfc2822, startBigCommerceFake, type BigCommerceFake } from './server.js';

let fake: BigCommerceFake;
beforeEach(async () => {
  fake = await startBigCommerceFake({ skus: ['A'], quota: 5, windowMs: 60_000 });
});
afterEach(async () => {
  await fake.close();
});

const get = (path: string, token = fake.accessToken) => fetch(`${fake.url}${path}`, { headers: { 'x-auth-token': token } });
const order = (id: number, modified: number) => ({ order: { id, date_modified: rfc2822(modified), date_created: rfc2822(modified) }, products: [{ id: id * 10, quantity: 1 }] });

describe('BigCommerce fake', () => {
  it('refuses a bad token with the v2 error shape and does not spend the quota', async () => {
    const response = await get('/v2/orders', 'bad');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual([{ status: 401, message: expect.any(String) }]);
    const ok = await get('/v2/orders');
    expect(ok.headers.get('x-rate-limit-requests-left')).toBe('4');
  });

  it('pages orders by date_modified and answers an empty page with 204', async () => {
    fake.seedOrder(order(1, 3000));
    fake.seedOrder(order(2, 1000));
    const first = await get(`/v2/orders?sort=date_modified:asc&limit=1&page=1&min_date_modified=${encodeURIComponent(rfc2822(0))}`);
    expect(((await first.json()) as { id: number }[]).map((o) => o.id)).toEqual([2]);
    expect((await get('/v2/orders?limit=1&page=3')).status).toBe(204);
    expect((await get('/v2/orders?limit=251')).status).toBe(400);
  });

  it('answers 429 with X-Rate-Limit-Time-Reset-Ms once the window quota is spent', async () => {
    for (let i = 0; i < 5; i++) expect((await get('/v2/orders')).status).not.toBe(429);
    const throttled = await get('/v2/orders');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('x-rate-limit-time-reset-ms'))).toBeGreaterThan(0);
    expect(throttled.headers.get('x-rate-limit-requests-left')).toBe('0');
  });

  it('injects failures and records every call', async () => {
    fake.failNext(1, 502);
    expect((await get('/v2/orders/1')).status).toBe(502);
    expect((await get('/v2/orders/1')).status).toBe(404);
    expect(fake.state.calls.map((c) => [c.path, c.status])).toEqual([['/v2/orders/1', 502], ['/v2/orders/1', 404]]);
  });

  it('builds webhook deliveries with the secret header and a stable hash', () => {
    const a = fake.webhookDelivery('store/order/created', 7, 'secret', { createdAt: 1 });
    const b = fake.webhookDelivery('store/order/created', 7, 'secret', { createdAt: 1 });
    expect(a.headers['x-crossdock-webhook-secret']).toBe('secret');
    expect(a.payload).toMatchObject({ scope: 'store/order/created', data: { type: 'order', id: 7 }, producer: `stores/${fake.storeHash}` });
    expect(a.payload.hash).toBe(b.payload.hash);
  });
});
