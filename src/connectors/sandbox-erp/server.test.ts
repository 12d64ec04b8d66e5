import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { demoInvoice, demoSalesOrder, demoShipment } from './fixtures/documents.js';
import type { SandboxErpKnobsPatch } from './knobs.js';
import { sandboxErpRoutes } from './server.js';
import { openSandboxErpState, type SandboxErpState } from './state.js';
import type { SandboxErpStats } from './stats.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-erp-server-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Erp {
  app: FastifyInstance;
  state: SandboxErpState;
  advance(ms: number): void;
}

/** The plugin on a bare Fastify app, with a hand-driven clock and no latency. */
async function erpApp(knobs: SandboxErpKnobsPatch = {}, dir = tempDir()): Promise<Erp> {
  let now = Date.parse('2025-03-01T12:00:00Z');
  const clock = { now: () => now };
  const state = openSandboxErpState(dir, { clock });
  const app = Fastify();
  await app.register(sandboxErpRoutes, { state, knobs: { latencyMs: 0, ...knobs }, clock, random: () => 0.5 });
  cleanups.push(() => state.close());
  cleanups.push(() => app.close());
  return { app, state, advance: (ms) => (now += ms) };
}

async function stats(app: FastifyInstance): Promise<SandboxErpStats> {
  return (await app.inject({ method: 'GET', url: '/sandbox/erp/stats' })).json<SandboxErpStats>();
}

describe('sandbox ERP API', () => {
  it('answers customers, unknown customers and batched item look-ups', async () => {
    const { app } = await erpApp();
    const customer = await app.inject({ method: 'GET', url: '/sandbox/erp/api/customers/C-100' });
    expect(customer.statusCode).toBe(200);
    expect(customer.json()).toMatchObject({ id: 'C-100', creditLimit: '1000000.00', balance: '0.00', onHold: false });
    expect((await app.inject({ method: 'GET', url: '/sandbox/erp/api/customers/C-999' })).statusCode).toBe(404);

    const items = await app.inject({ method: 'GET', url: '/sandbox/erp/api/items?skus=SKU-1,SKU-404,SKU-13' });
    expect(items.json<{ items: { sku: string; active: boolean }[] }>().items.map((i) => [i.sku, i.active])).toEqual([
      ['SKU-1', true],
      ['SKU-13', false],
    ]);
  });

  it('creates a sales order once and answers the same reference with 409 and the existing number', async () => {
    const { app } = await erpApp();
    const created = await app.inject({ method: 'POST', url: '/sandbox/erp/api/sales-orders', payload: demoSalesOrder() });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ number: 'SO-000001', total: '29.97' });

    const again = await app.inject({ method: 'POST', url: '/sandbox/erp/api/sales-orders', payload: demoSalesOrder() });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'duplicate-external-ref', number: 'SO-000001' });

    const found = await app.inject({ method: 'GET', url: '/sandbox/erp/api/sales-orders?externalRef=ord_TEST0001' });
    expect(found.json()).toMatchObject({ salesOrders: [{ number: 'SO-000001' }] });
    const none = await app.inject({ method: 'GET', url: '/sandbox/erp/api/sales-orders?externalRef=nope' });
    expect(none.json()).toEqual({ salesOrders: [] });

    const received = await app.inject({ method: 'GET', url: '/sandbox/erp/orders' });
    expect(received.json()).toMatchObject({ count: 1, orders: [{ externalRef: 'ord_TEST0001', number: 'SO-000001' }] });
  });

  it('refuses business errors with 422 and a code, and malformed documents with 400', async () => {
    const { app } = await erpApp();
    const held = await app.inject({ method: 'POST', url: '/sandbox/erp/api/sales-orders', payload: demoSalesOrder({ customerId: 'C-300' }) });
    expect(held.statusCode).toBe(422);
    expect(held.json()).toMatchObject({ code: 'credit-hold', message: expect.stringContaining('C-300') });

    const malformed = await app.inject({ method: 'POST', url: '/sandbox/erp/api/sales-orders', payload: { ...demoSalesOrder(), lines: [] } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'invalid-request' });
    const notJson = await app.inject({
      method: 'POST', url: '/sandbox/erp/api/sales-orders', headers: { 'content-type': 'application/json' }, payload: '{',
    });
    expect(notJson.statusCode).toBe(400);
  });

  it('counts calls per route and status, but not admin calls', async () => {
    const { app } = await erpApp();
    await app.inject({ method: 'GET', url: '/sandbox/erp/api/customers/C-100' });
    await app.inject({ method: 'GET', url: '/sandbox/erp/api/customers/C-999' });
    await app.inject({ method: 'POST', url: '/sandbox/erp/api/sales-orders', payload: demoSalesOrder() });
    await app.inject({ method: 'GET', url: '/sandbox/erp/orders' });
    expect(await stats(app)).toEqual({
      total: 3,
      calls: { 'GET /api/customers/:id': 2, 'POST /api/sales-orders': 1 },
      responses: { '200': 1, '404': 1, '201': 1 },
      peakPerSecond: 3,
      peakServedPerSecond: 3,
    });
    expect((await app.inject({ method: 'POST', url: '/sandbox/erp/reset-stats' })).statusCode).toBe(204);
    expect(await stats(app)).toMatchObject({ total: 0, calls: {}, peakPerSecond: 0 });
  });

  it('keeps its call counts across a restart', async () => {
    const dir = tempDir();
    const first = await erpApp({}, dir);
    await first.app.inject({ method: 'GET', url: '/sandbox/erp/api/customers/C-100' });
    await first.app.close();
    first.state.close();
    const second = await erpApp({}, dir);
    expect(await stats(second.app)).toMatchObject({ total: 1, calls: { 'GET /api/customers/:id': 1 }, peakPerSecond: 1 });
  });
});

