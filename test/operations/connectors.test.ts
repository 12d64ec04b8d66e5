import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';
import { postOrders, waitFor } from '../support/exactly-once.js';

let t: TestApp;
let url: string;
const erp = () => `${url}/sandbox/erp`;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  t = await makeTestApp({ worker: { pollMs: 20, backoffMs: 50, maxBackoffMs: 200, maxAttempts: 2 }, protection: { erp: { backoffMs: 10, ratePerSecond: 1000 } } });
  url = await t.app.start();
});
afterAll(async () => {
  await t.dispose();
});

interface ConnectorView {
  target: string; kind: string; circuit: string; concurrency: number; ratePerSecond: number;
  paused: { by: string; at: string; reason: string | null } | null; calls: { ok: number; failed: number }; recentErrors: unknown[];
}
const connectors = async () => ((await (await fetch(`${url}/v1/connectors`)).json()) as { connectors: ConnectorView[] }).connectors;
const orderState = async (id: string) => ((await (await fetch(`${url}/v1/orders/${id}`)).json()) as { state: string }).state;
async function erpRefs(): Promise<string[]> {
  return ((await (await fetch(`${erp()}/orders`)).json()) as { orders: { externalRef: string }[] }).orders.map((o) => o.externalRef);
}

describe('connector health and pause', () => {
  it('lists the ERP with its circuit, limits and calls', async () => {
    const [id] = await postOrders(url, [sampleOrder({ channelOrderId: 'CN-WARM' })]);
    await waitFor(() => orderState(id!), (s) => s === 'posted', 10_000);
    const erpView = (await connectors()).find((c) => c.target === 'erp');
    expect(erpView).toMatchObject({ kind: 'erp', circuit: 'closed', concurrency: 8, ratePerSecond: 1000, paused: null });
    expect(erpView!.calls.ok).toBeGreaterThan(0);
  });

  it('keeps work queued without spending attempts while the ERP is paused, then posts each order exactly once on resume', async () => {
    const pause = await fetch(`${url}/v1/connectors/erp/pause`, { method: 'POST', headers: json, body: JSON.stringify({ reason: 'ERP upgrade' }) });
    expect(pause.status).toBe(200);
    expect((await connectors()).find((c) => c.target === 'erp')?.paused).toMatchObject({ reason: 'ERP upgrade' });

    const ids = await postOrders(url, Array.from({ length: 5 }, (_, i) => sampleOrder({ channelOrderId: `CN-PAUSED-${i}` })));
    // Long enough for every order to be tried (and refused) more than once.
    await new Promise((r) => setTimeout(r, 1_500));
    // Master data may come from the cache (validated), but nothing reaches the ERP.
    for (const id of ids) expect(['received', 'validated']).toContain(await orderState(id));
    const stats = (await t.app.store.queueStats(Date.now())).find((s) => s.queue === 'order.process');
    expect(stats).toMatchObject({ dead: 0, retrying: 0 });
    expect(stats!.queued + stats!.running).toBeGreaterThanOrEqual(5);
    const inErp = await erpRefs();
    for (const id of ids) expect(inErp).not.toContain(id);
    // The order's timeline says why it waits.
    const timeline = await t.app.store.listEvents((await t.app.store.getOrder(ids[0]!))!.messageId);
    expect(timeline.some((e) => e.error?.code === 'target.paused')).toBe(true);

    const resume = await fetch(`${url}/v1/connectors/erp/resume`, { method: 'POST' });
    expect(resume.status).toBe(200);
    for (const id of ids) await waitFor(() => orderState(id), (s) => s === 'posted', 10_000);
    const after = await erpRefs();
    for (const id of ids) expect(after.filter((ref) => ref === id)).toHaveLength(1);
    expect((await connectors()).find((c) => c.target === 'erp')?.paused).toBeNull();

    const [paused] = await t.app.store.listAudit({ limit: 1, action: 'connector.pause' });
    expect(paused).toMatchObject({ target: 'erp', before: { paused: null }, after: { paused: { reason: 'ERP upgrade' } }, detail: { reason: 'ERP upgrade' } });
    const [resumed] = await t.app.store.listAudit({ limit: 1, action: 'connector.resume' });
    expect(resumed).toMatchObject({ target: 'erp', before: { paused: { reason: 'ERP upgrade' } }, after: { paused: null } });
    expect((await fetch(`${url}/v1/connectors/erp/resume`, { method: 'POST' })).status).toBe(409);
  });

  it('refuses to pause a target crossdock does not know', async () => {
    expect((await fetch(`${url}/v1/connectors/nowhere/pause`, { method: 'POST', headers: json, body: '{}' })).status).toBe(404);
  });
});
