import { describe, expect, it } from 'vitest';
import { MemoryRateBudget } from './memory-budget.js';
import { createProtectionPolicy } from './policy.js';
import { DEFAULT_PROTECTION } from './types.js';

// Real clock and real timers: this is the one place the spacing is measured, not simulated.
describe('shared rate limit', () => {
  it('spaces 50 concurrent calls at 100 per second, burst 1, about 10 ms apart over about half a second', async () => {
    const budget = new MemoryRateBudget();
    const granted: number[] = [];
    const reserve = budget.reserveRateSlot.bind(budget);
    budget.reserveRateSlot = async (request) => {
      const slot = await reserve(request);
      if (slot.granted) granted.push(slot.at);
      return slot;
    };
    // Two policies on one budget stand for two crossdock processes sharing the limit.
    const settings = { ...DEFAULT_PROTECTION, ratePerSecond: 100, burst: 1, concurrency: 50 };
    const processes = [createProtectionPolicy('erp', settings, { budget }), createProtectionPolicy('erp', settings, { budget })];

    const startedAt: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        processes[i % 2]!.execute('op', async () => void startedAt.push(Date.now()), { correlationId: `c${i}` }),
      ),
    );
    const total = performance.now() - t0;

    // The schedule handed out: exactly one slot every 10 ms, never two closer.
    const slots = [...granted].sort((a, b) => a - b);
    const scheduleGaps = slots.slice(1).map((at, i) => at - slots[i]!);
    expect(slots).toHaveLength(50);
    expect(Math.min(...scheduleGaps)).toBeGreaterThanOrEqual(10 - 1e-6);

    // What happened: a call waits for its slot before it starts. Timers may fire late (which
    // only spreads calls out) but not early, beyond millisecond rounding, so the k-th call to
    // start did not start before the k-th slot: no burst above the rate reached the target.
    const starts = [...startedAt].sort((a, b) => a - b);
    starts.forEach((start, k) => expect(start).toBeGreaterThanOrEqual(slots[k]! - 2));
    expect(total).toBeGreaterThanOrEqual(480);
    expect(total).toBeLessThan(2_000);
  });
});
