import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdobeCommerceFake, type AdobeCommerceFake } from '../fakes/adobe-commerce/server.js';
import { startAmazonFake, type AmazonFake } from '../fakes/amazon/server.js';
import { rfc2822, startBigCommerceFake, type BigCommerceFake } from '../fakes/bigcommerce/server.js';
import { shopifyWebhookHeaders, startShopifyFake, type ShopifyFake } from '../fakes/shopify/server.js';
import { startWooCommerceFake, type WooFake } from '../fakes/woocommerce/server.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';

/**
 * Orders from all five channels at once — Shopify, WooCommerce and BigCommerce by webhook
 * (each delivered twice), Adobe Commerce and Amazon by polling — into the sandbox ERP: each
 * posted exactly once, with the lines (after SKU cross-references and pack sizes), prices,
 * currency and ship-to its channel document says.
 */
type Json = Record<string, unknown>;
const PER_CHANNEL = 12;
const fixture = (channel: string, name: string): Json =>
  JSON.parse(readFileSync(new URL(`../../src/connectors/${channel}/fixtures/${name}`, import.meta.url), 'utf8')) as Json;
const clone = <T>(v: T): T => structuredClone(v);
const ago = (ms: number) => Date.now() - ms;
const magentoTime = (epochMs: number) => new Date(epochMs).toISOString().replace('T', ' ').slice(0, 19);

let t: TestApp;
let url: string;
let shopify: ShopifyFake;
let woo: WooFake;
let bigcommerce: BigCommerceFake;
let adobe: AdobeCommerceFake;
let amazon: AmazonFake;
const amazonIds = Array.from({ length: PER_CHANNEL }, (_, i) => `114-0000000-${String(1000000 + i)}`);

/** What each channel's orders must look like in the ERP: SKU → [quantity, unit price]. */
const expected: Record<string, { lines: Record<string, [number, string]> }> = {
  'shopify-us': { lines: { 'SKU-1': [1, '150.00'], 'SKU-2': [2, '25.00'] } },
  'adobe-us': { lines: { 'SKU-3': [2, '34'], 'SKU-4': [1, '7'] } },
  'bigcommerce-us': { lines: { 'SKU-5': [2, '55.9900'], 'SKU-6': [1, '225.0000'] } },
  'woo-us': { lines: { 'SKU-7': [2, '3.00'], 'SKU-8': [12, '1.00'] } },
  'amazon-us': { lines: { 'SKU-9': [2, '19.99'], 'SKU-10': [1, '45.00'] } },
};

beforeAll(async () => {
  [shopify, woo, bigcommerce, adobe, amazon] = await Promise.all([
    startShopifyFake(), startWooCommerceFake(), startBigCommerceFake(), startAdobeCommerceFake(),
    startAmazonFake({ rateLimits: false }),
  ]);
  // Amazon lists an order only once its last update is two minutes old, and a poll's window
  // ends there: these orders were last updated ten minutes ago, before crossdock started.
  const az = fixture('amazon', 'order-mfn-business.json') as { order: Json; items: Json[] };
  for (const orderId of amazonIds) {
    amazon.seedOrder({ ...clone(az.order), AmazonOrderId: orderId, LastUpdateDate: new Date(ago(10 * 60_000)).toISOString() }, clone(az.items));
  }
  const fast = { ratePerSecond: 200, burst: 20, backoffMs: 20 };
  t = await makeTestApp({
    worker: { pollMs: 20, backoffMs: 50, maxBackoffMs: 500 },
    protection: { erp: { ratePerSecond: 1000 }, 'shopify-us': fast, 'woo-us': fast, 'bigcommerce-us': fast, 'adobe-us': fast, 'amazon-us': fast, 'amazon-us.lwa': fast },
    channels: [
      { id: 'shopify-us', type: 'shopify', defaultCustomer: 'C-100', pollIntervalSeconds: 3600,
        settings: { shopDomain: 'acme.myshopify.com', apiBaseUrl: shopify.url, accessToken: 'shpat_test', webhookSecret: 'shp-secret' },
        skus: { IPOD2008GREEN: 'SKU-1', IPOD2008RED: 'SKU-2' } },
      { id: 'woo-us', type: 'woocommerce', defaultCustomer: 'C-100', pollIntervalSeconds: 3600,
        settings: { baseUrl: woo.url, consumerKey: 'ck_test', consumerSecret: 'cs_test', webhookSecret: 'cs_test' },
        // A channel "pack" SKU: one Bar3 is a case of 12 SKU-8 at a twelfth of the price.
        skus: { 'product:93': 'SKU-7', Bar3: { sku: 'SKU-8', factor: 12 } } },
      { id: 'bigcommerce-us', type: 'bigcommerce', defaultCustomer: 'C-100', pollIntervalSeconds: 3600,
        settings: { storeHash: bigcommerce.storeHash, apiBaseUrl: bigcommerce.url, accessToken: bigcommerce.accessToken, webhookSecret: 'bigcommerce-hook-secret' },
        skus: { 'TOWEL-BEIGE-S': 'SKU-5', ABS: 'SKU-6' } },
      { id: 'adobe-us', type: 'adobe-commerce', defaultCustomer: 'C-100', pollIntervalSeconds: 1,
        settings: { baseUrl: adobe.url, accessToken: adobe.token },
        skus: { '24-MB01': 'SKU-3', '24-UG06': 'SKU-4' } },
      { id: 'amazon-us', type: 'amazon', defaultCustomer: 'C-100', pollIntervalSeconds: 1,
        settings: {
          endpoint: amazon.url, lwaEndpoint: amazon.lwaEndpoint, clientId: amazon.options.clientId, clientSecret: amazon.options.clientSecret,
          refreshToken: amazon.options.refreshToken, sellerId: amazon.options.sellerId, marketplaceIds: ['ATVPDKIKX0DER'],
        },
        skus: { 'GLOVE-NIT-M': 'SKU-9', 'SANI-WIPE-80': 'SKU-10' } },
    ],
  });
  url = await t.app.start();
}, 30_000);

