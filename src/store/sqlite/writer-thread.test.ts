import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewJob, Store } from '../types.js';
import { openSqliteStore } from './sqlite-store.js';

function job(id: string): NewJob {
  return { id, queue: 'q', payload: { n: id }, correlationId: `cor_${id}`, runAt: 1_714_557_600_000, maxAttempts: 3, now: 1_714_557_600_000 };
}

describe('SQLite writer group commit', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crossdock-writer-'));
    store = await openSqliteStore({ file: join(dir, 'store.db') });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails only the failing operation of a group: the others in the same commit still land', async () => {
    await store.enqueue(job('job_taken'));

    // Sent in one tick, so they travel and commit together.
    const results = await Promise.allSettled([store.enqueue(job('job_a')), store.enqueue(job('job_taken')), store.enqueue(job('job_b'))]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect((await store.getJob('job_a'))?.id).toBe('job_a');
    expect((await store.getJob('job_b'))?.id).toBe('job_b');
    expect((await store.getJob('job_taken'))?.payload).toEqual({ n: 'job_taken' });
  });
});

describe('SQLite background checkpoint', () => {
  it('copies committed pages into the database file while the writer has not checkpointed at all', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crossdock-checkpoint-'));
    const file = join(dir, 'store.db');
    const store = await openSqliteStore({ file, checkpointIntervalMs: 20 });
    try {
      const before = statSync(file).size;
      // ~100 small jobs: far below the writer's autocheckpoint (4,096 pages), so only the
      // checkpointer thread can have moved them from the WAL into the database file.
      await Promise.all(Array.from({ length: 100 }, (_, i) => store.enqueue(job(`job_${i}`))));
      const deadline = Date.now() + 5_000;
      while (statSync(file).size === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(statSync(file).size).toBeGreaterThan(before);
      expect((await store.getJob('job_99'))?.id).toBe('job_99');
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
