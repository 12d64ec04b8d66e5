import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInventory } from '../../src/inventory/config-schema.js';
import { InventoryEngine } from '../../src/inventory/engine.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';

/**
 * Oversell prevention under concurrency: random stock, then random orders for the last units all
 * at once. Whatever the interleaving, each order is reserved whole or not at all, and no SKU is
 * promised beyond what it had — on a real store, with reservations written as they are made.
 */
let dir: string;
let store: Store;
let engine: InventoryEngine;
let run = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crossdock-oversell-'));
  store = await openSqliteStore({ file: join(dir, 'store.db') });
  const problems: string[] = [];
  const settings = resolveInventory({ oversell: 'reject', channels: { web: { oversell: 'hold' }, amazon: { oversell: 'reject', locations: ['WH1'] } } }, {}, problems);
  engine = new InventoryEngine({ store, clock: { now: () => Date.now() }, settings });
  await engine.start();
});

afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const SKUS = ['A', 'B', 'C'];
const LOCATIONS = ['WH1', 'WH2'];
const stockArb = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: SKUS.length * LOCATIONS.length, maxLength: SKUS.length * LOCATIONS.length });
const orderArb = fc.record({
  channel: fc.constantFrom('web', 'amazon', 'b2b'),
  lines: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 3 }),
});

describe('oversell prevention with concurrent orders', () => {
  it('promises at most what is available, each order whole or not at all', async () => {
    await fc.assert(fc.asyncProperty(stockArb, fc.array(orderArb, { minLength: 2, maxLength: 25 }), async (stock, orders) => {
      run += 1;
      const sku = (s: string) => `R${run}-${s}`;
      const changes = SKUS.flatMap((s, i) => LOCATIONS.map((location, j) => ({ sku: sku(s), location, onHand: stock[i * LOCATIONS.length + j]! })));
      await engine.ingest({ source: 'wms', sourceTimestamp: new Date().toISOString(), mode: 'set', changes }, { correlationId: `run-${run}`, raw: '[]' });
      const before = new Map(SKUS.flatMap((s) => ['web', 'amazon', 'b2b'].map((c) => [`${c}:${s}`, engine.availability(sku(s), c).promisable] as const)));

      const outcomes = await Promise.all(orders.map((o, n) => engine.reserve(`R${run}-o${n}`, o.channel, o.lines.map((l) => ({ ...l, sku: sku(l.sku) })))));

      const reservedBySku = new Map<string, number>();
      const reservedByChannelSku = new Map<string, number>();
      outcomes.forEach((outcome, n) => {
        const order = orders[n]!;
        const wanted = new Map<string, number>();
        for (const l of order.lines) wanted.set(sku(l.sku), (wanted.get(sku(l.sku)) ?? 0) + l.quantity);
        const held = new Map<string, number>();
        for (const r of engine.reservationsOf(`R${run}-o${n}`)) held.set(r.sku, (held.get(r.sku) ?? 0) + r.quantity);
        if (outcome.outcome === 'reserved') expect(held).toEqual(wanted);
        else expect(held.size).toBe(0);
        for (const [s, q] of held) {
          reservedBySku.set(s, (reservedBySku.get(s) ?? 0) + q);
          reservedByChannelSku.set(`${order.channel}:${s}`, (reservedByChannelSku.get(`${order.channel}:${s}`) ?? 0) + q);
        }
        // Amazon sells from WH1 only: its orders never hold WH2 stock.
        if (order.channel === 'amazon') expect(engine.reservationsOf(`R${run}-o${n}`).every((r) => r.location === 'WH1')).toBe(true);
      });
      for (const s of SKUS) {
        const total = stock.slice(SKUS.indexOf(s) * LOCATIONS.length, (SKUS.indexOf(s) + 1) * LOCATIONS.length).reduce((a, b) => a + b, 0);
        expect(reservedBySku.get(sku(s)) ?? 0).toBeLessThanOrEqual(total);
        for (const c of ['web', 'amazon', 'b2b']) expect(reservedByChannelSku.get(`${c}:${sku(s)}`) ?? 0).toBeLessThanOrEqual(before.get(`${c}:${s}`)!);
        // What is left to promise is what was there less what was reserved.
        expect(engine.availability(sku(s), 'b2b').promisable).toBe(total - (reservedBySku.get(sku(s)) ?? 0));
      }
    }), { numRuns: 40 });
    // Every reservation made is on the store, none twice.
    const stored = await store.loadReservations();
    const inMemory = engine.reservedOrders().flatMap((id) => engine.reservationsOf(id));
    expect(stored.length).toBe(inMemory.length);
  }, 120_000);

  it('accepts a backorder whole, and shows every channel the stock as gone', async () => {
    const problems: string[] = [];
    const settings = resolveInventory({ oversell: 'backorder' }, {}, problems);
    const backorders = new InventoryEngine({ store, clock: { now: () => Date.now() }, settings });
    await backorders.start();
    await backorders.ingest({ source: 'wms', sourceTimestamp: new Date().toISOString(), mode: 'set', changes: [{ sku: 'BO-1', location: 'WH1', onHand: 3 }] }, { correlationId: 'bo', raw: '[]' });
    const outcome = await backorders.reserve('bo-1', 'web', [{ sku: 'BO-1', quantity: 5 }]);
    expect(outcome).toMatchObject({ outcome: 'reserved', backordered: [{ line: 0, sku: 'BO-1', ordered: 5, promisable: 3 }] });
    expect(backorders.reservationsOf('bo-1').reduce((s, r) => s + r.quantity, 0)).toBe(5);
    expect(backorders.availability('BO-1', 'web').available).toBe(0);
    // A receipt of 4 covers the backorder first.
    await backorders.ingest({ source: 'wms', sourceTimestamp: new Date().toISOString(), mode: 'delta', changes: [{ sku: 'BO-1', location: 'WH1', onHand: 4 }] }, { correlationId: 'bo', raw: '[]' });
    expect(backorders.availability('BO-1', 'web').available).toBe(2);
  });
});