describe('sandbox ERP knobs', () => {
  it('answers 429 with Retry-After above the rate cap per sliding second, and reports the peak it saw', async () => {
    const { app, advance } = await erpApp({ rateCap: 2 });
    const get = () => app.inject({ method: 'GET', url: '/sandbox/erp/api/customers/C-100' });
    expect((await get()).statusCode).toBe(200);
    advance(300);
    expect((await get()).statusCode).toBe(200);
    advance(100);
    const limited = await get();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('0.6');
    advance(600);
    expect((await get()).statusCode).toBe(200);
    expect(await stats(app)).toMatchObject({ total: 4, peakPerSecond: 3, peakServedPerSecond: 2, responses: { '200': 3, '429': 1 } });
  });

  it('writes Retry-After in whole seconds when the knob says integer', async () => {
    const { app } = await erpApp({ rateCap: 1, retryAfterFormat: 'integer' });
    await app.inject({ method: 'GET', url: '/sandbox/erp/api/customers/C-100' });
    const limited = await app.inject({ method: 'GET', url: '/sandbox/erp/api/customers/C-100' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
  });

  it('answers 503 during an outage started through the admin API, and serves again once it is ended', async () => {
    const { app } = await erpApp();
    const outage = await app.inject({ method: 'POST', url: '/sandbox/erp/outage', payload: { durationMs: 60_000 } });
    expect(outage.statusCode).toBe(201);
    expect(outage.json()).toEqual({ from: '2025-03-01T12:00:00.000Z', to: '2025-03-01T12:01:00.000Z' });
    expect((await app.inject({ method: 'GET', url: '/sandbox/erp/knobs' })).json()).toMatchObject({ outageActive: true });
    const refused = await app.inject({ method: 'POST', url: '/sandbox/erp/api/sales-orders', payload: demoSalesOrder() });
    expect(refused.statusCode).toBe(503);
    expect((await app.inject({ method: 'DELETE', url: '/sandbox/erp/outage' })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/sandbox/erp/api/customers/C-100' })).statusCode).toBe(200);
    expect(await stats(app)).toMatchObject({ responses: { '503': 1, '200': 1 }, peakServedPerSecond: 1 });
  });

  it('leaves the call unanswered during an outage in drop mode', async () => {
    const { app } = await erpApp({ outageMode: 'drop', outageWindows: [{ afterMs: 0, durationMs: 1000 }] });
    await expect(app.inject({ method: 'GET', url: '/sandbox/erp/api/customers/C-100' })).rejects.toThrow(/destroyed/);
    expect((await stats(app)).responses).toEqual({ dropped: 1 });
  });

  it('follows outage windows planned in the knobs', async () => {
    const { app, advance } = await erpApp({ outageWindows: [{ afterMs: 1000, durationMs: 2000 }] });
    const get = async () => (await app.inject({ method: 'GET', url: '/sandbox/erp/api/customers/C-100' })).statusCode;
    expect(await get()).toBe(200);
    advance(1000);
    expect(await get()).toBe(503);
    advance(2000);
    expect(await get()).toBe(200);
  });

  it('fails calls at the error rate without creating anything', async () => {
    const { app, state } = await erpApp({ errorRate: 1 });
    const failed = await app.inject({ method: 'POST', url: '/sandbox/erp/api/sales-orders', payload: demoSalesOrder() });
    expect(failed.statusCode).toBe(500);
    expect(state.listSalesOrders()).toHaveLength(0);
  });

  it('changes knobs at run time and rejects invalid ones with the field named', async () => {
    const { app } = await erpApp();
    const bad = await app.inject({ method: 'PUT', url: '/sandbox/erp/knobs', payload: { errorRate: 2 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid-knobs', problems: [{ pointer: '/errorRate' }] });
    const good = await app.inject({ method: 'PUT', url: '/sandbox/erp/knobs', payload: { rateCap: 7, latencyMs: { p50: 5, p99: 50 } } });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ knobs: { rateCap: 7, latencyMs: { p50: 5, p99: 50 }, errorRate: 0 }, outages: [], outageActive: false });
  });

  it('refuses invalid knobs at registration', async () => {
    const state = openSandboxErpState(tempDir());
    cleanups.push(() => state.close());
    const app = Fastify();
    cleanups.push(() => app.close());
    await expect(app.register(sandboxErpRoutes, { state, knobs: { errorRate: -1 } }).ready()).rejects.toThrow(/errorRate/);
  });
});

describe('sandbox ERP after the sale', () => {
  /** An ERP with `demoSalesOrder()` taken as SO-000001. */
  async function withOrder(knobs: SandboxErpKnobsPatch = {}): Promise<Erp> {
    const erp = await erpApp(knobs);
    expect((await erp.app.inject({ method: 'POST', url: '/sandbox/erp/api/sales-orders', payload: demoSalesOrder() })).statusCode).toBe(201);
    return erp;
  }

  it('ships through the admin API (201 the shipment), lists it, and answers 404, 400 and 409 with a code', async () => {
    const { app } = await withOrder();
    const ship = (payload?: Record<string, unknown>, number = 'SO-000001') =>
      app.inject({ method: 'POST', url: `/sandbox/erp/orders/${number}/ship`, ...(payload ? { payload } : {}) });
    expect((await ship({ lines: [{ sku: 'SKU-9', quantity: 1 }] })).json()).toMatchObject({ code: 'not-on-order' });
    expect((await ship({ lines: [{ sku: 'SKU-9', quantity: 1 }] })).statusCode).toBe(400);
    expect((await ship({ lines: [{ sku: 'SKU-1', quantity: 0 }] })).json()).toMatchObject({ code: 'invalid-request' });
    expect((await ship({}, 'SO-999999')).statusCode).toBe(404);

    const shipped = await ship({ carrier: 'UPS', tracking: '1Z999AA10123456784' });
    expect(shipped.statusCode).toBe(201);
    expect(shipped.json()).toEqual(demoShipment());
    const again = await ship();
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'nothing-to-ship', message: expect.stringContaining('SO-000001') });
    expect((await app.inject({ method: 'GET', url: '/sandbox/erp/shipments' })).json()).toEqual({ count: 1, shipments: [demoShipment()] });
    expect((await app.inject({ method: 'GET', url: '/sandbox/erp/orders' })).json()).toMatchObject({ orders: [{ number: 'SO-000001', state: 'shipped' }] });
  });

  it('invoices through the admin API (201 the invoice), lists it, and refuses a second with 409', async () => {
    const { app } = await withOrder();
    const invoiced = await app.inject({ method: 'POST', url: '/sandbox/erp/orders/SO-000001/invoice' });
    expect(invoiced.statusCode).toBe(201);
    expect(invoiced.json()).toEqual(demoInvoice());
    const again = await app.inject({ method: 'POST', url: '/sandbox/erp/orders/SO-000001/invoice' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'nothing-to-invoice' });
    expect((await app.inject({ method: 'POST', url: '/sandbox/erp/orders/SO-404/invoice' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/sandbox/erp/invoices' })).json()).toEqual({ count: 1, invoices: [demoInvoice()] });
  });

  it('sets stock through the admin API, refusing unknown items and bad quantities', async () => {
    const { app, state } = await erpApp();
    const set = await app.inject({ method: 'PUT', url: '/sandbox/erp/stock/SKU-4/WH2', payload: { quantity: 7 } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ sku: 'SKU-4', warehouse: 'WH2', quantity: 7, uom: 'EA', updatedAt: '2025-03-01T12:00:00.000Z' });
    expect(state.getItems(['SKU-4']).get('SKU-4')?.stock['WH2']).toBe(7);
    expect((await app.inject({ method: 'PUT', url: '/sandbox/erp/stock/SKU-404/WH2', payload: { quantity: 7 } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PUT', url: '/sandbox/erp/stock/SKU-4/WH2', payload: { quantity: -1 } })).statusCode).toBe(400);
  });

  it('answers the change feeds from a cursor, page by page, and refuses a cursor it cannot read', async () => {
    const { app, state, advance } = await erpApp();
    for (const ref of ['a', 'b', 'c']) {
      state.createSalesOrder(demoSalesOrder({ externalRef: ref }));
      advance(1_000);
    }
    for (const number of ['SO-000001', 'SO-000002', 'SO-000003']) {
      state.shipSalesOrder(number);
      advance(1_000);
    }
    const get = (url: string) => app.inject({ method: 'GET', url: `/sandbox/erp/api/changes/${url}` });

    const first = (await get('shipments?limit=2')).json<{ shipments: { number: string }[]; cursor: string; more: boolean; next: string }>();
    expect(first.shipments.map((s) => s.number)).toEqual(['SH-000001', 'SH-000002']);
    expect(first).toMatchObject({ cursor: '2025-03-01T12:00:04.000Z', more: true });
    const rest = (await get(`shipments?limit=2&after=${encodeURIComponent(first.next)}`)).json();
    expect(rest).toMatchObject({ shipments: [{ number: 'SH-000003' }], cursor: '2025-03-01T12:00:05.000Z', more: false });
    expect(rest).not.toHaveProperty('next');

    // Shipments were stamped :03, :04 and :05. From :05.5 the overlap reaches back to :03.5, and
    // the cursor, newer than anything found, stays.
    expect((await get('shipments?since=2025-03-01T12:00:05.500Z')).json()).toEqual({
      shipments: [expect.objectContaining({ number: 'SH-000002' }), expect.objectContaining({ number: 'SH-000003' })],
      cursor: '2025-03-01T12:00:05.500Z',
      more: false,
    });
    expect((await get('invoices?since=2025-03-01T12:00:05.500Z')).json()).toEqual({ invoices: [], cursor: '2025-03-01T12:00:05.500Z', more: false });
    const stock = (await get('stock?since=2025-03-01T12:00:05.500Z')).json<{ levels: { sku: string; warehouse: string }[] }>();
    expect(stock.levels.map((l) => `${l.sku}@${l.warehouse}`)).toEqual(['SKU-1@WH1', 'SKU-1@WH2', 'SKU-2@WH1', 'SKU-2@WH2']);

    for (const bad of ['shipments?since=yesterday', 'invoices?since=2025-03-01T12:00:00', 'stock?after=nope', 'shipments?limit=501']) {
      const refused = await get(bad);
      expect(refused.statusCode, bad).toBe(400);
      expect(refused.json(), bad).toMatchObject({ code: 'invalid-request' });
    }
  });

  it('cancels an open order (200) and refuses one that shipped (409 not-cancellable) or does not exist (404)', async () => {
    const { app, state } = await withOrder();
    state.createSalesOrder(demoSalesOrder({ externalRef: 'shipped' }));
    state.shipSalesOrder('SO-000002');
    const cancel = (number: string) => app.inject({ method: 'POST', url: `/sandbox/erp/api/sales-orders/${number}/cancel` });
    const done = await cancel('SO-000001');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ number: 'SO-000001', state: 'cancelled' });
    const refused = await cancel('SO-000002');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({ code: 'not-cancellable', message: 'Sales order SO-000002 is shipped: it can no longer be cancelled' });
    expect((await cancel('SO-000404')).statusCode).toBe(404);
  });

  it('answers stock levels per warehouse and list prices, 404 for an unknown customer or item', async () => {
    const { app } = await erpApp();
    const stock = await app.inject({ method: 'GET', url: '/sandbox/erp/api/stock?skus=SKU-7,SKU-404' });
    expect(stock.json()).toEqual({ levels: [
      { sku: 'SKU-7', warehouse: 'WH1', quantity: 0, uom: 'EA', updatedAt: null },
      { sku: 'SKU-7', warehouse: 'WH2', quantity: 76, uom: 'EA', updatedAt: null },
    ] });
    const price = (query: string) => app.inject({ method: 'GET', url: `/sandbox/erp/api/prices?${query}` });
    expect((await price('customer=C-500&sku=SKU-1&quantity=3&currency=EUR')).json()).toEqual({ customer: 'C-500', sku: 'SKU-1', quantity: 3, currency: 'EUR', unitPrice: '6.89' });
    expect((await price('customer=C-100&sku=SKU-1&quantity=1&currency=JPY')).json()).toMatchObject({ unitPrice: null });
    expect((await price('customer=C-999&sku=SKU-1&quantity=1&currency=USD')).statusCode).toBe(404);
    expect((await price('customer=C-100&sku=SKU-404&quantity=1&currency=USD')).statusCode).toBe(404);
    expect((await price('customer=C-100&sku=SKU-1&quantity=0&currency=USD')).statusCode).toBe(400);
  });

  it('counts the new ERP calls and puts them through the fault gate; the admin routes neither', async () => {
    const { app } = await withOrder({ errorRate: 0 });
    await app.inject({ method: 'POST', url: '/sandbox/erp/reset-stats' });
    await app.inject({ method: 'POST', url: '/sandbox/erp/orders/SO-000001/ship' });
    await app.inject({ method: 'GET', url: '/sandbox/erp/api/changes/shipments' });
    await app.inject({ method: 'GET', url: '/sandbox/erp/api/stock?skus=SKU-1' });
    expect(await stats(app)).toMatchObject({ total: 2, calls: { 'GET /api/changes/shipments': 1, 'GET /api/stock': 1 } });

    await app.inject({ method: 'PUT', url: '/sandbox/erp/knobs', payload: { errorRate: 1 } });
    expect((await app.inject({ method: 'GET', url: '/sandbox/erp/api/changes/invoices' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'POST', url: '/sandbox/erp/api/sales-orders/SO-000001/cancel' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'POST', url: '/sandbox/erp/orders/SO-000001/invoice' })).statusCode).toBe(201);
  });
});
