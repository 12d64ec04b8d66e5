import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';
import { postOrders, waitFor } from '../support/exactly-once.js';
import { startTryton, type TestTryton } from '../support/tryton.js';

/**
 * Faults against the real Tryton server: trytond stopped for 30 seconds in the middle of a run,
 * and every session ended on the server mid-run. Each time, every accepted order ends up in
 * Tryton as exactly one sale, and none is lost or held.
 */
const CUSTOMER = 'C-FAULT-1';
let tryton: TestTryton;
let t: TestApp;
let url: string;

beforeAll(async () => {
  tryton = await startTryton();
  await tryton.rpc.createCustomer(CUSTOMER);
  await tryton.rpc.createItem('FAULT-SKU', '3.50');
  t = await makeTestApp({
    worker: { pollMs: 20, backoffMs: 200, maxBackoffMs: 2_000, maxAttempts: 100 },
    erp: { url: tryton.erpUrl, changePollSeconds: 3600 },
    protection: { erp: { ratePerSecond: 100, concurrency: 2, timeoutMs: 10_000, breakerThreshold: 3, breakerHalfOpenAfterMs: 2_000, maxWaitMs: 1_000 } },
  });
  url = await t.app.start();
});

afterAll(async () => {
  await t?.dispose();
  await tryton?.dispose();
});

function orders(prefix: string, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => sampleOrder({
    channelOrderId: `${prefix}-${i}`, customer: { accountId: CUSTOMER }, lines: [{ sku: 'FAULT-SKU', quantity: i + 1, uom: 'EA', unitPrice: '3.50' }],
  }));
}

async function states(ids: readonly string[]): Promise<string[]> {
  return Promise.all(ids.map(async (id) => ((await (await fetch(`${url}/v1/orders/${id}`)).json()) as { state: string }).state));
}

/** Every order is in Tryton exactly once: one sale per crossdock order id, all of them processing. */
async function expectOneSaleEach(ids: readonly string[]): Promise<void> {
  const sales = await tryton.rpc.model<{ reference: string; state: string }[]>('sale.sale', 'search_read', [['reference', 'in', [...ids]]], 0, null, null, ['reference', 'state']);
  const perOrder = new Map<string, number>();
  for (const s of sales) perOrder.set(s.reference, (perOrder.get(s.reference) ?? 0) + 1);
  expect(ids.filter((id) => perOrder.get(id) !== 1)).toEqual([]);
  expect(sales.length).toBe(ids.length);
  expect(new Set(sales.map((s) => s.state))).toEqual(new Set(['processing']));
}

describe('Tryton faults', () => {
  it('holds orders while trytond is down for 30 s, opens the breaker, then posts every one exactly once', async () => {
    const ids = await postOrders(url, orders('OUTAGE', 12), 4);
    await waitFor(() => states(ids), (s) => s.includes('posted'), 30_000);
    await tryton.stop();
    const downAt = Date.now();

    const circuitStates = new Set<string>();
    while (Date.now() - downAt < 30_000) {
      const erp = t.app.policies.snapshots().find((p) => p.target === 'erp');
      if (erp) circuitStates.add(erp.circuit);
      await new Promise((r) => setTimeout(r, 250));
    }
    const during = await states(ids);
    expect(circuitStates).toContain('open');
    // Waiting, not given up: nothing failed or was held while the ERP was away.
    expect(during.filter((s) => s === 'failed' || s === 'held')).toEqual([]);
    expect(during.filter((s) => s !== 'posted').length).toBeGreaterThan(0);

    await tryton.start();
    const after = await waitFor(() => states(ids), (s) => s.every((x) => x === 'posted'), 90_000, 250);
    expect(after.every((s) => s === 'posted')).toBe(true);
    await expectOneSaleEach(ids);
  });

  it('logs in again when Tryton ends its sessions mid-run, and posts every order exactly once', async () => {
    const first = await postOrders(url, orders('SESSION-A', 4), 2);
    await waitFor(() => states(first), (s) => s.every((x) => x === 'posted'), 60_000);
    tryton.expireSessions();
    const second = await postOrders(url, orders('SESSION-B', 4), 2);
    const after = await waitFor(() => states(second), (s) => s.every((x) => x === 'posted'), 60_000);
    expect(after.every((s) => s === 'posted')).toBe(true);
    await expectOneSaleEach([...first, ...second]);
    // The ERP answered 401 once the session was gone; crossdock logged in again and carried on.
    const history = await Promise.all(second.map(async (id) => ((await (await fetch(`${url}/v1/orders/${id}`)).json()) as { history: { detail?: { status?: number } }[] }).history));
    expect(history.flat().some((h) => h.detail?.status === 401)).toBe(true);
  });
});
