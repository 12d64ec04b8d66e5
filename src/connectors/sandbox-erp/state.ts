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
import { changedFrom, decodePageKey, pageOf, type ChangesPage, type PageKey } from './change-window.js';
import type { SandboxInvoice, SandboxShipment, SandboxStockLevel } from './fulfilment-documents.js';
import {
  chooseWarehouse,
  decideCancel,
  NET_DAYS,
  planInvoice,
  planShipment,
  stateAfterShipping,
  type FulfilmentRefusal,
  type LineProgress,
} from './fulfilment-rules.js';
import {
  groupBy,
  INVOICE_SELECT,
  LEVEL_SELECT,
  SHIPMENT_SELECT,
  toInvoice,
  toLevel,
  toShipment,
  type InvoiceLineRow,
  type InvoiceRow,
  type LevelRow,
  type ShipmentLineRow,
  type ShipmentRow,
} from './fulfilment-rows.js';
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

/** What became of a shipment, invoice or cancellation asked for a sales order. */
export type AfterSaleOutcome<T> =
  | { outcome: 'done'; result: T }
  | { outcome: 'not-found'; message: string }
  | { outcome: 'refused'; refusal: FulfilmentRefusal };

/** What the warehouse reports when it ships (every field optional: see `shipSalesOrder`). */
export interface ShipRequest {
  carrier?: string;
  tracking?: string;
  warehouse?: string;
  lines?: { sku: string; quantity: number }[];
}

/** Options of the change queries. */
export interface ChangeQuery {
  /** `after=` of the previous page. */
  after?: string;
  limit: number;
}

/** The carrier of a shipment the warehouse did not name one for. */
export const DEFAULT_CARRIER = 'Sandbox Freight';

interface CustomerRow { id: string; name: string; currency: string; credit_limit: string | null; balance: string; on_hold: number }
interface ItemRow { sku: string; description: string; uom: string; active: number }
interface OrderRow { number: string; total: string; lines: string; header: string; state: string; created_at: string }

