import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PriceRule } from '../../src/canonical/price.js';
import { createSandboxErpConnector } from '../../src/connectors/sandbox-erp/connector.js';
import { startSandboxErpServer, type SandboxErpServer } from '../../src/connectors/sandbox-erp/server.js';
import { createHttpClient } from '../../src/protect/http-client.js';
import type { ProtectionPolicy } from '../../src/protect/types.js';
import { PriceBook } from '../../src/pricing/book.js';
import { toStoredRule } from '../../src/pricing/book-store.js';
import { loadErpPriceList, priceListLoadHandler, priceListLoadJob, PRICE_LIST_QUEUE } from '../../src/pricing/erp-load.js';
import { resolvePrice } from '../../src/pricing/resolve.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Job, Store } from '../../src/store/types.js';

const passThrough: ProtectionPolicy = {
  target: 'erp',
  execute: (_operation, call) => call(new AbortController().signal),
  holdOff: async () => {},
  snapshot: () => ({ target: 'erp', circuit: 'closed', inFlight: 0, queued: 0 }),
};
const clock = { now: () => Date.parse('2026-06-01T00:00:00Z') };
const ctx = { correlationId: 'cor_prices' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{ erp: SandboxErpServer; store: Store; book: PriceBook; deps: Parameters<typeof loadErpPriceList>[0] }> {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-price-load-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const erp = await startSandboxErpServer({ dataDir: join(dir, 'erp'), port: 0, knobs: { latencyMs: 0 } });
  cleanups.push(() => erp.close());
  const store = await openSqliteStore({ file: join(dir, 'store.db') });
  cleanups.push(() => store.close());
  const connector = createSandboxErpConnector({ http: createHttpClient({ baseUrl: erp.apiBaseUrl, target: 'erp', policy: passThrough }) });
  const book = new PriceBook();
  return { erp, store, book, deps: { store, clock, book, erpName: connector.name, priceList: connector.priceList! } };
}

const ask = (sku: string, currency = 'USD') => ({ customer: 'C-100', currency, at: clock.now(), sku, quantity: 1 });

async function admin(erp: SandboxErpServer, method: string, path: string, body?: unknown): Promise<number> {
  const response = await fetch(`${erp.apiBaseUrl}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  return response.status;
}

describe('full load of the ERP price list', () => {
  it("loads the sandbox ERP's list prices into the store and the book as source erp:sandbox-erp", async () => {
    const { store, book, deps } = await setup();
    expect(await loadErpPriceList(deps, ctx)).toEqual({ outcome: 'loaded', upserted: 40, removed: 0 });
    expect(resolvePrice(book, ask('SKU-1'))).toMatchObject({ unitPrice: '7.49', rule: { id: 'erp:sandbox-erp:list:SKU-1:USD', kind: 'list' } });
    expect(resolvePrice(book, ask('SKU-1', 'EUR'))?.unitPrice).toBe('6.89');
    const stored = await store.loadPriceRules();
    expect(stored).toHaveLength(40);
    expect(new Set(stored.map((r) => r.source))).toEqual(new Set(['erp:sandbox-erp']));
  });

  it('removes from the book and the store the prices the ERP no longer has, and takes changed ones, leaving other sources alone', async () => {
    const { erp, store, book, deps } = await setup();
    const pushed: PriceRule = { kind: 'contract', id: 'C-100:SKU-2', source: 'api', sku: 'SKU-2', currency: 'USD', customer: 'C-100', unitPrice: '5.00' };
    await store.upsertPriceRules([toStoredRule(pushed)], clock.now());
    book.upsert([pushed]);
    await loadErpPriceList(deps, ctx);

    expect(await admin(erp, 'DELETE', '/prices/SKU-1/USD')).toBe(204);
    expect(await admin(erp, 'PUT', '/prices/SKU-3/USD', { unitPrice: '99.00' })).toBe(200);
    expect(await loadErpPriceList(deps, ctx)).toEqual({ outcome: 'loaded', upserted: 39, removed: 1 });

    expect(resolvePrice(book, ask('SKU-1'))).toBeUndefined();
    expect(resolvePrice(book, ask('SKU-1', 'EUR'))?.unitPrice).toBe('6.89');
    expect(resolvePrice(book, ask('SKU-3'))?.unitPrice).toBe('99.00');
    expect(resolvePrice(book, ask('SKU-2'))?.rule.id).toBe('C-100:SKU-2');
    const ids = (await store.loadPriceRules()).map((r) => r.id);
    expect(ids).not.toContain('erp:sandbox-erp:list:SKU-1:USD');
    expect(ids).toContain('C-100:SKU-2');
  });

  it('leaves the book and the store as they were when the ERP is down, and the job ends without a dead letter', async () => {
    const { erp, store, book, deps } = await setup();
    await loadErpPriceList(deps, ctx);
    await admin(erp, 'DELETE', '/prices/SKU-1/USD');
    expect(await admin(erp, 'POST', '/outage', { durationMs: 60_000 })).toBe(201);

    const result = await loadErpPriceList(deps, ctx);
    expect(result.outcome).toBe('skipped');
    expect(resolvePrice(book, ask('SKU-1'))?.unitPrice).toBe('7.49');
    expect(await store.loadPriceRules()).toHaveLength(40);

    const handler = priceListLoadHandler(deps);
    expect(handler.queue).toBe(PRICE_LIST_QUEUE);
    const job = { id: 'job_1', correlationId: 'cor_job', payload: {} } as Job;
    await expect(handler.run(job, { workerId: 'w', signal: new AbortController().signal })).resolves.toBe('done');
    expect(book.size).toBe(40);
  });

  it('defines one periodic job per ERP on the price-list queue, held while the ERP connector is paused', () => {
    expect(priceListLoadJob('sandbox-erp', 3_600_000)).toEqual({ name: 'prices:erp-load:sandbox-erp', queue: 'prices.load', payload: { erp: 'sandbox-erp' }, intervalMs: 3_600_000, target: 'erp' });
  });
});