afterAll(async () => {
  await t?.dispose();
  await Promise.all([shopify, woo, bigcommerce, adobe, amazon].map((f) => f?.close()));
});

async function post(path: string, headers: Record<string, string>, body: string | Buffer): Promise<number> {
  return (await fetch(`${url}${path}`, { method: 'POST', headers, body })).status;
}

/** Seeds every channel and delivers the webhooks (twice each); returns channel → channel order ids. */
async function sendEverything(): Promise<Record<string, string[]>> {
  const ids: Record<string, string[]> = {};
  const recent = ago(10 * 60_000);

  ids['shopify-us'] = [];
  for (let i = 0; i < PER_CHANNEL; i++) {
    const order = { ...clone(fixture('shopify', 'order-basic.json')), id: 7000 + i, name: `#${7000 + i}`, updated_at: new Date(recent).toISOString() };
    shopify.seedOrders([order]);
    const text = JSON.stringify(order);
    const headers = shopifyWebhookHeaders({ body: text, secret: 'shp-secret', topic: 'orders/create', shopDomain: 'acme.myshopify.com', webhookId: `w-${i}` });
    for (let n = 0; n < 2; n++) expect(await post('/channels/shopify-us/webhooks', headers, text)).toBe(200);
    ids['shopify-us'].push(String(7000 + i));
  }

  ids['woo-us'] = [];
  for (let i = 0; i < PER_CHANNEL; i++) {
    const order = { ...clone(fixture('woocommerce', 'order-guest.json')), id: 800 + i, number: String(800 + i), date_modified_gmt: new Date(recent).toISOString().slice(0, 19) };
    woo.seedOrder(order);
    const delivery = woo.webhookDelivery('order.created', order, { secret: 'cs_test' });
    for (let n = 0; n < 2; n++) expect(await post('/channels/woo-us/webhooks', delivery.headers, delivery.rawBody)).toBe(200);
    ids['woo-us'].push(String(800 + i));
  }

  ids['bigcommerce-us'] = [];
  const bc = fixture('bigcommerce', 'order-awaiting-fulfillment.json') as { order: Json; products: Json[]; shippingAddresses: Json[]; coupons: Json[] };
  for (let i = 0; i < PER_CHANNEL; i++) {
    const id = 300 + i;
    bigcommerce.seedOrder({
      order: { ...clone(bc.order), id, date_modified: rfc2822(recent) },
      products: bc.products.map((p) => ({ ...clone(p), order_id: id })),
      shippingAddresses: bc.shippingAddresses.map((a) => ({ ...clone(a), order_id: id })),
      coupons: clone(bc.coupons),
    });
    const delivery = bigcommerce.webhookDelivery('store/order/created', id, 'bigcommerce-hook-secret');
    for (let n = 0; n < 2; n++) expect(await post('/channels/bigcommerce-us/webhooks', delivery.headers, delivery.rawBody)).toBe(200);
    ids['bigcommerce-us'].push(String(id));
  }

  ids['adobe-us'] = [];
  const magento = fixture('adobe-commerce', 'order-guest-simple.json');
  adobe.seedOrders(Array.from({ length: PER_CHANNEL }, (_, i) => ({
    ...clone(magento), entity_id: 2000 + i, increment_id: `00000${2000 + i}`, updated_at: magentoTime(recent),
  })));
  ids['adobe-us'] = Array.from({ length: PER_CHANNEL }, (_, i) => String(2000 + i));

  ids['amazon-us'] = amazonIds;
  return ids;
}

