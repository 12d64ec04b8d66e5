import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_ITEMS } from '../../src/connectors/sandbox-erp/seed.js';
import { startShopifyFake, type ShopifyFake } from '../fakes/shopify/server.js';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';

/**
 * A stock change in the ERP reaches two Shopify stores under different allocation rules: the
 * retail store sells half of its one warehouse, the wholesale store everything but a low-stock
 * reserve. Only SKUs whose availability changed for a store are sent to it, and an order
 * reserved at intake shows at both at once, before the ERP has shipped anything.
 */
const ITEM = (n: number) => `gid://shopify/InventoryItem/${3000 + n}`;
const SKUS = [1, 2, 3];

let retail: ShopifyFake;
let wholesale: ShopifyFake;
let t: TestApp;
let url: string;

const seeded = (sku: number, warehouse: string) => SEED_ITEMS.find((i) => i.sku === `SKU-${sku}`)!.stock[warehouse]!;

/** Every quantity a store was sent for an item, in order. */
function sent(store: ShopifyFake, sku: number): number[] {
  return store.state.inventorySets.flat().filter((q) => q.inventoryItemId === ITEM(sku)).map((q) => q.quantity);
}

async function setStock(sku: number, warehouse: string, quantity: number): Promise<void> {
  const res = await fetch(`${url}/sandbox/erp/stock/SKU-${sku}/${warehouse}`, {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ quantity }),
  });
  expect(res.status).toBe(200);
}

function channel(id: string, store: ShopifyFake) {
  return {
    id, type: 'shopify', pollIntervalSeconds: 3600,
    settings: { shopDomain: `${id}.myshopify.com`, apiBaseUrl: store.url, accessToken: 'shpat_test', webhookSecret: 'secret', defaultLocation: 'gid://shopify/Location/1' },
    skus: Object.fromEntries(SKUS.map((n) => [`V-${n}`, `SKU-${n}`])),
  };
}

beforeAll(async () => {
  retail = await startShopifyFake({ shopDomain: 'retail.myshopify.com' });
  wholesale = await startShopifyFake({ shopDomain: 'wholesale.myshopify.com' });
  for (const store of [retail, wholesale]) store.seedVariants(SKUS.map((n) => ({ sku: `V-${n}`, inventoryItemId: ITEM(n) })));
  t = await makeTestApp({
    worker: { pollMs: 20 },
    // The change path alone: no stock snapshot at start (sandbox-order-to-cash covers it).
    erp: { changePollSeconds: 1, stockSnapshotMinutes: 0 },
    inventory: {
      freshnessMs: 200,
      channels: {
        retail: { share: { percent: 50 }, locations: ['WH1'] },
        wholesale: { lowStock: 5 },
        'b2b-portal': { oversell: 'reject' },
      },
    },
    protection: Object.fromEntries(['retail', 'retail.graphql', 'wholesale', 'wholesale.graphql'].map((p) => [p, { ratePerSecond: 100, backoffMs: 20 }])),
    channels: [channel('retail', retail), channel('wholesale', wholesale)],
  });
  url = await t.app.start();
});

afterAll(async () => {
  await t?.dispose();
  await retail?.close();
  await wholesale?.close();
});

describe('an ERP stock change published to two channels with their own allocation rules', () => {
  it('sends each store its share of the SKU that changed, and nothing for the others', async () => {
    await setStock(1, 'WH1', 40);
    const wh2 = seeded(1, 'WH2');
    await waitFor(async () => [sent(retail, 1).at(-1), sent(wholesale, 1).at(-1)], ([r, w]) => r === 20 && w === 40 + wh2, 30_000);
    // A few more polls and windows: nothing else moved, so nothing else is sent.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(sent(retail, 1)).toEqual([20]);
    expect(sent(wholesale, 1)).toEqual([40 + wh2]);
    for (const store of [retail, wholesale]) for (const n of [2, 3]) expect(sent(store, n)).toEqual([]);

    const answer = (await (await fetch(`${url}/v1/availability?channel=retail&sku=SKU-1&sku=SKU-3`)).json()) as { items: { sku: string; available: number; tracked: boolean; locations: { location: string }[] }[] };
    expect(answer.items.map((i) => [i.sku, i.available, i.tracked])).toEqual([['SKU-1', 20, true], ['SKU-3', 0, false]]);
    expect(answer.items[0]!.locations.map((l) => l.location)).toEqual(['WH1']);
  });

  it('sends a change in a warehouse a store does not sell from to the other store only', async () => {
    await setStock(1, 'WH2', 3);
    await waitFor(async () => sent(wholesale, 1).at(-1), (w) => w === 43, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sent(retail, 1)).toEqual([20]);
  });

  it('shows a reserved order at both stores before the ERP ships it, and rejects one it cannot promise', async () => {
    const res = await fetch(`${url}/v1/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sampleOrder({ channelOrderId: 'PO-STOCK-1', lines: [{ sku: 'SKU-1', quantity: 10, uom: 'EA', unitPrice: '10.00' }] })),
    });
    expect(res.status).toBe(202);
    // 40 + 3 on hand, 10 reserved: retail sells half of what WH1 has free, wholesale all of it.
    await waitFor(async () => [sent(retail, 1).at(-1), sent(wholesale, 1).at(-1)], ([r, w]) => r === 15 && w === 33, 30_000);

    const tooMany = await fetch(`${url}/v1/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sampleOrder({ channelOrderId: 'PO-STOCK-2', lines: [{ sku: 'SKU-1', quantity: 34, uom: 'EA', unitPrice: '10.00' }] })),
    });
    const { orderId } = (await tooMany.json()) as { orderId: string };
    const rejected = await waitFor(async () => (await (await fetch(`${url}/v1/orders/${orderId}`)).json()) as { state: string; reason: { code: string; message: string } | null },
      (o) => o.state === 'rejected', 30_000);
    expect(rejected.reason).toMatchObject({ code: 'inventory.insufficient' });
    expect(rejected.reason!.message).toContain('line 1 SKU-1: 34 ordered, 33 available to promise on b2b-portal');
    // Nothing was held for it: the stores still show what they showed.
    await new Promise((r) => setTimeout(r, 600));
    expect(sent(retail, 1).at(-1)).toBe(15);
    expect(sent(wholesale, 1).at(-1)).toBe(33);
  });

  it('measures freshness per channel', async () => {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    for (const c of ['retail', 'wholesale']) expect(metrics).toMatch(new RegExp(`crossdock_inventory_freshness_seconds_count\\{channel="${c}"\\} [1-9]`));
  });
});
