import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopifyWebhookHeaders, startShopifyFake, type ShopifyFake } from '../fakes/shopify/server.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';
import { startTryton, type TestTryton } from '../support/tryton.js';

/**
 * Order to cash through a real Tryton ERP: a Shopify order becomes a confirmed Tryton sale;
 * the warehouse ships it in Tryton and Shopify gets one fulfilment with the tracking number;
 * the stock that left shows up at Shopify as the new available quantity; the accountant posts
 * the invoice in Tryton and the order is invoiced. Tryton is driven over its own JSON-RPC as its
 * users would drive it; crossdock learns of each change only by polling.
 */
const SECRET = 'shopify-app-secret';
const SHOP = 'acme.myshopify.com';
const CUSTOMER = 'C-TRY-100';
const fixture = JSON.parse(readFileSync(new URL('../../src/connectors/shopify/fixtures/order-basic.json', import.meta.url), 'utf8')) as Record<string, unknown>;

let tryton: TestTryton;
let shopify: ShopifyFake;
let t: TestApp;
let url: string;

interface OrderView {
  id: string; state: string; erpRef: string | null; reason: { code: string; message: string } | null;
  history: { step: string; outcome: string; detail?: Record<string, unknown> }[];
}

/** The store has the order (as Shopify would) and tells crossdock with a signed webhook. */
async function deliver(id: number, changes: Record<string, unknown> = {}, topic = 'orders/create'): Promise<void> {
  const order = { ...structuredClone(fixture), id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#${id}`, order_number: id, updated_at: '2026-11-25T10:00:00Z', ...changes };
  shopify.seedOrders([order]);
  const body = JSON.stringify(order);
  const res = await fetch(`${url}/channels/shopify-us/webhooks`, {
    method: 'POST', headers: shopifyWebhookHeaders({ body, secret: SECRET, topic, shopDomain: SHOP }), body,
  });
  expect(res.status).toBe(200);
}

async function orderByChannelId(channelOrderId: string): Promise<OrderView | undefined> {
  const page = (await (await fetch(`${url}/v1/messages?q=${channelOrderId}&limit=50`)).json()) as { items: { subjectId: string | null; kind: string }[] };
  const id = page.items.find((m) => m.kind === 'order')?.subjectId;
  return id ? ((await (await fetch(`${url}/v1/orders/${id}`)).json()) as OrderView) : undefined;
}

beforeAll(async () => {
  tryton = await startTryton();
  await tryton.rpc.createCustomer(CUSTOMER, 'Acme Retail');
  const green = await tryton.rpc.createItem('TRY-GREEN', '150.00', 'iPod green');
  await tryton.rpc.createItem('TRY-RED', '25.00', 'iPod red');
  await tryton.rpc.countStock(green, 'WH', 100);
  await tryton.rpc.countStock(await tryton.rpc.id('product.product', [['code', '=', 'TRY-RED']]), 'WH', 50);

  shopify = await startShopifyFake({ shopDomain: SHOP });
  shopify.seedVariants([{ sku: 'IPOD2008GREEN', inventoryItemId: 'gid://shopify/InventoryItem/2001' }, { sku: 'IPOD2008RED', inventoryItemId: 'gid://shopify/InventoryItem/2002' }]);
  t = await makeTestApp({
    worker: { pollMs: 20, backoffMs: 100, maxBackoffMs: 1000 },
    erp: { url: tryton.erpUrl, changePollSeconds: 1, tryton: { overlapSeconds: 5 } },
    protection: { erp: { ratePerSecond: 100, concurrency: 4, timeoutMs: 30_000 }, 'shopify-us': { ratePerSecond: 100, backoffMs: 20 }, 'shopify-us.graphql': { ratePerSecond: 100, backoffMs: 20 } },
    channels: [{
      id: 'shopify-us', type: 'shopify', pollIntervalSeconds: 3600,
      settings: { shopDomain: SHOP, apiBaseUrl: shopify.url, accessToken: 'shpat_test', webhookSecret: SECRET, defaultLocation: 'gid://shopify/Location/1' },
      skus: { IPOD2008GREEN: 'TRY-GREEN', IPOD2008RED: 'TRY-RED' },
      defaultCustomer: CUSTOMER,
    }],
  });
  url = await t.app.start();
});

afterAll(async () => {
  await t?.dispose();
  await shopify?.close();
  await tryton?.dispose();
});

describe('order to cash through Tryton', () => {
  it('posts a channel order as one confirmed Tryton sale with the right party, lines, units and prices', async () => {
    await deliver(7001);
    await deliver(7001); // a redelivery: still one sale
    const order = await waitFor(() => orderByChannelId('7001'), (o) => o?.state === 'posted', 30_000);

    const sales = await tryton.rpc.model<{ id: number }[]>('sale.sale', 'search_read', [['reference', '=', order!.id]], 0, null, null, ['id']);
    expect(sales).toHaveLength(1);
    const sale = (await tryton.rpc.saleByReference(order!.id))!;
    expect(sale.state).toBe('processing');
    expect(order!.erpRef).toBe(sale.number);
    const [party] = await tryton.rpc.model<{ code: string }[]>('party.party', 'read', [sale.party], ['code']);
    expect(party!.code).toBe(CUSTOMER);
    const lines = await tryton.rpc.model<{ product: number | null; quantity: number; unit: number; unit_price: { decimal: string } }[]>(
      'sale.line', 'read', sale.lines, ['product', 'quantity', 'unit', 'unit_price']);
    const products = await tryton.rpc.model<{ id: number; code: string }[]>('product.product', 'read', lines.flatMap((l) => (l.product ? [l.product] : [])), ['code']);
    const codeOf = new Map(products.map((p) => [p.id, p.code]));
    const unit = await tryton.rpc.unitId();
    const goods = lines.filter((l) => l.product && codeOf.get(l.product)?.startsWith('TRY-'));
    expect(goods.map((l) => [codeOf.get(l.product!), l.quantity, l.unit, Number(l.unit_price.decimal)]).sort()).toEqual([
      ['TRY-GREEN', 1, unit, 150], ['TRY-RED', 2, unit, 25],
    ]);
  });

  it('sends the shipment done in Tryton to Shopify as one fulfilment with its tracking number, and ships the order', async () => {
    const order = await waitFor(() => orderByChannelId('7001'), (o) => o?.state === 'posted', 30_000);
    const sale = (await tryton.rpc.saleByReference(order!.id))!;
    expect(sale.shipments).toHaveLength(1);
    await tryton.rpc.model('stock.shipment.out', 'write', sale.shipments, { reference: '1ZTRYTON0000000001' });
    await tryton.rpc.shipOut(sale.shipments[0]!);

    const shipped = await waitFor(() => orderByChannelId('7001'), (o) => o?.state === 'shipped', 30_000);
    const fulfilments = await waitFor(async () => shopify.state.fulfillments.filter((f) => f.orderId.endsWith('7001')), (f) => f.length > 0, 30_000);
    expect(fulfilments).toHaveLength(1);
    expect(fulfilments[0]!.trackingNumbers).toEqual(['1ZTRYTON0000000001']);
    const [shipment] = await tryton.rpc.model<{ number: string }[]>('stock.shipment.out', 'read', sale.shipments, ['number']);
    const erpShipment = shipped!.history.find((h) => h.step === 'erp.shipment');
    expect(erpShipment?.detail).toMatchObject({ shipment: shipment!.number, salesOrder: sale.number });

    // Later polls see the same shipment again (the overlap window): still one fulfilment.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(shopify.state.fulfillments.filter((f) => f.orderId.endsWith('7001'))).toHaveLength(1);
  });

  it('publishes the stock that left the warehouse to Shopify as the new available quantity', async () => {
    // 100 counted, 1 shipped: Tryton forecasts 99 for TRY-GREEN; Shopify gets 99 for its SKU.
    const sets = await waitFor(async () => shopify.state.inventorySets.flat(), (s) => s.some((q) => q.inventoryItemId.endsWith('/2001') && q.quantity === 99), 30_000);
    expect(sets.filter((q) => q.inventoryItemId.endsWith('/2001')).at(-1)!.quantity).toBe(99);
    const fromTryton = (await (await fetch(`${url}/v1/messages?channel=tryton&limit=200`)).json()) as { items: { source: string; kind: string }[] };
    expect(fromTryton.items.some((m) => m.kind === 'inventory')).toBe(true);
  });

  it('moves the order to invoiced when the invoice is posted in Tryton, with its number on the timeline', async () => {
    const order = await waitFor(() => orderByChannelId('7001'), (o) => o?.state === 'shipped', 30_000);
    const sale = (await tryton.rpc.saleByReference(order!.id))!;
    expect(sale.invoices).toHaveLength(1);
    await tryton.rpc.postInvoice(sale.invoices[0]!);
    const [invoice] = await tryton.rpc.model<{ number: string; total_amount: { decimal: string } }[]>('account.invoice', 'read', sale.invoices, ['number', 'total_amount']);

    const invoiced = await waitFor(() => orderByChannelId('7001'), (o) => o?.state === 'invoiced', 30_000);
    const step = invoiced!.history.find((h) => h.step === 'erp.invoice');
    expect(step?.detail).toMatchObject({ invoice: invoice!.number, salesOrder: sale.number });
    expect(Number(step?.detail?.['total'])).toBe(Number(invoice!.total_amount.decimal));
    // The whole timeline: posted with the sale number, shipped, invoiced.
    const steps = invoiced!.history.map((h) => h.step);
    for (const s of ['posted', 'erp.shipment', 'shipped', 'erp.invoice', 'invoiced']) expect(steps).toContain(s);
  });

  it('holds an order whose product Tryton refuses, with Tryton\'s own message', async () => {
    const product = await tryton.rpc.createItem('TRY-NOSALE', '5.00', 'Discontinued widget');
    const [template] = await tryton.rpc.model<{ template: number }[]>('product.product', 'read', [product], ['template']);
    await tryton.rpc.model('product.template', 'write', [template!.template], { salable: false });
    // What Tryton itself says when a sale line names a product that is not salable.
    const party = await tryton.rpc.id('party.party', [['code', '=', CUSTOMER]]);
    let trytonMessage = '';
    try {
      await tryton.rpc.model('sale.sale', 'create', [{ party, lines: [['create', [{ type: 'line', product, quantity: 1, unit: await tryton.rpc.unitId(), unit_price: { __class__: 'Decimal', decimal: '5' } }]]] }]);
    } catch (error) {
      trytonMessage = (error as Error).message;
    }
    expect(trytonMessage).toMatch(/UserError/);

    const res = await fetch(`${url}/v1/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'b2b-portal', channelOrderId: 'PO-NOSALE-1', orderedAt: '2026-11-25T10:00:00Z', currency: 'USD', customer: { accountId: CUSTOMER },
        shipTo: { name: 'Acme Receiving', line1: '1 Dock Rd', city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' },
        lines: [{ sku: 'TRY-NOSALE', quantity: 1, uom: 'EA', unitPrice: '5.00' }], payment: { status: 'authorized' },
      }),
    });
    expect(res.status).toBe(202);
    const { orderId } = (await res.json()) as { orderId: string };
    const held = await waitFor(async () => (await (await fetch(`${url}/v1/orders/${orderId}`)).json()) as OrderView, (o) => o.state === 'held', 30_000);
    expect(held.reason?.code).toBe('erp.rejected');
    // The test client's error reads `model.sale.sale.create: ["UserError", [message, description]]`.
    const [, [message]] = JSON.parse(trytonMessage.slice(trytonMessage.indexOf(': ') + 2)) as [string, [string]];
    expect(held.reason?.message).toContain(message);
    expect(await tryton.rpc.saleByReference(orderId)).toBeUndefined();
  });

  it('asks Tryton to cancel a sale the channel cancelled, and hands Tryton\'s refusal to a person', async () => {
    await deliver(7002);
    const posted = await waitFor(() => orderByChannelId('7002'), (o) => o?.state === 'posted', 30_000);
    await deliver(7002, { updated_at: '2026-11-25T11:00:00Z', cancelled_at: '2026-11-25T11:00:00Z', cancel_reason: 'customer' }, 'orders/cancelled');

    type Letter = { orderId: string | null; reason: string; error: { code: string; context?: Record<string, unknown> } };
    const letters = await waitFor(async () => ((await (await fetch(`${url}/v1/dead-letters`)).json()) as { items: Letter[] }).items,
      (all) => all.some((d) => d.orderId === posted!.id), 30_000);
    const letter = letters.find((d) => d.orderId === posted!.id)!;
    expect(letter.error.code).toBe('order.changed-after-post');
    expect(letter.reason).toMatch(/the ERP refused/);
    // Tryton was asked (the attempt is on the timeline) and its sale is unchanged.
    const order = (await orderByChannelId('7002'))!;
    expect(order.history.some((h) => h.step === 'sale.sale.cancel')).toBe(true);
    // One timeline across the order's two versions: posting (first version), then the revision.
    const steps = order.history.map((h) => h.step);
    expect(steps.indexOf('posted')).toBeGreaterThan(-1);
    expect(steps.indexOf('revised')).toBeGreaterThan(steps.indexOf('posted'));
    expect((await tryton.rpc.saleByReference(posted!.id))?.state).toBe('processing');
    expect(order.state).toBe('posted');
  });
});
