import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopifyWebhookHeaders, startShopifyFake, type ShopifyFake } from '../fakes/shopify/server.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';

/**
 * A Shopify store's orders through the whole of crossdock: signed webhooks in (bad signatures
 * refused and journaled), out-of-order updates settled by `updated_at`, the catch-up poll for
 * a missed webhook, the sandbox ERP getting each order exactly once, and the shipment going
 * back to Shopify as one fulfilment however often it is reported.
 */
const SECRET = 'shopify-app-secret';
const SHOP = 'acme.myshopify.com';
const fixture = JSON.parse(readFileSync(new URL('../../src/connectors/shopify/fixtures/order-basic.json', import.meta.url), 'utf8')) as Record<string, unknown>;

let shopify: ShopifyFake;
let t: TestApp;
let url: string;

function shopifyOrder(id: number, updatedAt: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(fixture), id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#${id}`, order_number: id, updated_at: updatedAt, ...overrides };
}

async function deliver(body: unknown, options: { topic?: string; webhookId?: string; secret?: string } = {}) {
  const text = JSON.stringify(body);
  const started = performance.now();
  const res = await fetch(`${url}/channels/shopify-us/webhooks`, {
    method: 'POST',
    headers: shopifyWebhookHeaders({
      body: text, secret: options.secret ?? SECRET, topic: options.topic ?? 'orders/create', shopDomain: SHOP,
      ...(options.webhookId ? { webhookId: options.webhookId } : {}),
    }),
    body: text,
  });
  return { status: res.status, ms: performance.now() - started, body: (await res.json()) as Record<string, unknown> };
}

interface ErpOrder { externalRef: string; lines: { sku: string; quantity: number }[] }
async function erpOrders(): Promise<ErpOrder[]> {
  return ((await (await fetch(`${url}/sandbox/erp/orders`)).json()) as { orders: ErpOrder[] }).orders;
}
async function orderByChannelId(channelOrderId: string) {
  const page = (await (await fetch(`${url}/v1/messages?q=${channelOrderId}&limit=50`)).json()) as { items: { subjectId: string | null; kind: string }[] };
  const id = page.items.find((m) => m.kind === 'order')?.subjectId;
  if (!id) return undefined;
  return (await (await fetch(`${url}/v1/orders/${id}`)).json()) as {
    id: string; state: string; order: { lines: { sku: string; quantity: number; channelSku?: string }[]; customer: { accountId: string } };
    history: { step: string }[];
  };
}

beforeAll(async () => {
  shopify = await startShopifyFake({ shopDomain: SHOP });
  t = await makeTestApp({
    worker: { pollMs: 20, backoffMs: 50, maxBackoffMs: 200 },
    protection: { erp: { ratePerSecond: 1000 }, 'shopify-us': { ratePerSecond: 100, backoffMs: 20 }, 'shopify-us.graphql': { ratePerSecond: 100, backoffMs: 20 } },
    channels: [{
      id: 'shopify-us', type: 'shopify', pollIntervalSeconds: 1,
      settings: { shopDomain: SHOP, apiBaseUrl: shopify.url, accessToken: 'shpat_test', webhookSecret: SECRET, pollLookbackMinutes: 86400, defaultLocation: 'gid://shopify/Location/1' },
      skus: { IPOD2008GREEN: 'SKU-1', IPOD2008RED: 'SKU-2' },
      defaultCustomer: 'C-100',
    }],
  });
  url = await t.app.start();
});
afterAll(async () => {
  await t.dispose();
  await shopify.close();
});

