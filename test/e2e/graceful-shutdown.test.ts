import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/build-app.js';
import { resolveConfig } from '../../src/config/config.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { expectExactlyOnce, postOrders, waitFor } from '../support/exactly-once.js';
import { manyOrders } from '../support/orders.js';

const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-shutdown-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function config() {
  return resolveConfig({
    server: { port: 0 },
    worker: { concurrency: 8, pollMs: 20 },
    protection: { erp: { ratePerSecond: 1000, concurrency: 8 } },
    erp: { knobs: { latencyMs: { min: 150, max: 250 } } },
  }, { dataDir }, {});
}

describe('graceful shutdown', () => {
  it('drains in-flight work and releases leases, and a restart finishes the rest exactly once', async () => {
    const first = await buildApp(config(), { logger: false });
    const url = await first.start();
    const ids = await postOrders(url, manyOrders(60, 'SHUT'));
    // Let the worker get some orders in flight against the slow ERP, then stop.
    await waitFor(async () => (await first.store.queueStats(Date.now()))[0]?.running ?? 0, (running) => running > 0, 10_000, 10);
    await first.stop();

    const store = await openSqliteStore({ file: join(dataDir, 'crossdock.db') });
    const stats = await store.queueStats(Date.now());
    expect(stats[0]?.running ?? 0).toBe(0);
    const states = await Promise.all(ids.map(async (id) => (await store.getOrder(id))?.state));
    expect(states.filter((s) => s === 'posted').length).toBeGreaterThan(0);
    expect(states.every((s) => s === 'posted' || s === 'received' || s === 'validated')).toBe(true);
    await store.close();

    const second = await buildApp(config(), { logger: false });
    const url2 = await second.start();
    try {
      await waitFor(async () => Promise.all(ids.map(async (id) => (await second.store.getOrder(id))?.state)), (s) => s.every((x) => x === 'posted'), 60_000, 200);
      await expectExactlyOnce({ accepted: ids, erpAdminUrl: `${url2}/sandbox/erp`, crossdockUrl: url2 });
    } finally {
      await second.stop();
    }
  });
});
