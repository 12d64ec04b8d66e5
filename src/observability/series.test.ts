import { readFileSync } from 'node:fs';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { quantile, SERIES } from './series-measure.js';
import { SeriesSampler, type SeriesWindow } from './series.js';

const STEP_MS = 10_000;

function setup(options: { retentionMinutes?: number; maxSeries?: number } = {}) {
  const registry = new Registry();
  let now = 1_000 * STEP_MS; // a step boundary
  const clock = { now: () => now };
  const sampler = new SeriesSampler({ registry, clock, stepSeconds: 10, ...options });
  const accepted = new Counter({ name: 'crossdock_orders_accepted_total', help: 'h', labelNames: ['channel'], registers: [registry] });
  const held = new Counter({ name: 'crossdock_orders_held_total', help: 'h', labelNames: ['channel', 'code'], registers: [registry] });
  const intake = new Histogram({ name: 'crossdock_intake_duration_seconds', help: 'h', labelNames: ['channel'], buckets: [0.1, 0.5, 1], registers: [registry] });
  const calls = new Histogram({
    name: 'crossdock_target_call_duration_seconds', help: 'h', labelNames: ['target', 'operation', 'outcome'], buckets: [0.1, 1], registers: [registry],
  });
  const circuit = new Gauge({ name: 'crossdock_circuit_state', help: 'h', labelNames: ['target'], registers: [registry] });
  const depth = new Gauge({ name: 'crossdock_queue_depth', help: 'h', labelNames: ['queue', 'status'], registers: [registry] });
  return {
    registry, sampler, accepted, held, intake, calls, circuit, depth,
    /** Moves the clock to `steps` steps after the start, plus `ms`. */
    at(steps: number, ms = 0) { now = 1_000 * STEP_MS + steps * STEP_MS + ms; },
  };
}

function points(window: SeriesWindow, name: string, key: string) {
  return window.series.find((s) => s.name === name && s.key === key)?.points;
}