describe('Shopify webhooks into the ERP', () => {
  it('refuses a delivery with a wrong signature with 401 and journals it as rejected', async () => {
    const res = await deliver(shopifyOrder(9001, '2026-11-20T10:00:00Z'), { secret: 'not-the-secret', webhookId: 'w-bad' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'webhook.signature-invalid' });
    const rejected = (await (await fetch(`${url}/v1/messages?status=rejected&channel=shopify-us`)).json()) as { items: { kind: string }[] };
    expect(rejected.items.map((m) => m.kind)).toContain('webhook');
    expect(await orderByChannelId('9001')).toBeUndefined();
  });

  it('answers a signed delivery 200 at once and posts the order to the ERP exactly once, redeliveries included', async () => {
    const order = shopifyOrder(9002, '2026-11-20T10:00:00Z');
    shopify.seedOrders([order]);
    const first = await deliver(order, { webhookId: 'w-9002' });
    expect(first.status).toBe(200);
    expect(first.ms).toBeLessThan(50);
    const again = await deliver(order, { webhookId: 'w-9002' });
    expect(again.body).toMatchObject({ duplicate: true, messageId: first.body['messageId'] });

    const posted = await waitFor(() => orderByChannelId('9002'), (o) => o?.state === 'posted', 10_000);
    expect(posted!.order.lines.map((l) => [l.sku, l.quantity, l.channelSku])).toEqual([['SKU-1', 1, 'IPOD2008GREEN'], ['SKU-2', 2, 'IPOD2008RED']]);
    expect(posted!.order.customer.accountId).toBe('C-100');
    const inErp = (await erpOrders()).filter((o) => o.externalRef === posted!.id);
    expect(inErp).toHaveLength(1);
  });

  it('settles out-of-order updates on the newest updated_at', async () => {
    const newer = shopifyOrder(9003, '2026-11-20T10:05:00Z', { note: 'newest' });
    const older = shopifyOrder(9003, '2026-11-20T10:00:00Z', { note: 'oldest' });
    await deliver(newer, { topic: 'orders/updated', webhookId: 'w-9003-b' });
    await deliver(older, { topic: 'orders/create', webhookId: 'w-9003-a' });

    const settled = await waitFor(() => orderByChannelId('9003'), (o) => o?.state === 'posted', 10_000);
    const full = (await (await fetch(`${url}/v1/orders/${settled!.id}`)).json()) as { order: { notes?: string } };
    expect(full.order.notes).toBe('newest');
    expect((await erpOrders()).filter((o) => o.externalRef === settled!.id)).toHaveLength(1);
  });

  it('takes in an order whose webhook never came, from the catch-up poll', async () => {
    shopify.seedOrders([shopifyOrder(9004, new Date(Date.now() - 60_000).toISOString())]);
    const polled = await waitFor(() => orderByChannelId('9004'), (o) => o?.state === 'posted', 15_000, 200);
    expect((await erpOrders()).filter((o) => o.externalRef === polled!.id)).toHaveLength(1);
  });
});

