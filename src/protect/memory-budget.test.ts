import { describe, expect, it } from 'vitest';
import { MemoryRateBudget } from './memory-budget.js';

const slot = (now: number, overrides: Partial<{ target: string; burst: number; maxWaitMs: number }> = {}) => ({
  target: overrides.target ?? 'erp',
  intervalMs: 100,
  burst: overrides.burst ?? 1,
  maxWaitMs: overrides.maxWaitMs ?? 10_000,
  now,
});

describe('MemoryRateBudget', () => {
  it('grants an idle target a slot at once', async () => {
    const budget = new MemoryRateBudget();
    expect(await budget.reserveRateSlot(slot(1_000))).toEqual({ granted: true, at: 1_000 });
  });

  it('spaces back-to-back reservations one interval apart when burst is 1', async () => {
    const budget = new MemoryRateBudget();
    const ats: number[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await budget.reserveRateSlot(slot(1_000));
      if (!result.granted) throw new Error('expected a slot');
      ats.push(result.at);
    }
    expect(ats).toEqual([1_000, 1_100, 1_200, 1_300]);
  });

  it('lets a burst of calls go at once, then returns to the steady interval', async () => {
    const budget = new MemoryRateBudget();
    const ats: number[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await budget.reserveRateSlot(slot(1_000, { burst: 3 }));
      if (result.granted) ats.push(result.at);
    }
    expect(ats).toEqual([1_000, 1_000, 1_000, 1_100, 1_200]);
  });

  it('does not bank unused time beyond the burst after an idle period', async () => {
    const budget = new MemoryRateBudget();
    await budget.reserveRateSlot(slot(1_000));
    const later = await budget.reserveRateSlot(slot(60_000));
    const next = await budget.reserveRateSlot(slot(60_000));
    expect(later).toEqual({ granted: true, at: 60_000 });
    expect(next).toEqual({ granted: true, at: 60_100 });
  });

  it('refuses a slot further away than maxWaitMs and says how far it is, without consuming it', async () => {
    const budget = new MemoryRateBudget();
    for (let i = 0; i < 3; i++) await budget.reserveRateSlot(slot(0, { maxWaitMs: 250 }));
    const refused = await budget.reserveRateSlot(slot(0, { maxWaitMs: 250 }));
    expect(refused).toEqual({ granted: false, retryInMs: 300 });
    // The refusal left the schedule as it was: the slot at 300 is still the next one.
    expect(await budget.reserveRateSlot(slot(0, { maxWaitMs: 300 }))).toEqual({ granted: true, at: 300 });
  });

  it('keeps each target on its own schedule', async () => {
    const budget = new MemoryRateBudget();
    await budget.reserveRateSlot(slot(0, { target: 'erp' }));
    expect(await budget.reserveRateSlot(slot(0, { target: 'wms' }))).toEqual({ granted: true, at: 0 });
  });

  it('holds every slot back until a deferral passes, even within the burst', async () => {
    const budget = new MemoryRateBudget();
    await budget.deferRate('erp', 5_000);
    const first = await budget.reserveRateSlot(slot(1_000, { burst: 3 }));
    expect(first).toEqual({ granted: true, at: 5_000 });
    expect(await budget.reserveRateSlot(slot(1_000, { burst: 3, maxWaitMs: 1_000 }))).toEqual({
      granted: false,
      retryInMs: 4_000,
    });
  });

  it('never moves a deferral earlier', async () => {
    const budget = new MemoryRateBudget();
    await budget.deferRate('erp', 5_000);
    await budget.deferRate('erp', 2_000);
    expect(await budget.reserveRateSlot(slot(0))).toEqual({ granted: true, at: 5_000 });
  });

  it('forgets a deferral once it has passed', async () => {
    const budget = new MemoryRateBudget();
    await budget.deferRate('erp', 5_000);
    expect(await budget.reserveRateSlot(slot(9_000))).toEqual({ granted: true, at: 9_000 });
  });
});
