import { describe, expect, it } from 'vitest';
import { sampleLatency } from './latency.js';

/** A seeded generator, so the distribution test is repeatable. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('sampleLatency', () => {
  it('returns a fixed latency as given', () => {
    expect(sampleLatency(25, Math.random)).toBe(25);
  });

  it('draws a uniform latency between min and max', () => {
    expect(sampleLatency({ min: 10, max: 20 }, () => 0)).toBe(10);
    expect(sampleLatency({ min: 10, max: 20 }, () => 0.5)).toBe(15);
  });

  it('fits a log-normal distribution to p50 and p99', () => {
    const random = mulberry32(42);
    const draws = Array.from({ length: 20_000 }, () => sampleLatency({ p50: 20, p99: 200 }, random)).sort((a, b) => a - b);
    const p50 = draws[Math.floor(draws.length * 0.5)] ?? 0;
    const p99 = draws[Math.floor(draws.length * 0.99)] ?? 0;
    expect(p50).toBeGreaterThan(18);
    expect(p50).toBeLessThan(22);
    expect(p99).toBeGreaterThan(170);
    expect(p99).toBeLessThan(235);
  });

  it('gives p50 exactly when p99 equals it', () => {
    expect(sampleLatency({ p50: 7, p99: 7 }, Math.random)).toBeCloseTo(7, 9);
  });
});
