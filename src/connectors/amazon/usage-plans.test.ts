import { describe, expect, it } from 'vitest';
import { DEFAULT_USAGE_PLANS } from './settings.js';
import { UsageBuckets } from './usage-plans.js';

describe('UsageBuckets', () => {
  it('allows the documented burst, then one call per 1/rate seconds, following the rate Amazon reports', () => {
    let now = 0;
    const buckets = new UsageBuckets({ ...DEFAULT_USAGE_PLANS, getOrderItems: { rate: 0.5, burst: 2 } }, { now: () => now });
    expect(buckets.waitMs('getOrderItems')).toBe(0);
    buckets.take('getOrderItems');
    buckets.take('getOrderItems');
    expect(buckets.waitMs('getOrderItems')).toBe(2000);
    buckets.observeRate('getOrderItems', '2');
    expect(buckets.waitMs('getOrderItems')).toBe(500);
    now = 500;
    expect(buckets.waitMs('getOrderItems')).toBe(0);
    buckets.observeRate('getOrderItems', 'garbage');
    expect(buckets.rate('getOrderItems')).toBe(2);
  });

  it('empties the bucket after a 429 whatever it counted', () => {
    const buckets = new UsageBuckets(DEFAULT_USAGE_PLANS, { now: () => 0 });
    expect(buckets.waitMs('getOrders')).toBe(0);
    buckets.drain('getOrders');
    expect(buckets.waitMs('getOrders')).toBe(Math.ceil(1000 / 0.0167));
  });
});
