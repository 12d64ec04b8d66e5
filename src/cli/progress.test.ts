import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { etaMs, formatDuration, interruptible, observeRate, Progress, startRate, type SignalSource } from './progress.js';

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (chunk: string) => chunks.push(chunk) } };
}

describe('rate and time left', () => {
  it('takes the first observed rate as it is', () => {
    const rate = observeRate(startRate(0, 0), 50, 1_000);
    expect(rate.perSecond).toBe(50);
    expect(etaMs(950, rate.perSecond)).toBe(19_000);
  });

  it('moves toward a new rate by the time it covered, not by how often it was observed', () => {
    let once = observeRate(startRate(0, 0), 100, 1_000);
    once = observeRate(once, 110, 11_000); // 10 s at 1/s
    let often = observeRate(startRate(0, 0), 100, 1_000);
    for (let s = 2; s <= 11; s++) often = observeRate(often, 100 + (s - 1), s * 1_000);
    // τ = 10 s: after 10 s at the new rate, 1 − e^−1 ≈ 63 % of the way from 100/s to 1/s.
    expect(once.perSecond).toBeCloseTo(1 + 99 * Math.exp(-1), 6);
    expect(often.perSecond).toBeCloseTo(once.perSecond!, 6);
  });

  it('knows no time left without a rate, and none when everything is done', () => {
    expect(etaMs(10, undefined)).toBeUndefined();
    expect(etaMs(10, 0)).toBeUndefined();
    expect(etaMs(0, undefined)).toBe(0);
  });

  it('ignores an observation that covers no time', () => {
    const rate = observeRate(startRate(0, 1_000), 10, 1_000);
    expect(rate).toEqual(startRate(0, 1_000));
  });

  it('writes durations short', () => {
    expect(formatDuration(4_400)).toBe('4s');
    expect(formatDuration(185_000)).toBe('3m05s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
  });
});

describe('Progress', () => {
  it('shows done of total, percent, rate, elapsed and time left', () => {
    let now = 0;
    const { chunks, stream } = sink();
    const progress = new Progress({ label: 'replay', total: 1000, unit: 'dead letters', stream, now: () => now });
    now = 2_000;
    progress.advance(200);
    expect(chunks.at(-1)).toBe('replay: 200/1000 dead letters  20%  100/s  elapsed 2s  left ~8s\n');
  });

  it('logs at most one line every few seconds off a terminal', () => {
    let now = 0;
    const { chunks, stream } = sink(false);
    const progress = new Progress({ label: 'replay', total: 100, stream, now: () => now, logEveryMs: 5_000 });
    for (let i = 1; i <= 10; i++) {
      now = i * 1_000;
      progress.advance(1);
    }
    expect(chunks).toHaveLength(2); // at 1 s and at 6 s
  });

  it('rewrites one line on a terminal and closes it before the summary', () => {
    let now = 0;
    const { chunks, stream } = sink(true);
    const progress = new Progress({ label: 'replay', total: 3, stream, now: () => now });
    now = 1_000;
    progress.advance(1);
    now = 2_000;
    progress.advance(2);
    progress.finish();
    expect(chunks.slice(0, 2).every((c) => c.startsWith('\r\x1b[2K') && !c.endsWith('\n'))).toBe(true);
    expect(chunks.at(-1)).toBe('replay done: 3 of 3 items in 2s (1.5/s)\n');
  });
});

describe('interruptible', () => {
  it('asks the loop to stop at the first signal and stops at once at the second', () => {
    const signals = new EventEmitter();
    const { chunks, stream } = sink();
    let forced = 0;
    const interruption = interruptible({ signals: signals as SignalSource, stream, onForce: () => forced++ });
    expect(interruption.requested).toBe(false);
    signals.emit('SIGINT');
    expect(interruption.requested).toBe(true);
    expect(chunks.join('')).toContain('stopping after the current batch');
    expect(forced).toBe(0);
    signals.emit('SIGINT');
    expect(forced).toBe(1);
  });

  it('leaves the signals alone once disposed', () => {
    const signals = new EventEmitter();
    const interruption = interruptible({ signals: signals as SignalSource, stream: sink().stream, onForce: () => undefined });
    interruption.dispose();
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });
});
