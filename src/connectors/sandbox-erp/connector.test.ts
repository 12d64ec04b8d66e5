import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { Clock } from '../../lib/clock.js';
import { createHttpClient } from '../../protect/http-client.js';
import type { HttpClient, ProtectionPolicy } from '../../protect/types.js';
import type { CallContext, ErpConnector } from '../capabilities.js';
import { createSandboxErpConnector } from './connector.js';
import { demoOrder } from './fixtures/documents.js';
import type { SandboxErpKnobsPatch } from './knobs.js';
import { SEED_ITEMS } from './seed.js';
import { startSandboxErpServer, type SandboxErpServer } from './server.js';

const ctx: CallContext = { correlationId: 'test-correlation' };

/**
 * The smallest HttpClient that keeps the contract: transient answers and transport failures
 * thrown as CrossdockErrors, 2xx–4xx returned with their JSON parsed.
 */
function fetchHttpClient(baseUrl: string): HttpClient {
  return {
    async request(request, callCtx) {
      let response: Response;
      try {
        response = await fetch(baseUrl + request.path, {
          method: request.method,
          headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: callCtx.signal,
        });
      } catch (error) {
        throw new CrossdockError('target.unreachable', undefined, { cause: error, target: 'sandbox-erp' });
      }
      const text = await response.text();
      if (response.status === 429) {
        throw new CrossdockError('target.rate-limited', undefined, { retryAfterMs: Number(response.headers.get('retry-after')) * 1000 });
      }
      if (response.status >= 500) throw new CrossdockError('target.unavailable');
      const json = response.headers.get('content-type')?.includes('json') && text !== '';
      return { status: response.status, headers: response.headers, body: json ? (JSON.parse(text) as unknown) : text };
    },
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  knobs: SandboxErpKnobsPatch = {},
  http = fetchHttpClient,
  options: { changesPageSize?: number; clock?: Clock } = {},
): Promise<{ erp: SandboxErpServer; connector: ErpConnector }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-erp-connector-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const erp = await startSandboxErpServer({ dataDir, port: 0, knobs: { latencyMs: 0, ...knobs }, ...(options.clock ? { clock: options.clock } : {}) });
  cleanups.push(() => erp.close());
  const { changesPageSize } = options;
  return { erp, connector: createSandboxErpConnector({ http: http(erp.apiBaseUrl), ...(changesPageSize === undefined ? {} : { changesPageSize }) }) };
}

async function setKnobs(erp: SandboxErpServer, knobs: SandboxErpKnobsPatch): Promise<void> {
  const response = await fetch(`${erp.apiBaseUrl}/knobs`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(knobs) });
  expect(response.status).toBe(200);
}

async function callCounts(erp: SandboxErpServer): Promise<Record<string, number>> {
  const stats = (await (await fetch(`${erp.apiBaseUrl}/stats`)).json()) as { calls: Record<string, number> };
  return stats.calls;
}

async function rejection(promise: Promise<unknown>): Promise<CrossdockError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof CrossdockError)) throw new Error(`expected a CrossdockError, got ${String(error)}`);
  return error;
}

