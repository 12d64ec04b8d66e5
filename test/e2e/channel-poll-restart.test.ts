import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app/build-app.js';
import { resolveConfig } from '../../src/config/config.js';
import type { ConfigFile } from '../../src/config/schema.js';
import { startAdobeCommerceFake, type AdobeCommerceFake } from '../fakes/adobe-commerce/server.js';
import { waitFor } from '../support/exactly-once.js';

/**
 * A polling source across restarts: crossdock stops after taking some orders, more orders
 * arrive while it is down, one of the first is edited; the restarted crossdock (same data
 * directory, so the same cursor) takes each new order once and the edit as a revision —
 * nothing missed, nothing taken twice.
 */
type Json = Record<string, unknown>;
const magento = JSON.parse(readFileSync(new URL('../../src/connectors/adobe-commerce/fixtures/order-guest-simple.json', import.meta.url), 'utf8')) as Json;
const magentoTime = (epochMs: number) => new Date(epochMs).toISOString().replace('T', ' ').slice(0, 19);
const order = (id: number, at: number): Json => ({ ...structuredClone(magento), entity_id: id, increment_id: `0000${id}`, updated_at: magentoTime(at) });

let adobe: AdobeCommerceFake;
const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-poll-restart-'));
const file = (): ConfigFile => ({
  server: { port: 0 },
  worker: { pollMs: 20, backoffMs: 50 },
  protection: { erp: { ratePerSecond: 1000 }, 'adobe-us': { ratePerSecond: 200, burst: 20 } },
  channels: [{
    id: 'adobe-us', type: 'adobe-commerce', defaultCustomer: 'C-100', pollIntervalSeconds: 1,
    settings: { baseUrl: adobe.url, accessToken: adobe.token, pageSize: 3 },
    skus: { '24-MB01': 'SKU-3', '24-UG06': 'SKU-4' },
  }],
});

async function run(during: (app: App, url: string) => Promise<void>): Promise<void> {
  const app = await buildApp(resolveConfig(file(), { dataDir }, {}), { logger: false });
  const url = await app.start();
  try {
    await during(app, url);
  } finally {
    await app.stop();
  }
}

async function erpRefs(url: string): Promise<string[]> {
  return ((await (await fetch(`${url}/sandbox/erp/orders`)).json()) as { orders: { externalRef: string }[] }).orders.map((o) => o.externalRef);
}

async function channelOrders(app: App): Promise<Map<string, string>> {
  const page = await app.store.searchMessages({ channel: 'adobe-us', limit: 500 });
  const byChannelId = new Map<string, string>();
  for (const m of page.items) if (m.kind === 'order' && m.channelRef && m.subjectId) byChannelId.set(m.channelRef, m.subjectId);
  return byChannelId;
}

beforeAll(async () => {
  adobe = await startAdobeCommerceFake();
});
afterAll(async () => {
  await adobe.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('polling across a restart', () => {
  it('takes orders that arrived while crossdock was down once, and a later edit as a revision', async () => {
    const t0 = Date.now() - 20 * 60_000;
    adobe.seedOrders([1, 2, 3, 4, 5].map((i) => order(3000 + i, t0 + i * 1000)));
    let firstRun = new Map<string, string>();
    await run(async (app, url) => {
      firstRun = await waitFor(() => channelOrders(app), (m) => m.size === 5, 15_000, 100);
      await waitFor(() => erpRefs(url), (refs) => [...firstRun.values()].every((id) => refs.includes(id)), 15_000, 100);
    });

    // While crossdock is down: three new orders, and order 3002 edited (a newer updated_at).
    adobe.seedOrders([6, 7, 8].map((i) => order(3000 + i, Date.now() - 60_000 + i * 1000)));
    adobe.touchOrder(3002, magentoTime(Date.now() - 30_000));

    await run(async (app, url) => {
      const all = await waitFor(() => channelOrders(app), (m) => m.size === 8, 15_000, 100);
      for (const [channelOrderId, id] of firstRun) expect(all.get(channelOrderId), channelOrderId).toBe(id);
      const refs = await waitFor(() => erpRefs(url), (r) => [...all.values()].every((id) => r.includes(id)), 15_000, 100);
      expect(refs.length).toBe(8);
      expect(new Set(refs).size).toBe(8);
      const edited = all.get('3002')!;
      const events = await waitFor(async () => (await app.store.searchMessages({ text: edited, limit: 20 })).items, (items) => items.filter((m) => m.kind === 'order').length === 2, 10_000, 100);
      expect(events.filter((m) => m.kind === 'order')).toHaveLength(2);
    });
  }, 60_000);
});
