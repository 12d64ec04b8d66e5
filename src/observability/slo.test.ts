import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { resolveObjectives } from './config-schema.js';
import { SloRecorder } from './slo.js';

function recorder() {
  let now = Date.UTC(2026, 10, 22, 10, 0, 0);
  const objectives = resolveObjectives([
    { name: 'posted-5m', kind: 'order-posted', withinSeconds: 300, target: 0.5, windowMinutes: 10 },
    { name: 'shop-inventory-60s', kind: 'inventory-published', withinSeconds: 60, target: 0.99, channel: 'shop' },
  ], []);
  const registry = new Registry();
  const slo = new SloRecorder(objectives, registry, () => now);
  return { slo, registry, advance: (ms: number) => (now += ms) };
}

const status = (slo: SloRecorder, name: string) => slo.snapshot().find((s) => s.name === name)!;

describe('SloRecorder', () => {
  it('counts an event slower than the objective as bad and one within it as good', () => {
    const { slo } = recorder();
    slo.record('order-posted', 'shop', 299);
    slo.record('order-posted', 'b2b', 301);
    slo.record('order-posted', 'b2b', 300);
    expect(status(slo, 'posted-5m')).toMatchObject({ good: 2, total: 3, attainment: 2 / 3, met: true, withinSeconds: 300, windowMinutes: 10 });
  });

  it('counts only the kind and channel an objective names', () => {
    const { slo } = recorder();
    slo.record('inventory-published', 'other', 1);
    slo.record('order-posted', 'shop', 1);
    expect(status(slo, 'shop-inventory-60s')).toMatchObject({ good: 0, total: 0, attainment: null, met: null });
    slo.record('inventory-published', 'shop', 61);
    expect(status(slo, 'shop-inventory-60s')).toMatchObject({ good: 0, total: 1, attainment: 0, met: false, channel: 'shop' });
  });

  it('forgets events once they fall out of the trailing window', () => {
    const { slo, advance } = recorder();
    slo.record('order-posted', 'shop', 900);
    advance(5 * 60_000);
    slo.record('order-posted', 'shop', 1);
    expect(status(slo, 'posted-5m')).toMatchObject({ good: 1, total: 2 });
    advance(6 * 60_000);
    expect(status(slo, 'posted-5m')).toMatchObject({ good: 1, total: 1, attainment: 1 });
    advance(11 * 60_000);
    expect(status(slo, 'posted-5m')).toMatchObject({ total: 0, attainment: null });
  });

  it('counts overdue events as bad for the objectives their counter knows, over the window before their time', async () => {
    const now = Date.UTC(2026, 10, 22, 10, 0, 0);
    const asked: [string, number, number][] = [];
    const objectives = resolveObjectives([
      { name: 'posted-5m', kind: 'order-posted', withinSeconds: 300, target: 0.5, windowMinutes: 10 },
      { name: 'inventory-60s', kind: 'inventory-published', withinSeconds: 60, target: 0.99 },
    ], []);
    const slo = new SloRecorder(objectives, new Registry(), () => now, async (o, from, before) => {
      asked.push([o.name, from, before]);
      return o.kind === 'order-posted' ? 3 : 0;
    });
    slo.record('order-posted', 'shop', 1);
    const [posted, inventory] = await slo.status();
    expect(posted).toMatchObject({ good: 1, total: 1, overdue: 3, attainment: 0.25, met: false });
    expect(inventory).toMatchObject({ total: 0, overdue: 0, attainment: null, met: null });
    expect(asked[0]).toEqual(['posted-5m', now - 10 * 60_000, now - 300_000]);
    // Read again at once, the counts are not asked for again.
    await slo.status();
    expect(asked).toHaveLength(2);
    // The in-process counts alone stay as they were.
    expect(slo.snapshot()[0]).toMatchObject({ good: 1, total: 1, overdue: 0, attainment: 1 });
  });

  it('shows this process\'s counts when the overdue ones cannot be read', async () => {
    const objectives = resolveObjectives([{ name: 'posted-5m', kind: 'order-posted', withinSeconds: 300, target: 0.5 }], []);
    const slo = new SloRecorder(objectives, new Registry(), () => 0, () => Promise.reject(new Error('store closed')));
    slo.record('order-posted', 'shop', 1);
    expect((await slo.status())[0]).toMatchObject({ good: 1, total: 1, overdue: 0, attainment: 1, met: true });
  });

  it('exports good and bad counters that keep counting after the window moves on', async () => {
    const { slo, registry, advance } = recorder();
    slo.record('order-posted', 'shop', 1);
    slo.record('order-posted', 'shop', 1_000);
    advance(60 * 60_000);
    const text = await registry.metrics();
    expect(text).toContain('crossdock_slo_events_total{objective="posted-5m",outcome="good"} 1');
    expect(text).toContain('crossdock_slo_events_total{objective="posted-5m",outcome="bad"} 1');
    expect(text).toContain('crossdock_slo_target_ratio{objective="shop-inventory-60s"} 0.99');
    expect(text).not.toMatch(/crossdock_slo_attainment_ratio\{/);
  });
});
