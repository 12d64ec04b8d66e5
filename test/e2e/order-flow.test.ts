import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';
import { expectExactlyOnce, postOrders, waitFor } from '../support/exactly-once.js';
import { manyOrders } from '../support/orders.js';

let t: TestApp;
let url: string;
const erp = () => `${url}/sandbox/erp`;

beforeAll(async () => {
  t = await makeTestApp({ worker: { pollMs: 20, backoffMs: 50, maxBackoffMs: 200, maxAttempts: 3 }, protection: { erp: { backoffMs: 10, breakerHalfOpenAfterMs: 200, ratePerSecond: 1000 } } });
  url = await t.app.start();
});
afterAll(async () => {
  await t.dispose();
});

async function order(id: string) {
  return (await (await fetch(`${url}/v1/orders/${id}`)).json()) as {
    state: string; erpRef: string | null; reason: { code: string; message: string; action: string } | null;
    history: { step: string; outcome: string; target?: string; attempt?: number; latencyMs?: number }[];
  };
}
const settled = (s: string) => !['received', 'validated'].includes(s);

describe('order to ERP', () => {
  it('posts the documented order to the sandbox ERP and records every step with timings', async () => {
    const [id] = await postOrders(url, [sampleOrder({ channelOrderId: 'E2E-1' })]);
    const done = await waitFor(() => order(id!), (o) => settled(o.state), 10_000);
    expect(done.state).toBe('posted');
    expect(done.erpRef).toMatch(/^SO-/);
    const steps = done.history.map((h) => h.step);
    expect(steps[0]).toBe('received');
    expect(steps).toContain('validated');
    expect(steps[steps.length - 1]).toBe('posted');
    const erpCalls = done.history.filter((h) => h.target === 'erp');
    expect(erpCalls.length).toBeGreaterThanOrEqual(2);
    for (const call of erpCalls) expect(call.latencyMs).toBeGreaterThanOrEqual(0);
    await expectExactlyOnce({ accepted: [id!], erpAdminUrl: erp(), crossdockUrl: url });
  });

  it('posts 200 orders each exactly once', async () => {
    const ids = await postOrders(url, manyOrders(200, 'E2E-MANY'));
    await waitFor(async () => Promise.all(ids.map(order)), (all) => all.every((o) => settled(o.state)), 60_000, 250);
    const before = (await (await fetch(`${erp()}/orders`)).json()) as { orders: { externalRef: string }[] };
    const mine = before.orders.filter((o) => ids.includes(o.externalRef)).map((o) => o.externalRef);
    expect(mine.sort()).toEqual([...ids].sort());
  });

  it('holds an order for an unknown SKU with a readable reason, and lists it as a dead letter', async () => {
    const [id] = await postOrders(url, [sampleOrder({ channelOrderId: 'E2E-SKU', lines: [{ sku: 'SKU-NOPE', quantity: 1, uom: 'EA', unitPrice: '1.00' }] })]);
    const held = await waitFor(() => order(id!), (o) => settled(o.state), 10_000);
    expect(held.state).toBe('held');
    expect(held.reason?.code).toBe('sku.unknown');
    expect(held.reason?.message).toContain('SKU-NOPE');
    expect(held.reason?.action).toMatch(/replay/);
    const letters = (await (await fetch(`${url}/v1/dead-letters?code=sku.unknown`)).json()) as { items: { orderId: string; reason: string }[] };
    expect(letters.items.map((l) => l.orderId)).toContain(id);
    const erpOrders = (await (await fetch(`${erp()}/orders`)).json()) as { orders: { externalRef: string }[] };
    expect(erpOrders.orders.map((o) => o.externalRef)).not.toContain(id);
  });

  it('holds an order of a customer on credit hold, never retrying it', async () => {
    const [id] = await postOrders(url, [sampleOrder({ channelOrderId: 'E2E-CREDIT', customer: { accountId: 'C-300' } })]);
    const held = await waitFor(() => order(id!), (o) => settled(o.state), 10_000);
    expect(held.state).toBe('held');
    expect(held.reason?.code).toBe('customer.credit-hold');
  });

  it('holds an order the ERP refuses for credit, with the ERP message', async () => {
    const [id] = await postOrders(url, [sampleOrder({ channelOrderId: 'E2E-LIMIT', customer: { accountId: 'C-200' }, lines: [{ sku: 'SKU-1', quantity: 100, uom: 'EA', unitPrice: '10.00' }] })]);
    const held = await waitFor(() => order(id!), (o) => settled(o.state), 10_000);
    expect(held.state).toBe('held');
    expect(held.reason?.code).toBe('customer.credit-hold');
  });

  it('dead-letters an order when the ERP stays down, then posts it exactly once on replay', async () => {
    await fetch(`${erp()}/outage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ durationMs: 60_000 }) });
    try {
      const [id] = await postOrders(url, [sampleOrder({ channelOrderId: 'E2E-DOWN' })]);
      const failed = await waitFor(() => order(id!), (o) => settled(o.state), 30_000);
      expect(failed.state).toBe('failed');
      expect(failed.reason?.code).toMatch(/^target\./);
      const letters = (await (await fetch(`${url}/v1/dead-letters`)).json()) as { items: { id: string; orderId: string; action: string }[] };
      const letter = letters.items.find((l) => l.orderId === id);
      expect(letter?.action).toBeTruthy();
      await fetch(`${erp()}/outage`, { method: 'DELETE' });
      const replay = await fetch(`${url}/v1/dead-letters/${letter!.id}/replay`, { method: 'POST' });
      expect(replay.status).toBe(202);
      const posted = await waitFor(() => order(id!), (o) => o.state === 'posted', 15_000);
      expect(posted.history.map((h) => h.step)).toContain('replayed');
      const again = await fetch(`${url}/v1/dead-letters/${letter!.id}/replay`, { method: 'POST' });
      expect(again.status).toBe(409);
      const erpOrders = (await (await fetch(`${erp()}/orders`)).json()) as { orders: { externalRef: string }[] };
      expect(erpOrders.orders.filter((o) => o.externalRef === id)).toHaveLength(1);
    } finally {
      await fetch(`${erp()}/outage`, { method: 'DELETE' });
    }
  });

  it('exposes the metrics the operations team watches', async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const name of [
      'crossdock_orders_accepted_total{channel="b2b-portal"}', 'crossdock_orders_posted_total{channel="b2b-portal"}',
      'crossdock_orders_held_total{channel="b2b-portal",code="sku.unknown"}', 'crossdock_queue_depth', 'crossdock_queue_oldest_job_age_seconds',
      'crossdock_retry_backlog', 'crossdock_target_call_duration_seconds_bucket', 'crossdock_target_errors_total', 'crossdock_circuit_state{target="erp"}',
      'crossdock_orders_dead_lettered_total',
    ]) expect(text).toContain(name);
  });
});
