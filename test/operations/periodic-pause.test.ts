import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import { startPeriodicJobs } from '../../src/worker/periodic-jobs.js';
import { TargetPauses } from '../../src/operations/pauses.js';

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crossdock-periodic-'));
  store = await openSqliteStore({ file: join(dir, 'store.db') });
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('periodic jobs of a paused target', () => {
  it('are skipped quietly while the target is paused, and scheduled again once resumed', async () => {
    const pauses = new TargetPauses(store);
    await pauses.pause({ target: 'erp', pausedBy: 'user:ann', reason: null, pausedAt: 0 });
    let now = 1_000_000;
    const clock = { now: () => now };
    const jobs = [
      { name: 'erp-changes:shipments', queue: 'erp.changes', payload: {}, intervalMs: 60_000, target: 'erp' },
      { name: 'inventory-reconcile', queue: 'inventory.reconcile', payload: {}, intervalMs: 60_000 },
    ];
    const first = startPeriodicJobs({ store, clock, logger: createLogger('silent'), notifyWork: () => {}, jobs, paused: pauses.pausedFor });
    await new Promise((r) => setTimeout(r, 200));
    first.stop();
    expect(await store.getJob('erp-changes:shipments:16')).toBeUndefined();
    expect(await store.getJob('inventory-reconcile:16')).toBeDefined();

    await pauses.resume('erp', now);
    now += 60_000;
    const second = startPeriodicJobs({ store, clock, logger: createLogger('silent'), notifyWork: () => {}, jobs, paused: pauses.pausedFor });
    await new Promise((r) => setTimeout(r, 200));
    second.stop();
    expect(await store.getJob('erp-changes:shipments:17')).toMatchObject({ status: 'queued' });
  });
});
