import { channelDeps } from '../../src/channels/deps.js';
import type { ChannelDeps } from '../../src/channels/types.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/observability/logger.js';
import { MemoryRateBudget } from '../../src/protect/memory-budget.js';
import { PolicyRegistry, type ProtectionOverrides } from '../../src/protect/registry.js';
import type { ProtectionSettings } from '../../src/protect/types.js';

/**
 * Real protection policies (rate budget in memory) for a channel connector under test. Fast
 * defaults so retry tests do not wait: override per target as needed.
 */
export function testChannelDeps(instance: string, overrides: Partial<ProtectionSettings> = {}, perTarget: ProtectionOverrides = {}): ChannelDeps & { policies: PolicyRegistry } {
  const fast: Partial<ProtectionSettings> = { ratePerSecond: 1000, burst: 100, backoffMs: 5, maxWaitMs: 3000, timeoutMs: 3000, attempts: 3, ...overrides };
  const policies = new PolicyRegistry(
    { [instance]: fast, [`${instance}.lwa`]: fast, [`${instance}.auth`]: fast, ...perTarget },
    { budget: new MemoryRateBudget(), clock: systemClock },
  );
  return { ...channelDeps(instance, { policies, clock: systemClock, logger: createLogger('silent') }), policies };
}
