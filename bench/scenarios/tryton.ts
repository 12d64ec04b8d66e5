import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shopifyWebhookHeaders, startShopifyFake, type ShopifyFake } from '../../test/fakes/shopify/server.js';
import { startTryton, trytonDecimal, type TestTryton, type TrytonTestClient } from '../../test/support/tryton.js';
import { REPO_ROOT } from '../support/children.js';
import { startCrossdock, type RunningCrossdock, type Runtime } from '../support/servers.js';
import { summarize, type LatencySummary } from '../support/stats.js';

export interface TrytonBenchOptions {
  runtime: Runtime;
  /** Orders per measured run (each side, each round). */
  orders: number;
  rounds: number;
  /** Sales Tryton works on at once, on both sides (crossdock's ERP concurrency). */
  concurrency: number;
  /** Shipments timed from "done" in Tryton to the fulfilment at the channel. */
  shipments: number;
  /** crossdock's change poll interval in this scenario (s). */
  pollSeconds: number;
  log?: (line: string) => void;
}

export interface TrytonRound {
  direct: { orders: number; seconds: number; perMinute: number };
  crossdock: { orders: number; seconds: number; perMinute: number };
  /** crossdock's time over the direct calls' time, less one (0.05 = 5 % slower). */
  overhead: number;
  crossdockFirst: boolean;
}

export interface TrytonBenchResult {
  options: Omit<TrytonBenchOptions, 'log'>;
  trytonVersion: string;
  rounds: TrytonRound[];
  /** Median over rounds. */
  overhead: number;
  shipmentToChannelMs: LatencySummary;
  shipmentsTimed: number;
  targets: { overhead: number };
  met: { overhead: boolean; everyOrderOnce: boolean };
  /** Sales per crossdock order id found in Tryton at the end (all must be 1). */
  salesPerOrder: { orders: number; withOneSale: number };
}

/** crossdock's overhead over calling Tryton directly, at most this. */
export const TRYTON_TARGETS = { overhead: 0.1 } as const;

const SECRET = 'bench-secret';
const SHOP = 'bench.myshopify.com';
const CUSTOMER = 'BENCH-C';
const SKUS = ['BENCH-A', 'BENCH-B', 'BENCH-C1'];

/**
 * Scenario (f): orders into a real Tryton. The same orders (three lines each) are posted as
 * sales in two ways, one after the other on the same server: by direct JSON-RPC calls — what a
 * minimal correct integration does (look the reference up, create, quote, confirm, process, read
 * the state back) — and through crossdock (`POST /v1/orders`, then its worker), with the same
 * number of sales in flight. Then shipments done in Tryton are timed to the fulfilment at the
 * channel (a Shopify store served by the local Shopify fake).
 */
