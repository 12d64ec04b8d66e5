import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('locks a name and address after the allowed failures, for the lockout, then forgets', () => {
    const throttle = new LoginThrottle({ attempts: 3, lockoutMs: 60_000 });
    const t = 1_000_000;
    expect(throttle.failed('ann', '10.0.0.1', t)).toBe(0);
    expect(throttle.failed('Ann', '10.0.0.1', t)).toBe(0);
    expect(throttle.failed('ann', '10.0.0.1', t)).toBe(60_000);
    expect(throttle.waitMs('ann', '10.0.0.1', t + 1000)).toBe(59_000);
    expect(throttle.waitMs('ann', '10.0.0.2', t + 1000)).toBe(0);
    expect(throttle.waitMs('ann', '10.0.0.1', t + 60_000)).toBe(0);
  });

  it('locks a name tried from many addresses at the higher bound', () => {
    const throttle = new LoginThrottle({ attempts: 2, lockoutMs: 10_000, perUserAttempts: 5 });
    for (let i = 0; i < 4; i++) expect(throttle.failed('bob', `10.0.1.${i}`, 0)).toBe(0);
    expect(throttle.failed('bob', '10.0.1.9', 0)).toBe(10_000);
    expect(throttle.waitMs('bob', '10.0.2.1', 1)).toBe(9_999);
  });

  it('clears the address\'s failures on success', () => {
    const throttle = new LoginThrottle({ attempts: 2, lockoutMs: 10_000 });
    throttle.failed('cy', '10.0.0.1', 0);
    throttle.succeeded('cy', '10.0.0.1');
    expect(throttle.failed('cy', '10.0.0.1', 1)).toBe(0);
  });
});