describe('SeriesSampler', () => {
  it('turns counter increments into per-minute rates on step boundaries, summed over other labels', async () => {
    const t = setup();
    t.accepted.inc({ channel: 'web' }, 7); // before the sampler started: not part of any step
    await t.sampler.sampleNow();
    t.at(1, 300);
    t.accepted.inc({ channel: 'web' }, 5);
    t.held.inc({ channel: 'web', code: 'sku.unknown' }, 1);
    t.held.inc({ channel: 'web', code: 'credit.hold' }, 2);
    await t.sampler.sampleNow();
    const window = t.sampler.window(1);
    expect(window.to).toBe(1_001 * STEP_MS);
    expect(window.from).toBe(996 * STEP_MS);
    expect(points(window, 'orders.accepted', 'web')).toEqual([
      [996 * STEP_MS, null], [997 * STEP_MS, null], [998 * STEP_MS, null], [999 * STEP_MS, null],
      [1_000 * STEP_MS, 0], [1_001 * STEP_MS, 30],
    ]);
    expect(points(window, 'orders.held', 'web')?.at(-1)).toEqual([1_001 * STEP_MS, 18]);
    expect(window.series.find((s) => s.name === 'orders.accepted')).toMatchObject({ group: 'channel', unit: 'per_minute' });
  });

  it('computes p95 from the step\'s bucket increases, interpolating within the bucket', async () => {
    const t = setup();
    for (let i = 0; i < 20; i++) t.intake.observe({ channel: 'web' }, 0.05);
    await t.sampler.sampleNow();
    t.at(1);
    for (let i = 0; i < 10; i++) t.intake.observe({ channel: 'web' }, 0.05);
    for (let i = 0; i < 10; i++) t.intake.observe({ channel: 'web' }, 0.7);
    await t.sampler.sampleNow();
    t.at(2);
    await t.sampler.sampleNow();
    // This step alone: 10 ≤ 0.1, 10 in (0.5, 1]; rank 19 of 20 → 0.5 + 0.5 × 9/10. Counting
    // the 20 earlier observations would give 0.9.
    const latency = points(t.sampler.window(1), 'intake.latency_p95', 'web');
    expect(latency?.at(-2)?.[1]).toBeCloseTo(0.95, 10);
    expect(latency?.at(-1)).toEqual([1_002 * STEP_MS, null]); // no observations: no percentile
  });

  it('counts calls, errors and the error rate per target across operations', async () => {
    const t = setup();
    await t.sampler.sampleNow();
    t.at(1);
    t.calls.observe({ target: 'erp', operation: 'create', outcome: 'ok' }, 0.05);
    t.calls.observe({ target: 'erp', operation: 'find', outcome: 'ok' }, 0.05);
    t.calls.observe({ target: 'erp', operation: 'find', outcome: 'ok' }, 0.05);
    t.calls.observe({ target: 'erp', operation: 'create', outcome: 'error' }, 5);
    t.circuit.set({ target: 'erp' }, 2);
    t.depth.set({ queue: 'orders', status: 'queued' }, 4);
    t.depth.set({ queue: 'orders', status: 'dead' }, 1);
    await t.sampler.sampleNow();
    const window = t.sampler.window(1, 'target');
    expect(points(window, 'target.calls', 'erp')?.at(-1)?.[1]).toBe(24);
    expect(points(window, 'target.errors', 'erp')?.at(-1)?.[1]).toBe(6);
    expect(points(window, 'target.error_rate', 'erp')?.at(-1)?.[1]).toBe(0.25);
    expect(points(window, 'target.circuit', 'erp')?.at(-1)?.[1]).toBe(2);
    expect(window.series.every((s) => s.group === 'target')).toBe(true);
    expect(points(t.sampler.window(1, 'queue'), 'queue.depth', 'orders')?.at(-1)?.[1]).toBe(4);
    expect(t.sampler.current()).toEqual({
      circuits: [{ target: 'erp', state: 'open' }],
      queues: [{ queue: 'orders', queued: 4, running: 0, dead: 1, oldestAgeSeconds: 0 }],
    });
  });

  it('never shows a negative rate when a counter starts again from zero', async () => {
    const t = setup();
    await t.sampler.sampleNow();
    t.at(1);
    t.accepted.inc({ channel: 'web' }, 10);
    t.intake.observe({ channel: 'web' }, 0.7);
    await t.sampler.sampleNow();
    t.registry.resetMetrics();
    t.at(2);
    t.accepted.inc({ channel: 'web' }, 2);
    t.intake.observe({ channel: 'web' }, 0.05);
    await t.sampler.sampleNow();
    const window = t.sampler.window(1);
    expect(points(window, 'orders.accepted', 'web')?.slice(-2).map((p) => p[1])).toEqual([60, 12]);
    expect(points(window, 'intake.latency_p95', 'web')?.at(-1)?.[1]).toBeCloseTo(0.095, 10);
  });

  it('lets a second sample in the same step replace the first instead of splitting the step', async () => {
    const t = setup();
    await t.sampler.sampleNow();
    t.at(1, 100);
    t.accepted.inc({ channel: 'web' }, 1);
    await t.sampler.sampleNow();
    t.at(1, 9_000);
    t.accepted.inc({ channel: 'web' }, 2);
    await t.sampler.sampleNow();
    t.at(2, 100);
    t.accepted.inc({ channel: 'web' }, 1);
    await t.sampler.sampleNow();
    expect(points(t.sampler.window(1), 'orders.accepted', 'web')?.slice(-2).map((p) => p[1])).toEqual([18, 6]);
  });

  it('leaves steps without a sample as null and spreads the increase over the steps it spans', async () => {
    const t = setup();
    await t.sampler.sampleNow();
    t.at(1);
    t.accepted.inc({ channel: 'web' }, 1);
    await t.sampler.sampleNow();
    t.at(4); // the process was busy or suspended for two steps
    t.accepted.inc({ channel: 'web' }, 9);
    await t.sampler.sampleNow();
    expect(points(t.sampler.window(1), 'orders.accepted', 'web')?.slice(-4).map((p) => p[1])).toEqual([6, null, null, 18]);
    t.at(7); // nothing sampled since: the window runs to now, in gaps
    expect(t.sampler.window(1).to).toBe(1_007 * STEP_MS);
    expect(points(t.sampler.window(1), 'orders.accepted', 'web')?.slice(-4).map((p) => p[1])).toEqual([18, null, null, null]);
  });

  it('keeps only the retention in a ring: old steps are overwritten, never read as new ones', async () => {
    const t = setup({ retentionMinutes: 1 }); // 6 slots
    for (let step = 0; step <= 9; step++) {
      t.at(step);
      t.accepted.inc({ channel: 'web' }, step);
      await t.sampler.sampleNow();
    }
    const window = t.sampler.window(60);
    expect(window.from).toBe(1_004 * STEP_MS);
    expect(points(window, 'orders.accepted', 'web')?.map((p) => p[1])).toEqual([4, 5, 6, 7, 8, 9].map((n) => n * 6));
    t.at(13); // steps 10-12 missed: their slots still hold steps 4-6, which must not show; 1 over 4 steps
    t.accepted.inc({ channel: 'web' }, 1);
    await t.sampler.sampleNow();
    expect(points(t.sampler.window(60), 'orders.accepted', 'web')?.map((p) => p[1])).toEqual([8 * 6, 9 * 6, null, null, null, 1.5]);
  });

  it('caps the number of series, dropping the least recently active one', async () => {
    const t = setup({ maxSeries: 2 });
    await t.sampler.sampleNow();
    t.at(1);
    t.accepted.inc({ channel: 'a' });
    t.accepted.inc({ channel: 'b' });
    await t.sampler.sampleNow();
    t.at(2);
    t.accepted.inc({ channel: 'a' }); // b goes quiet
    await t.sampler.sampleNow();
    t.at(3);
    t.accepted.inc({ channel: 'a' });
    t.accepted.inc({ channel: 'c' });
    await t.sampler.sampleNow();
    expect(t.sampler.size).toBe(2);
    expect(t.sampler.window(1).series.map((s) => s.key).sort()).toEqual(['a', 'c']);
  });

  it('merges steps past 720 points: rates averaged, gauges at their highest', async () => {
    const t = setup();
    await t.sampler.sampleNow();
    for (let step = 1; step <= 6; step++) {
      t.at(step);
      t.accepted.inc({ channel: 'web' }, step); // 6, 12, … 36 a minute
      t.circuit.set({ target: 'erp' }, step === 4 ? 2 : 0);
      await t.sampler.sampleNow();
    }
    const window = t.sampler.window(360); // 2,160 steps → 720 points of 3 steps
    expect(window.stepSeconds).toBe(30);
    expect(window.to).toBe(1_005 * STEP_MS); // 1,005 = 335 × 3: the bucket holding step 1,006
    expect(points(window, 'orders.accepted', 'web')).toHaveLength(720);
    expect(points(window, 'orders.accepted', 'web')?.slice(-3)).toEqual([
      [999 * STEP_MS, 6], [1_002 * STEP_MS, (12 + 18 + 24) / 3], [1_005 * STEP_MS, (30 + 36) / 2],
    ]);
    expect(points(window, 'target.circuit', 'erp')?.slice(-3).map((p) => p[1])).toEqual([0, 2, 0]);
  });

  it('takes the first sample at start and then one per step until stopped', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'crossdock_orders_accepted_total', help: 'h', labelNames: ['channel'], registers: [registry] });
    counter.inc({ channel: 'web' });
    const sampler = new SeriesSampler({ registry, clock: { now: () => Date.now() }, stepSeconds: 0.1 });
    await sampler.start();
    expect(points(sampler.window(1), 'orders.accepted', 'web')?.at(-1)?.[1]).toBe(0);
    counter.inc({ channel: 'web' }, 3);
    await new Promise((resolve) => setTimeout(resolve, 450));
    await sampler.stop();
    const series = points(sampler.window(1), 'orders.accepted', 'web')!;
    expect(series.filter((p) => p[1] !== null).length).toBeGreaterThanOrEqual(4);
    // Back from per-minute rates to orders: a point after a gap covers the steps it spans.
    let orders = 0;
    let spanned = 1;
    let seen = false;
    for (const [, value] of series) {
      if (value === null) { if (seen) spanned += 1; continue; }
      orders += (value * 0.1 * spanned) / 60;
      spanned = 1;
      seen = true;
    }
    expect(orders).toBeCloseTo(3, 6);
  });
});

