import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { Store } from '../../src/store/types.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { storeChannelSuite } from './store-channels.suite.js';
import { storeEdiSuite } from './store-edi.suite.js';
import { storeInventorySuite } from './store-inventory.suite.js';
import { storePricesSuite } from './store-prices.suite.js';
import { storeAuditSuite } from './store-audit.suite.js';
import { storeAccessSuite } from './store-access.suite.js';
import { storeOperationsSuite } from './store-operations.suite.js';
import { storeSearchSuite } from './store-search.suite.js';
import { storeConformanceSuite } from './store.suite.js';
import { storeTraceContextSuite } from './store-trace-context.suite.js';

const openPostgres = async () => {
  const db = await createTestDatabase();
  const store = await openPostgresStore({ url: db.url, poolSize: 8 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await db.drop();
    },
  };
};

storeConformanceSuite('postgres', openPostgres);
storeTraceContextSuite('postgres', openPostgres);
storeChannelSuite('postgres', openPostgres);
storeEdiSuite('postgres', openPostgres);
storeInventorySuite('postgres', openPostgres);
storePricesSuite('postgres', openPostgres);
storeAuditSuite('postgres', openPostgres);
storeAccessSuite('postgres', openPostgres);
storeOperationsSuite('postgres', openPostgres);
storeSearchSuite('postgres', openPostgres);

/** Two pools on one database stand for two crossdock processes. */
describe('postgres store shared by several processes', () => {
  const opened: Store[] = [];
  let db: TestDatabase | undefined;
  const T0 = 1_714_557_600_000;

  async function twoProcesses(): Promise<[Store, Store]> {
    db = await createTestDatabase();
    const a = await openPostgresStore({ url: db.url, poolSize: 4 });
    const b = await openPostgresStore({ url: db.url, poolSize: 4 });
    opened.push(a, b);
    return [a, b];
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await db?.drop();
    db = undefined;
  });

  it('migrates once when two processes start together', async () => {
    const [a, b] = await twoProcesses();
    await Promise.all([a.migrate(), b.migrate(), a.migrate()]);
    await a.enqueue({ id: 'j1', queue: 'q', payload: {}, correlationId: 'c', runAt: T0, maxAttempts: 1, now: T0 });
    expect(await b.getJob('j1')).toMatchObject({ status: 'queued' });
  });

  it('never hands the same job to two processes claiming at once', async () => {
    const [a, b] = await twoProcesses();
    await a.migrate();
    for (let i = 0; i < 60; i++) {
      await a.enqueue({ id: `j${i}`, queue: 'q', payload: { i }, correlationId: `c${i}`, runAt: T0 + i, maxAttempts: 3, now: T0 });
    }
    const drain = async (store: Store, workerId: string): Promise<string[]> => {
      const mine: string[] = [];
      for (;;) {
        const jobs = await store.claimJobs({ queues: ['q'], workerId, limit: 2, leaseMs: 60_000, now: T0 + 1_000 });
        if (jobs.length === 0) return mine;
        mine.push(...jobs.map((j) => j.id));
      }
    };
    const claimed = (await Promise.all([
      drain(a, 'a1'), drain(a, 'a2'), drain(a, 'a3'), drain(b, 'b1'), drain(b, 'b2'), drain(b, 'b3'),
    ])).flat();

    expect(claimed).toHaveLength(60);
    expect(new Set(claimed).size).toBe(60);
  });

  it('shares one rate budget between processes', async () => {
    const [a, b] = await twoProcesses();
    await a.migrate();
    const request = { target: 'erp', intervalMs: 50, burst: 1, maxWaitMs: 60_000, now: T0 };
    const slots = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).reserveRateSlot(request)));
    const ats = slots.map((s) => (s.granted ? s.at : -1)).sort((x, y) => x - y);
    expect(ats).toEqual(Array.from({ length: 20 }, (_, i) => T0 + i * 50));
  });
});
