import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.js';
import { DEFAULT_INCIDENT_PLAN, incidents, nextArrivalGap, rateAt, type ArrivalPlan, type Incident } from './schedule.js';

function take(seed: number, count: number, plan = DEFAULT_INCIDENT_PLAN): Incident[] {
  const out: Incident[] = [];
  for (const incident of incidents(seededRandom(seed), plan)) {
    out.push(incident);
    if (out.length === count) break;
  }
  return out;
}

describe('demo incidents', () => {
  it('starts with a slowdown within 20 s and an outage within a minute', () => {
    const [first, second] = take(1, 2);
    expect(first).toEqual({ kind: 'slowdown', atMs: 20_000, durationMs: 30_000 });
    // Planned at 45 s, pushed after the slowdown and its quiet time.
    expect(second).toEqual({ kind: 'outage', atMs: 55_000, durationMs: 20_000 });
  });

  it('never overlaps two incidents and leaves quiet time between them', () => {
    const list = take(2, 200);
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1]!;
      expect(list[i]!.atMs).toBeGreaterThanOrEqual(before.atMs + before.durationMs + DEFAULT_INCIDENT_PLAN.quietMs);
    }
  });

  it('has a slowdown every ~2–3 minutes and an outage every ~5 minutes over an hour', () => {
    const hour = take(3, 500).filter((i) => i.atMs < 3_600_000);
    const slowdowns = hour.filter((i) => i.kind === 'slowdown').length;
    const outages = hour.filter((i) => i.kind === 'outage').length;
    expect(slowdowns).toBeGreaterThanOrEqual(18);
    expect(slowdowns).toBeLessThanOrEqual(30);
    expect(outages).toBeGreaterThanOrEqual(10);
    expect(outages).toBeLessThanOrEqual(15);
  });

  it('is the same for the same seed', () => {
    expect(take(4, 50)).toEqual(take(4, 50));
    expect(take(5, 50)).not.toEqual(take(4, 50));
  });

  it('follows short intervals for tests', () => {
    const list = take(6, 4, { ...DEFAULT_INCIDENT_PLAN, firstSlowdownMs: 500, slowdownForMs: 1_000, firstOutageMs: 1_000, outageForMs: 2_000, quietMs: 100 });
    expect(list.slice(0, 2).map((i) => [i.kind, i.atMs])).toEqual([['slowdown', 500], ['outage', 1_600]]);
  });
});

describe('demo arrivals', () => {
  const plan: ArrivalPlan = { ratePerSecond: 4, burstEveryMs: 45_000, burstForMs: 5_000, burstMultiple: 3 };

  it('bursts at three times the rate in the last seconds of each cycle', () => {
    expect(rateAt(plan, 0)).toBe(4);
    expect(rateAt(plan, 39_999)).toBe(4);
    expect(rateAt(plan, 40_000)).toBe(12);
    expect(rateAt(plan, 45_000)).toBe(4);
  });

  it('averages the steady rate between bursts', () => {
    const random = seededRandom(1);
    let total = 0;
    for (let i = 0; i < 20_000; i++) total += nextArrivalGap(random, plan, 1_000);
    expect(total / 20_000).toBeGreaterThan(240);
    expect(total / 20_000).toBeLessThan(260);
  });
});