export async function runTryton(options: TrytonBenchOptions): Promise<TrytonBenchResult> {
  const log = options.log ?? (() => {});
  const tryton = await startTryton();
  const shopify = await startShopifyFake({ shopDomain: SHOP });
  let crossdock: RunningCrossdock | undefined;
  try {
    const unit = await tryton.rpc.unitId();
    const party = await tryton.rpc.createCustomer(CUSTOMER, 'Bench Retail');
    const products: number[] = [];
    for (const sku of SKUS) {
      const product = await tryton.rpc.createItem(sku, '10.00');
      await tryton.rpc.countStock(product, 'WH', 1_000_000);
      products.push(product);
    }
    const version = String(await (await fetch(`${tryton.baseUrl}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 0, method: 'common.server.version', params: [] }) })).json().then((b) => (b as { result: string }).result));
    crossdock = await startCrossdock({ runtime: options.runtime, erpUrl: tryton.erpUrl, configYaml: crossdockConfig(shopify.url, options) });
    log(`(f) Tryton ${version}; crossdock ${crossdock.url}`);

    // Warm-up on both sides: logins, caches, the first sale of each product.
    await directSales(tryton.rpc, { party, unit, products, count: 3, prefix: 'warm', concurrency: options.concurrency });
    let posted = 0;
    posted += await crossdockSales(crossdock, { count: 3, prefix: 'warm', after: posted });

    const rounds: TrytonRound[] = [];
    const crossdockIds: string[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const crossdockFirst = round % 2 === 0;
      const measureDirect = async () => directSales(tryton.rpc, { party, unit, products, count: options.orders, prefix: `r${round}`, concurrency: options.concurrency });
      const measureCrossdock = async () => {
        const before = posted;
        const started = performance.now();
        posted += await crossdockSales(crossdock!, { count: options.orders, prefix: `r${round}`, after: before, ids: crossdockIds });
        return (performance.now() - started) / 1000;
      };
      let direct: number;
      let through: number;
      if (crossdockFirst) {
        through = await measureCrossdock();
        direct = await measureDirect();
      } else {
        direct = await measureDirect();
        through = await measureCrossdock();
      }
      const r: TrytonRound = {
        direct: { orders: options.orders, seconds: direct, perMinute: (options.orders / direct) * 60 },
        crossdock: { orders: options.orders, seconds: through, perMinute: (options.orders / through) * 60 },
        overhead: through / direct - 1,
        crossdockFirst,
      };
      rounds.push(r);
      log(`(f) round ${round}: direct ${r.direct.perMinute.toFixed(0)} sales/min, crossdock ${r.crossdock.perMinute.toFixed(0)} orders/min, overhead ${(r.overhead * 100).toFixed(1)} %`);
    }

    const latencies = await shipmentLatencies(tryton, shopify, crossdock, options, log);
    const sales = await tryton.rpc.model<{ reference: string }[]>('sale.sale', 'search_read', [['reference', 'in', crossdockIds]], 0, null, null, ['reference']);
    const perOrder = new Map<string, number>();
    for (const s of sales) perOrder.set(s.reference, (perOrder.get(s.reference) ?? 0) + 1);
    const withOneSale = crossdockIds.filter((id) => perOrder.get(id) === 1).length;
    const overhead = median(rounds.map((r) => r.overhead));
    const { log: _log, ...shown } = options;
    return {
      options: shown, trytonVersion: version, rounds, overhead,
      shipmentToChannelMs: summarize(latencies), shipmentsTimed: latencies.length,
      targets: { ...TRYTON_TARGETS },
      met: { overhead: overhead <= TRYTON_TARGETS.overhead, everyOrderOnce: withOneSale === crossdockIds.length && sales.length === crossdockIds.length },
      salesPerOrder: { orders: crossdockIds.length, withOneSale },
    };
  } finally {
    await crossdock?.stop();
    await shopify.close();
    await tryton.dispose();
  }
}

function crossdockConfig(shopifyUrl: string, options: TrytonBenchOptions): string {
  return [
    'worker: { pollMs: 10, backoffMs: 100, maxBackoffMs: 1000 }',
    `erp: { changePollSeconds: ${options.pollSeconds}, tryton: { overlapSeconds: 5 } }`,
    'protection:',
    `  erp: { ratePerSecond: 1000, burst: 50, concurrency: ${options.concurrency}, timeoutMs: 30000 }`,
    '  shopify-us: { ratePerSecond: 100 }',
    '  shopify-us.graphql: { ratePerSecond: 100 }',
    'channels:',
    '  - id: shopify-us',
    '    type: shopify',
    '    pollIntervalSeconds: 3600',
    `    settings: { shopDomain: ${SHOP}, apiBaseUrl: "${shopifyUrl}", accessToken: shpat_test, webhookSecret: ${SECRET}, defaultLocation: "gid://shopify/Location/1" }`,
    '    skus: { IPOD2008GREEN: BENCH-A, IPOD2008RED: BENCH-B }',
    `    defaultCustomer: ${CUSTOMER}`,
    '',
  ].join('\n');
}

function orderBody(prefix: string, i: number): Record<string, unknown> {
  return {
    channel: 'b2b-portal', channelOrderId: `${prefix}-${i}`, orderedAt: new Date().toISOString(), currency: 'USD', customer: { accountId: CUSTOMER },
    shipTo: { name: 'Receiving', line1: '1 Dock Rd', city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' },
    lines: SKUS.map((sku, n) => ({ sku, quantity: n + 1, uom: 'EA', unitPrice: '10.00' })),
    payment: { status: 'authorized' },
  };
}

/** Posts `count` orders to crossdock and resolves when its worker has posted all of them to Tryton. */
async function crossdockSales(crossdock: RunningCrossdock, o: { count: number; prefix: string; after: number; ids?: string[] }): Promise<number> {
  for (let i = 0; i < o.count; i++) {
    const res = await fetch(`${crossdock.url}/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(orderBody(o.prefix, i)) });
    if (res.status !== 202) throw new Error(`POST /v1/orders answered ${res.status}: ${await res.text()}`);
    o.ids?.push(((await res.json()) as { orderId: string }).orderId);
  }
  const deadline = Date.now() + 600_000;
  while ((await crossdock.metric('crossdock_orders_posted_total')) < o.after + o.count) {
    if (Date.now() > deadline) throw new Error('crossdock did not post the orders within 10 minutes');
    if ((await crossdock.metric('crossdock_orders_held_total')) > 0) throw new Error('crossdock held an order: see its timeline');
    await new Promise((r) => setTimeout(r, 50));
  }
  return o.count;
}

/** The same sales by direct JSON-RPC, `concurrency` at a time; resolves with the seconds taken. */
async function directSales(rpc: TrytonTestClient, o: { party: number; unit: number; products: number[]; count: number; prefix: string; concurrency: number }): Promise<number> {
  const [address] = await rpc.model<number[]>('party.address', 'search', [['party', '=', o.party]], 0, 1, null);
  const [warehouse] = await rpc.model<number[]>('stock.location', 'search', [['type', '=', 'warehouse'], ['code', '=', 'WH']], 0, 1, null);
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < o.count) {
      const reference = `direct-${o.prefix}-${next++}`;
      const found = await rpc.model<number[]>('sale.sale', 'search', [['reference', '=', reference]], 0, 1, null);
      if (found.length > 0) continue;
      const [sale] = await rpc.model<number[]>('sale.sale', 'create', [{
        party: o.party, invoice_address: address, shipment_address: address, warehouse, reference,
        lines: [['create', o.products.map((product, n) => ({ type: 'line', product, quantity: n + 1, unit: o.unit, unit_price: trytonDecimal('10.00') }))]],
      }]);
      for (const step of ['quote', 'confirm', 'process']) await rpc.model('sale.sale', step, [sale]);
      const [read] = await rpc.model<{ state: string }[]>('sale.sale', 'read', [sale], ['state']);
      if (read?.state !== 'processing') throw new Error(`direct sale ${reference} is ${read?.state}`);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, lane));
  return (performance.now() - started) / 1000;
}

