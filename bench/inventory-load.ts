/**
 * Child of scenario (g): loads N SKU-locations into a fresh crossdock inventory engine on SQLite
 * (as an initial full load from a WMS, in `set` pages of 20,000), then starts a second engine on
 * the same store (a restart), and prints the times and this process's peak RSS as JSON. The
 * baseline of the same run is the same rows inserted into a bare SQLite table.
 *   node --import tsx bench/inventory-load.ts 1000000
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { resolveInventory } from '../src/inventory/config-schema.js';
import { InventoryEngine } from '../src/inventory/engine.js';
import type { LevelChange } from '../src/inventory/model.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const total = Number(process.argv[2] ?? 1_000_000);
const LOCATIONS = ['WH1', 'WH2', 'WH3', 'WH4'];
const PAGE = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'crossdock-inventory-bench-'));
let peakRss = 0;
const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);

function page(from: number): LevelChange[] {
  const changes: LevelChange[] = [];
  for (let n = from; n < Math.min(total, from + PAGE); n += 1) {
    changes.push({ sku: `SKU-${String(Math.floor(n / LOCATIONS.length)).padStart(7, '0')}`, location: LOCATIONS[n % LOCATIONS.length]!, onHand: n % 97, allocated: n % 5 });
  }
  return changes;
}

try {
  // Baseline: the same rows into a plain table, one transaction per page, no engine, no journal.
  const bare = new Database(join(dir, 'bare.db'));
  bare.pragma('journal_mode = WAL');
  bare.exec('CREATE TABLE levels (sku TEXT, location TEXT, on_hand REAL, allocated REAL, PRIMARY KEY (sku, location)) WITHOUT ROWID');
  const insert = bare.prepare('INSERT INTO levels VALUES (?, ?, ?, ?)');
  const insertPage = bare.transaction((rows: LevelChange[]) => { for (const r of rows) insert.run(r.sku, r.location, r.onHand, r.allocated); });
  let t = performance.now();
  for (let from = 0; from < total; from += PAGE) insertPage(page(from));
  const bareSeconds = (performance.now() - t) / 1000;
  bare.close();

  const store = await openSqliteStore({ file: join(dir, 'crossdock.db') });
  const settings = resolveInventory({}, {}, []);
  let engine: InventoryEngine | undefined = new InventoryEngine({ store, clock: { now: () => Date.now() }, settings });
  await engine.start();
  t = performance.now();
  for (let from = 0; from < total; from += PAGE) {
    const changes = page(from);
    await engine.ingest({ source: 'wms', sourceTimestamp: new Date().toISOString(), mode: 'set', changes }, { correlationId: `load-${from}`, raw: `page ${from}` });
  }
  const loadSeconds = (performance.now() - t) / 1000;
  const levels = engine.table.size;
  // A restart has one engine: let the first one go.
  engine = undefined;
  const rssAfterLoad = process.memoryUsage.rss();

  t = performance.now();
  const restarted = new InventoryEngine({ store, clock: { now: () => Date.now() }, settings });
  await restarted.start();
  const restartSeconds = (performance.now() - t) / 1000;
  const check = restarted.availability('SKU-0000000', 'any').available;
  await store.close();
  clearInterval(sample);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  process.stdout.write(`${JSON.stringify({
    levels, restartLevels: restarted.table.size, loadSeconds, restartSeconds, bareSeconds, peakRssMb: peakRss / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1e3, rssAfterLoadMb: rssAfterLoad / 1e6, check,
  })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