describe('SeriesSampler failures', () => {
  it('reports a failed sample at start instead of throwing, and keeps sampling', async () => {
    const registry = new Registry();
    let fail = true;
    new Gauge({
      name: 'crossdock_queue_depth', help: 'h', labelNames: ['queue', 'status'], registers: [registry],
      collect() {
        if (fail) throw new Error('store is busy');
        this.set({ queue: 'orders', status: 'queued' }, 2);
      },
    });
    const errors: unknown[] = [];
    const sampler = new SeriesSampler({ registry, clock: { now: () => Date.now() }, stepSeconds: 0.05, onError: (e) => errors.push(e) });
    await sampler.start();
    expect(errors).toHaveLength(1);
    fail = false;
    await new Promise((resolve) => setTimeout(resolve, 150));
    await sampler.stop();
    expect(sampler.current().queues).toEqual([{ queue: 'orders', queued: 2, running: 0, dead: 0, oldestAgeSeconds: 0 }]);
  });
});

describe('quantile', () => {
  it('interpolates within the bucket and caps at the highest finite bound', () => {
    expect(quantile(0.5, new Map([[1, 0], [2, 10], [Infinity, 10]]))).toBe(1.5);
    expect(quantile(0.95, new Map([[1, 0], [2, 0], [Infinity, 4]]))).toBe(2);
    expect(quantile(0.95, new Map([[1, 0], [Infinity, 0]]))).toBeNull();
  });
});

describe('docs/console.md', () => {
  it('lists every dashboard series with its group and unit, and no other', () => {
    const docs = readFileSync(new URL('../../docs/console.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('## Dashboard series'));
    const rows = [...section.matchAll(/^\| `([a-z_.0-9]+)` \| (\w+) \| (\w+) \|/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(rows).toEqual(SERIES.map((s) => `${s.name} ${s.group} ${s.unit}`));
  });
});
