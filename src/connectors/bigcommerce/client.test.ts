import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBigCommerceFake, type BigCommerceFake } from '../../../test/fakes/bigcommerce/server.js';
import { testChannelDeps } from '../../../test/support/channel-deps.js';
import { BigCommerceClient, resetMs, vendorMessage } from './client.js';
import { resolveSettings } from './settings.js';
import { ctx, fixture, WEBHOOK_SECRET } from './test-support.js';

let fake: BigCommerceFake;
beforeEach(async () => {
  fake = await startBigCommerceFake();
  fake.seedOrder(fixture('order-awaiting-fulfillment'));
});
afterEach(async () => {
  await fake.close();
});

function client(overrides: { accessToken?: string; rateLimitReserve?: number } = {}): BigCommerceClient {
  const settings = resolveSettings({ storeHash: fake.storeHash, apiBaseUrl: fake.url, accessToken: overrides.accessToken ?? fake.accessToken, webhookSecret: WEBHOOK_SECRET, ...(overrides.rateLimitReserve === undefined ? {} : { rateLimitReserve: overrides.rateLimitReserve }) });
  return new BigCommerceClient(settings, testChannelDeps('bc-test'));
}

describe('BigCommerceClient', () => {
  it('sends the access token as X-Auth-Token and reads an order', async () => {
    expect(await client().getOrder(250, ctx)).toMatchObject({ id: 250, status_id: 11 });
    expect(await client().getOrder(404, ctx)).toBeUndefined();
  });

  it('turns 401 into channel.unauthorized, not retried', async () => {
    await expect(client({ accessToken: 'wrong' }).getOrder(250, ctx)).rejects.toMatchObject({ code: 'channel.unauthorized', kind: 'business' });
    expect(fake.state.calls).toHaveLength(1);
  });

  it('retries injected 5xx answers and then succeeds', async () => {
    fake.failNext(2, 503);
    expect(await client().getOrder(250, ctx)).toMatchObject({ id: 250 });
    expect(fake.state.calls.map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it('gives up after the policy attempts with target.unavailable', async () => {
    fake.failNext(5, 500);
    await expect(client().getOrder(250, ctx)).rejects.toMatchObject({ code: 'target.unavailable' });
  });

  it('waits X-Rate-Limit-Time-Reset-Ms after a 429 and then succeeds', async () => {
    fake.setQuota(1, 400);
    // Another app on the store spends the window's only request.
    await fetch(`${fake.url}/v2/orders/250`, { headers: { 'x-auth-token': fake.accessToken } });
    const started = Date.now();
    expect(await client({ rateLimitReserve: 0 }).getOrder(250, ctx)).toMatchObject({ id: 250 });
    expect(fake.state.calls.map((c) => c.status)).toEqual([200, 429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('holds off until the window resets when few requests are left, so it is never answered 429', async () => {
    fake.setQuota(3, 500);
    const c = client({ rateLimitReserve: 1 });
    const started = Date.now();
    for (let i = 0; i < 4; i++) await c.getOrder(250, ctx);
    expect(fake.state.calls.map((call) => call.status)).toEqual([200, 200, 200, 200]);
    // The second answer left 1 request: the third waited for the new window.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('surfaces the v2 error message of a refused request', async () => {
    const error = await client().createShipment(250, { order_address_id: 999, items: [] }, ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'target.rejected', message: "BigCommerce refused shipment.create (HTTP 400): The field 'order_address_id' is invalid." });
  });

  it('pages through v2 lists until a short or empty (204) page', async () => {
    const rows = await client().listAll('/v2/orders/250/products', 'order.products', ctx);
    expect(rows.map((r) => r.id)).toEqual([301, 302]);
    expect(await client().listShipments(250, ctx)).toEqual([]);
  });
});

describe('vendor error shapes', () => {
  it('reads v2 arrays and v3 problem objects', () => {
    expect(vendorMessage([{ status: 400, message: 'a' }, { status: 400, message: 'b' }])).toBe('a; b');
    expect(vendorMessage({ status: 422, title: 'Payload contains invalid fields', type: 'x', errors: { 'items.0': 'bad' } })).toBe('Payload contains invalid fields; items.0: bad');
    expect(vendorMessage(undefined)).toBeUndefined();
  });

  it('reads the reset header in milliseconds', () => {
    expect(resetMs(new Headers({ 'x-rate-limit-time-reset-ms': '1500' }))).toBe(1500);
    expect(resetMs(new Headers())).toBeUndefined();
  });
});
