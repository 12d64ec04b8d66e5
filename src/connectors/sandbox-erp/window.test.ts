import { describe, expect, it } from 'vitest';
import { SlidingWindow } from './window.js';

describe('SlidingWindow', () => {
  it('counts the events of the last second, forgetting those exactly one second old', () => {
    const window = new SlidingWindow(1000, 2);
    expect(window.add(0)).toBe(1);
    expect(window.add(400)).toBe(2);
    expect(window.add(999)).toBe(3);
    expect(window.count(1000)).toBe(2);
    expect(window.oldest(1000)).toBe(400);
    expect(window.count(2000)).toBe(0);
    expect(window.oldest(2000)).toBeUndefined();
  });

  it('grows past its initial capacity and keeps arrival order', () => {
    const window = new SlidingWindow(1000, 1);
    for (let t = 0; t < 100; t++) window.add(500 + t);
    expect(window.count(599)).toBe(100);
    expect(window.count(1550)).toBe(49);
    expect(window.oldest(1550)).toBe(551);
  });

  it('finds a burst that straddles a clock-second boundary', () => {
    // 5 calls at .8 s and 5 at 1.2 s: 5 per calendar second, but 10 in one sliding second.
    const window = new SlidingWindow(1000);
    let peak = 0;
    for (const t of [800, 810, 820, 830, 840, 1200, 1210, 1220, 1230, 1240]) peak = Math.max(peak, window.add(t));
    expect(peak).toBe(10);
  });
});
