import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBigCommerceFake, rfc2822, type BigCommerceFake } from '../../../test/fakes/bigcommerce/server.js';
import { testChannelDeps } from '../../../test/support/channel-deps.js';
import type { ChannelOrderDocument, PollPage } from '../../channels/types.js';
import { connectorFor, ctx, fixture, WEBHOOK_SECRET } from './test-support.js';

let fake: BigCommerceFake;
beforeEach(async () => {
  fake = await startBigCommerceFake();
});
afterEach(async () => {
  await fake.close();
});

const T0 = Date.parse('2024-05-01T10:00:00Z');

function seed(id: number, modifiedAt: number, patch: Record<string, unknown> = {}): void {
  const document = fixture('order-awaiting-fulfillment');
  Object.assign(document.order, { id, date_modified: rfc2822(modifiedAt), ...patch });
  fake.seedOrder(document);
}

async function collect(pages: AsyncIterable<PollPage>): Promise<PollPage[]> {
  const out: PollPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('BigCommerce webhooks', () => {
  it('resolves an order webhook by reading the order, its products and its shipping addresses', async () => {
    seed(250, T0);
    const connector = connectorFor(fake, testChannelDeps('bc-test'));
    const delivery = fake.webhookDelivery('store/order/created', 250, WEBHOOK_SECRET);
    const verdict = connector.webhooks!.verify({ headers: delivery.headers, rawBody: delivery.rawBody });
    expect(verdict).toEqual({ ok: true, deliveryId: delivery.payload.hash, topic: 'store/order/created' });
    if (!verdict.ok) return;

    const documents = await connector.webhooks!.resolve(verdict, delivery.payload, ctx);
    expect(documents).toHaveLength(1);
    const [document] = documents as [ChannelOrderDocument];
    expect(document.channelOrderId).toBe('250');
    expect(document.updatedAt).toBe(new Date(T0).toISOString());
    expect(document.document).toMatchObject({ order: { id: 250 }, products: [{ id: 301 }, { id: 302 }], shippingAddresses: [{ id: 51 }], coupons: [] });
    // No coupon discount on the order: the coupons are not asked for.
    expect(fake.state.calls.map((c) => c.path)).toEqual(['/v2/orders/250', '/v2/orders/250/products', '/v2/orders/250/shipping_addresses']);
  });

  it('reads the coupons of an order with a coupon discount, and pages through its products', async () => {
    const document = fixture('order-b2b-coupon');
    document.products.push({ ...document.products[0]!, id: 332, sku: 'WIDGET-BLUE-CS' });
    fake.seedOrder(document);
    const connector = connectorFor(fake, testChannelDeps('bc-test'), { pageSize: 1 });
    const [resolved] = await connector.webhooks!.resolve({ deliveryId: 'h', topic: 'store/order/updated' }, { data: { type: 'order', id: 257 } }, ctx);
    expect(resolved?.document).toMatchObject({ products: [{ id: 331 }, { id: 332 }], coupons: [{ code: 'FREESHIP12' }] });
    const productCalls = fake.state.calls.filter((c) => c.path === '/v2/orders/257/products');
    expect(productCalls.map((c) => [c.query.page, c.status])).toEqual([['1', 200], ['2', 200], ['3', 204]]);
  });

  it('resolves a deleted order, another scope or an incomplete checkout to nothing', async () => {
    seed(260, T0, { status_id: 0, status: 'Incomplete' });
    const connector = connectorFor(fake, testChannelDeps('bc-test'));
    const resolve = (topic: string, id: number) => connector.webhooks!.resolve({ deliveryId: 'h', topic }, { data: { type: 'order', id } }, ctx);
    expect(await resolve('store/order/archived', 999)).toEqual([]);
    expect(await resolve('store/product/updated', 260)).toEqual([]);
    expect(await resolve('store/order/statusUpdated', 260)).toEqual([]);
  });

  it('accepts the body as the raw bytes too', async () => {
    seed(250, T0);
    const connector = connectorFor(fake, testChannelDeps('bc-test'));
    const delivery = fake.webhookDelivery('store/order/updated', 250, WEBHOOK_SECRET);
    expect(await connector.webhooks!.resolve({ deliveryId: 'h', topic: 'store/order/updated' }, delivery.rawBody, ctx)).toHaveLength(1);
  });
});

describe('BigCommerce polling', () => {
  it('starts at pollStartAt, pages by date_modified and ends with the newest date_modified as cursor', async () => {
    seed(1, T0 + 1000);
    seed(2, T0 + 2000);
    seed(3, T0 + 3000);
    const connector = connectorFor(fake, testChannelDeps('bc-test'), { pollStartAt: new Date(T0).toISOString(), pageSize: 2 });
    const pages = await collect(connector.polling!.poll(undefined, ctx));
    // Each next page starts at the last date_modified seen (seek): the last query finds only
    // order 3 again, already delivered, and ends the walk.
    expect(pages.map((p) => p.documents.map((d) => d.channelOrderId))).toEqual([['1', '2'], ['3'], []]);
    expect(pages.map((p) => p.done)).toEqual([false, false, true]);
    expect(pages.at(-1)?.cursor).toBe(new Date(T0 + 3000).toISOString());
    const listCalls = fake.state.calls.filter((c) => c.path === '/v2/orders');
    expect(listCalls[0]?.query).toMatchObject({ min_date_modified: rfc2822(T0), sort: 'date_modified:asc', page: '1', limit: '2' });
  });

  it('starts the next poll an overlap before the cursor, and finds orders changed since', async () => {
    seed(1, T0 + 1000);
    const connector = connectorFor(fake, testChannelDeps('bc-test'), { overlapSeconds: 60 });
    const cursor = new Date(T0 + 1000).toISOString();
    fake.updateOrder(1, { status_id: 2, status: 'Shipped' }, T0 + 50_000);
    const pages = await collect(connector.polling!.poll(cursor, ctx));
    expect(pages).toHaveLength(1);
    expect(pages[0]!.documents.map((d) => [d.channelOrderId, d.updatedAt])).toEqual([['1', new Date(T0 + 50_000).toISOString()]]);
    expect(pages[0]!.cursor).toBe(new Date(T0 + 50_000).toISOString());
    expect(fake.state.calls.find((c) => c.path === '/v2/orders')?.query.min_date_modified).toBe(rfc2822(T0 + 1000 - 60_000));
  });

  it('answers an empty page (204) with no documents and the cursor unchanged', async () => {
    const connector = connectorFor(fake, testChannelDeps('bc-test'));
    const cursor = new Date(T0).toISOString();
    const pages = await collect(connector.polling!.poll(cursor, ctx));
    expect(pages).toEqual([{ documents: [], cursor, done: true }]);
    expect(fake.state.calls.map((c) => c.status)).toEqual([204]);
  });

  it('misses no order when one is modified while the pages are walked', async () => {
    for (let id = 1; id <= 4; id++) seed(id, T0 + id * 1000);
    const connector = connectorFor(fake, testChannelDeps('bc-test'), { pollStartAt: new Date(T0).toISOString(), pageSize: 2 });
    const seen: string[] = [];
    let first = true;
    for await (const page of connector.polling!.poll(undefined, ctx)) {
      seen.push(...page.documents.map((d) => d.channelOrderId));
      if (first) {
        // Order 1 is saved again: page numbers alone would now skip order 3.
        fake.updateOrder(1, { staff_notes: 'changed' }, T0 + 10_000);
        first = false;
      }
    }
    expect(new Set(seen)).toEqual(new Set(['1', '2', '3', '4']));
  });

  it('skips incomplete checkouts but moves the cursor past them', async () => {
    seed(1, T0 + 1000, { status_id: 0, status: 'Incomplete' });
    const connector = connectorFor(fake, testChannelDeps('bc-test'), { pollStartAt: new Date(T0).toISOString() });
    const pages = await collect(connector.polling!.poll(undefined, ctx));
    expect(pages).toEqual([{ documents: [], cursor: new Date(T0 + 1000).toISOString(), done: true }]);
  });
});
