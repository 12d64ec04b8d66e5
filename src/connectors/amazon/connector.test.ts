import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startAmazonFake, type AmazonFake, type AmazonFakeOptions } from '../../../test/fakes/amazon/server.js';
import { testChannelDeps } from '../../../test/support/channel-deps.js';
import type { Order } from '../../canonical/order.js';
import type { ShipmentSubmission } from '../../canonical/shipment.js';
import { submissionProblems } from '../../canonical/validate.js';
import { createMappingContext } from '../../channels/mapping-context.js';
import type { ChannelConnector, PollPage } from '../../channels/types.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import { amazonChannel } from './index.js';
import type { AmazonSettings } from './settings.js';

type Doc = { order: Record<string, unknown>; items: Record<string, unknown>[] };
const fixture = (name: string): Doc => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Doc;
const ctx = { correlationId: 'test-corr' };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const generous = { rate: 1000, burst: 1000 };
const allGenerous = { getOrders: generous, getOrderItems: generous, confirmShipment: generous, patchListingsItem: generous, createRestrictedDataToken: generous };

let fake: AmazonFake | undefined;
afterEach(async () => { await fake?.close(); fake = undefined; });

async function setup(fakeOptions: AmazonFakeOptions = {}, settings: Partial<AmazonSettings> = {}) {
  fake = await startAmazonFake({ usagePlans: allGenerous, ...fakeOptions });
  const deps = testChannelDeps('amazon-us');
  const connector = amazonChannel.create({
    id: 'amazon-us',
    type: 'amazon',
    settings: {
      endpoint: fake.url, lwaEndpoint: fake.lwaEndpoint, clientId: fake.options.clientId, clientSecret: fake.options.clientSecret,
      refreshToken: fake.options.refreshToken, sellerId: fake.options.sellerId, marketplaceIds: ['ATVPDKIKX0DER', 'A1PA6795UKMFR9'],
      pollStartAt: minutesAgo(60 * 24), usagePlans: allGenerous, ...settings,
    },
  }, deps);
  return { fake, connector };
}

function seed(target: AmazonFake, name: string, lastUpdate: string, patch: Record<string, unknown> = {}): Doc {
  const doc = fixture(name);
  Object.assign(doc.order, { LastUpdateDate: lastUpdate }, patch);
  target.seedOrder(doc.order, doc.items);
  return doc;
}

async function pages(connector: ChannelConnector, cursor?: string): Promise<PollPage[]> {
  const out: PollPage[] = [];
  for await (const page of connector.polling!.poll(cursor, ctx)) out.push(page);
  return out;
}

