import { describe, expect, it } from 'vitest';
import { MemoryRateBudget } from './memory-budget.js';
import { PolicyRegistry } from './registry.js';
import { DEFAULT_PROTECTION } from './types.js';

describe('PolicyRegistry', () => {
  it('merges a target’s overrides over the defaults, keeping defaults for unset or undefined keys', () => {
    const registry = new PolicyRegistry({ tryton: { ratePerSecond: 5, timeoutMs: undefined } }, { budget: new MemoryRateBudget() });
    expect(registry.settingsFor('tryton')).toEqual({ ...DEFAULT_PROTECTION, ratePerSecond: 5 });
    expect(registry.settingsFor('sandbox')).toEqual(DEFAULT_PROTECTION);
  });

  it('does not read inherited object keys as target names', () => {
    const registry = new PolicyRegistry({}, { budget: new MemoryRateBudget() });
    expect(registry.settingsFor('constructor')).toEqual(DEFAULT_PROTECTION);
  });

  it('hands out one shared policy per target', () => {
    const registry = new PolicyRegistry({}, { budget: new MemoryRateBudget() });
    expect(registry.get('tryton')).toBe(registry.get('tryton'));
    expect(registry.get('tryton')).not.toBe(registry.get('3pl'));
  });

  it('snapshots every policy created so far', () => {
    const registry = new PolicyRegistry({}, { budget: new MemoryRateBudget() });
    expect(registry.snapshots()).toEqual([]);
    registry.get('tryton');
    registry.get('3pl');
    expect(registry.snapshots()).toEqual([
      { target: 'tryton', circuit: 'closed', inFlight: 0, queued: 0, rateBudgetRemaining: 1 },
      { target: '3pl', circuit: 'closed', inFlight: 0, queued: 0, rateBudgetRemaining: 1 },
    ]);
  });

  it('refuses to create a policy from invalid overrides, naming the target', () => {
    const registry = new PolicyRegistry({ tryton: { concurrency: 0 } }, { budget: new MemoryRateBudget() });
    expect(() => registry.get('tryton')).toThrow(/tryton: concurrency must be an integer of at least 1/);
  });
});
