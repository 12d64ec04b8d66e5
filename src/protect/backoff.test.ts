import { describe, expect, it } from 'vitest';
import { fullJitterBackoff } from './backoff.js';

describe('fullJitterBackoff', () => {
  it('doubles the ceiling with each retry', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4].map((retry) => fullJitterBackoff(retry, 200, 60_000, top))).toEqual([199, 399, 799, 1599]);
  });

  it('draws uniformly below the ceiling', () => {
    expect(fullJitterBackoff(3, 200, 60_000, () => 0.5)).toBe(400);
    expect(fullJitterBackoff(3, 200, 60_000, () => 0)).toBe(0);
  });

  it('never exceeds the cap, however many retries', () => {
    expect(fullJitterBackoff(40, 200, 5_000, () => 0.999_999)).toBeLessThan(5_000);
  });
});