describe('amazon polling', () => {
  it('pulls changed orders with their items and restricted data, leaving Pending orders out', async () => {
    const { fake, connector } = await setup();
    seed(fake, 'order-mfn-business', minutesAgo(30));
    seed(fake, 'order-afn-shipped', minutesAgo(20));
    seed(fake, 'order-pending', minutesAgo(10));
    const result = await pages(connector);
    expect(result).toHaveLength(1);
    const [page] = result;
    expect(page!.done).toBe(true);
    expect(page!.documents.map((d) => d.channelOrderId)).toEqual(['114-3941689-8772232', '028-1520447-3102734']);
    // The window ends 2 minutes (and a little) before now: the completed window is the cursor.
    expect(Date.now() - Date.parse(page!.cursor)).toBeGreaterThanOrEqual(125_000);
    expect(Date.now() - Date.parse(page!.cursor)).toBeLessThan(135_000);
    const ctxMap = createMappingContext({ channel: 'amazon-us' });
    for (const document of page!.documents) {
      const mapped = amazonChannel.mapOrder(document.document, ctxMap);
      expect(mapped.ok).toBe(true);
      if (mapped.ok) expect(submissionProblems(mapped.order)).toEqual([]);
      expect(amazonChannel.identify(document.document)).toEqual({ channelOrderId: document.channelOrderId, updatedAt: document.updatedAt });
    }
    const business = page!.documents[0]!.document as Doc;
    expect(business.order.BuyerInfo).toMatchObject({ BuyerName: 'Dana Whitfield' });
    expect(business.items[1]!.BuyerInfo).toMatchObject({ GiftMessageText: 'For the front desk team' });
    // One RDT for getOrders, one for the page's order items; no getOrderItems for the Pending order.
    expect(fake.callsOf('createRestrictedDataToken')).toHaveLength(2);
    expect(fake.callsOf('getOrderItems').map((c) => c.path)).toEqual([
      '/orders/v0/orders/114-3941689-8772232/orderItems', '/orders/v0/orders/028-1520447-3102734/orderItems',
    ]);
    expect(fake.callsOf('getOrders')[0]!.query).toMatchObject({ MarketplaceIds: 'ATVPDKIKX0DER,A1PA6795UKMFR9', MaxResultsPerPage: '100' });
  });

  it('follows NextToken pages with the same filters and stores the last order of each page as the cursor', async () => {
    const { fake, connector } = await setup();
    const base = fixture('order-partly-cancelled');
    for (let i = 0; i < 130; i++) {
      const id = `701-0000000-${String(i).padStart(7, '0')}`;
      fake.seedOrder({ ...base.order, AmazonOrderId: id, MarketplaceId: 'ATVPDKIKX0DER', LastUpdateDate: minutesAgo(200 - i) }, base.items);
    }
    const result = await pages(connector, minutesAgo(300));
    expect(result.map((p) => [p.documents.length, p.done])).toEqual([[100, false], [30, true]]);
    expect(result[0]!.cursor).toBe(fake.order('701-0000000-0000099')!.order.LastUpdateDate);
    const [first, second] = fake.callsOf('getOrders');
    expect(second!.query.NextToken).toBeDefined();
    const { NextToken: _ignored, ...filters } = second!.query;
    expect(filters).toEqual(first!.query);
  });

  it('starts each poll overlapSeconds before the cursor', async () => {
    const { fake, connector } = await setup({}, { overlapSeconds: 600 });
    const cursor = minutesAgo(30);
    await pages(connector, cursor);
    expect(Date.parse(fake.callsOf('getOrders')[0]!.query.LastUpdatedAfter!)).toBe(Date.parse(cursor) - 600_000);
  });

  it('without the RDT gets no buyer data, so a seller-fulfilled order cannot be mapped', async () => {
    const { fake, connector } = await setup({}, { useRestrictedDataToken: false });
    seed(fake, 'order-mfn-business', minutesAgo(30));
    const [page] = await pages(connector);
    expect(fake.callsOf('createRestrictedDataToken')).toHaveLength(0);
    const mapped = amazonChannel.mapOrder(page!.documents[0]!.document, createMappingContext({ channel: 'amazon-us' }));
    expect(mapped).toMatchObject({ ok: false, problems: [{ path: 'order.ShippingAddress.Name' }, { path: 'order.ShippingAddress.AddressLine1' }] });
  });

  it('paces getOrderItems by its usage plan instead of being throttled', async () => {
    const tight = { rate: 4, burst: 2 };
    const { fake, connector } = await setup({ usagePlans: { ...allGenerous, getOrderItems: tight } }, { usagePlans: { ...allGenerous, getOrderItems: tight } });
    for (let i = 0; i < 5; i++) seed(fake, 'order-afn-shipped', minutesAgo(40 - i), { AmazonOrderId: `028-0000000-000000${i}` });
    const [page] = await pages(connector);
    expect(page!.documents).toHaveLength(5);
    expect(fake.callsOf('getOrderItems').map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it('refuses a poll at once when the getOrders usage plan is spent, with the delay to come back', async () => {
    const plan = { rate: 0.0167, burst: 1 };
    const { fake, connector } = await setup({ usagePlans: { ...allGenerous, getOrders: plan } }, { usagePlans: { ...allGenerous, getOrders: plan } });
    await pages(connector);
    const error = await pages(connector).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrossdockError);
    expect(error).toMatchObject({ code: 'target.rate-limited' });
    expect((error as CrossdockError).retryAfterMs).toBeGreaterThan(50_000);
    expect(fake.callsOf('getOrders')).toHaveLength(1);
  });

  it('retries a 503 from getOrders through the protection policy', async () => {
    const { fake, connector } = await setup();
    seed(fake, 'order-afn-shipped', minutesAgo(20));
    fake.failNext('getOrders', 503);
    const [page] = await pages(connector);
    expect(page!.documents).toHaveLength(1);
    expect(fake.callsOf('getOrders').map((c) => c.status)).toEqual([503, 200]);
  });
});

describe('amazon authentication', () => {
  it('refreshes an expired token once and retries; concurrent callers share the refresh', async () => {
    const { fake, connector } = await setup();
    fake.seedListing('A'); fake.seedListing('B');
    await connector.availability!.publish([{ sku: 'A', available: 1 }], ctx);
    expect(fake.tokensIssued).toBe(1);
    fake.expireTokens();
    await Promise.all([
      connector.availability!.publish([{ sku: 'A', available: 2 }], ctx),
      connector.availability!.publish([{ sku: 'B', available: 3 }], ctx),
    ]);
    expect(fake.tokensIssued).toBe(2);
    expect(fake.callsOf('patchListingsItem').map((c) => c.status)).toEqual([200, 403, 403, 200, 200]);
    expect(fake.callsOf('lwa')[0]!.body).toContain('grant_type=refresh_token');
  });

  it('reports a revoked refresh token as channel.unauthorized', async () => {
    const { connector } = await setup({}, { refreshToken: 'Atzr|revoked' });
    await expect(connector.availability!.publish([{ sku: 'A', available: 1 }], ctx)).rejects.toMatchObject({ code: 'channel.unauthorized', message: expect.stringContaining('invalid_grant') });
  });

  it('reports restricted roles missing (RDT refused twice) as channel.unauthorized', async () => {
    const { fake, connector } = await setup({ restrictedRoles: false });
    seed(fake, 'order-afn-shipped', minutesAgo(20));
    await expect(pages(connector)).rejects.toMatchObject({ code: 'channel.unauthorized' });
    expect(fake.callsOf('createRestrictedDataToken')).toHaveLength(2);
  });
});

const shipment: ShipmentSubmission = {
  orderId: 'ord_1', shipmentId: 'SHP-1001', shippedAt: '2025-03-05T10:00:00Z', carrier: 'UPS', service: 'Ground',
  tracking: [{ number: '1Z999AA10123456784' }],
  lines: [{ lineId: '58410387752211', sku: 'GLOVE-NIT-M', quantity: 2 }, { lineId: '58410387752299', sku: 'SANI-WIPE-80', quantity: 1 }],
};

function canonical(doc: Doc): Order {
  const mapped = amazonChannel.mapOrder(doc, createMappingContext({ channel: 'amazon-us' }));
  if (!mapped.ok) throw new Error(JSON.stringify(mapped.problems));
  return { ...mapped.order, id: 'ord_1', version: 1, source: { system: 'amazon-us', id: mapped.order.channelOrderId }, receivedAt: new Date().toISOString() };
}

describe('amazon shipments', () => {
  it('confirms a shipment once: a retry edits the same package, and a new one for shipped items exists already', async () => {
    const { fake, connector } = await setup();
    const doc = seed(fake, 'order-mfn-business', minutesAgo(30));
    const order = canonical(doc);
    const first = await connector.shipments!.publish(shipment, order, ctx);
    expect(first.existed).toBeUndefined();
    expect(fake.packages).toHaveLength(1);
    expect(fake.packages[0]!.body).toMatchObject({ marketplaceId: 'ATVPDKIKX0DER', packageDetail: { carrierCode: 'UPS', trackingNumber: '1Z999AA10123456784', shippingMethod: 'Ground' } });
    expect(first.id).toBe(`114-3941689-8772232/${fake.packages[0]!.packageReferenceId}`);

    const again = await connector.shipments!.publish(shipment, order, ctx);
    expect(again.id).toBe(first.id);
    expect(fake.packages).toHaveLength(1);
    expect(fake.packages[0]!.edits).toBe(1);

    const other = await connector.shipments!.publish({ ...shipment, shipmentId: 'SHP-1002' }, order, ctx);
    expect(other.existed).toBe(true);
    expect(fake.packages).toHaveLength(1);
    expect(fake.order('114-3941689-8772232')!.order.OrderStatus).toBe('Shipped');
  });

  it('does not confirm an order Amazon fulfils', async () => {
    const { fake, connector } = await setup();
    const order = canonical(seed(fake, 'order-afn-shipped', minutesAgo(20)));
    const ref = await connector.shipments!.publish({ ...shipment, lines: [{ sku: 'asin:B0C1ZQ7H4P', quantity: 2 }] }, order, ctx);
    expect(ref).toEqual({ system: 'amazon', id: '028-1520447-3102734/afn', existed: true });
    expect(fake.callsOf('confirmShipment')).toHaveLength(0);
  });

  it('reports a refused confirmation as target.rejected with Amazon\'s message', async () => {
    const { fake, connector } = await setup();
    const doc = seed(fake, 'order-mfn-business', minutesAgo(30));
    const order = canonical(doc);
    fake.order('114-3941689-8772232')!.items[0]!.OrderItemId = 'changed';
    await expect(connector.shipments!.publish(shipment, order, ctx)).rejects.toMatchObject({
      code: 'target.rejected', message: expect.stringContaining('OrderItemId is invalid'),
    });
  });
});

describe('amazon availability', () => {
  it('patches fulfillment_availability under the SellerSKU and reports unknown listings as rejected', async () => {
    const { fake, connector } = await setup({}, { skus: { 'GLV-100': 'GLOVE-NIT-M' }, productType: 'MEDICAL_SUPPLIES' });
    fake.seedListing('GLOVE-NIT-M');
    const ok = await connector.availability!.publish([{ sku: 'GLV-100', available: 37 }], ctx);
    expect(ok.rejected).toBeUndefined();
    expect(fake.listings.get('GLOVE-NIT-M')).toMatchObject({ quantity: 37, productType: 'MEDICAL_SUPPLIES' });
    expect(fake.callsOf('patchListingsItem')[0]).toMatchObject({ path: `/listings/2021-08-01/items/${fake.options.sellerId}/GLOVE-NIT-M`, query: { marketplaceIds: 'ATVPDKIKX0DER,A1PA6795UKMFR9' } });
    const missing = await connector.availability!.publish([{ sku: 'NOPE', available: 1 }], ctx);
    expect(missing.rejected).toEqual([{ sku: 'NOPE', reason: 'Amazon INVALID NOPE: LISTING_NOT_FOUND: No listing exists for SKU NOPE.' }]);
    expect(connector.availability!.maxBatch).toBe(1);
  });

  it('waits out a 429 that carries no Retry-After, using the rate Amazon reported', async () => {
    const { fake, connector } = await setup({ usagePlans: { ...allGenerous, patchListingsItem: { rate: 10, burst: 1 } } });
    fake.seedListing('A');
    await connector.availability!.publish([{ sku: 'A', available: 1 }], ctx);
    await connector.availability!.publish([{ sku: 'A', available: 2 }], ctx);
    const statuses = fake.callsOf('patchListingsItem').map((c) => c.status);
    expect(statuses).toContain(429);
    expect(statuses.at(-1)).toBe(200);
    expect(fake.listings.get('A')!.quantity).toBe(2);
  });
});
