import type Database from 'better-sqlite3';
import { SEED_CUSTOMERS, SEED_ITEMS } from './seed.js';

/**
 * The sandbox ERP's own database schema, numbered and append-only like crossdock's. It lives in
 * its own file (`<dataDir>/sandbox-erp.db`), apart from crossdock's store, because it stands for
 * another system: wiping crossdock's journal must not make the ERP forget its orders.
 */
const MIGRATIONS: readonly { version: number; sql: string; seed?: (db: Database.Database) => void }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  currency TEXT NOT NULL,
  credit_limit TEXT,
  balance TEXT NOT NULL,
  on_hold INTEGER NOT NULL
);
CREATE TABLE items (
  sku TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  uom TEXT NOT NULL,
  active INTEGER NOT NULL
);
CREATE TABLE stock (
  sku TEXT NOT NULL,
  warehouse TEXT NOT NULL,
  qty REAL NOT NULL,
  PRIMARY KEY (sku, warehouse)
);
CREATE TABLE prices (
  sku TEXT NOT NULL,
  currency TEXT NOT NULL,
  unit_price TEXT NOT NULL,
  PRIMARY KEY (sku, currency)
);
CREATE TABLE sales_orders (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  external_ref TEXT NOT NULL UNIQUE,
  customer_id TEXT NOT NULL,
  currency TEXT NOT NULL,
  total TEXT NOT NULL,
  lines TEXT NOT NULL,
  header TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE call_counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);`,
    seed,
  },
  {
    // After the sale: shipments and invoices, sales orders that move (shipped, cancelled), and
    // stock rows stamped when they change so the change feed can find them. Seeded stock keeps
    // a null stamp: it is where the books start, not a change.
    version: 2,
    sql: `
ALTER TABLE sales_orders ADD COLUMN state TEXT NOT NULL DEFAULT 'open';
ALTER TABLE stock ADD COLUMN updated_at TEXT;
CREATE INDEX stock_updated_at ON stock (updated_at);
CREATE TABLE shipments (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  sales_order TEXT NOT NULL REFERENCES sales_orders (number),
  carrier TEXT NOT NULL,
  tracking TEXT,
  warehouse TEXT NOT NULL,
  shipped_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX shipments_sales_order ON shipments (sales_order);
CREATE INDEX shipments_updated_at ON shipments (updated_at, id);
CREATE TABLE shipment_lines (
  shipment_id INTEGER NOT NULL REFERENCES shipments (id),
  line_no INTEGER NOT NULL,
  sku TEXT NOT NULL,
  quantity REAL NOT NULL,
  uom TEXT NOT NULL,
  warehouse TEXT NOT NULL,
  PRIMARY KEY (shipment_id, line_no)
);
CREATE TABLE invoices (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  sales_order TEXT NOT NULL REFERENCES sales_orders (number),
  state TEXT NOT NULL,
  currency TEXT NOT NULL,
  invoice_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  net_days INTEGER NOT NULL,
  charges TEXT NOT NULL,
  taxes TEXT NOT NULL,
  total TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX invoices_sales_order ON invoices (sales_order);
CREATE INDEX invoices_updated_at ON invoices (updated_at, id);
CREATE TABLE invoice_lines (
  invoice_id INTEGER NOT NULL REFERENCES invoices (id),
  line_no INTEGER NOT NULL,
  sku TEXT NOT NULL,
  description TEXT,
  quantity REAL NOT NULL,
  uom TEXT NOT NULL,
  unit_price TEXT NOT NULL,
  amount TEXT NOT NULL,
  PRIMARY KEY (invoice_id, line_no)
);`,
  },
];

/** Brings the database to the latest version; seeds demo data when it is created. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true });
  const version = typeof current === 'number' ? current : 0;
  for (const migration of MIGRATIONS) {
    if (migration.version <= version) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      migration.seed?.(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

function seed(db: Database.Database): void {
  const customer = db.prepare(
    'INSERT INTO customers (id, name, currency, credit_limit, balance, on_hold) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const c of SEED_CUSTOMERS) customer.run(c.id, c.name, c.currency, c.creditLimit, c.balance, c.onHold ? 1 : 0);
  const item = db.prepare('INSERT INTO items (sku, description, uom, active) VALUES (?, ?, ?, ?)');
  const stock = db.prepare('INSERT INTO stock (sku, warehouse, qty) VALUES (?, ?, ?)');
  const price = db.prepare('INSERT INTO prices (sku, currency, unit_price) VALUES (?, ?, ?)');
  for (const i of SEED_ITEMS) {
    item.run(i.sku, i.description, i.uom, i.active ? 1 : 0);
    for (const [warehouse, qty] of Object.entries(i.stock)) stock.run(i.sku, warehouse, qty);
    for (const [currency, unitPrice] of Object.entries(i.prices)) price.run(i.sku, currency, unitPrice);
  }
}
