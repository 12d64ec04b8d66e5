import { describe, expect, it } from 'vitest';
import { FaultInjector, formatRetryAfter } from './faults.js';
import { knobsFrom } from './knobs.js';

function setup(patch: Record<string, unknown>, draws: number[] = []) {
  let now = 1_000_000;
  const clock = { now: () => now };
  const random = () => draws.shift() ?? 0.5;
  const faults = new FaultInjector(knobsFrom({ latencyMs: 0, ...patch }), clock, random);
  return { faults, advance: (ms: number) => (now += ms) };
}

describe('FaultInjector', () => {
  it('serves calls up to the rate cap per sliding second, then says when to come back', () => {
    const { faults, advance } = setup({ rateCap: 3 });
    expect(faults.admit()).toMatchObject({ kind: 'serve', servedInWindow: 1 });
    advance(100);
    faults.admit();
    advance(100);
    faults.admit();
    advance(100);
    expect(faults.admit()).toEqual({ kind: 'rate-limited', retryAfterMs: 700, retryAfter: '0.7' });
    advance(700);
    expect(faults.admit()).toMatchObject({ kind: 'serve', servedInWindow: 3 });
  });

  it('writes Retry-After as integer seconds when asked', () => {
    expect(formatRetryAfter(700, 'integer')).toBe('1');
    expect(formatRetryAfter(1200, 'integer')).toBe('2');
    expect(formatRetryAfter(200, 'fractional')).toBe('0.2');
    expect(formatRetryAfter(0.2, 'fractional')).toBe('0.001');
  });

  it('refuses every call inside an outage window and none outside it', () => {
    const { faults, advance } = setup({ outageMode: 'drop', outageWindows: [{ afterMs: 1000, durationMs: 500 }] });
    expect(faults.admit().kind).toBe('serve');
    advance(1000);
    expect(faults.admit()).toEqual({ kind: 'outage', mode: 'drop' });
    advance(499);
    expect(faults.admit().kind).toBe('outage');
    advance(1);
    expect(faults.admit().kind).toBe('serve');
    expect(faults.outages()).toEqual([]);
  });

  it('starts and ends an outage on demand', () => {
    const { faults } = setup({});
    faults.startOutage(10_000);
    expect(faults.admit()).toEqual({ kind: 'outage', mode: 'error' });
    faults.endOutages();
    expect(faults.admit().kind).toBe('serve');
  });

  it('does not count refused calls against the rate cap', () => {
    const { faults, advance } = setup({ rateCap: 1 });
    faults.startOutage(100);
    faults.admit();
    faults.admit();
    advance(100);
    expect(faults.admit()).toMatchObject({ kind: 'serve', servedInWindow: 1 });
  });

  it('fails a call when the draw falls under the error rate', () => {
    // Each admission draws latency first (fixed: no draw), then the error draw.
    const { faults } = setup({ errorRate: 0.3 }, [0.29, 0.31]);
    expect(faults.admit()).toMatchObject({ kind: 'serve', fail: true });
    expect(faults.admit()).toMatchObject({ kind: 'serve', fail: false });
  });

  it('loses a response when the draw falls under loseResponseRate', () => {
    const { faults } = setup({ loseResponseRate: 0.5 }, [0.2, 0.8]);
    expect(faults.loseResponse()).toBe(true);
    expect(faults.loseResponse()).toBe(false);
  });

  it('keeps its knobs when an update is invalid', () => {
    const { faults } = setup({ rateCap: 5 });
    expect(faults.update({ rateCap: -1 }).ok).toBe(false);
    expect(faults.knobs.rateCap).toBe(5);
    expect(faults.update({ errorRate: 0.1 }).ok).toBe(true);
    expect(faults.knobs).toMatchObject({ rateCap: 5, errorRate: 0.1 });
  });
});
