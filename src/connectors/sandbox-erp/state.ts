import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Value } from 'typebox/value';
import { systemClock, type Clock } from '../../lib/clock.js';
import { sumDecimals } from '../../lib/money.js';
import {
  SandboxSalesOrder,
  type Refusal,
  type SandboxCustomer,
  type SandboxItem,
  type SandboxSalesOrderInput,
} from './document.js';
import { judgeSalesOrder } from './rules.js';
import { migrate } from './schema.js';
import type { StatsDelta } from './stats.js';

/** The file the sandbox ERP keeps its state in, inside crossdock's data directory. */
export const SANDBOX_ERP_DB_FILE = 'sandbox-erp.db';

/** What became of a create. */
export type CreateOutcome =
  | { outcome: 'created'; order: SandboxSalesOrder }
  /** An order with this external reference already exists: it is returned, nothing is written. */
  | { outcome: 'duplicate'; order: SandboxSalesOrder }
  | { outcome: 'refused'; refusal: Refusal };

interface CustomerRow { id: string; name: string; currency: string; credit_limit: string | null; balance: string; on_hold: number }
interface ItemRow { sku: string; description: string; uom: string; active: number }
interface OrderRow { number: string; total: string; lines: string; header: string; created_at: string }

const ORDER_COLUMNS = 'number, total, lines, header, created_at';

/**
 * The sandbox ERP's books: customers, items, stock, prices, sales orders and call counters, in
 * SQLite. WAL with `synchronous=FULL`, so a sales order whose 201 left the process (or whose
 * answer was deliberately lost) is still there after a SIGKILL — the ERP must remember what it
 * created, or crossdock's exactly-once check would have nothing to find.
 */
export class SandboxErpState {
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly createTx: (input: SandboxSalesOrderInput) => CreateOutcome;

