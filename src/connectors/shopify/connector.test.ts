import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import type { ChannelConnector, PollPage } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import { startShopifyFake, shopifyWebhookHeaders, type ShopifyFake, type ShopifyFakeOptions } from '../../../test/fakes/shopify/server.js';
import { testChannelDeps } from '../../../test/support/channel-deps.js';
import type { CallContext } from '../capabilities.js';
import { shopifyChannel, type ShopifySettings } from './index.js';

const ctx: CallContext = { correlationId: 'shopify-test' };
const SHOP = 'acme.myshopify.com';
const SECRET = 'client-secret';
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const fakes: ShopifyFake[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

const fast = { ratePerSecond: 1000, burst: 100, backoffMs: 5, maxWaitMs: 3000, timeoutMs: 3000, attempts: 3 };

async function setup(fakeOptions: ShopifyFakeOptions = {}, settings: Partial<ShopifySettings> = {}): Promise<{ fake: ShopifyFake; connector: ChannelConnector }> {
  const fake = await startShopifyFake(fakeOptions);
  fakes.push(fake);
  const deps = testChannelDeps('shopify-test', {}, { 'shopify-test.graphql': fast });
  const connector = shopifyChannel.create({
    id: 'shopify-test',
    type: 'shopify',
    settings: {
      shopDomain: SHOP, apiBaseUrl: fake.url, accessToken: 'shpat_test', webhookSecret: SECRET,
      locations: { MAIN: 'gid://shopify/Location/1' }, ...settings,
    },
  }, deps);
  return { fake, connector };
}

async function pages(connector: ChannelConnector, cursor?: string): Promise<PollPage[]> {
  const all: PollPage[] = [];
  for await (const page of connector.polling!.poll(cursor, ctx)) all.push(page);
  return all;
}

function ordersUpdatedFrom(count: number, start: number): Record<string, unknown>[] {
  const base = fixture('order-basic.json');
  return Array.from({ length: count }, (_, i) => ({
    ...base, id: 5_000_000 + i, name: `#${2000 + i}`, updated_at: new Date(start + i * 1000).toISOString(),
  }));
}

describe('Shopify webhooks', () => {
  it('accepts a delivery signed with the client secret for this shop, and refuses forged, foreign or unsigned ones', async () => {
    const { connector } = await setup();
    const rawBody = Buffer.from(JSON.stringify(fixture('order-basic.json')));
    const headers = shopifyWebhookHeaders({ body: rawBody, secret: SECRET, topic: 'orders/create', shopDomain: SHOP, webhookId: 'wh-1' });
    expect(connector.webhooks!.verify({ headers, rawBody })).toEqual({ ok: true, deliveryId: 'wh-1', topic: 'orders/create' });

    const tampered = Buffer.from(rawBody.toString().replace('#1001', '#1009'));
    expect(connector.webhooks!.verify({ headers, rawBody: tampered })).toMatchObject({ ok: false });
    const wrongSecret = shopifyWebhookHeaders({ body: rawBody, secret: 'other', topic: 'orders/create', shopDomain: SHOP });
    expect(connector.webhooks!.verify({ headers: wrongSecret, rawBody })).toMatchObject({ ok: false });
    expect(connector.webhooks!.verify({ headers: { ...headers, 'x-shopify-hmac-sha256': 'c2hvcnQ=' }, rawBody })).toMatchObject({ ok: false });
    expect(connector.webhooks!.verify({ headers: { ...headers, 'x-shopify-hmac-sha256': undefined }, rawBody })).toMatchObject({ ok: false });
    expect(connector.webhooks!.verify({ headers: { ...headers, 'x-shopify-shop-domain': 'evil.myshopify.com' }, rawBody }))
      .toEqual({ ok: false, reason: expect.stringContaining('evil.myshopify.com') });
  });

  it('resolves order topics to the REST order, fetches the order for orders/edited, and ignores other topics', async () => {
    const { fake, connector } = await setup();
    const edited = fixture('order-edited.json');
    fake.seedOrders([edited]);
    const created = await connector.webhooks!.resolve({ deliveryId: 'a', topic: 'orders/create' }, fixture('order-basic.json'), ctx);
    expect(created).toEqual([{ channelOrderId: '450789469', updatedAt: '2025-01-23T09:12:40-05:00', document: fixture('order-basic.json') }]);
    const fromEdit = await connector.webhooks!.resolve({ deliveryId: 'b', topic: 'orders/edited' }, fixture('webhook-orders-edited.json'), ctx);
    expect(fromEdit).toEqual([{ channelOrderId: '450789470', updatedAt: '2025-01-24T10:00:00-05:00', document: edited }]);
    expect(fake.state.requests.map((r) => r.path)).toEqual(['/admin/api/2025-07/orders/450789470.json']);
    expect(await connector.webhooks!.resolve({ deliveryId: 'c', topic: 'products/update' }, { id: 1 }, ctx)).toEqual([]);
    await expect(connector.webhooks!.resolve({ deliveryId: 'd', topic: 'orders/updated' }, { note: 'no id' }, ctx)).rejects.toMatchObject({ code: 'channel.unmappable' });
  });

  it('turns an edited order Shopify no longer has into channel.not-found', async () => {
    const { connector } = await setup();
    await expect(connector.webhooks!.resolve({ deliveryId: 'b', topic: 'orders/edited' }, fixture('webhook-orders-edited.json'), ctx))
      .rejects.toMatchObject({ code: 'channel.not-found' });
  });
});

describe('Shopify polling', () => {
  it('pages through orders by updated_at with page_info links and ends on the last order\'s updated_at', async () => {
    const { fake, connector } = await setup();
    const start = Date.parse('2025-03-01T10:00:00Z');
    fake.seedOrders(ordersUpdatedFrom(300, start));
    const cursor = '2025-03-01T10:02:00Z';
    const result = await pages(connector, cursor);
    expect(result.map((p) => [p.documents.length, p.done])).toEqual([[250, false], [50, true]]);
    expect(result[0]!.cursor).toBe(new Date(start + 249_000).toISOString());
    expect(result[1]!.cursor).toBe(new Date(start + 299_000).toISOString());
    const [first, second] = fake.state.requests.map((r) => new URL(r.path, fake.url).searchParams);
    // The first poll from this cursor starts overlapSeconds (120) earlier.
    expect(Object.fromEntries(first!)).toEqual({ status: 'any', updated_at_min: '2025-03-01T10:00:00.000Z', order: 'updated_at asc', limit: '250' });
    expect([...second!.keys()].sort()).toEqual(['limit', 'page_info']);
  });

  it('starts the first poll pollLookbackMinutes back and keeps the cursor when nothing changed', async () => {
    const { fake, connector } = await setup({}, { pollLookbackMinutes: 30 });
    const before = Date.now();
    const result = await pages(connector);
    expect(result).toHaveLength(1);
    expect(result[0]!.documents).toEqual([]);
    expect(result[0]!.done).toBe(true);
    const from = Date.parse(new URL(fake.state.requests[0]!.path, fake.url).searchParams.get('updated_at_min')!);
    expect(before - from).toBeGreaterThanOrEqual(30 * 60_000 - 5);
    expect(result[0]!.cursor).toBe(new Date(from).toISOString());
    expect((await pages(connector, '2025-01-01T00:00:00Z'))[0]!.cursor).toBe('2025-01-01T00:00:00Z');
  });

  it('refuses a wrong access token as channel.unauthorized with Shopify\'s message', async () => {
    const { connector } = await setup({ accessToken: 'the-real-one' });
    await expect(pages(connector)).rejects.toMatchObject({ code: 'channel.unauthorized', message: expect.stringContaining('Invalid API key or access token') });
  });

  it('retries an injected 5xx and a 429 (fractional Retry-After) without being throttled twice in a row', async () => {
    const { fake, connector } = await setup({ retryAfter: '0.5' });
    fake.seedOrders(ordersUpdatedFrom(3, Date.now() - 60_000));
    fake.failNext(1, 503, 'orders.json');
    expect((await pages(connector))[0]!.documents).toHaveLength(3);
    fake.setRestBucket(40);
    expect((await pages(connector))[0]!.documents).toHaveLength(3);
    expect(fake.state.requests.map((r) => r.status)).toEqual([503, 200, 429, 200]);
  });

  it('holds back before the REST bucket fills (X-Shopify-Shop-Api-Call-Limit)', async () => {
    // A Plus-sized bucket (400, leaking 20/s): 40 calls are kept free.
    const { fake, connector } = await setup({ restBucket: { size: 400, leakPerSecond: 20 } });
    fake.seedOrders(ordersUpdatedFrom(1, Date.now() - 60_000));
    fake.setRestBucket(362);
    const t0 = Date.now();
    await pages(connector); // answered 363/400: 3 over the 360 allowed, 150 ms of leak
    const t1 = Date.now();
    await pages(connector);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(100);
    expect(t1 - t0).toBeLessThan(1000);
    expect(fake.state.requests.every((r) => r.status === 200)).toBe(true);
  });
});

describe('Shopify availability', () => {
  const variants = [
    { sku: 'NANO-GREEN', inventoryItemId: 'gid://shopify/InventoryItem/808950810' },
    { sku: 'NANO RED "2"', inventoryItemId: 'gid://shopify/InventoryItem/39072856' },
  ];

  it('sets available quantities per location, finding inventory items by SKU once', async () => {
    const { fake, connector } = await setup({ locations: ['gid://shopify/Location/1', 'gid://shopify/Location/2'] }, { defaultLocation: 'gid://shopify/Location/2' });
    fake.seedVariants(variants);
    const result = await connector.availability!.publish([
      { sku: 'NANO-GREEN', available: 12, location: 'MAIN' },
      { sku: 'NANO RED "2"', available: 0 },
      { sku: 'UNKNOWN-SKU', available: 5, location: 'MAIN' },
    ], ctx);
    expect(result.rejected).toEqual([{ sku: 'UNKNOWN-SKU', reason: 'no Shopify variant has this SKU' }]);
    expect(fake.state.inventorySets).toEqual([[
      { inventoryItemId: 'gid://shopify/InventoryItem/808950810', locationId: 'gid://shopify/Location/1', quantity: 12 },
      { inventoryItemId: 'gid://shopify/InventoryItem/39072856', locationId: 'gid://shopify/Location/2', quantity: 0 },
    ]]);
    await connector.availability!.publish([{ sku: 'NANO-GREEN', available: 11, location: 'MAIN' }], ctx);
    expect(fake.state.requests.filter((r) => r.operation === 'productVariants')).toHaveLength(1);
    expect(connector.availability!.maxBatch).toBe(250);
  });

  it('reports updates Shopify refuses (userErrors) or that have no location, and still sets the rest', async () => {
    const { fake, connector } = await setup({}, { skuInventoryItems: { GHOST: 'gid://shopify/InventoryItem/1' } });
    fake.seedVariants(variants);
    const result = await connector.availability!.publish([
      { sku: 'GHOST', available: 1, location: 'MAIN' },
      { sku: 'NANO-GREEN', available: 7, location: 'MAIN' },
      { sku: 'NANO-GREEN', available: 3, location: 'NOWHERE' },
    ], ctx);
    expect(result.rejected).toEqual([
      { sku: 'NANO-GREEN', reason: expect.stringContaining('no Shopify location for NOWHERE') },
      { sku: 'GHOST', reason: 'INVALID_INVENTORY_ITEM: The specified inventory item could not be found.' },
    ]);
    expect(fake.state.inventory.get('gid://shopify/InventoryItem/808950810@gid://shopify/Location/1')).toBe(7);
    expect(fake.state.inventorySets).toHaveLength(1);
  });

  it('waits out a THROTTLED answer from the throttle status and succeeds', async () => {
    const { fake, connector } = await setup({ graphqlBucket: { maximumAvailable: 100, restoreRate: 200 } });
    fake.seedVariants(variants);
    fake.setGraphqlAvailable(0);
    await connector.availability!.publish([{ sku: 'NANO-GREEN', available: 4, location: 'MAIN' }], ctx);
    const ops = fake.state.requests.map((r) => r.operation);
    expect(ops[0]).toBe('productVariants:THROTTLED');
    expect(ops.filter((o) => o?.endsWith('THROTTLED'))).toHaveLength(1);
    expect(fake.state.inventorySets).toHaveLength(1);
  });

  it('gives a persistent THROTTLED back as a transient target.rate-limited with the wait it computed', async () => {
    const { fake, connector } = await setup({ graphqlBucket: { maximumAvailable: 1000, restoreRate: 0.5 } });
    fake.seedVariants(variants);
    fake.setGraphqlAvailable(0);
    const error = await connector.availability!.publish([{ sku: 'NANO-GREEN', available: 4, location: 'MAIN' }], ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrossdockError);
    expect(error).toMatchObject({ code: 'target.rate-limited', kind: 'transient' });
    expect((error as CrossdockError).retryAfterMs).toBeGreaterThan(3000);
    expect(fake.state.inventorySets).toHaveLength(0);
  });
});

describe('Shopify shipments', () => {
  const order = (): Order => {
    const result = shopifyChannel.mapOrder(fixture('order-basic.json'), { channel: 'shopify-test', settings: {}, resolveSku: (keys) => ({ sku: keys.find(Boolean)!, uom: 'EA', factor: 1, mapped: false }), resolveCustomer: () => 'WEB' });
    if (!result.ok) throw new Error('fixture must map');
    return { ...result.order, id: 'ord_1', version: 1, source: { system: 'shopify', id: '450789469' }, receivedAt: '2025-01-23T14:13:00Z' };
  };
  const shipment = (over: Partial<ShipmentSubmission> = {}): ShipmentSubmission => ({
    orderId: 'ord_1', shipmentId: 'SHP-1', shippedAt: '2025-01-24T08:00:00Z', carrier: 'UPS',
    tracking: [{ number: '1Z999AA10123456784', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' }],
    lines: [{ lineId: '466157049', sku: 'IPOD2008GREEN', quantity: 1 }, { sku: 'IPOD2008RED', quantity: 2 }],
    ...over,
  });

  it('creates one fulfillment with tracking, matched by line id and SKU, and finds it again instead of creating a second', async () => {
    const { fake, connector } = await setup();
    fake.seedOrders([fixture('order-basic.json')]);
    const ref = await connector.shipments!.publish(shipment(), order(), ctx);
    expect(ref).toEqual({ system: 'shopify', id: 'gid://shopify/Fulfillment/9001', number: '#1001.1' });
    expect(fake.state.fulfillments).toEqual([{
      id: 'gid://shopify/Fulfillment/9001', name: '#1001.1', orderId: '450789469', company: 'UPS', notifyCustomer: true,
      trackingNumbers: ['1Z999AA10123456784'], trackingUrls: ['https://www.ups.com/track?tracknum=1Z999AA10123456784'],
      lineItems: [
        { fulfillmentOrderLineItemId: 'gid://shopify/FulfillmentOrderLineItem/466157049', quantity: 1 },
        { fulfillmentOrderLineItemId: 'gid://shopify/FulfillmentOrderLineItem/518995019', quantity: 2 },
      ],
    }]);
    const again = await connector.shipments!.publish(shipment(), order(), ctx);
    expect(again).toEqual({ ...ref, existed: true });
    expect(fake.state.fulfillments).toHaveLength(1);
  });

  it('publishes exactly once when the answer to fulfillmentCreate is lost and the policy retries it', async () => {
    const { fake, connector } = await setup({}, { notifyCustomer: false });
    fake.seedOrders([fixture('order-basic.json')]);
    fake.loseNextResponse();
    const ref = await connector.shipments!.publish(shipment(), order(), ctx);
    expect(ref).toMatchObject({ system: 'shopify', id: 'gid://shopify/Fulfillment/9001', existed: true });
    expect(fake.state.fulfillments).toHaveLength(1);
    expect(fake.state.fulfillments[0]!.notifyCustomer).toBe(false);
  });

  it('fulfils partial shipments separately and says existed when nothing is left for a shipment without tracking', async () => {
    const { fake, connector } = await setup();
    fake.seedOrders([fixture('order-basic.json')]);
    await connector.shipments!.publish(shipment({ shipmentId: 'A', lines: [{ sku: 'IPOD2008RED', quantity: 1 }], tracking: [{ number: 'T-A' }] }), order(), ctx);
    await connector.shipments!.publish(shipment({ shipmentId: 'B', lines: [{ sku: 'IPOD2008RED', quantity: 1 }], tracking: [{ number: 'T-B' }, { number: 'T-C' }] }), order(), ctx);
    expect(fake.state.fulfillments.map((f) => [f.trackingNumbers, f.lineItems[0]!.quantity])).toEqual([[['T-A'], 1], [['T-B', 'T-C'], 1]]);
    const none = await connector.shipments!.publish(shipment({ shipmentId: 'C', lines: [{ sku: 'IPOD2008RED', quantity: 1 }], tracking: [] }), order(), ctx);
    expect(none).toMatchObject({ existed: true, id: fake.state.fulfillments[1]!.id });
    expect(fake.state.fulfillments).toHaveLength(2);
  });

  it('rejects lines the order does not have, and an order Shopify does not know', async () => {
    const { fake, connector } = await setup();
    fake.seedOrders([fixture('order-basic.json')]);
    await expect(connector.shipments!.publish(shipment({ lines: [{ sku: 'NOT-ON-ORDER', quantity: 1 }] }), order(), ctx))
      .rejects.toMatchObject({ code: 'target.rejected', message: expect.stringContaining('NOT-ON-ORDER') });
    await expect(connector.shipments!.publish(shipment(), { ...order(), channelOrderId: '1' }, ctx)).rejects.toMatchObject({ code: 'channel.not-found' });
    expect(fake.state.fulfillments).toHaveLength(0);
  });
});
