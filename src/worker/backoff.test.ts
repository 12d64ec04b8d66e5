import { describe, expect, it } from 'vitest';
import { jobRetryDelay } from './backoff.js';

describe('job retry delay', () => {
  it('doubles per attempt within half and all of the exponential step', () => {
    const low = (a: number) => jobRetryDelay(a, { baseMs: 1000, maxMs: 60_000, random: () => 0 });
    const high = (a: number) => jobRetryDelay(a, { baseMs: 1000, maxMs: 60_000, random: () => 1 });
    expect([low(1), low(2), low(3)]).toEqual([500, 1000, 2000]);
    expect([high(1), high(2), high(3)]).toEqual([1000, 2000, 4000]);
  });

  it('never exceeds the cap', () => {
    expect(jobRetryDelay(40, { baseMs: 1000, maxMs: 60_000, random: () => 1 })).toBe(60_000);
  });

  it('waits at least as long as the target asked', () => {
    expect(jobRetryDelay(1, { baseMs: 100, maxMs: 60_000, random: () => 0, retryAfterMs: 7000 })).toBe(7000);
  });
});