describe('shipments back to Shopify', () => {
  it('creates one fulfilment with tracking however often the shipment is reported, and ships the order', async () => {
    const order = await waitFor(() => orderByChannelId('9002'), (o) => o?.state === 'posted', 10_000);
    const shipment = {
      orderId: order!.id, shipmentId: 'SHP-9002', shippedAt: '2026-11-21T15:00:00Z', carrier: 'UPS',
      tracking: [{ number: '1Z999AA10123456784' }],
      lines: [{ lineId: '466157049', sku: 'SKU-1', quantity: 1 }, { lineId: '518995019', sku: 'SKU-2', quantity: 2 }],
    };
    const post = () => fetch(`${url}/v1/shipments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(shipment) });
    expect((await post()).status).toBe(202);
    expect((await post()).headers.get('idempotent-replayed')).toBe('true');

    const shipped = await waitFor(() => orderByChannelId('9002'), (o) => o?.state === 'shipped', 10_000);
    expect(shipped!.history.map((h) => h.step)).toContain('shipped');
    const fulfilments = shopify.state.fulfillments.filter((f) => f.orderId.endsWith('9002'));
    expect(fulfilments).toHaveLength(1);
    expect(fulfilments[0]!.trackingNumbers).toEqual(['1Z999AA10123456784']);
  });
});

interface DeadLetter { id: string; queue: string; orderId: string | null; reason: string; action: string; error: { code: string; errors?: { pointer: string }[] } }
async function deadLetters(): Promise<DeadLetter[]> {
  return ((await (await fetch(`${url}/v1/dead-letters`)).json()) as { items: DeadLetter[] }).items;
}

describe('revisions and cancellations from the channel', () => {
  it('cancels a held order when the channel cancels it, and never posts it', async () => {
    // SKU-13 is inactive in the sandbox ERP: the order is held first.
    const held = shopifyOrder(9101, '2026-11-20T10:00:00Z', { line_items: [{ ...(fixture['line_items'] as Record<string, unknown>[])[0], sku: 'SKU-13' }] });
    await deliver(held, { webhookId: 'w-9101-a' });
    await waitFor(() => orderByChannelId('9101'), (o) => o?.state === 'held', 10_000);

    await deliver({ ...held, updated_at: '2026-11-20T11:00:00Z', cancelled_at: '2026-11-20T11:00:00Z', cancel_reason: 'customer' }, { topic: 'orders/cancelled', webhookId: 'w-9101-b' });
    const cancelled = await waitFor(() => orderByChannelId('9101'), (o) => o?.state === 'cancelled', 10_000);
    expect(cancelled!.history.map((h) => h.step)).toContain('revised');
    expect((await erpOrders()).filter((o) => o.externalRef === cancelled!.id)).toHaveLength(0);
  });

  it('processes a held order again when a newer version fixes it', async () => {
    const bad = shopifyOrder(9102, '2026-11-20T10:00:00Z', { line_items: [{ ...(fixture['line_items'] as Record<string, unknown>[])[0], sku: 'NO-SUCH-SKU' }] });
    await deliver(bad, { webhookId: 'w-9102-a' });
    await waitFor(() => orderByChannelId('9102'), (o) => o?.state === 'held', 10_000);

    await deliver(shopifyOrder(9102, '2026-11-20T10:30:00Z'), { topic: 'orders/updated', webhookId: 'w-9102-b' });
    const posted = await waitFor(() => orderByChannelId('9102'), (o) => o?.state === 'posted', 10_000);
    expect(posted!.order.lines.map((l) => l.sku)).toEqual(['SKU-1', 'SKU-2']);
    expect((await erpOrders()).filter((o) => o.externalRef === posted!.id)).toHaveLength(1);
  });

  it('raises a change made after the order reached the ERP for a person, and changes nothing in the ERP', async () => {
    await deliver(shopifyOrder(9103, '2026-11-20T10:00:00Z'), { webhookId: 'w-9103-a' });
    const posted = await waitFor(() => orderByChannelId('9103'), (o) => o?.state === 'posted', 10_000);

    const changed = shopifyOrder(9103, '2026-11-20T12:00:00Z');
    (changed['line_items'] as Record<string, unknown>[])[1]!['current_quantity'] = 1;
    await deliver(changed, { topic: 'orders/updated', webhookId: 'w-9103-b' });

    const letters = await waitFor(deadLetters, (all) => all.some((d) => d.orderId === posted!.id), 10_000);
    const letter = letters.find((d) => d.orderId === posted!.id)!;
    expect(letter.error.code).toBe('order.changed-after-post');
    expect(letter.reason).toMatch(/shopify-us changed order 9103 after it was posted/);
    expect((await erpOrders()).filter((o) => o.externalRef === posted!.id)).toHaveLength(1);
    expect((await orderByChannelId('9103'))!.state).toBe('posted');
  });

  it('parks an order that cannot be mapped as a dead letter naming the fields, keeping the raw delivery', async () => {
    const broken = shopifyOrder(9104, '2026-11-20T10:00:00Z', { shipping_address: null, billing_address: null });
    const res = await deliver(broken, { webhookId: 'w-9104' });
    expect(res.status).toBe(200);

    const letters = await waitFor(deadLetters, (all) => all.some((d) => d.error.code === 'channel.unmappable' && d.reason.includes('9104')), 10_000);
    const letter = letters.find((d) => d.reason.includes('9104'))!;
    expect(letter.queue).toBe('channel.document');
    expect(letter.error.errors?.map((e) => e.pointer)).toContain('shipping_address');
    const delivery = (await (await fetch(`${url}/v1/messages/${String(res.body['messageId'])}`)).json()) as { raw: string };
    expect(JSON.parse(delivery.raw)).toMatchObject({ id: 9104 });
  });
});

describe('availability to Shopify', () => {
  it('sets the available quantity of each SKU at the channel, under the channel SKU', async () => {
    shopify.seedVariants([{ sku: 'IPOD2008GREEN', inventoryItemId: 'gid://shopify/InventoryItem/1001' }]);
    const res = await fetch(`${url}/v1/availability`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ updates: [{ sku: 'SKU-1', available: 7 }], channels: ['shopify-us'] }),
    });
    expect(res.status).toBe(202);
    // The inventory engine may also publish the ERP's stock snapshot taken at start: the update
    // sent here is the one to find, and every set must name the channel's own inventory item.
    const sets = await waitFor(async () => shopify.state.inventorySets, (s) => s.flat().some((e) => e.quantity === 7), 10_000);
    expect(sets.flat()).toContainEqual({ inventoryItemId: 'gid://shopify/InventoryItem/1001', locationId: expect.any(String), quantity: 7 });
    expect(new Set(sets.flat().map((e) => e.inventoryItemId))).toEqual(new Set(['gid://shopify/InventoryItem/1001']));
  });

  it('refuses an unknown channel by name', async () => {
    const res = await fetch(`${url}/v1/availability`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ updates: [{ sku: 'SKU-1', available: 7 }], channels: ['etsy-uk'] }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ errors: [{ pointer: '/channels/0' }] });
  });
});
