import { afterEach, describe, expect, it } from 'vitest';
import { INVALID_TOKEN_ERROR, signShopifyWebhook, startShopifyFake, type ShopifyFake } from './server.js';

const fakes: ShopifyFake[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

async function fake(options: Parameters<typeof startShopifyFake>[0] = {}): Promise<ShopifyFake> {
  const started = await startShopifyFake(options);
  fakes.push(started);
  return started;
}

const get = (f: ShopifyFake, path: string, token = 'shpat_test') => fetch(`${f.url}${path}`, { headers: { 'x-shopify-access-token': token } });

describe('Shopify fake', () => {
  it('answers a wrong token with 401 and Shopify\'s error body', async () => {
    const f = await fake();
    const response = await get(f, '/admin/api/2025-07/orders.json', 'nope');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: INVALID_TOKEN_ERROR });
  });

  it('paginates with Link page_info and refuses other parameters beside page_info', async () => {
    const f = await fake();
    f.seedOrders(Array.from({ length: 5 }, (_, i) => ({ id: i + 1, updated_at: `2025-01-0${i + 1}T00:00:00Z`, line_items: [] })));
    const first = await get(f, '/admin/api/2025-07/orders.json?status=any&order=updated_at+asc&limit=2');
    expect(first.headers.get('x-shopify-shop-api-call-limit')).toBe('1/40');
    const link = first.headers.get('link')!;
    expect(link).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/admin\/api\/2025-07\/orders\.json\?limit=2&page_info=[\w-]+>; rel="next"$/);
    const next = new URL(/<([^>]+)>/.exec(link)![1]!);
    const second = await get(f, `${next.pathname}${next.search}`);
    expect(((await second.json()) as { orders: { id: number }[] }).orders.map((o) => o.id)).toEqual([3, 4]);
    expect(second.headers.get('link')).toContain('rel="previous"');
    expect((await get(f, `${next.pathname}${next.search}&status=any`)).status).toBe(400);
  });

  it('answers 429 with Retry-After when the REST bucket is full, and injected failures on demand', async () => {
    const f = await fake({ retryAfter: '1.5' });
    f.setRestBucket(40);
    const throttled = await get(f, '/admin/api/2025-07/orders.json');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1.5');
    f.failNext(1, 500);
    expect((await get(f, '/admin/api/2025-07/orders/1.json')).status).toBe(500);
    expect(f.state.requests.map((r) => r.status)).toEqual([429, 500]);
  });

  it('signs webhook bodies the way Shopify does', () => {
    expect(signShopifyWebhook('{"id":1}', 'secret')).toBe('A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=');
  });
});