const ORDER_COLUMNS = 'number, total, lines, header, state, created_at';
const DAY_MS = 86_400_000;

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
  private readonly shipTx: (number: string, request: ShipRequest) => AfterSaleOutcome<SandboxShipment>;
  private readonly invoiceTx: (number: string) => AfterSaleOutcome<SandboxInvoice>;
  private readonly cancelTx: (number: string) => AfterSaleOutcome<SandboxSalesOrder>;
  private readonly setStockTx: (sku: string, warehouse: string, quantity: number) => SandboxStockLevel | undefined;

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
    // The same for every write after the sale: each reads the order and writes in one go.
    const ship = this.db.transaction((number: string, request: ShipRequest) => this.shipInTransaction(number, request));
    this.shipTx = (number, request) => ship.immediate(number, request);
    const invoice = this.db.transaction((number: string) => this.invoiceInTransaction(number));
    this.invoiceTx = (number) => invoice.immediate(number);
    const cancel = this.db.transaction((number: string) => this.cancelInTransaction(number));
    this.cancelTx = (number) => cancel.immediate(number);
    const setStock = this.db.transaction((sku: string, warehouse: string, quantity: number) => this.setStockInTransaction(sku, warehouse, quantity));
    this.setStockTx = (sku, warehouse, quantity) => setStock.immediate(sku, warehouse, quantity);
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

  /** The sales order with this number (`SO-000001`). */
  getSalesOrder(number: string): SandboxSalesOrder | undefined {
    const row = this.statement(`SELECT ${ORDER_COLUMNS} FROM sales_orders WHERE number = ?`).get(number) as OrderRow | undefined;
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

  /**
   * Ships (part of) a sales order: the lines asked for, or everything still open, from the
   * warehouse asked for or the first one holding enough of every line. Takes the stock out of
   * that warehouse and moves the order to partially shipped or shipped.
   */
  shipSalesOrder(number: string, request: ShipRequest = {}): AfterSaleOutcome<SandboxShipment> {
    return this.shipTx(number, request);
  }

  /** Posts the order's next invoice: what shipped and is not invoiced yet, or the whole order when nothing shipped. */
  invoiceSalesOrder(number: string): AfterSaleOutcome<SandboxInvoice> {
    return this.invoiceTx(number);
  }

  /** Cancels an order nothing of which has shipped or been invoiced, releasing its total from the customer's balance. */
  cancelSalesOrder(number: string): AfterSaleOutcome<SandboxSalesOrder> {
    return this.cancelTx(number);
  }

  /** Sets the stock of an item in a warehouse (a count); undefined when the item does not exist. */
  setStock(sku: string, warehouse: string, quantity: number): SandboxStockLevel | undefined {
    return this.setStockTx(sku, warehouse, quantity);
  }

  /** The whole price list: one list price per item and currency, by SKU then currency. */
  priceList(): { sku: string; currency: string; unitPrice: string }[] {
    return (this.statement('SELECT sku, currency, unit_price FROM prices ORDER BY sku, currency').all() as { sku: string; currency: string; unit_price: string }[])
      .map((p) => ({ sku: p.sku, currency: p.currency, unitPrice: p.unit_price }));
  }

  /** Sets an item's list price in a currency, or removes it (null); false when the item does not exist. */
  setPrice(sku: string, currency: string, unitPrice: string | null): boolean {
    if (!this.statement('SELECT 1 FROM items WHERE sku = ?').get(sku)) return false;
    if (unitPrice === null) this.statement('DELETE FROM prices WHERE sku = ? AND currency = ?').run(sku, currency);
    else {
      this.statement('INSERT INTO prices (sku, currency, unit_price) VALUES (?, ?, ?) ON CONFLICT (sku, currency) DO UPDATE SET unit_price = excluded.unit_price')
        .run(sku, currency, unitPrice);
    }
    return true;
  }

  /** Every shipment, oldest first. */
  listShipments(): SandboxShipment[] {
    return this.shipmentsOf(this.statement(`${SHIPMENT_SELECT} ORDER BY s.id`).all() as ShipmentRow[]);
  }

  /** Every invoice, oldest first. */
  listInvoices(): SandboxInvoice[] {
    return this.invoicesOf(this.statement(`${INVOICE_SELECT} ORDER BY i.id`).all() as InvoiceRow[]);
  }

  /** Stock of every item in every warehouse, by SKU then warehouse. */
  allStockLevels(): SandboxStockLevel[] {
    return (this.statement(`${LEVEL_SELECT} ORDER BY s.sku, s.warehouse`).all() as LevelRow[]).map(toLevel);
  }

  /** Stock of these items in every warehouse, by SKU as asked then warehouse; unknown SKUs are left out. */
  stockLevels(skus: readonly string[]): SandboxStockLevel[] {
    const wanted = [...new Set(skus)];
    const rows = this.statement(`${LEVEL_SELECT} WHERE s.sku IN (SELECT value FROM json_each(?)) ORDER BY s.warehouse`).all(JSON.stringify(wanted)) as LevelRow[];
    const bySku = groupBy(rows, (r) => r.sku);
    return wanted.flatMap((sku) => (bySku.get(sku) ?? []).map(toLevel));
  }

  /** Shipments written at or after `since` less the overlap, oldest first. */
  shipmentsChangedSince(since: string | undefined, query: ChangeQuery): ChangesPage<SandboxShipment> {
    const after = afterOf(query.after);
    const rows = this.statement(
      `${SHIPMENT_SELECT} WHERE s.updated_at >= ? AND (s.updated_at > ? OR (s.updated_at = ? AND s.id > ?)) ORDER BY s.updated_at, s.id LIMIT ?`,
    ).all(changedFrom(since), after.stamp, after.stamp, Number(after.key) || 0, query.limit + 1) as ShipmentRow[];
    const page = pageOf(rows, query.limit, since, (r) => ({ stamp: r.updated_at, key: String(r.id) }));
    return { ...page, items: this.shipmentsOf(page.items) };
  }

  /** Invoices written at or after `since` less the overlap, oldest first. */
  invoicesChangedSince(since: string | undefined, query: ChangeQuery): ChangesPage<SandboxInvoice> {
    const after = afterOf(query.after);
    const rows = this.statement(
      `${INVOICE_SELECT} WHERE i.updated_at >= ? AND (i.updated_at > ? OR (i.updated_at = ? AND i.id > ?)) ORDER BY i.updated_at, i.id LIMIT ?`,
    ).all(changedFrom(since), after.stamp, after.stamp, Number(after.key) || 0, query.limit + 1) as InvoiceRow[];
    const page = pageOf(rows, query.limit, since, (r) => ({ stamp: r.updated_at, key: String(r.id) }));
    return { ...page, items: this.invoicesOf(page.items) };
  }

  /**
   * The current levels, in every warehouse, of the items whose stock changed at or after `since`
   * less the overlap; the limit counts items. Items come in the order of their newest change.
   */
  stockChangedSince(since: string | undefined, query: ChangeQuery): ChangesPage<SandboxStockLevel> {
    const after = afterOf(query.after);
    // The range on updated_at uses its index; MAX over the rows in range is the item's newest change.
    const changed = this.statement(
      `SELECT sku, MAX(updated_at) AS changed_at FROM stock WHERE updated_at >= ? GROUP BY sku
       HAVING changed_at > ? OR (changed_at = ? AND sku > ?) ORDER BY changed_at, sku LIMIT ?`,
    ).all(changedFrom(since), after.stamp, after.stamp, after.key, query.limit + 1) as { sku: string; changed_at: string }[];
    const page = pageOf(changed, query.limit, since, (r) => ({ stamp: r.changed_at, key: r.sku }));
    return { ...page, items: this.stockLevels(page.items.map((r) => r.sku)) };
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
    return { outcome: 'created', order: { ...header, lines: verdict.lines, number, total: verdict.total, state: 'open', createdAt } };
  }

  private shipInTransaction(number: string, request: ShipRequest): AfterSaleOutcome<SandboxShipment> {
    const order = this.getSalesOrder(number);
    if (!order) return salesOrderNotFound(number);
    const progress = this.progressOf(order);
    const plan = planShipment(order, progress, request.lines);
    if (!plan.ok) return { outcome: 'refused', refusal: plan.refusal };
    const from = chooseWarehouse(plan.lines, this.warehouseStock(plan.lines.map((l) => l.sku)), request.warehouse);
    if (!from.ok) return { outcome: 'refused', refusal: from.refusal };

    const now = this.stamp();
    const id = this.nextId('shipments');
    this.statement(
      'INSERT INTO shipments (id, number, sales_order, carrier, tracking, warehouse, shipped_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(id, documentNumber('SH', id), number, request.carrier ?? DEFAULT_CARRIER, request.tracking ?? null, from.warehouse, now, now);
    const line = this.statement('INSERT INTO shipment_lines (shipment_id, line_no, sku, quantity, uom, warehouse) VALUES (?, ?, ?, ?, ?, ?)');
    const take = this.statement('UPDATE stock SET qty = qty - ?, updated_at = ? WHERE sku = ? AND warehouse = ?');
    for (const l of plan.lines) {
      line.run(id, l.lineNo, l.sku, l.quantity, l.uom, from.warehouse);
      take.run(l.quantity, now, l.sku, from.warehouse);
    }
    this.statement('UPDATE sales_orders SET state = ? WHERE number = ?').run(stateAfterShipping(this.progressOf(order)), number);
    return { outcome: 'done', result: this.shipmentsOf(this.statement(`${SHIPMENT_SELECT} WHERE s.id = ?`).all(id) as ShipmentRow[])[0]! };
  }

  private invoiceInTransaction(number: string): AfterSaleOutcome<SandboxInvoice> {
    const order = this.getSalesOrder(number);
    if (!order) return salesOrderNotFound(number);
    const plan = planInvoice(order, this.progressOf(order), { firstInvoice: this.invoiceCount(number) === 0 });
    if (!plan.ok) return { outcome: 'refused', refusal: plan.refusal };

    const now = this.clock.now();
    const stamp = new Date(now).toISOString();
    const id = this.nextId('invoices');
    this.statement(
      `INSERT INTO invoices (id, number, sales_order, state, currency, invoice_date, due_date, net_days, charges, taxes, total, updated_at)
       VALUES (?, ?, ?, 'posted', ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id, documentNumber('INV', id), number, order.currency, stamp.slice(0, 10), new Date(now + NET_DAYS * DAY_MS).toISOString().slice(0, 10),
      NET_DAYS, JSON.stringify(plan.charges), JSON.stringify(plan.taxes), plan.total, stamp,
    );
    const line = this.statement(
      'INSERT INTO invoice_lines (invoice_id, line_no, sku, description, quantity, uom, unit_price, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const l of plan.lines) line.run(id, l.lineNo, l.sku, l.description ?? null, l.quantity, l.uom, l.unitPrice, l.amount);
    return { outcome: 'done', result: this.invoicesOf(this.statement(`${INVOICE_SELECT} WHERE i.id = ?`).all(id) as InvoiceRow[])[0]! };
  }

  private cancelInTransaction(number: string): AfterSaleOutcome<SandboxSalesOrder> {
    const order = this.getSalesOrder(number);
    if (!order) return salesOrderNotFound(number);
    const decision = decideCancel(order, this.invoiceCount(number));
    if (!decision.ok) return { outcome: 'refused', refusal: decision.refusal };
    if (decision.already) return { outcome: 'done', result: order };
    this.statement("UPDATE sales_orders SET state = 'cancelled' WHERE number = ?").run(number);
    // The order's total was added to the balance when it was taken; a cancelled order owes nothing.
    const customer = this.getCustomer(order.customerId);
    if (customer) this.statement('UPDATE customers SET balance = ? WHERE id = ?').run(sumDecimals([customer.balance, negate(order.total)]), customer.id);
    return { outcome: 'done', result: { ...order, state: 'cancelled' } };
  }

  private setStockInTransaction(sku: string, warehouse: string, quantity: number): SandboxStockLevel | undefined {
    if (!this.statement('SELECT 1 FROM items WHERE sku = ?').get(sku)) return undefined;
    this.statement(
      `INSERT INTO stock (sku, warehouse, qty, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (sku, warehouse) DO UPDATE SET qty = excluded.qty, updated_at = excluded.updated_at`,
    ).run(sku, warehouse, quantity, this.stamp());
    return toLevel(this.statement(`${LEVEL_SELECT} WHERE s.sku = ? AND s.warehouse = ?`).get(sku, warehouse) as LevelRow);
  }

  /** Each line of the order with how much of it has shipped and been invoiced. */
  private progressOf(order: SandboxSalesOrder): LineProgress[] {
    const sums = (sql: string) => new Map((this.statement(sql).all(order.number) as { line_no: number; qty: number }[]).map((r) => [r.line_no, r.qty]));
    const shipped = sums(
      'SELECT l.line_no, SUM(l.quantity) AS qty FROM shipment_lines l JOIN shipments s ON s.id = l.shipment_id WHERE s.sales_order = ? GROUP BY l.line_no',
    );
    const invoiced = sums(
      'SELECT l.line_no, SUM(l.quantity) AS qty FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.sales_order = ? GROUP BY l.line_no',
    );
    return order.lines.map((line) => ({ line, shipped: shipped.get(line.lineNo) ?? 0, invoiced: invoiced.get(line.lineNo) ?? 0 }));
  }

  /** Every warehouse, with what it holds of these SKUs. */
  private warehouseStock(skus: readonly string[]): Map<string, Map<string, number>> {
    const stock = new Map<string, Map<string, number>>();
    for (const { warehouse } of this.statement('SELECT DISTINCT warehouse FROM stock').all() as { warehouse: string }[]) stock.set(warehouse, new Map());
    const rows = this.statement('SELECT sku, warehouse, qty FROM stock WHERE sku IN (SELECT value FROM json_each(?))').all(JSON.stringify([...new Set(skus)]));
    for (const row of rows as { sku: string; warehouse: string; qty: number }[]) stock.get(row.warehouse)?.set(row.sku, row.qty);
    return stock;
  }

  private invoiceCount(number: string): number {
    return (this.statement('SELECT COUNT(*) AS n FROM invoices WHERE sales_order = ?').get(number) as { n: number }).n;
  }

  private nextId(table: 'shipments' | 'invoices'): number {
    return (this.statement(`SELECT COALESCE(MAX(id), 0) + 1 AS id FROM ${table}`).get() as { id: number }).id;
  }

  /** Now on the ERP's clock, as every stamp in the books is written (so stamps compare as text). */
  private stamp(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private shipmentsOf(rows: readonly ShipmentRow[]): SandboxShipment[] {
    const lines = this.statement(
      'SELECT * FROM shipment_lines WHERE shipment_id IN (SELECT value FROM json_each(?)) ORDER BY shipment_id, line_no',
    ).all(JSON.stringify(rows.map((r) => r.id))) as ShipmentLineRow[];
    const byShipment = groupBy(lines, (l) => l.shipment_id);
    return rows.map((row) => toShipment(row, byShipment.get(row.id) ?? []));
  }

  private invoicesOf(rows: readonly InvoiceRow[]): SandboxInvoice[] {
    const lines = this.statement(
      'SELECT * FROM invoice_lines WHERE invoice_id IN (SELECT value FROM json_each(?)) ORDER BY invoice_id, line_no',
    ).all(JSON.stringify(rows.map((r) => r.id))) as InvoiceLineRow[];
    const byInvoice = groupBy(lines, (l) => l.invoice_id);
    return rows.map((row) => toInvoice(row, byInvoice.get(row.id) ?? []));
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

function salesOrderNotFound(number: string): { outcome: 'not-found'; message: string } {
  return { outcome: 'not-found', message: `Sales order ${number} does not exist` };
}

/** `SH-000001`, `INV-000001`. */
function documentNumber(prefix: string, id: number): string {
  return `${prefix}-${String(id).padStart(6, '0')}`;
}

/** Where a change page resumes; from the start when there is no (readable) `after`. */
function afterOf(after: string | undefined): PageKey {
  return (after === undefined ? undefined : decodePageKey(after)) ?? { stamp: '', key: '' };
}

function negate(amount: string): string {
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
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
    state: row.state,
    createdAt: row.created_at,
  };
  if (!Value.Check(SandboxSalesOrder, order)) {
    throw new Error(`sandbox ERP sales order ${row.number} does not match its schema`);
  }
  return order;
}
