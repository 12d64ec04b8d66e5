import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_ITEMS } from '../../src/connectors/sandbox-erp/seed.js';
import { shopifyWebhookHeaders, startShopifyFake, type ShopifyFake } from '../fakes/shopify/server.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';

/**
 * Order to cash with nothing configured but a Shopify store: the embedded sandbox ERP takes the
 * order; its warehouse ships it (admin API) and Shopify gets one fulfilment with the tracking
 * number; the stock that left shows at Shopify as the new available quantity; its accountant
 * invoices it and the order is invoiced. crossdock learns of each change only by polling the
 * sandbox's change feed, as it would an ERP without webhooks.
 */
const SECRET = 'shopify-app-secret';
const SHOP = 'acme.myshopify.com';
const CHANNEL_ORDER = 8001;
const TRACKING = '1ZSANDBOX000000001';
const GREEN_ITEM = 'gid://shopify/InventoryItem/2001';
const RED_ITEM = 'gid://shopify/InventoryItem/2002';
const fixture = JSON.parse(readFileSync(new URL('../../src/connectors/shopify/fixtures/order-basic.json', import.meta.url), 'utf8')) as Record<string, unknown>;

let shopify: ShopifyFake;
let t: TestApp;
let url: string;

interface OrderView {
  id: string; state: string; erpRef: string | null;
  history: { step: string; outcome: string; detail?: Record<string, unknown> }[];
}
interface ErpSalesOrder { number: string; externalRef: string; total: string; lines: { sku: string; quantity: number; unitPrice: string }[] }

/** What the seed holds of a SKU over every warehouse. */
function seededStock(sku: string): number {
  const item = SEED_ITEMS.find((i) => i.sku === sku);
  if (!item) throw new Error(`${sku} is not seeded`);
  return Object.values(item.stock).reduce((sum, qty) => sum + qty, 0);
}