interface ErpOrder { externalRef: string; customer?: string; lines: { sku: string; quantity: number; unitPrice?: string }[] }

describe('five channels at once', () => {
  it('posts every order from every channel to the ERP exactly once, with the right lines, prices, currency and ship-to', async () => {
    const sent = await sendEverything();
    const total = Object.values(sent).flat().length;

    const orders = async () => {
      const all: { id: string; channel: string; channelOrderId: string; state: string }[] = [];
      for (const channel of Object.keys(sent)) {
        for (const channelOrderId of sent[channel]!) {
          const page = (await (await fetch(`${url}/v1/messages?q=${encodeURIComponent(channelOrderId)}&channel=${channel}&limit=20`)).json()) as { items: { subjectId: string | null; kind: string }[] };
          const id = page.items.find((m) => m.kind === 'order')?.subjectId;
          if (!id) continue;
          const o = (await (await fetch(`${url}/v1/orders/${id}`)).json()) as { state: string };
          all.push({ id, channel, channelOrderId, state: o.state });
        }
      }
      return all;
    };
    const done = await waitFor(orders, (all) => all.length === total && all.every((o) => o.state === 'posted'), 60_000, 500)
      .catch(async (error: Error) => {
        // Say what is missing, per channel and state, and what was dead-lettered, not 100 orders of JSON.
        const seen = await orders();
        const states: Record<string, number> = {};
        for (const o of seen) states[`${o.channel}:${o.state}`] = (states[`${o.channel}:${o.state}`] ?? 0) + 1;
        const dead = ((await (await fetch(`${url}/v1/dead-letters`)).json()) as { items: { queue: string; reason: string }[] }).items;
        throw new Error(`${error.message.slice(0, 40)}: ${JSON.stringify(states)}; dead letters: ${JSON.stringify(dead.slice(0, 5).map((d) => `${d.queue}: ${d.reason}`))}`);
      });
    expect(done.length).toBe(total);

    const erp = ((await (await fetch(`${url}/sandbox/erp/orders`)).json()) as { orders: ErpOrder[] }).orders;
    const byRef = new Map<string, ErpOrder[]>();
    for (const o of erp) byRef.set(o.externalRef, [...(byRef.get(o.externalRef) ?? []), o]);
    for (const o of done) {
      const inErp = byRef.get(o.id) ?? [];
      expect(inErp, `${o.channel} ${o.channelOrderId}`).toHaveLength(1);
      const lines = Object.fromEntries(inErp[0]!.lines.map((l) => [l.sku, l.quantity]));
      const want = Object.fromEntries(Object.entries(expected[o.channel]!.lines).map(([sku, [q]]) => [sku, q]));
      expect(lines, `${o.channel} ${o.channelOrderId}`).toEqual(want);
    }
    expect(erp.length).toBe(total);

    // Prices, currency and ship-to, as crossdock sent them (one per channel).
    for (const channel of Object.keys(sent)) {
      const one = done.find((o) => o.channel === channel)!;
      const full = (await (await fetch(`${url}/v1/orders/${one.id}`)).json()) as {
        order: { currency: string; shipTo: { city: string; country: string }; lines: { sku: string; unitPrice: string }[] };
      };
      expect(full.order.currency).toBe('USD');
      expect(full.order.shipTo.country).toBe('US');
      for (const line of full.order.lines) {
        const [, price] = expected[channel]!.lines[line.sku]!;
        expect(Number(line.unitPrice), `${channel} ${line.sku}`).toBeCloseTo(Number(price), 4);
      }
    }
  }, 90_000);
});