describe('sandbox ERP connector', () => {
  it('reads a customer, and undefined for one the ERP does not know', async () => {
    const { connector } = await setup();
    expect(await connector.masterData.getCustomer('C-200', ctx)).toEqual({
      accountId: 'C-200', name: 'Shoestring Supplies LLC', currency: 'USD', creditLimit: '50.00', balance: '0.00', onHold: false,
    });
    expect(await connector.masterData.getCustomer('C-999', ctx)).toBeUndefined();
  });

  it('looks up several SKUs in one call, leaving unknown ones out', async () => {
    const { erp, connector } = await setup();
    const items = await connector.masterData.getItems(['SKU-1', 'SKU-13', 'SKU-404', 'SKU-1'], ctx);
    expect([...items.values()]).toEqual([
      { sku: 'SKU-1', description: 'Widget 1', uom: 'EA', active: true },
      { sku: 'SKU-13', description: 'Filter 13', uom: 'EA', active: false },
    ]);
    expect(await connector.masterData.getItems([], ctx)).toEqual(new Map());
    expect(await callCounts(erp)).toEqual({ 'GET /api/items': 1 });
  });

  it('creates the sales order once: a second create and a look-up both return the same reference', async () => {
    const { erp, connector } = await setup();
    const order = demoOrder();
    expect(await connector.orderSink.findByExternalRef(order.id, ctx)).toBeUndefined();
    const ref = await connector.orderSink.create(order, ctx);
    expect(ref).toEqual({ system: 'sandbox-erp', id: 'SO-000001', number: 'SO-000001' });
    expect(await connector.orderSink.findByExternalRef(order.id, ctx)).toEqual(ref);
    expect(await connector.orderSink.create(order, ctx)).toEqual({ ...ref, existed: true });
    expect(erp.state.listSalesOrders()).toHaveLength(1);
    expect(erp.state.getCustomer('C-100')?.balance).toBe('22.47');
  });

  it.each([
    ['customer.credit-hold', 'credit-hold', demoOrder({ customer: { accountId: 'C-300' } })],
    ['customer.credit-hold', 'credit-hold', demoOrder({ customer: { accountId: 'C-200' }, lines: [{ sku: 'SKU-1', quantity: 100, uom: 'EA', unitPrice: '7.49' }] })],
    ['customer.unknown', 'unknown-customer', demoOrder({ customer: { accountId: 'C-999' } })],
    ['sku.unknown', 'unknown-item', demoOrder({ lines: [{ sku: 'SKU-404', quantity: 1, uom: 'EA', unitPrice: '1.00' }] })],
    ['erp.rejected', 'inactive-item', demoOrder({ lines: [{ sku: 'SKU-13', quantity: 1, uom: 'EA', unitPrice: '1.00' }] })],
  ] as const)('throws %s (a business error with the ERP message) when the ERP refuses with %s', async (code, erpCode, order) => {
    const { erp, connector } = await setup();
    const error = await rejection(connector.orderSink.create(order, ctx));
    expect(error).toMatchObject({ code, kind: 'business', target: 'sandbox-erp', context: { erpCode, erpMessage: expect.any(String) } });
    expect(error.message).toContain(String(error.context?.erpMessage));
    expect(erp.state.listSalesOrders()).toHaveLength(0);
  });

  it('throws target.rejected when the ERP refuses the document as malformed', async () => {
    const { connector } = await setup();
    const error = await rejection(connector.orderSink.create(demoOrder({ lines: [{ sku: 'SKU-1', quantity: 1, uom: 'ea', unitPrice: '1.00' }] }), ctx));
    expect(error).toMatchObject({ code: 'target.rejected', kind: 'rejected', context: { status: 400, erpCode: 'invalid-request' } });
  });

  it('finds the order after a lost response, so the retry creates nothing new', async () => {
    const { erp, connector } = await setup({ loseResponseRate: 1 });
    const order = demoOrder();
    expect(await rejection(connector.orderSink.create(order, ctx))).toMatchObject({ code: 'target.unreachable' });
    await setKnobs(erp, { loseResponseRate: 0 });
    expect(await connector.orderSink.findByExternalRef(order.id, ctx)).toEqual({ system: 'sandbox-erp', id: 'SO-000001', number: 'SO-000001' });
    expect(erp.state.listSalesOrders()).toHaveLength(1);
  });
});

/** The connector's optional capabilities, which the sandbox connector always has. */
function capabilities(connector: ErpConnector) {
  const { changes, stock, prices } = connector;
  const cancel = connector.orderSink.cancel?.bind(connector.orderSink);
  if (!changes || !stock || !prices || !cancel) throw new Error('the sandbox ERP connector lacks a capability');
  return { changes, stock, prices, cancel };
}

