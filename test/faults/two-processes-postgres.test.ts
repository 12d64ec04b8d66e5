import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExactlyOnce, messageStatusCounts, postOrders, waitFor } from '../support/exactly-once.js';
import { manyOrders } from '../support/orders.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import {
  readMetric, startCrossdock, startSandboxErp, tempDir, writeConfigFile, type CrossdockProcess, type SandboxErpProcess,
} from '../support/processes.js';

/**
 * Two crossdock processes on one PostgreSQL database share one queue and one ERP rate budget.
 * Both take orders and both post them; no order may be posted twice, and together they must
 * stay under the ERP's rate cap — each process alone running at the configured rate is not
 * enough, the budget has to be shared.
 */

const ORDERS = 2_000;
/** The ERP answers 429 above this many calls in any sliding second. */
const RATE_CAP = 150;
/**
 * crossdock's shared budget: below the cap, with room for timer jitter on a loaded machine, and
 * about what the two processes together ask for once intake is done (~130–150 calls/s measured
 * on a busy two-core machine), so that the budget sets the pace. Each process on a budget of its
 * own would take the two over the cap together.
 */
const RATE = 125;

const work = tempDir('two-processes');
let db: TestDatabase | undefined;
let erp: SandboxErpProcess | undefined;
const crossdocks: CrossdockProcess[] = [];

beforeAll(async () => {
  [db, erp] = await Promise.all([createTestDatabase(), startSandboxErp({ dataDir: `${work.path}/erp`, rateCap: RATE_CAP })]);
  const configFile = writeConfigFile(work.path, {
    worker: { pollMs: 20, backoffMs: 200, maxBackoffMs: 2_000 },
    protection: { erp: { ratePerSecond: RATE, burst: 1, breakerHalfOpenAfterMs: 500 } },
  });
  // Started together: both migrate the same database at start-up.
  const started = await Promise.allSettled(['crossdock-a', 'crossdock-b'].map((name) => startCrossdock({
    name, port: 0, dataDir: `${work.path}/${name}`, configFile, erpUrl: erp!.apiBaseUrl, databaseUrl: db!.url,
  })));
  for (const result of started) if (result.status === 'fulfilled') crossdocks.push(result.value);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
});
afterAll(async () => {
  try {
    await Promise.all(crossdocks.map((c) => c.process.stop()));
    await erp?.process.stop();
  } finally {
    await db?.drop();
    work.remove();
  }
});

interface ErpStats {
  total: number;
  calls: Record<string, number>;
  responses: Record<string, number>;
  peakPerSecond: number;
}

describe('two crossdock processes on one PostgreSQL database', () => {
  it('post 2,000 orders between them with no order posted twice and the shared ERP rate limit held', async () => {
    const [a, b] = crossdocks as [CrossdockProcess, CrossdockProcess];
    const bodies = manyOrders(ORDERS, 'TWO');
    const half = ORDERS / 2;
    const started = Date.now();
    const [idsA, idsB] = await Promise.all([
      postOrders(a.url, bodies.slice(0, half), 16),
      postOrders(b.url, bodies.slice(half), 16),
    ]);
    const accepted = [...idsA, ...idsB];
    expect(new Set(accepted).size).toBe(ORDERS);

    const counts = await waitFor(
      () => messageStatusCounts(a.url),
      (c) => (c.delivered ?? 0) + (c.held ?? 0) + (c.failed ?? 0) + (c.rejected ?? 0) >= ORDERS,
      150_000, 1_000,
    );
    const elapsedS = (Date.now() - started) / 1000;
    expect(counts, 'every order delivered; none held, failed or rejected').toEqual({ delivered: ORDERS });
    await expectExactlyOnce({ accepted, erpAdminUrl: erp!.apiBaseUrl, crossdockUrl: b.url });

    // Both processes did part of the posting, and between them each order was posted once.
    const postedA = await readMetric(a.url, 'crossdock_orders_posted_total');
    const postedB = await readMetric(b.url, 'crossdock_orders_posted_total');
    expect(postedA, 'orders posted by process A').toBeGreaterThan(ORDERS / 10);
    expect(postedB, 'orders posted by process B').toBeGreaterThan(ORDERS / 10);
    expect(postedA + postedB).toBe(ORDERS);

    // The ERP never saw more than its cap in any sliding second, so it had no reason to refuse.
    const stats = (await (await fetch(`${erp!.apiBaseUrl}/stats`)).json()) as ErpStats;
    expect(stats.peakPerSecond, 'ERP calls in the busiest sliding second').toBeLessThanOrEqual(RATE_CAP);
    expect(stats.responses['429'] ?? 0, 'calls the ERP refused with 429').toBe(0);
    // The sandbox refuses a second order with the same external reference (409), which would hide
    // a double post from the check above: so neither process may even have tried one.
    expect(stats.calls['POST /api/sales-orders'], 'creates sent to the ERP').toBe(ORDERS);
    expect(stats.responses['409'] ?? 0, 'creates of an order the ERP already had').toBe(0);
    // And the processes did push against the budget: the cap held because the budget was shared,
    // not because the processes were too slow to reach it.
    expect(stats.peakPerSecond, 'ERP calls in the busiest sliding second').toBeGreaterThanOrEqual(RATE * 0.75);
    expect(stats.total / elapsedS, 'average ERP calls per second over the run').toBeLessThanOrEqual(RATE);
  }, 180_000);
});
