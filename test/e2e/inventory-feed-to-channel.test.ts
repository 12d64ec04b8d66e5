import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopifyFake, type ShopifyFake } from '../fakes/shopify/server.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';

/**
 * A 3PL's stock file reaches a Shopify store through a running crossdock: uploaded over HTTP
 * or dropped in the 3PL's folder, applied once, and only the SKUs whose availability changed
 * are sent.
 */
const TOKEN = 'feed-token-0123456789';
const root = mkdtempSync(join(tmpdir(), 'crossdock-feed-'));
const folders = { inbound: join(root, 'in'), processed: join(root, 'done'), rejected: join(root, 'bad') };
for (const path of Object.values(folders)) mkdirSync(path, { recursive: true });
const item = (n: number) => `gid://shopify/InventoryItem/${5000 + n}`;

let shopify: ShopifyFake;
let t: TestApp;
let url: string;

const sent = (n: number) => shopify.state.inventorySets.flat().filter((q) => q.inventoryItemId === item(n)).map((q) => q.quantity);

async function upload(csv: string): Promise<Response> {
  return fetch(`${url}/v1/inventory/feeds/chi-3pl`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${TOKEN}` }, body: csv });
}

beforeAll(async () => {
  shopify = await startShopifyFake({ shopDomain: 'feed.myshopify.com' });
  shopify.seedVariants([1, 2].map((n) => ({ sku: `V-${n}`, inventoryItemId: item(n) })));
  t = await makeTestApp({
    worker: { pollMs: 20 },
    erp: { stockSnapshotMinutes: 0 },
    inventory: {
      freshnessMs: 100,
      channels: { shop: { locations: ['CHI-3PL'] } },
      feeds: [{
        id: 'chi-3pl', location: 'CHI-3PL', httpToken: TOKEN, pollIntervalSeconds: 1,
        columns: { sku: 'Item', onHand: 'On Hand' }, skus: { 'WID-1': 'SKU-1', 'WID-2': 'SKU-2' },
        transport: { type: 'directory', folders, settleMs: 0 },
      }],
    },
    protection: { shop: { ratePerSecond: 100, backoffMs: 20 }, 'shop.graphql': { ratePerSecond: 100, backoffMs: 20 } },
    channels: [{
      id: 'shop', type: 'shopify', pollIntervalSeconds: 3600,
      settings: { shopDomain: 'feed.myshopify.com', apiBaseUrl: shopify.url, accessToken: 'shpat_test', webhookSecret: 'secret', defaultLocation: 'gid://shopify/Location/1' },
      skus: { 'V-1': 'SKU-1', 'V-2': 'SKU-2' },
    }],
  });
  url = await t.app.start();
});

afterAll(async () => {
  await t?.dispose();
  await shopify?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("a 3PL's stock file, to the channel", () => {
  it('publishes an uploaded snapshot once, even when the same file comes again', async () => {
    const csv = 'Item,On Hand\r\nWID-1,12\r\nWID-2,5\r\n';
    const first = await upload(csv);
    const again = await upload(csv);
    expect([first.status, again.status]).toEqual([202, 202]);
    expect([((await first.json()) as { outcome: string }).outcome, ((await again.json()) as { outcome: string }).outcome]).toEqual(['applied', 'duplicate']);
    await waitFor(async () => [sent(1).at(-1), sent(2).at(-1)], ([a, b]) => a === 12 && b === 5, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    expect([sent(1), sent(2)]).toEqual([[12], [5]]);
  });

  it('takes a file dropped in the folder, and sends only the SKU that changed', async () => {
    writeFileSync(join(folders.inbound, 'stock-2.csv'), 'Item,On Hand\nWID-1,12\nWID-2,3\n');
    await waitFor(async () => sent(2).at(-1), (q) => q === 3, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(sent(1)).toEqual([12]);
    expect(sent(2)).toEqual([5, 3]);
  });

  it('refuses a file with a bad row, naming it, and changes nothing', async () => {
    const res = await upload('Item,On Hand\nWID-1,twelve\n');
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { code: string; errors: { pointer: string }[] };
    expect(problem.code).toBe('inventory.feed-invalid');
    expect(problem.errors[0]!.pointer).toBe('/rows/2/On Hand');
    const levels = (await (await fetch(`${url}/v1/inventory/levels/SKU-1`)).json()) as { levels: { onHand: number }[] };
    expect(levels.levels[0]!.onHand).toBe(12);
  });
});
