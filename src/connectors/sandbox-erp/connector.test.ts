import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CrossdockError } from '../../errors/crossdock-error.js';
import { createHttpClient } from '../../protect/http-client.js';
import type { HttpClient, ProtectionPolicy } from '../../protect/types.js';
import type { CallContext, ErpConnector } from '../capabilities.js';
import { createSandboxErpConnector } from './connector.js';
import { demoOrder } from './fixtures/documents.js';
import type { SandboxErpKnobsPatch } from './knobs.js';
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

async function setup(knobs: SandboxErpKnobsPatch = {}, http = fetchHttpClient): Promise<{ erp: SandboxErpServer; connector: ErpConnector }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-erp-connector-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const erp = await startSandboxErpServer({ dataDir, port: 0, knobs: { latencyMs: 0, ...knobs } });
  cleanups.push(() => erp.close());
  return { erp, connector: createSandboxErpConnector({ http: http(erp.apiBaseUrl) }) };
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

  it("hears the rate cap's fractional Retry-After as a transient error with its delay", async () => {
    const { connector } = await setup({ rateCap: 1 }, crossdockHttp);
    await connector.masterData.getCustomer('C-100', ctx);
    const error = await rejection(connector.masterData.getCustomer('C-100', ctx));
    expect(error.code).toBe('target.rate-limited');
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(1000);
  });
});
