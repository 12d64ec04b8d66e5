import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';
import { postOrders, waitFor } from '../support/exactly-once.js';

let t: TestApp;
let url: string;

beforeAll(async () => {
  t = await makeTestApp({ worker: { pollMs: 20, backoffMs: 50, maxBackoffMs: 200, maxAttempts: 3 } });
  url = await t.app.start();
});
afterAll(async () => {
  await t.dispose();
});

interface Series { name: string; group: string; key: string; unit: string; points: [number, number | null][] }
interface Dashboard {
  stepSeconds: number; from: number; to: number; series: Series[];
  current: { circuits: { target: string; state: string }[]; queues: { queue: string; queued: number; running: number; dead: number; oldestAgeSeconds: number }[] };
}

async function dashboard(query = ''): Promise<Dashboard> {
  const res = await t.app.http.inject({ method: 'GET', url: `/v1/dashboard${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

function find(d: Dashboard, name: string, key: string): Series {
  const series = d.series.find((s) => s.name === name && s.key === key);
  if (!series) throw new Error(`no series ${name} ${key}: ${d.series.map((s) => `${s.name} ${s.key}`).join(', ')}`);
  return series;
}

/** From per-minute rates back to events; a point after a gap (not the first one) covers the steps it spans. */
function total(series: Series, stepSeconds: number): number {
  let sum = 0;
  let spanned = 1;
  let seen = false;
  for (const [, value] of series.points) {
    if (value === null) { if (seen) spanned += 1; continue; }
    sum += (value * stepSeconds * spanned) / 60;
    spanned = 1;
    seen = true;
  }
  return sum;
}

async function order(id: string) {
  return (await (await fetch(`${url}/v1/orders/${id}`)).json()) as { state: string };
}

describe('GET /v1/dashboard', () => {
  it('charts the orders accepted, posted and held per channel, ERP calls and queues from one sample', async () => {
    const ids = await postOrders(url, [
      sampleOrder({ channelOrderId: 'DASH-1' }),
      sampleOrder({ channelOrderId: 'DASH-2' }),
      sampleOrder({ channelOrderId: 'DASH-3', lines: [{ sku: 'SKU-NOPE', quantity: 1, uom: 'EA', unitPrice: '1.00' }] }),
    ]);
    await waitFor(async () => Promise.all(ids.map(order)), (all) => all.every((o) => o.state === 'posted' || o.state === 'held'), 15_000);
    await t.app.series.sampleNow();

    const d = await dashboard('?minutes=5');
    expect(d.stepSeconds).toBe(10);
    expect(d.series.length).toBeGreaterThan(0);
    for (const s of d.series) {
      expect(s.points).toHaveLength(30);
      expect(s.points[0]![0]).toBe(d.from);
      expect(s.points.at(-1)![0]).toBe(d.to);
      for (const [at] of s.points) expect(at % 10_000).toBe(0);
    }
    expect(d.to).toBeLessThanOrEqual(Date.now());
    expect(d.to).toBeGreaterThan(Date.now() - 20_000);

    const accepted = find(d, 'orders.accepted', 'b2b-portal');
    expect(accepted).toMatchObject({ group: 'channel', unit: 'per_minute' });
    expect(total(accepted, d.stepSeconds)).toBeCloseTo(3, 6);
    expect(total(find(d, 'orders.posted', 'b2b-portal'), d.stepSeconds)).toBeCloseTo(2, 6);
    expect(total(find(d, 'orders.held', 'b2b-portal'), d.stepSeconds)).toBeCloseTo(1, 6);
    expect(find(d, 'intake.latency_p95', 'b2b-portal').points.some(([, v]) => v !== null && v > 0)).toBe(true);

    expect(total(find(d, 'target.calls', 'erp'), d.stepSeconds)).toBeGreaterThanOrEqual(2);
    expect(find(d, 'target.latency_p95', 'erp').points.some(([, v]) => v !== null && v > 0)).toBe(true);
    expect(find(d, 'target.circuit', 'erp').points.at(-1)![1]).toBe(0);
    expect(d.current.circuits).toContainEqual({ target: 'erp', state: 'closed' });
    expect(find(d, 'queue.depth', 'order.process')).toMatchObject({ group: 'queue', unit: 'count' });
    expect(d.current.queues).toContainEqual(expect.objectContaining({ queue: 'order.process', queued: 0, running: 0 }));
  });

  it('answers one group only when asked', async () => {
    const d = await dashboard('?group=target');
    expect(d.series.length).toBeGreaterThan(0);
    expect(new Set(d.series.map((s) => s.group))).toEqual(new Set(['target']));
    expect(find(d, 'target.calls', 'erp').points).toHaveLength(360);
  });

  it('documents the series list in the OpenAPI description', async () => {
    const doc = (await t.app.http.inject({ method: 'GET', url: '/docs/json' })).json();
    const route = doc.paths['/v1/dashboard'].get;
    expect(route.tags).toEqual(['dashboard']);
    for (const name of ['orders.accepted', 'target.error_rate', 'queue.oldest_age', 'warehouse.level_changes']) {
      expect(route.description).toContain(`\`${name}\``);
    }
  });

  it('refuses a window outside 1–360 minutes, naming the field', async () => {
    for (const minutes of ['0', '361', 'abc', '1.5']) {
      const res = await t.app.http.inject({ method: 'GET', url: `/v1/dashboard?minutes=${minutes}` });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().errors[0].pointer).toBe('/querystring/minutes');
    }
  });
});
