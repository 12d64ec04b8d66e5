import { describe, expect, it } from 'vitest';
import { graphqlWaitMs, readThrottleStatus, restHoldOffUntil } from './rate-signals.js';

describe('Shopify rate signals', () => {
  it('holds REST calls back only when the bucket is within its headroom, for as long as the leak needs', () => {
    expect(restHoldOffUntil('20/40', 1000)).toBeUndefined();
    expect(restHoldOffUntil('36/40', 1000)).toBeUndefined();
    expect(restHoldOffUntil('39/40', 1000)).toBe(1000 + 1500); // 3 over 36, leaking 2/s
    expect(restHoldOffUntil('400/400', 0)).toBe(2000); // Plus: 40 over 360 at 20/s
    expect(restHoldOffUntil(null, 0)).toBeUndefined();
    expect(restHoldOffUntil('garbage', 0)).toBeUndefined();
  });

  it('reads throttleStatus and computes the wait until a query fits', () => {
    const cost = readThrottleStatus({ cost: { requestedQueryCost: 52, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 12, restoreRate: 100 } } });
    expect(cost).toEqual({ requestedQueryCost: 52, status: { maximumAvailable: 2000, currentlyAvailable: 12, restoreRate: 100 } });
    expect(graphqlWaitMs(cost!.status, 52)).toBe(400);
    expect(graphqlWaitMs(cost!.status, 52, 400)).toBe(0);
    expect(graphqlWaitMs(cost!.status, 10)).toBe(0);
    expect(readThrottleStatus({})).toBeUndefined();
  });
});
