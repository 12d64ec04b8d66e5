import { createHash, createHmac, type Hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './children.js';

/**
 * Shopify `orders/create` webhooks for the channel benchmarks: a REST-format order of 50 line
 * items built from the connector's reference fixture, signed the way Shopify signs it.
 */

export const SHOPIFY_FIXTURE = 'src/connectors/shopify/fixtures/order-basic.json';

type Json = Record<string, unknown>;

/**
 * The sandbox ERP's active items, SKU-1 … SKU-20 without SKU-13 (inactive: an order for it would
 * be held for that alone), repeated as needed: a 50-line order names some items twice, as real
 * orders with several ship dates or options do, and every order can be posted.
 */
export function benchSkus(count: number): string[] {
  const active = Array.from({ length: 20 }, (_, i) => i + 1).filter((n) => n !== 13).map((n) => `SKU-${n}`);
  return Array.from({ length: count }, (_, i) => active[i % active.length]!);
}

const toCents = (amount: unknown): number => Math.round(Number(amount) * 100);
const money = (cents: number): string => (cents / 100).toFixed(2);
const moneySet = (cents: number, currency: string) => ({
  shop_money: { amount: money(cents), currency_code: currency },
  presentment_money: { amount: money(cents), currency_code: currency },
});

/** Sum of `field` (a money string) over a list of records. */
function sumCents(records: readonly unknown[], field: string): number {
  return records.reduce<number>((sum, r) => sum + toCents((r as Json)[field]), 0);
}

/** One line of the big order: a copy of a fixture line with its own ids and SKU, prices and taxes kept. */
function benchLine(template: Json, index: number, sku: string): Json {
  const line = structuredClone(template);
  const id = Number(template['id']) * 100 + index;
  return {
    ...line,
    id,
    admin_graphql_api_id: `gid://shopify/LineItem/${id}`,
    variant_id: Number(template['variant_id']) * 100 + index,
    sku,
    title: `Bench item ${sku}`,
    name: `Bench item ${sku}`,
  };
}

/**
 * The fixture order with `lines` line items (the fixture's two lines alternately as templates,
 * each with a distinct SKU) and its totals recomputed from them, so that the discounts the
 * mapping compares (order total against line allocations) agree as they do in Shopify's own
 * documents. The order-level ids are left out: `signedOrders` writes them per request.
 */
export function shopifyBenchOrder(lines = 50): Json {
  const fixture = JSON.parse(readFileSync(join(REPO_ROOT, SHOPIFY_FIXTURE), 'utf8')) as Json;
  const templates = fixture['line_items'] as Json[];
  const currency = String(fixture['currency']);
  const items = benchSkus(lines).map((sku, i) => benchLine(templates[i % templates.length]!, i, sku));

  const itemsCents = items.reduce<number>((sum, l) => sum + toCents(l['price']) * Number(l['quantity']), 0);
  const discountCents = items.reduce<number>((sum, l) => sum + sumCents(l['discount_allocations'] as Json[], 'amount'), 0);
  const shipping = fixture['shipping_lines'] as Json[];
  const shippingCents = sumCents(shipping, 'discounted_price');
  const taxCents = items.reduce<number>((sum, l) => sum + sumCents(l['tax_lines'] as Json[], 'price'), 0) +
    shipping.reduce<number>((sum, s) => sum + sumCents(s['tax_lines'] as Json[], 'price'), 0);
  const totalCents = itemsCents - discountCents + shippingCents + taxCents;
  const orderTax = (fixture['tax_lines'] as Json[])[0]!;

  const { id: _id, admin_graphql_api_id: _gid, name: _name, order_number: _number, number: _n, ...rest } = fixture;
  return {
    ...rest,
    line_items: items,
    total_line_items_price: money(itemsCents),
    total_discounts: money(discountCents),
    total_discounts_set: moneySet(discountCents, currency),
    subtotal_price: money(itemsCents - discountCents),
    total_tax: money(taxCents),
    tax_lines: [{ ...orderTax, price: money(taxCents), price_set: moneySet(taxCents, currency) }],
    total_price: money(totalCents),
    total_price_set: moneySet(totalCents, currency),
    current_total_price_set: moneySet(totalCents, currency),
  };
}

/** The order-level id fields of order `id`, as the last members of the JSON object (the closing brace included). */
function idTail(id: number): string {
  return `,"id":${id},"admin_graphql_api_id":"gid://shopify/Order/${id}","name":"#${id}","order_number":${id},"number":${id}}`;
}

/**
 * HMAC-SHA256 (RFC 2104) of `prefix + suffix` for many suffixes, hashing the shared prefix
 * once. node's Hmac cannot be copied, but Hash can (`hash.copy()`), and HMAC is two hashes:
 * H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ message)). The inner hash state after the prefix is kept, so a
 * signature costs the suffix and two 64-byte blocks rather than the whole 60 KiB body: the load
 * generator shares the 2 cores with the server it measures.
 */
export function prefixSigner(secret: string, prefix: Buffer): (suffix: Buffer) => string {
  const block = 64;
  let key = Buffer.from(secret, 'utf8');
  if (key.length > block) key = createHash('sha256').update(key).digest();
  const padded = Buffer.alloc(block);
  key.copy(padded);
  const xor = (byte: number) => Buffer.from(padded.map((b) => b ^ byte));
  const inner: Hash = createHash('sha256').update(xor(0x36)).update(prefix);
  const outer: Hash = createHash('sha256').update(xor(0x5c));
  return (suffix) => outer.copy().update(inner.copy().update(suffix).digest()).digest('base64');
}

export interface SignedWebhook {
  headers: Record<string, string>;
  body: Buffer;
}

export interface WebhookStream {
  next(): SignedWebhook;
  /** Requests made so far. */
  readonly count: number;
  /** Size of every body (bytes): the ids have the same number of digits throughout a run. */
  readonly bodyBytes: number;
}

// Order ids of this process: 16 digits from the clock, then counted, so every body of every
// run (warm-up included) is a different order and every delivery a different webhook id.
let nextOrderId = Date.now() * 1000;

/**
 * `orders/create` deliveries of `order`, each with its own order id, its own
 * `X-Shopify-Webhook-Id` and a valid `X-Shopify-Hmac-Sha256` (as test/fakes/shopify/server.ts
 * `shopifyWebhookHeaders` builds them). None is a redelivery, so crossdock answers none as a duplicate.
 */
export function signedOrders(options: { order: Json; secret: string; shopDomain: string }): WebhookStream {
  const json = JSON.stringify(options.order);
  const prefix = Buffer.from(json.slice(0, -1)); // without the closing brace: idTail ends the object
  const sign = prefixSigner(options.secret, prefix);
  let count = 0;
  return {
    next() {
      const id = nextOrderId++;
      count += 1;
      const tail = Buffer.from(idTail(id));
      return {
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': 'orders/create',
          'x-shopify-shop-domain': options.shopDomain,
          'x-shopify-webhook-id': `b54557e4-bdd9-4b37-8a5f-${id.toString(16).padStart(12, '0').slice(-12)}`,
          'x-shopify-api-version': '2025-07',
          'x-shopify-hmac-sha256': sign(tail),
        },
        body: Buffer.concat([prefix, tail], prefix.length + tail.length),
      };
    },
    get count() {
      return count;
    },
    bodyBytes: prefix.length + Buffer.byteLength(idTail(nextOrderId)),
  };
}

/** The plain HMAC of a body, to check `prefixSigner` against and to price what it saves. */
export function fullSignature(body: Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}
