import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { freePort, REPO_ROOT } from './processes.js';

const run = promisify(execFile);

/**
 * A real Tryton ERP for one test file: trytond from Debian's packages (installed and given a
 * database by scripts/tryton/setup.sh, once per machine), serving a private copy of the
 * pristine database on its own port, in its own folder. Every test file gets its own server, so
 * a test that stops trytond for a while disturbs nobody else.
 */
export interface TestTryton {
  /** http://127.0.0.1:PORT (no database path). */
  readonly baseUrl: string;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** `tryton+http://admin:admin@127.0.0.1:PORT/DB`, as `crossdock start --erp-url` takes it. */
  readonly erpUrl: string;
  /** A JSON-RPC session of its own, to act in Tryton as its users would (create items, ship, invoice). */
  readonly rpc: TrytonTestClient;
  /** Stops trytond (SIGTERM, by its pid); the database stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port and database; resolves when it answers. */
  start(): Promise<void>;
  /** Ends every session on the server, as an expiry would: the next call with one gets HTTP 401. */
  expireSessions(): void;
  /** Stops trytond and removes its folder. Idempotent. */
  dispose(): Promise<void>;
}

const SCRIPTS = join(REPO_ROOT, 'scripts', 'tryton');
const TRYTON_HOME = process.env.TRYTON_HOME ?? join(process.env.TMPDIR ?? '/tmp', 'crossdock-tryton');
const TEMPLATE = join(TRYTON_HOME, 'crossdock.template.sqlite');

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

/**
 * Why Tryton tests cannot run here, or undefined when they can. The first call runs setup.sh
 * (apt install and database build, about 30 s; 0.1 s once done); in CI `.ci/run` has run it.
 */
export async function trytonUnavailable(): Promise<string | undefined> {
  if (existsSync(TEMPLATE) && existsSync('/usr/bin/trytond')) return undefined;
  try {
    await run('bash', [join(SCRIPTS, 'setup.sh')], { timeout: 600_000, env: { ...process.env, TRYTON_HOME } });
  } catch (error) {
    return `scripts/tryton/setup.sh failed: ${(error as Error).message}`;
  }
  return existsSync(TEMPLATE) ? undefined : `setup.sh left no ${TEMPLATE}`;
}

let databases = 0;

