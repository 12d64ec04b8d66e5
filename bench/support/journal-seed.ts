import Database from 'better-sqlite3';
import type { OrderState } from '../../src/canonical/states.js';
import { ERROR_STATES, messageStatusFor } from '../../src/store/order-journal.js';
import { migrateSqlite } from '../../src/store/sqlite/migrate.js';
import { operations } from '../../src/store/sqlite/ops/index.js';
import type { AcceptOrderInput } from '../../src/store/types.js';

/**
 * Bulk seeding of a journal for benchmarks: the rows `acceptOrder` (then one `transitionOrder`,
 * then the job finished) would leave, written with a handful of prepared INSERTs instead of
 * the store's per-order look-ups, updates and counter bumps, many rows a statement — a million
 * orders in minutes instead of the better part of an hour. `checkSeedMatchesStore` proves on
 * every run that the rows are the same as the store's, so the journal searched is the one
 * crossdock writes.
 */

/** One accepted order and, optionally, the one state it moved to afterwards. */
export interface SeedOrder {
  input: AcceptOrderInput;
  /** As the store proxy computes them (`orderSearchKeys`). */
  searchKeys: readonly string[];
  /** The canonical order as its JSON text (the proxy serialises it before the writer thread). */
  canonical: string;
  outcome?: { state: OrderState; at: number };
}

/** Tables a seeded order writes, in the order a comparison lists them. */
const SEEDED_TABLES = ['messages', 'message_keys', 'orders', 'message_events', 'jobs', 'idempotency_keys', 'counters'] as const;

/**
 * The rows of some orders, table by table, each a flat list of statement parameters: cheap to
 * post between threads and to bind many rows at a time.
 */
export interface SeedRows {
  messages: unknown[];
  /** Sorted by the table's key, so inserting them walks the B-tree once instead of jumping about. */
  keys: unknown[];
  orders: unknown[];
  /** In the order the store appends them, which gives each its `seq`. */
  events: unknown[];
  jobs: unknown[];
  idempotency: unknown[];
  /** Orders accepted per channel (the `orders_accepted:<channel>` counters). */
  accepted: Record<string, number>;
}

/** Column for column what acceptOrder and transitionOrder write (src/store/sqlite/ops/intake.ts, orders.ts). */
export function seedRows(orders: readonly SeedOrder[]): SeedRows {
  const rows: SeedRows = { messages: [], keys: [], orders: [], events: [], jobs: [], idempotency: [], accepted: {} };
  const keys: [string, number, string][] = [];
  for (const { input, searchKeys, canonical, outcome } of orders) {
    const n = input.now;
    const state: OrderState = outcome?.state ?? 'received';
    const updated = outcome?.at ?? n;
    rows.messages.push(input.messageId, input.correlationId, input.channel, input.orderId, input.channelOrderId, input.orderNumber ?? null,
      input.poNumber ?? null, input.sourceTimestamp, messageStatusFor(state), input.raw, canonical, n, updated);
    for (const key of searchKeys) keys.push([key, n, input.messageId]);
    rows.orders.push(input.orderId, input.channel, input.channelOrderId, state, input.correlationId, input.messageId, input.customerAccount, n, updated);
    rows.events.push(input.messageId, n, 'received', 'ok');
    if (outcome) rows.events.push(input.messageId, outcome.at, outcome.state, ERROR_STATES.has(outcome.state) ? 'error' : 'ok');
    rows.jobs.push(input.jobId, JSON.stringify({ orderId: input.orderId }), input.correlationId, input.maxAttempts, n, input.orderId, n, n, input.traceParent ?? null);
    const response = JSON.stringify(input.response);
    for (const key of input.idempotencyKeys) rows.idempotency.push(key, input.requestHash, response, n);
    rows.accepted[input.channel] = (rows.accepted[input.channel] ?? 0) + 1;
  }
  keys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0)));
  for (const key of keys) rows.keys.push(...key);
  return rows;
}

/** Rows bound `ROWS_PER_INSERT` at a time: one call into SQLite instead of a hundred. */
const ROWS_PER_INSERT = 100;

function bulkInsert(db: Database.Database, head: string, row: string): (params: unknown[]) => void {
  const width = row.split('?').length - 1;
  const many = db.prepare(`${head} VALUES ${Array<string>(ROWS_PER_INSERT).fill(row).join(', ')}`);
  const one = db.prepare(`${head} VALUES ${row}`);
  return (params) => {
    const step = width * ROWS_PER_INSERT;
    let at = 0;
    for (; at + step <= params.length; at += step) many.run(params.slice(at, at + step));
    for (; at < params.length; at += width) one.run(params.slice(at, at + width));
  };
}

/** Inserts `SeedRows` into a database with crossdock's schema (the caller holds the transaction). */
export class JournalSeeder {
  private readonly messages: (params: unknown[]) => void;
  private readonly keys: (params: unknown[]) => void;
  private readonly orders: (params: unknown[]) => void;
  private readonly events: (params: unknown[]) => void;
  private readonly jobs: (params: unknown[]) => void;
  private readonly idempotency: (params: unknown[]) => void;
  private readonly accepted = new Map<string, number>();

