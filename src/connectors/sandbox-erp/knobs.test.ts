import { describe, expect, it } from 'vitest';
import { applyKnobsPatch, DEFAULT_KNOBS, knobsFrom } from './knobs.js';

describe('sandbox ERP knobs', () => {
  it('defaults to a well-behaved ERP', () => {
    expect(knobsFrom()).toEqual({
      latencyMs: { min: 1, max: 3 },
      errorRate: 0,
      rateCap: null,
      retryAfterFormat: 'fractional',
      outageMode: 'error',
      outageWindows: [],
      loseResponseRate: 0,
    });
  });

  it('applies a partial update over the current knobs', () => {
    const result = applyKnobsPatch({ ...DEFAULT_KNOBS }, { rateCap: 20, latencyMs: { p50: 20, p99: 200 } });
    expect(result).toMatchObject({ ok: true, knobs: { rateCap: 20, latencyMs: { p50: 20, p99: 200 }, errorRate: 0 } });
  });

  it.each([
    [{ errorRate: 1.5 }, '/errorRate'],
    [{ rateCap: 0 }, '/rateCap'],
    [{ outageMode: 'explode' }, '/outageMode'],
    [{ latencyMs: { min: 10, max: 5 } }, '/latencyMs'],
    [{ latencyMs: { p50: 100, p99: 10 } }, '/latencyMs'],
    [{ nonsense: true }, ''],
  ])('names the bad field of %j', (patch, pointer) => {
    const result = applyKnobsPatch({ ...DEFAULT_KNOBS }, patch);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.pointer)).toContain(pointer);
  });

  it('throws a readable error for bad configuration', () => {
    expect(() => knobsFrom({ errorRate: -1 })).toThrow(/\/errorRate/);
  });
});
