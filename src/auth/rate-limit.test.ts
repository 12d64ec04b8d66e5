import { describe, expect, it } from 'vitest';
import { ClientRateLimiter } from './rate-limit.js';

describe('ClientRateLimiter', () => {
  it('allows a burst up to the rate, then one request per 60/rate seconds, per client', () => {
    const limiter = new ClientRateLimiter();
    const t = 1_000_000;
    for (let i = 0; i < 60; i++) expect(limiter.take('a', 60, t).allowed).toBe(true);
    const refused = limiter.take('a', 60, t);
    expect(refused).toEqual({ allowed: false, limit: 60, retryAfterMs: 1000 });
    expect(limiter.take('b', 60, t).allowed).toBe(true);
    expect(limiter.take('a', 60, t + 999).allowed).toBe(false);
    const next = limiter.take('a', 60, t + 2000);
    expect(next).toMatchObject({ allowed: true, remaining: 1 });
  });
});
