import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { PriceRule } from '../src/canonical/price.js';
import { priceRoutes } from '../src/api/prices.js';
import { createHttpServer } from '../src/api/server.js';
import { PriceBook } from '../src/pricing/book.js';
import { reloadPriceBook, toStoredRule } from '../src/pricing/book-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

/**
 * The two servers of the price bench, each its own process:
 * - `node --import tsx bench/prices-server.ts crossdock`: crossdock's HTTP server with the price
 *   routes, on a realistic book written to a SQLite store and read back as crossdock reads it
 *   at start (20,000 SKUs with list prices and breaks, 3 tiers, 2,000 customers' contracts,
 *   promotions);
 * - `… bare`: a bare Fastify endpoint on `POST /v1/prices/quote` answering a canned quote of
 *   the same shape and size, doing nothing else — the baseline of the same run.
 * Each prints one JSON line with its URL (and the book's size and load time), and stops on SIGTERM.
 */
export const BENCH_SKUS = 20_000;
export const BENCH_CUSTOMERS = 2_000;
const GROUPS = ['bronze', 'silver', 'gold'];

export function benchRules(): PriceRule[] {
  const rules: PriceRule[] = [];
  const price = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  for (let i = 0; i < BENCH_SKUS; i++) {
    const sku = `SKU-${i}`;
    const cents = 500 + ((i * 7919) % 20_000);
    rules.push({ kind: 'list', id: `L-${i}`, source: 'erp:bench', sku, currency: 'USD', unitPrice: price(cents), breaks: [{ minQuantity: 10, unitPrice: price(Math.round(cents * 0.95)) }, { minQuantity: 100, unitPrice: price(Math.round(cents * 0.9)) }] });
    GROUPS.forEach((group, g) => rules.push({ kind: 'tier', id: `T-${group}-${i}`, source: 'erp:bench', sku, currency: 'USD', group, unitPrice: price(Math.round(cents * (0.97 - g * 0.02))) }));
    if (i % 20 === 0) rules.push({ kind: 'promotion', id: `P-${i}`, source: 'erp:bench', sku, currency: 'USD', validFrom: '2026-01-01', validTo: '2026-12-31', percentOff: 10, channels: ['web'] });
  }
  // Each customer has a contract on 10 SKUs.
  for (let c = 0; c < BENCH_CUSTOMERS; c++) {
    for (let k = 0; k < 10; k++) {
      const i = (c * 131 + k * 1009) % BENCH_SKUS;
      rules.push({ kind: 'contract', id: `K-${c}-${i}`, source: 'erp:bench', sku: `SKU-${i}`, currency: 'USD', customer: `C-${c}`, unitPrice: price(400 + ((i * 31) % 15_000)), validFrom: '2026-01-01', validTo: '2026-12-31', breaks: [{ minQuantity: 50, unitPrice: price(390 + ((i * 31) % 15_000)) }] });
    }
  }
  return rules;
}

export const BENCH_CUSTOMER_GROUPS: Record<string, string> = Object.fromEntries(Array.from({ length: BENCH_CUSTOMERS }, (_, c) => [`C-${c}`, GROUPS[c % 3]!]));

async function main(): Promise<void> {
  const mode = process.argv[2];
  const clock = { now: () => Date.parse('2026-06-15T12:00:00Z') };
  if (mode === 'bare') {
    const app = Fastify({ logger: false });
    const line = { sku: 'SKU-1', quantity: 5, unitPrice: '12.34', extendedPrice: '61.70', rule: { id: 'K-12-3456', kind: 'contract', why: 'contract price of customer C-12, valid 2026-01-01 to 2026-12-31' } };
    const answer = JSON.stringify({ customer: 'C-12', currency: 'USD', at: '2026-06-15T12:00:00.000Z', lines: Array.from({ length: 20 }, () => line), total: '1234.00', complete: true });
    app.post('/v1/prices/quote', async (_request, reply) => reply.type('application/json').send(answer));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` })}\n`);
    process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-bench-prices-'));
  const store = await openSqliteStore({ file: join(dir, 'store.db') });
  const rules = benchRules();
  const started = performance.now();
  await store.replacePriceRulesOf('erp:bench', rules.map(toStoredRule), clock.now());
  const stored = performance.now();
  const book = new PriceBook([], BENCH_CUSTOMER_GROUPS);
  await reloadPriceBook(book, store);
  const loaded = performance.now();
  const app = await createHttpServer({ logger: false, bodyLimitBytes: 1_048_576 });
  await priceRoutes(app, { store, clock, book });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.stdout.write(`${JSON.stringify({
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, rules: book.size,
    storeMs: Math.round(stored - started), loadMs: Math.round(loaded - stored), heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
  })}\n`);
  process.once('SIGTERM', () => void app.close().then(() => store.close()).then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }));
}

if (process.argv[1]?.endsWith('prices-server.ts')) await main();