describe('sandbox ERP connector after the sale', () => {
  it('costs one call per feed when nothing changed, and starts from the beginning of time', async () => {
    const { erp, connector } = await setup();
    const { changes } = capabilities(connector);
    expect(await changes.shipments(undefined, ctx)).toEqual({ items: [], cursor: '1970-01-01T00:00:00.000Z' });
    expect(await changes.invoices(undefined, ctx)).toEqual({ items: [], cursor: '1970-01-01T00:00:00.000Z' });
    expect(await changes.stock('2025-03-01T12:00:00.000Z', ctx)).toEqual({ items: [], cursor: '2025-03-01T12:00:00.000Z' });
    expect(await callCounts(erp)).toEqual({ 'GET /api/changes/shipments': 1, 'GET /api/changes/invoices': 1, 'GET /api/changes/stock': 1 });
  });

  it('reads every shipment page by page as canonical shipments, oldest first, and resumes from the newest stamp', async () => {
    // The ERP's clock stands still: every shipment is stamped 12:00, inside any overlap window.
    const clock = { now: () => Date.parse('2025-03-01T12:00:00Z') };
    const { erp, connector } = await setup({}, fetchHttpClient, { changesPageSize: 2, clock });
    const { changes } = capabilities(connector);
    const ids = ['ord_A', 'ord_B', 'ord_C'];
    for (const id of ids) {
      const ref = await connector.orderSink.create(demoOrder({ id }), ctx);
      expect(erp.state.shipSalesOrder(ref.id, { carrier: 'UPS', tracking: `1Z-${id}` }).outcome).toBe('done');
    }
    const page = await changes.shipments(undefined, ctx);
    expect(page.items.map((s) => s.shipment.orderId)).toEqual(ids);
    expect(page.items[0]).toEqual({
      shipment: {
        orderId: 'ord_A', shipmentId: 'sandbox-erp:shipment:1', shippedAt: expect.any(String), carrier: 'UPS',
        tracking: [{ number: '1Z-ord_A' }], lines: [{ sku: 'SKU-1', quantity: 3, uom: 'EA' }], warehouse: 'WH1',
      },
      number: 'SH-000001',
      salesOrderNumber: 'SO-000001',
    });
    expect(page.cursor).toBe('2025-03-01T12:00:00.000Z');
    expect((await callCounts(erp))['GET /api/changes/shipments']).toBe(2);

    // Stamped within the overlap window: read again, and the cursor does not move.
    const again = await changes.shipments(page.cursor, ctx);
    expect(again.items.map((s) => s.number)).toEqual(['SH-000001', 'SH-000002', 'SH-000003']);
    expect(again.cursor).toBe(page.cursor);
    // Far beyond: nothing, and the cursor is the one given.
    expect(await changes.shipments('2999-01-01T00:00:00.000Z', ctx)).toEqual({ items: [], cursor: '2999-01-01T00:00:00.000Z' });
  });

  it('reads posted invoices as canonical invoices, and the stock that moved as levels in every warehouse', async () => {
    const { erp, connector } = await setup();
    const { changes } = capabilities(connector);
    const ref = await connector.orderSink.create(demoOrder(), ctx);
    erp.state.shipSalesOrder(ref.id);
    erp.state.invoiceSalesOrder(ref.id);

    const invoices = await changes.invoices(undefined, ctx);
    expect(invoices.items).toEqual([{
      invoice: {
        orderId: demoOrder().id, invoiceId: 'sandbox-erp:invoice:1', number: 'INV-000001', invoiceDate: expect.stringMatching(/T00:00:00Z$/),
        dueDate: expect.stringMatching(/T00:00:00Z$/), currency: 'USD', lines: [{ sku: 'SKU-1', quantity: 3, uom: 'EA', unitPrice: '7.49' }],
        total: '22.47', terms: { netDays: 30 },
      },
      salesOrderNumber: 'SO-000001',
      state: 'posted',
    }]);

    const seeded = erp.state.stockLevels(['SKU-1']);
    const stock = await changes.stock(undefined, ctx);
    expect(stock.items).toEqual(seeded.map((l) => ({ sku: 'SKU-1', location: l.warehouse, onHand: l.quantity, forecast: l.quantity, uom: 'EA' })));
    expect(stock.items.find((l) => l.location === 'WH1')?.onHand).toBe(SEED_ITEMS[0]!.stock['WH1']! - 3);
    expect(stock.cursor).toBe(erp.state.listShipments()[0]!.updatedAt);
  });

  it('answers stock levels and prices on demand', async () => {
    const { connector } = await setup();
    const { stock, prices } = capabilities(connector);
    expect(await stock.levels(['SKU-11', 'SKU-404'], ctx)).toEqual([
      { sku: 'SKU-11', location: 'WH1', onHand: 0, forecast: 0, uom: 'EA' },
      { sku: 'SKU-11', location: 'WH2', onHand: 0, forecast: 0, uom: 'EA' },
    ]);
    const all = await stock.allLevels!(ctx);
    expect(all).toHaveLength(SEED_ITEMS.length * 2);
    expect(all.filter((l) => l.sku === 'SKU-7')).toEqual([
      { sku: 'SKU-7', location: 'WH1', onHand: 0, forecast: 0, uom: 'EA' },
      { sku: 'SKU-7', location: 'WH2', onHand: SEED_ITEMS[6]!.stock['WH2'], forecast: SEED_ITEMS[6]!.stock['WH2'], uom: 'EA' },
    ]);
    expect(await prices.unitPrice('C-100', 'SKU-3', 10, 'USD', ctx)).toBe('12.49');
    expect(await prices.unitPrice('C-500', 'SKU-3', 1, 'EUR', ctx)).toBe('11.49');
    expect(await prices.unitPrice('C-100', 'SKU-3', 1, 'JPY', ctx)).toBeUndefined();
    expect(await prices.unitPrice('C-999', 'SKU-3', 1, 'USD', ctx)).toBeUndefined();
    expect(await prices.unitPrice('C-100', 'SKU-404', 1, 'USD', ctx)).toBeUndefined();
  });

  it('cancels an order that has not shipped, and reports the refusal of one that has', async () => {
    const { erp, connector } = await setup();
    const { cancel } = capabilities(connector);
    const open = await connector.orderSink.create(demoOrder({ id: 'ord_open' }), ctx);
    const shipped = await connector.orderSink.create(demoOrder({ id: 'ord_shipped' }), ctx);
    erp.state.shipSalesOrder(shipped.id);

    expect(await cancel(open, ctx)).toEqual({ outcome: 'cancelled' });
    expect(erp.state.getSalesOrder(open.id)?.state).toBe('cancelled');
    expect(await cancel(shipped, ctx)).toEqual({ outcome: 'refused', reason: `Sales order ${shipped.id} is shipped: it can no longer be cancelled` });
    expect(await rejection(cancel({ system: 'sandbox-erp', id: 'SO-404404' }, ctx))).toMatchObject({ code: 'erp.rejected', kind: 'business' });
  });

  it('throws a transient error when the ERP fails a poll, so the flow leaves the cursor where it was', async () => {
    const { connector } = await setup({ errorRate: 1 });
    const error = await rejection(capabilities(connector).changes.shipments(undefined, ctx));
    expect(error).toMatchObject({ code: 'target.unavailable', kind: 'transient' });
  });
});