/** The store has the order (as Shopify would) and tells crossdock with a signed webhook. */
async function deliver(id: number, options: { ownLineIds?: boolean } = {}): Promise<void> {
  const order: Record<string, unknown> = { ...structuredClone(fixture), id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#${id}`, order_number: id, updated_at: '2026-11-25T10:00:00Z' };
  // Line ids are unique per store at Shopify: a second order needs its own.
  if (options.ownLineIds) order['line_items'] = (order['line_items'] as Record<string, unknown>[]).map((line, n) => ({ ...line, id: id * 10 + n, admin_graphql_api_id: `gid://shopify/LineItem/${id * 10 + n}` }));
  shopify.seedOrders([order]);
  const body = JSON.stringify(order);
  const res = await fetch(`${url}/channels/shopify-us/webhooks`, {
    method: 'POST', headers: shopifyWebhookHeaders({ body, secret: SECRET, topic: 'orders/create', shopDomain: SHOP }), body,
  });
  expect(res.status).toBe(200);
}

async function orderByChannelId(channelOrderId: string): Promise<OrderView | undefined> {
  const page = (await (await fetch(`${url}/v1/messages?q=${channelOrderId}&limit=50`)).json()) as { items: { subjectId: string | null; kind: string }[] };
  const id = page.items.find((m) => m.kind === 'order')?.subjectId;
  return id ? ((await (await fetch(`${url}/v1/orders/${id}`)).json()) as OrderView) : undefined;
}

/** The order once it reached `state`. */
function orderIn(state: string): Promise<OrderView | undefined> {
  return waitFor(() => orderByChannelId(String(CHANNEL_ORDER)), (o) => o?.state === state, 30_000);
}

async function erpAdmin(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/sandbox/erp${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function fulfilmentsOfOrder() {
  return shopify.state.fulfillments.filter((f) => f.orderId === String(CHANNEL_ORDER));
}

/** The last quantity Shopify was told for an inventory item, if any. */
function lastSet(inventoryItemId: string): number | undefined {
  return shopify.state.inventorySets.flat().filter((q) => q.inventoryItemId === inventoryItemId).at(-1)?.quantity;
}

beforeAll(async () => {
  shopify = await startShopifyFake({ shopDomain: SHOP });
  shopify.seedVariants([{ sku: 'IPOD2008GREEN', inventoryItemId: GREEN_ITEM }, { sku: 'IPOD2008RED', inventoryItemId: RED_ITEM }]);
  t = await makeTestApp({
    worker: { pollMs: 20 },
    erp: { changePollSeconds: 1 },
    protection: { 'shopify-us': { ratePerSecond: 100, backoffMs: 20 }, 'shopify-us.graphql': { ratePerSecond: 100, backoffMs: 20 } },
    channels: [{
      id: 'shopify-us', type: 'shopify', pollIntervalSeconds: 3600,
      settings: { shopDomain: SHOP, apiBaseUrl: shopify.url, accessToken: 'shpat_test', webhookSecret: SECRET, defaultLocation: 'gid://shopify/Location/1' },
      skus: { IPOD2008GREEN: 'SKU-1', IPOD2008RED: 'SKU-2' },
      defaultCustomer: 'C-100',
    }],
  });
  url = await t.app.start();
  // The ERP's stock snapshot at start: orders reserve only SKUs crossdock knows the stock of.
  await waitFor(async () => (await fetch(`${url}/v1/inventory/levels/SKU-2`)).status, (status) => status === 200, 30_000);
});

afterAll(async () => {
  await t?.dispose();
  await shopify?.close();
});

describe('order to cash through the embedded sandbox ERP', () => {
  it("posts the Shopify order to the sandbox ERP as one sales order, and publishes the ERP's stock less what the order holds", async () => {
    await deliver(CHANNEL_ORDER);
    await deliver(CHANNEL_ORDER); // a redelivery: still one sales order
    const order = await orderIn('posted');
    expect(order!.erpRef).toMatch(/^SO-\d{6}$/);

    const { body } = await erpAdmin('GET', '/orders');
    const salesOrders = (body['orders'] as ErpSalesOrder[]).filter((o) => o.externalRef === order!.id);
    expect(salesOrders).toHaveLength(1);
    expect(salesOrders[0]!.number).toBe(order!.erpRef);
    expect(salesOrders[0]!.lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([['SKU-1', 1, '150.00'], ['SKU-2', 2, '25.00']]);

    // The ERP's stock snapshot at start filled the inventory engine; Shopify sells what the
    // warehouses hold less what this order holds, before anything has shipped.
    const green = seededStock('SKU-1') - 1;
    const red = seededStock('SKU-2') - 2;
    await waitFor(async () => [lastSet(GREEN_ITEM), lastSet(RED_ITEM)], ([g, r]) => g === green && r === red, 30_000);
    const sets = shopify.state.inventorySets.length;
    // Several stock polls run meanwhile: nothing moved, so nothing more is sent.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(shopify.state.inventorySets).toHaveLength(sets);
  });

  it("sends the warehouse's shipment to Shopify as one fulfilment with its tracking number, and ships the order", async () => {
    const order = await orderIn('posted');
    const shipped = await erpAdmin('POST', `/orders/${order!.erpRef}/ship`, { carrier: 'UPS', tracking: TRACKING });
    expect(shipped.status).toBe(201);
    expect(shipped.body).toMatchObject({ number: 'SH-000001', salesOrder: order!.erpRef, externalRef: order!.id, tracking: TRACKING, warehouse: 'WH1' });

    const after = await orderIn('shipped');
    const fulfilments = await waitFor(async () => fulfilmentsOfOrder(), (f) => f.length > 0, 30_000);
    expect(fulfilments).toHaveLength(1);
    expect(fulfilments[0]!.trackingNumbers).toEqual([TRACKING]);
    expect(after!.history.find((h) => h.step === 'erp.shipment')?.detail).toMatchObject({
      shipment: 'SH-000001', salesOrder: order!.erpRef, shipmentId: 'sandbox-erp:shipment:1',
    });

    // Later polls read the shipment again (the overlap window): still one fulfilment, one timeline step.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(fulfilmentsOfOrder()).toHaveLength(1);
    const again = await orderByChannelId(String(CHANNEL_ORDER));
    expect(again!.history.filter((h) => h.step === 'erp.shipment')).toHaveLength(1);
  });

  it('publishes the stock that left the warehouse, and a stock count, to Shopify as the new available quantity', async () => {
    // One SKU-1 and two SKU-2 left WH1; Shopify sells what is left over every warehouse.
    const green = seededStock('SKU-1') - 1;
    const red = seededStock('SKU-2') - 2;
    await waitFor(async () => [lastSet(GREEN_ITEM), lastSet(RED_ITEM)], ([g, r]) => g === green && r === red, 30_000);
    expect(lastSet(GREEN_ITEM)).toBe(green);
    expect(lastSet(RED_ITEM)).toBe(red);
    // The shipped units left the ERP's on hand, and the order's reservation ended with them: counted once.
    const reserved = async (sku: string) => ((await (await fetch(`${url}/v1/inventory/levels/${sku}`)).json()) as { levels: { reserved: number }[] })
      .levels.reduce((sum, l) => sum + l.reserved, 0);
    await waitFor(async () => [await reserved('SKU-1'), await reserved('SKU-2')], ([g, r]) => g === 0 && r === 0, 30_000);
    expect(lastSet(GREEN_ITEM)).toBe(green);
    const fromErp = (await (await fetch(`${url}/v1/messages?channel=sandbox-erp&limit=200`)).json()) as { items: { kind: string }[] };
    expect(fromErp.items.some((m) => m.kind === 'inventory')).toBe(true);

    // A count in WH2 is a stock change too: SKU-1 is now what is left in WH1 plus the count.
    const wh1 = SEED_ITEMS.find((i) => i.sku === 'SKU-1')!.stock['WH1']! - 1;
    const counted = await erpAdmin('PUT', '/stock/SKU-1/WH2', { quantity: 10 });
    expect(counted.status).toBe(200);
    await waitFor(async () => lastSet(GREEN_ITEM), (q) => q === wh1 + 10, 30_000);
    expect(lastSet(RED_ITEM)).toBe(red);
  });

  it('moves the order to invoiced when the sandbox posts the invoice, with its number on the timeline', async () => {
    const order = await orderIn('shipped');
    const invoiced = await erpAdmin('POST', `/orders/${order!.erpRef}/invoice`);
    expect(invoiced.status).toBe(201);
    const { body } = await erpAdmin('GET', '/orders');
    const salesOrder = (body['orders'] as ErpSalesOrder[]).find((o) => o.number === order!.erpRef)!;
    // Everything shipped, so the one invoice bills the whole order: its total is the order's.
    expect(invoiced.body).toMatchObject({ number: 'INV-000001', salesOrder: order!.erpRef, state: 'posted', total: salesOrder.total });

    const done = await orderIn('invoiced');
    const step = done!.history.find((h) => h.step === 'erp.invoice');
    expect(step?.detail).toMatchObject({ invoice: 'INV-000001', salesOrder: order!.erpRef, state: 'posted', total: salesOrder.total, currency: 'USD' });
    const steps = done!.history.map((h) => h.step);
    for (const s of ['posted', 'erp.shipment', 'shipped', 'erp.invoice', 'invoiced']) expect(steps).toContain(s);
  });

  it('keeps the shipment on the timeline of an order invoiced in the same poll, and the order invoiced', async () => {
    await deliver(8002, { ownLineIds: true });
    const posted = await waitFor(() => orderByChannelId('8002'), (o) => o?.state === 'posted', 30_000);
    expect((await erpAdmin('POST', `/orders/${posted!.erpRef}/ship`, { carrier: 'UPS', tracking: '1ZSANDBOX000000002' })).status).toBe(201);
    expect((await erpAdmin('POST', `/orders/${posted!.erpRef}/invoice`)).status).toBe(201);

    const done = await waitFor(() => orderByChannelId('8002'), (o) => o?.state === 'invoiced' && o.history.some((h) => h.step === 'erp.shipment'), 30_000);
    await waitFor(() => orderByChannelId('8002'), (o) => (o?.history ?? []).some((h) => h.step === 'shipped'), 30_000);
    expect(done!.state).toBe('invoiced');
    expect((await orderByChannelId('8002'))!.state).toBe('invoiced');
    expect(shopify.state.fulfillments.filter((f) => f.orderId.endsWith('8002'))).toHaveLength(1);
  });
});
