import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type DemoStats } from '../../src/demo/driver.js';
import type { DemoScenario } from '../../src/demo/order-generator.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';

/**
 * The demo driver against a real crossdock and its in-process sandbox ERP, at a high rate with
 * incidents seconds apart instead of minutes: everything the console is meant to show happens.
 */
let t: TestApp;
let url: string;
let stats: DemoStats;
const accepted = new Map<string, DemoScenario>();
const PAST_ERP = new Set(['posted', 'released', 'partially_shipped', 'shipped', 'invoiced', 'closed']);

beforeAll(async () => {
  t = await makeTestApp({
    worker: { pollMs: 20, backoffMs: 100, maxBackoffMs: 1_000 },
    protection: { erp: { ratePerSecond: 1_000, concurrency: 16, timeoutMs: 2_000, breakerHalfOpenAfterMs: 500 } },
    erp: { changePollSeconds: 1 },
  });
  url = await t.app.start();
  const demo = startDemo({
    baseUrl: url, erpAdminUrl: `${url}/sandbox/erp`, seed: 42, ratePerSecond: 25, runTag: 'E2E',
    incidents: { firstSlowdownMs: 1_000, slowdownForMs: 2_000, firstOutageMs: 4_000, outageForMs: 2_000, quietMs: 500, slowdownEveryMs: 60_000, outageEveryMs: 60_000 },
    slowLatency: { min: 100, max: 400 },
    mix: { unknownSkuShare: 0.05, creditHoldShare: 0.05 },
    duplicateShare: 0.05, shipAfterMs: [300, 800], invoiceAfterMs: 300, stockCountEveryMs: 500,
    onAccepted: (id, scenario) => accepted.set(id, scenario),
  });
  await new Promise((r) => setTimeout(r, 10_000));
  await demo.stop();
  stats = demo.stats();
  // Everything accepted has been decided: posted or held, nothing still on its way.
  await waitFor(
    async () => Promise.all([...accepted.keys()].map(async (id) => (await t.app.store.getOrder(id))?.state)),
    (states) => states.every((s) => s !== undefined && s !== 'received' && s !== 'validated'),
    60_000, 250,
  );
}, 120_000);

afterAll(async () => {
  await t?.dispose();
});

describe('crossdock start --demo', () => {
  it('sends a stream of orders from several channels, and duplicates that are taken once', () => {
    expect(stats.accepted).toBeGreaterThan(120); // 25/s for 10 s, less what a busy machine delays
    expect(accepted.size).toBe(stats.accepted);
    expect(stats.failed).toBe(0);
    expect(stats.duplicatesSent).toBeGreaterThan(0);
    expect(stats.duplicatesSuppressed).toBe(stats.duplicatesSent);
  });

  it('holds orders for an unknown SKU and for the customer on credit hold in the dead-letter list', async () => {
    for (const code of ['sku.unknown', 'customer.credit-hold']) {
      const res = await fetch(`${url}/v1/dead-letters?code=${code}&limit=500`);
      const { items } = (await res.json()) as { items: { orderId: string | null }[] };
      expect(items.length, code).toBeGreaterThan(0);
      const expected = code === 'sku.unknown' ? 'unknown-sku' : 'credit-hold';
      for (const item of items) expect(accepted.get(item.orderId!)).toBe(expected);
    }
    expect(stats.byScenario['unknown-sku']).toBeGreaterThan(0);
    expect(stats.byScenario['credit-hold']).toBeGreaterThan(0);
  });

  it('posts each accepted order to the ERP at most once, and every order meant to go through exactly once', async () => {
    const erp = (await (await fetch(`${url}/sandbox/erp/orders`)).json()) as { orders: { externalRef: string; number: string; createdAt: string }[] };
    const byRef = new Map<string, number>();
    for (const o of erp.orders) byRef.set(o.externalRef, (byRef.get(o.externalRef) ?? 0) + 1);
    expect([...byRef.values()].filter((n) => n > 1)).toEqual([]);
    expect([...byRef.keys()].filter((ref) => !accepted.has(ref))).toEqual([]);
    for (const [id, scenario] of accepted) {
      const order = await t.app.store.getOrder(id);
      if (scenario === 'normal') expect(order?.state && PAST_ERP.has(order.state), `${id} is ${order?.state}`).toBe(true);
      expect(byRef.get(id) ?? 0, `${id} (${scenario}, ${order?.state})`).toBe(order && PAST_ERP.has(order.state) ? 1 : 0);
    }
  });

  it('had an ERP slowdown and an outage, and orders reached the ERP again after the outage', async () => {
    expect(stats.incidents.map((i) => i.kind)).toEqual(['slowdown', 'outage']);
    const outage = stats.incidents[1]!;
    expect(outage.endedAt).toBeGreaterThanOrEqual(outage.startedAt + 2_000 - 50);
    const erpStats = (await (await fetch(`${url}/sandbox/erp/stats`)).json()) as { responses: Record<string, number> };
    expect(Object.entries(erpStats.responses).filter(([k]) => k.includes('503')).reduce((n, [, v]) => n + v, 0)).toBeGreaterThan(0);
    const erp = (await (await fetch(`${url}/sandbox/erp/orders`)).json()) as { orders: { createdAt: string }[] };
    expect(erp.orders.filter((o) => Date.parse(o.createdAt) > outage.endedAt!).length).toBeGreaterThan(0);
  });

  it('ships posted orders and invoices some, and counts stock', async () => {
    const shipments = (await (await fetch(`${url}/sandbox/erp/shipments`)).json()) as { count: number };
    expect(shipments.count).toBe(stats.shipped);
    expect(stats.shipped).toBeGreaterThan(5);
    expect(stats.invoiced).toBeGreaterThan(0);
    expect(stats.stockCounts).toBeGreaterThan(3);
  });
});