  /** Opens (creating and seeding when new) `<dataDir>/sandbox-erp.db`. */
  constructor(dataDir: string, options: { clock?: Clock } = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, SANDBOX_ERP_DB_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.clock = options.clock ?? systemClock;
    migrate(this.db);
    const tx = this.db.transaction((input: SandboxSalesOrderInput) => this.createInTransaction(input));
    // IMMEDIATE takes the write lock first, so the duplicate check and the insert see the same books.
    this.createTx = (input) => tx.immediate(input);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  getCustomer(id: string): SandboxCustomer | undefined {
    const row = this.statement('SELECT * FROM customers WHERE id = ?').get(id) as CustomerRow | undefined;
    return row && toCustomer(row);
  }

  /** The items among `skus` that exist (active or not), with prices and stock; absent SKUs are missing. */
  getItems(skus: readonly string[]): Map<string, SandboxItem> {
    const wanted = JSON.stringify([...new Set(skus)]);
    const items = new Map<string, SandboxItem>();
    const rows = this.statement('SELECT * FROM items WHERE sku IN (SELECT value FROM json_each(?))').all(wanted) as ItemRow[];
    for (const row of rows) {
      items.set(row.sku, { sku: row.sku, description: row.description, uom: row.uom, active: row.active === 1, prices: {}, stock: {} });
    }
    const prices = this.statement('SELECT sku, currency, unit_price FROM prices WHERE sku IN (SELECT value FROM json_each(?))');
    for (const p of prices.all(wanted) as { sku: string; currency: string; unit_price: string }[]) {
      const item = items.get(p.sku);
      if (item) item.prices[p.currency] = p.unit_price;
    }
    const stock = this.statement('SELECT sku, warehouse, qty FROM stock WHERE sku IN (SELECT value FROM json_each(?))');
    for (const s of stock.all(wanted) as { sku: string; warehouse: string; qty: number }[]) {
      const item = items.get(s.sku);
      if (item) item.stock[s.warehouse] = s.qty;
    }
    return items;
  }

  findSalesOrder(externalRef: string): SandboxSalesOrder | undefined {
    const row = this.statement(`SELECT ${ORDER_COLUMNS} FROM sales_orders WHERE external_ref = ?`).get(externalRef) as OrderRow | undefined;
    return row && toSalesOrder(row);
  }

  /** Every sales order, oldest first: what the ERP received, for tests to count. */
  listSalesOrders(): SandboxSalesOrder[] {
    const rows = this.statement(`SELECT ${ORDER_COLUMNS} FROM sales_orders ORDER BY id`).all() as OrderRow[];
    return rows.map(toSalesOrder);
  }

  /**
   * Creates a sales order if the books allow it, committing before returning. A second create
   * with the same external reference writes nothing and returns the first order.
   */
  createSalesOrder(input: SandboxSalesOrderInput): CreateOutcome {
    return this.createTx(input);
  }

  /** Persisted call counters (`total`, `calls:<route>`, `responses:<status>`, `peak:*`). */
  loadCounters(): Record<string, number> {
    const rows = this.statement('SELECT name, value FROM call_counters').all() as { name: string; value: number }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  }

  /** Adds the counts and raises the peaks, in one transaction. */
  saveCounters(delta: StatsDelta): void {
    const add = this.statement(
      'INSERT INTO call_counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value',
    );
    const raise = this.statement(
      'INSERT INTO call_counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)',
    );
    this.db.transaction(() => {
      for (const [name, value] of Object.entries(delta.counts)) add.run(name, value);
      for (const [name, value] of Object.entries(delta.peaks)) raise.run(name, value);
    })();
  }

  clearCounters(): void {
    this.statement('DELETE FROM call_counters').run();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private createInTransaction(input: SandboxSalesOrderInput): CreateOutcome {
    const existing = this.findSalesOrder(input.externalRef);
    if (existing) return { outcome: 'duplicate', order: existing };

    const customer = this.getCustomer(input.customerId);
    const verdict = judgeSalesOrder(input, customer, this.getItems(input.lines.map((l) => l.sku)));
    if (!verdict.ok) return { outcome: 'refused', refusal: verdict.refusal };

    const { id } = this.statement('SELECT COALESCE(MAX(id), 0) + 1 AS id FROM sales_orders').get() as { id: number };
    const number = `SO-${String(id).padStart(6, '0')}`;
    const createdAt = new Date(this.clock.now()).toISOString();
    const header = withoutLines(input);
    this.statement(
      `INSERT INTO sales_orders (id, number, external_ref, customer_id, currency, total, lines, header, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, number, input.externalRef, input.customerId, input.currency, verdict.total, JSON.stringify(verdict.lines), JSON.stringify(header), createdAt);
    // Checked by judgeSalesOrder above; the customer row exists inside this transaction.
    const balance = sumDecimals([customer?.balance ?? '0', verdict.total]);
    this.statement('UPDATE customers SET balance = ? WHERE id = ?').run(balance, input.customerId);
    return { outcome: 'created', order: { ...header, lines: verdict.lines, number, total: verdict.total, createdAt } };
  }

  private statement(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}

/** Opens the sandbox ERP's state in `dataDir`. */
export function openSandboxErpState(dataDir: string, options: { clock?: Clock } = {}): SandboxErpState {
  return new SandboxErpState(dataDir, options);
}

function withoutLines(input: SandboxSalesOrderInput): Omit<SandboxSalesOrderInput, 'lines'> {
  const header: Partial<SandboxSalesOrderInput> = { ...input };
  delete header.lines;
  return header as Omit<SandboxSalesOrderInput, 'lines'>;
}

function toCustomer(row: CustomerRow): SandboxCustomer {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    creditLimit: row.credit_limit,
    balance: row.balance,
    onHold: row.on_hold === 1,
  };
}

/** Rows are read back through the schema: a hand-edited database fails loudly, not downstream. */
function toSalesOrder(row: OrderRow): SandboxSalesOrder {
  const lines: unknown = JSON.parse(row.lines);
  const header: unknown = JSON.parse(row.header);
  const order: unknown = {
    ...(typeof header === 'object' && header !== null ? header : {}),
    lines,
    number: row.number,
    total: row.total,
    createdAt: row.created_at,
  };
  if (!Value.Check(SandboxSalesOrder, order)) {
    throw new Error(`sandbox ERP sales order ${row.number} does not match its schema`);
  }
  return order;
}