/**
 * Shopify orders in through signed webhooks; once crossdock has posted them, each one's
 * shipment is done in Tryton (one at a time, as a warehouse would) and timed until the
 * fulfilment appears at the Shopify fake (watched every 10 ms in this process).
 */
async function shipmentLatencies(tryton: TestTryton, shopify: ShopifyFake, crossdock: RunningCrossdock, options: TrytonBenchOptions, log: (line: string) => void): Promise<number[]> {
  const fixture = JSON.parse(readFileSync(join(REPO_ROOT, 'src/connectors/shopify/fixtures/order-basic.json'), 'utf8')) as Record<string, unknown>;
  const postedBefore = await crossdock.metric('crossdock_orders_posted_total');
  const ids: number[] = [];
  for (let i = 0; i < options.shipments; i++) {
    const id = 880_000 + i;
    ids.push(id);
    // Line ids are unique per order at Shopify, as they are at the real store.
    const lineItems = (fixture['line_items'] as Record<string, unknown>[]).map((line, n) => ({ ...line, id: id * 10 + n, admin_graphql_api_id: `gid://shopify/LineItem/${id * 10 + n}` }));
    const order = { ...structuredClone(fixture), id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#${id}`, order_number: id, line_items: lineItems, updated_at: new Date().toISOString() };
    shopify.seedOrders([order]);
    const body = JSON.stringify(order);
    const res = await fetch(`${crossdock.url}/channels/shopify-us/webhooks`, { method: 'POST', headers: shopifyWebhookHeaders({ body, secret: SECRET, topic: 'orders/create', shopDomain: SHOP }), body });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  }
  const deadline = Date.now() + 300_000;
  while ((await crossdock.metric('crossdock_orders_posted_total')) < postedBefore + options.shipments) {
    if (Date.now() > deadline) {
      // Say which orders are missing and where each stands, so the cause can be read from the run.
      const states: string[] = [];
      for (const id of ids) {
        const page = (await (await fetch(`${crossdock.url}/v1/messages?q=${id}&limit=20`)).json()) as { items?: { subjectId: string | null; kind: string }[] };
        const orderId = page.items?.find((m) => m.kind === 'order')?.subjectId;
        const order = orderId ? ((await (await fetch(`${crossdock.url}/v1/orders/${orderId}`)).json()) as { state?: string; reason?: unknown }) : undefined;
        states.push(`${id}: ${order ? JSON.stringify({ orderId, state: order.state, reason: order.reason }) : 'not journaled'}`);
      }
      throw new Error(`crossdock did not post the Shopify orders within 5 minutes:\n${states.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const latencies: number[] = [];
  for (const id of ids) {
    const page = (await (await fetch(`${crossdock.url}/v1/messages?q=${id}&limit=20`)).json()) as { items: { subjectId: string | null; kind: string }[] };
    const orderId = page.items.find((m) => m.kind === 'order')?.subjectId;
    const sale = orderId ? await tryton.rpc.saleByReference(orderId) : undefined;
    if (!sale || sale.shipments.length !== 1) throw new Error(`no single shipment for Shopify order ${id} in Tryton`);
    await tryton.rpc.model('stock.shipment.out', 'write', sale.shipments, { reference: `1ZBENCH${id}` });
    await tryton.rpc.shipOut(sale.shipments[0]!);
    const done = performance.now();
    for (;;) {
      if (shopify.state.fulfillments.some((f) => f.orderId.endsWith(String(id)))) break;
      if (performance.now() - done > 120_000) throw new Error(`no fulfilment for Shopify order ${id} within 2 minutes`);
      await new Promise((r) => setTimeout(r, 10));
    }
    latencies.push(performance.now() - done);
  }
  log(`(f) shipment → channel: ${latencies.length} shipments, p50 ${summarize(latencies).p50.toFixed(0)} ms, p99 ${summarize(latencies).p99.toFixed(0)} ms (poll every ${options.pollSeconds} s)`);
  return latencies;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