describe("sandbox ERP connector through crossdock's HTTP client", () => {
  /** No limits: the point is the client's reading of the ERP's answers, not the policy. */
  const passThrough: ProtectionPolicy = {
    target: 'erp',
    execute: (_operation, call) => call(new AbortController().signal),
    holdOff: async () => {},
    snapshot: () => ({ target: 'erp', circuit: 'closed', inFlight: 0, queued: 0 }),
  };
  const crossdockHttp = (baseUrl: string) => createHttpClient({ baseUrl, target: 'erp', policy: passThrough });

  it('creates, finds and maps refusals the same way', async () => {
    const { erp, connector } = await setup({}, crossdockHttp);
    const ref = await connector.orderSink.create(demoOrder(), ctx);
    expect(await connector.orderSink.create(demoOrder(), ctx)).toEqual({ ...ref, existed: true });
    expect(await connector.orderSink.findByExternalRef(demoOrder().id, ctx)).toEqual(ref);
    expect(await rejection(connector.orderSink.create(demoOrder({ id: 'other', customer: { accountId: 'C-300' } }), ctx))).toMatchObject({
      code: 'customer.credit-hold',
    });
    expect(erp.state.listSalesOrders()).toHaveLength(1);
  });

  it('polls changes with the cursor in the query and cancels the same way', async () => {
    const { erp, connector } = await setup({}, crossdockHttp, { changesPageSize: 1 });
    const { changes, cancel } = capabilities(connector);
    const first = await connector.orderSink.create(demoOrder({ id: 'ord_1' }), ctx);
    const second = await connector.orderSink.create(demoOrder({ id: 'ord_2' }), ctx);
    erp.state.shipSalesOrder(first.id, { tracking: 'T-1' });
    erp.state.shipSalesOrder(second.id, { tracking: 'T-2' });
    const page = await changes.shipments('2000-01-01T00:00:00.000+00:00', ctx);
    expect(page.items.map((s) => s.shipment.tracking)).toEqual([[{ number: 'T-1' }], [{ number: 'T-2' }]]);
    expect(await cancel(first, ctx)).toMatchObject({ outcome: 'refused' });
  });

  it("hears the rate cap's fractional Retry-After as a transient error with its delay", async () => {
    const { connector } = await setup({ rateCap: 1 }, crossdockHttp);
    await connector.masterData.getCustomer('C-100', ctx);
    const error = await rejection(connector.masterData.getCustomer('C-100', ctx));
    expect(error.code).toBe('target.rate-limited');
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(1000);
  });
});
