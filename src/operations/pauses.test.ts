import { describe, expect, it } from 'vitest';
import type { TargetPause } from '../store/operations-types.js';
import { TargetPauses } from './pauses.js';
import { createProtectionPolicy } from '../protect/policy.js';
import { MemoryRateBudget } from '../protect/memory-budget.js';
import { DEFAULT_PROTECTION } from '../protect/types.js';
import { CrossdockError } from '../errors/crossdock-error.js';

function memoryPauses(): TargetPauses {
  const stored = new Map<string, TargetPause>();
  return new TargetPauses({
    listTargetPauses: async () => [...stored.values()],
    pauseTarget: async (p) => { if (!stored.has(p.target)) stored.set(p.target, p); return stored.get(p.target)!; },
    resumeTarget: async (t) => { const p = stored.get(t); stored.delete(t); return p; },
  });
}

describe('paused targets', () => {
  it('covers a connector and its sub-targets, not targets that only share a prefix', async () => {
    const pauses = memoryPauses();
    await pauses.pause({ target: 'shopify-us', pausedBy: 'user:ann', reason: 'maintenance', pausedAt: 1 });
    expect(pauses.pausedFor('shopify-us')).toEqual({ by: 'user:ann', reason: 'maintenance' });
    expect(pauses.pausedFor('shopify-us.graphql')).toEqual({ by: 'user:ann', reason: 'maintenance' });
    expect(pauses.pausedFor('shopify-usa')).toBeUndefined();
    expect(pauses.pausedFor('erp')).toBeUndefined();
    await pauses.resume('shopify-us', 2);
    expect(pauses.pausedFor('shopify-us.graphql')).toBeUndefined();
  });
});

describe('a paused target\'s protection policy', () => {
  it('refuses every call without making it, as a deferral the job queue does not count', async () => {
    const pauses = memoryPauses();
    const policy = createProtectionPolicy('erp', DEFAULT_PROTECTION, { budget: new MemoryRateBudget(), paused: pauses.pausedFor });
    let calls = 0;
    const call = async () => { calls += 1; return 'ok'; };
    await pauses.pause({ target: 'erp', pausedBy: 'user:ann', reason: 'upgrade', pausedAt: 1 });
    const refused = await policy.execute('salesOrder.create', call, { correlationId: 'c' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CrossdockError);
    expect(refused).toMatchObject({ code: 'target.paused', kind: 'transient', context: { refusedBy: 'policy' } });
    expect((refused as CrossdockError).retryAfterMs).toBeGreaterThan(0);
    expect(calls).toBe(0);
    await pauses.resume('erp', 2);
    await expect(policy.execute('salesOrder.create', call, { correlationId: 'c' })).resolves.toBe('ok');
    expect(calls).toBe(1);
  });
});