  constructor(private readonly db: Database.Database) {
    this.messages = bulkInsert(db, `INSERT INTO messages (id, correlation_id, direction, source, kind, subject_id, channel_ref, order_number, po_number, source_ts, status, raw, canonical, received_at, updated_at)`,
      "(?, ?, 'inbound', ?, 'order', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    this.keys = bulkInsert(db, 'INSERT OR IGNORE INTO message_keys (key, received_at, message_id)', '(?, ?, ?)');
    this.orders = bulkInsert(db, 'INSERT INTO orders (id, channel, channel_order_id, state, correlation_id, message_id, customer_account, created_at, updated_at)',
      '(?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.events = bulkInsert(db, 'INSERT INTO message_events (message_id, at, step, outcome)', '(?, ?, ?, ?)');
    // Finished, as the seed leaves every job (nothing for the started crossdock to work through).
    this.jobs = bulkInsert(db, 'INSERT INTO jobs (id, queue, payload, correlation_id, status, attempts, max_attempts, run_at, subject_id, created_at, updated_at, trace_parent)',
      "(?, 'order.process', ?, ?, 'done', 0, ?, ?, ?, ?, ?, ?)");
    this.idempotency = bulkInsert(db, 'INSERT INTO idempotency_keys (key, request_hash, response, created_at)', '(?, ?, ?, ?)');
  }

  insert(rows: SeedRows): void {
    this.messages(rows.messages);
    this.keys(rows.keys);
    this.orders(rows.orders);
    this.events(rows.events);
    this.jobs(rows.jobs);
    this.idempotency(rows.idempotency);
    for (const [channel, count] of Object.entries(rows.accepted)) this.accepted.set(channel, (this.accepted.get(channel) ?? 0) + count);
  }

  /** The per-channel acceptance counters acceptOrder bumps one at a time. */
  finish(): void {
    const bump = this.db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value');
    for (const [channel, count] of this.accepted) bump.run(`orders_accepted:${channel}`, count);
    this.accepted.clear();
  }
}

/** The same orders through the store's own operations, as crossdock journals them. */
function writeThroughStore(db: Database.Database, orders: readonly SeedOrder[]): void {
  for (const { input, searchKeys, canonical, outcome } of orders) {
    operations.acceptOrder(db, { ...input, canonical, searchKeys });
    if (outcome) operations.transitionOrder(db, { orderId: input.orderId, from: ['received'], to: outcome.state, now: outcome.at, step: outcome.state });
  }
  db.exec("UPDATE jobs SET status = 'done' WHERE status = 'queued'");
}

function tableRows(db: Database.Database, table: string): unknown[] {
  const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
  return db.prepare(`SELECT * FROM ${table} ORDER BY ${columns.join(', ')}`).all();
}

/**
 * Writes `orders` once through the store's operations and once through `JournalSeeder`, each
 * into an empty in-memory database, and throws on the first table whose rows differ.
 */
export function checkSeedMatchesStore(orders: readonly SeedOrder[]): void {
  const viaStore = new Database(':memory:');
  const viaSeeder = new Database(':memory:');
  try {
    migrateSqlite(viaStore);
    migrateSqlite(viaSeeder);
    viaStore.transaction(() => writeThroughStore(viaStore, orders))();
    viaSeeder.transaction(() => {
      const seeder = new JournalSeeder(viaSeeder);
      // In two batches, as the bulk seed sends them, with a remainder smaller than one bulk insert.
      seeder.insert(seedRows(orders.slice(0, ROWS_PER_INSERT + 7)));
      seeder.insert(seedRows(orders.slice(ROWS_PER_INSERT + 7)));
      seeder.finish();
    })();
    for (const table of SEEDED_TABLES) {
      const expected = JSON.stringify(tableRows(viaStore, table));
      const actual = JSON.stringify(tableRows(viaSeeder, table));
      if (expected !== actual) throw new Error(`journal seed: ${table} rows differ from what the store writes\nstore:  ${expected.slice(0, 2000)}\nseeder: ${actual.slice(0, 2000)}`);
    }
  } finally {
    viaStore.close();
    viaSeeder.close();
  }
}

/**
 * Opens `file` (new) for a bulk seed: the product's migrations give it crossdock's schema, then
 * with no rollback journal and no fsync (a failed seed is thrown away) and without the secondary
 * indexes, which `rebuildIndexes` recreates from their own DDL once the rows are in: one sort
 * per index instead of a B-tree insert per row.
 */
export function openForSeed(file: string, tables: readonly string[] = SEEDED_TABLES): { db: Database.Database; rebuildIndexes: () => void } {
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -524288');
  // Lets CREATE INDEX sort on a second core.
  db.pragma('threads = 2');
  migrateSqlite(db);
  const placeholders = tables.map(() => '?').join(', ');
  const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${placeholders})`)
    .all(...tables) as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  return {
    db,
    rebuildIndexes: () => {
      for (const index of indexes) db.exec(index.sql);
    },
  };
}