export async function startTryton(): Promise<TestTryton> {
  const reason = await trytonUnavailable();
  if (reason) throw new Error(reason);
  const home = mkdtempSync(join(tmpdir(), 'crossdock-tryton-test-'));
  const database = `t${process.pid}_${++databases}`;
  mkdirSync(join(home, 'db'));
  const dbFile = join(home, 'db', `${database}.sqlite`);
  copyFileSync(TEMPLATE, dbFile);
  const conf = join(home, 'trytond.conf');
  writeFileSync(conf, `[database]\nuri = sqlite://\npath = ${join(home, 'db')}\n\n[session]\ntimeout = 3600\n`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const log = openSync(join(home, 'trytond.log'), 'a');
    const launched = spawn('trytond', ['-c', conf, '-d', database], {
      env: { ...process.env, TRYTOND_WEB__LISTEN: `127.0.0.1:${port}` },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    running.add(launched);
    launched.once('exit', () => running.delete(launched));
    child = launched;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (launched.exitCode !== null) throw new Error(`trytond exited (${launched.exitCode}):\n${tail(home)}`);
      try {
        await call(baseUrl, '/', 'common.server.version', []);
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`trytond did not answer within 60 s:\n${tail(home)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async function stop(): Promise<void> {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((r) => current.once('exit', r));
    current.kill('SIGTERM');
    const timer = setTimeout(() => current.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  await start();
  const rpc = await TrytonTestClient.login(baseUrl, database, 'admin', 'admin');
  let disposed = false;
  return {
    baseUrl, database, user: 'admin', password: 'admin', rpc,
    erpUrl: `tryton+http://admin:admin@127.0.0.1:${port}/${database}`,
    stop, start,
    expireSessions() {
      const db = new Database(dbFile);
      try {
        db.pragma('busy_timeout = 5000');
        db.exec('DELETE FROM ir_session');
      } finally {
        db.close();
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function tail(home: string): string {
  try {
    return readFileSync(join(home, 'trytond.log'), 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

async function call(baseUrl: string, path: string, method: string, params: unknown[], authorization?: string): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ id: 1, method, params }),
  });
  if (!response.ok) throw new Error(`${method}: HTTP ${response.status}`);
  const body = (await response.json()) as { result?: unknown; error?: unknown };
  if (body.error !== undefined) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** Tryton's JSON for a Decimal. */
export const trytonDecimal = (value: string | number) => ({ __class__: 'Decimal', decimal: String(value) });

/**
 * Tryton's JSON-RPC as a Tryton user drives it (the warehouse clerk, the accountant), for tests
 * to act on the ERP side. Deliberately independent of crossdock's own Tryton client.
 */
export class TrytonTestClient {
  private constructor(
    private readonly baseUrl: string,
    private readonly database: string,
    private readonly credentials: { user: string; password: string },
    private authorization: string,
    readonly context: Record<string, unknown>,
  ) {}

  static async login(baseUrl: string, database: string, user: string, password: string): Promise<TrytonTestClient> {
    const authorization = await TrytonTestClient.session(baseUrl, database, user, password);
    const context = (await call(baseUrl, `/${database}/`, 'model.res.user.get_preferences', [true, {}], authorization)) as Record<string, unknown>;
    return new TrytonTestClient(baseUrl, database, { user, password }, authorization, context);
  }

  private static async session(baseUrl: string, database: string, user: string, password: string): Promise<string> {
    const [userId, session] = (await call(baseUrl, `/${database}/`, 'common.db.login', [user, { password }])) as [number, string];
    return `Session ${Buffer.from(`${user}:${userId}:${session}`).toString('base64')}`;
  }

  /** One call; a session the server ended (HTTP 401) is replaced once, as a Tryton client would. */
  private async rpc(method: string, params: unknown[]): Promise<unknown> {
    try {
      return await call(this.baseUrl, `/${this.database}/`, method, params, this.authorization);
    } catch (error) {
      if (!/HTTP 401/.test((error as Error).message)) throw error;
      this.authorization = await TrytonTestClient.session(this.baseUrl, this.database, this.credentials.user, this.credentials.password);
      return call(this.baseUrl, `/${this.database}/`, method, params, this.authorization);
    }
  }

  /** `model.<model>.<method>` with the user's context last. */
  model<T = unknown>(model: string, method: string, ...args: unknown[]): Promise<T> {
    return this.rpc(`model.${model}.${method}`, [...args, this.context]) as Promise<T>;
  }

  /** Like `model`, with extra context (e.g. `{ locations: [...] }` for stock quantities). */
  modelWith<T = unknown>(extra: Record<string, unknown>, model: string, method: string, ...args: unknown[]): Promise<T> {
    return this.rpc(`model.${model}.${method}`, [...args, { ...this.context, ...extra }]) as Promise<T>;
  }

  async id(model: string, domain: unknown[]): Promise<number> {
    const [found] = await this.model<number[]>(model, 'search', domain, 0, 1, null);
    if (found === undefined) throw new Error(`no ${model} matching ${JSON.stringify(domain)}`);
    return found;
  }

  /** Creates a customer (party with an address) whose code is crossdock's account id. */
  async createCustomer(code: string, name = `Customer ${code}`): Promise<number> {
    const [party] = await this.model<number[]>('party.party', 'create', [{
      name, code,
      addresses: [['create', [{ name: 'Receiving', street: '1 Dock Rd', postal_code: '89501', city: 'Reno' }]]],
    }]);
    return party!;
  }

  /** Creates a salable goods item whose code is the SKU, priced `listPrice` per unit. */
  async createItem(sku: string, listPrice = '10.00', name = `Item ${sku}`): Promise<number> {
    const unit = await this.unitId();
    const goods = await this.id('product.category', [['name', '=', 'Goods']]);
    await this.model('product.template', 'create', [{
      name, type: 'goods', salable: true, account_category: goods, default_uom: unit, sale_uom: unit,
      list_price: trytonDecimal(listPrice), products: [['create', [{ suffix_code: sku, cost_price: trytonDecimal('1.00') }]]],
    }]);
    return this.id('product.product', [['code', '=', sku]]);
  }

  async unitId(): Promise<number> {
    const [data] = await this.model<{ db_id: number }[]>('ir.model.data', 'search_read', [['module', '=', 'product'], ['fs_id', '=', 'uom_unit']], 0, 1, null, ['db_id']);
    return data!.db_id;
  }

  /** Counts `quantity` of the product into a warehouse's storage location (a stock inventory). */
  async countStock(productId: number, warehouseCode: string, quantity: number): Promise<void> {
    const [warehouse] = await this.model<{ storage_location: number }[]>('stock.location', 'search_read', [['type', '=', 'warehouse'], ['code', '=', warehouseCode]], 0, 1, null, ['storage_location']);
    const [inventory] = await this.model<number[]>('stock.inventory', 'create', [{
      location: warehouse!.storage_location, lines: [['create', [{ product: productId, quantity }]]],
    }]);
    await this.model('stock.inventory', 'confirm', [inventory]);
  }

  /**
   * Receives `quantity` of the product from a supplier into a warehouse (supplier shipment,
   * received and done). Works for EAST, where `countStock` cannot: a stock inventory needs a
   * lost-and-found location above the storage, which only WH has.
   */
  async receiveStock(productId: number, warehouseCode: string, quantity: number): Promise<void> {
    const [warehouse] = await this.model<{ id: number; input_location: number }[]>('stock.location', 'search_read', [['type', '=', 'warehouse'], ['code', '=', warehouseCode]], 0, 1, null, ['input_location']);
    const supplierLocation = await this.id('stock.location', [['type', '=', 'supplier']]);
    const supplier = await this.id('party.party', []);
    const [company] = await this.model<{ currency: number }[]>('company.company', 'read', [this.context.company], ['currency']);
    const [shipment] = await this.model<number[]>('stock.shipment.in', 'create', [{
      supplier, warehouse: warehouse!.id,
      incoming_moves: [['create', [{
        product: productId, uom: await this.unitOf(productId), quantity, unit_price: trytonDecimal('1.00'), currency: company!.currency,
        from_location: supplierLocation, to_location: warehouse!.input_location,
      }]]],
    }]);
    await this.model('stock.shipment.in', 'receive', [shipment]);
    await this.model('stock.shipment.in', 'done', [shipment]);
  }

  /** The product's stock unit (its template's default unit). */
  async unitOf(productId: number): Promise<number> {
    const [product] = await this.model<{ default_uom: number }[]>('product.product', 'read', [productId], ['default_uom']);
    return product!.default_uom;
  }

  /** The sale carrying crossdock's order id as its reference, with its shipments and invoices. */
  async saleByReference(reference: string): Promise<{ id: number; number: string; state: string; shipments: number[]; invoices: number[]; party: number; lines: number[] } | undefined> {
    const [sale] = await this.model<{ id: number; number: string; state: string; shipments: number[]; invoices: number[]; party: number; lines: number[] }[]>(
      'sale.sale', 'search_read', [['reference', '=', reference]], 0, null, null, ['number', 'state', 'shipments', 'invoices', 'party', 'lines']);
    return sale;
  }

  /** What a warehouse clerk does: assign, pick, pack and mark the customer shipment done. */
  async shipOut(shipmentId: number): Promise<void> {
    await this.model('stock.shipment.out', 'assign_try', [shipmentId]);
    for (const transition of ['pick', 'pack', 'done']) await this.model('stock.shipment.out', transition, [shipmentId]);
  }

  /** What an accountant does: post the invoice. */
  async postInvoice(invoiceId: number): Promise<void> {
    await this.model('account.invoice', 'post', [invoiceId]);
  }
}
