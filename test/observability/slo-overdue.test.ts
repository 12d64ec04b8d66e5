import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/exactly-once.js';
import { parseMetrics, samplesOf, startApp, submitOrder, untilPosted, type RunningApp } from './support.js';

let running: RunningApp;

beforeAll(async () => {
  running = await startApp({ slo: [{ name: 'posted-3s', kind: 'order-posted', withinSeconds: 3, target: 0.99 }] });
});
afterAll(async () => {
  await running.stop();
});

interface Status { good: number; total: number; overdue: number; attainment: number | null; met: boolean | null }
const slo = async () => ((await (await fetch(`${running.url}/v1/slo`)).json()) as { objectives: Status[] }).objectives[0]!;
const erpRefs = async () =>
  ((await (await fetch(`${running.url}/sandbox/erp/orders`)).json()) as { orders: { externalRef: string }[] }).orders.map((o) => o.externalRef);

describe('service level objectives while a backlog builds', () => {
  it('counts an order still unposted past its time as missed before it is posted, and once after', async () => {
    const json = { 'content-type': 'application/json' };
    expect((await fetch(`${running.url}/v1/connectors/erp/pause`, { method: 'POST', headers: json, body: JSON.stringify({ reason: 'ERP upgrade' }) })).status).toBe(200);
    const orderId = await submitOrder(running.url, 'SLO-LATE-1');
    // Within its three seconds the order is neither good nor bad yet.
    expect(await slo()).toMatchObject({ total: 0, overdue: 0, attainment: null, met: null });

    const late = await waitFor(slo, (s) => s.overdue === 1, 10_000, 50);
    expect(late).toMatchObject({ good: 0, total: 0, overdue: 1, attainment: 0, met: false });
    const scraped = parseMetrics(await (await fetch(`${running.url}/metrics`)).text());
    expect(samplesOf(scraped, 'crossdock_slo_attainment_ratio', { objective: 'posted-3s' }).map((s) => s.value)).toEqual([0]);

    expect((await fetch(`${running.url}/v1/connectors/erp/resume`, { method: 'POST' })).status).toBe(200);
    await untilPosted(running.url, orderId);
    // Posted late: one bad event, no longer overdue (once the count is read again), so not counted twice.
    const posted = await waitFor(slo, (s) => s.overdue === 0, 10_000, 100);
    expect(posted).toMatchObject({ good: 0, total: 1, overdue: 0, attainment: 0, met: false });
    expect((await erpRefs()).filter((ref) => ref === orderId)).toHaveLength(1);
  });
});
