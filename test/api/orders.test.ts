import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, sampleOrder, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t.dispose();
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return t.app.http.inject({
    method: 'POST', url: '/v1/orders', headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('POST /v1/orders', () => {
  it('accepts the documented order with 202, a Location and a correlation id, before any ERP call', async () => {
    const res = await post(sampleOrder({ channelOrderId: 'PO-ACCEPT' }), { 'x-correlation-id': 'corr-accept-1' });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.orderId).toMatch(/^ord_/);
    expect(body.correlationId).toBe('corr-accept-1');
    expect(res.headers.location).toBe(`/v1/orders/${body.orderId}`);
    const order = await t.app.http.inject({ method: 'GET', url: res.headers.location as string });
    expect(order.json().state).toBe('received');
    expect(order.json().order.lines[0]).toEqual({ sku: 'SKU-1', quantity: 2, uom: 'EA', unitPrice: '10.00' });
    expect(order.json().history.map((h: { step: string }) => h.step)).toEqual(['received']);
  });

  it('journals the raw body byte for byte beside the canonical order', async () => {
    const raw = `{"channel":"b2b-portal",  "channelOrderId":"PO-RAW",${JSON.stringify(sampleOrder()).slice(1).replace('"channel":"b2b-portal","channelOrderId":"PO-1001",', '')}`;
    const res = await post(raw);
    expect(res.statusCode).toBe(202);
    const page = await t.app.http.inject({ method: 'GET', url: `/v1/messages?q=PO-RAW` });
    const [summary] = page.json().items;
    const message = await t.app.http.inject({ method: 'GET', url: `/v1/messages/${summary.id}` });
    expect(message.json().raw).toBe(raw);
    expect(message.json().canonical.id).toBe(res.json().orderId);
  });

  it('answers a repeated submission with the original answer and counts a suppressed duplicate', async () => {
    const first = await post(sampleOrder({ channelOrderId: 'PO-DUP' }));
    const again = await post(sampleOrder({ channelOrderId: 'PO-DUP' }));
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    const metrics = await t.app.http.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/crossdock_duplicates_suppressed_total\{channel="b2b-portal"\} [1-9]/);
  });

  it('treats the same body with keys in another order as the same submission', async () => {
    const order = sampleOrder({ channelOrderId: 'PO-REORDER' });
    const first = await post(order);
    const reversed = Object.fromEntries(Object.entries(order).reverse());
    const again = await post(reversed);
    expect(again.json().orderId).toBe(first.json().orderId);
  });

  it('refuses the same channel order id with a different body with 409', async () => {
    await post(sampleOrder({ channelOrderId: 'PO-CONFLICT' }));
    const res = await post(sampleOrder({ channelOrderId: 'PO-CONFLICT', currency: 'EUR' }));
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('request.idempotency-conflict');
  });

  it('honours Idempotency-Key: same key, same body → same order; same key, other body → 409', async () => {
    const a = await post(sampleOrder({ channelOrderId: 'PO-KEY-1' }), { 'idempotency-key': 'key-123' });
    const b = await post(sampleOrder({ channelOrderId: 'PO-KEY-1' }), { 'idempotency-key': 'key-123' });
    expect(b.json().orderId).toBe(a.json().orderId);
    const c = await post(sampleOrder({ channelOrderId: 'PO-KEY-2' }), { 'idempotency-key': 'key-123' });
    expect(c.statusCode).toBe(409);
    expect(c.json().detail).toContain('Idempotency-Key key-123');
  });
});

describe('bad input', () => {
  async function expectProblem(res: Awaited<ReturnType<typeof post>>, status: number, code: string) {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem).toMatchObject({ status, code, type: `urn:crossdock:problem:${code}` });
    expect(typeof problem.title).toBe('string');
    expect(typeof problem.action).toBe('string');
    return problem;
  }

  async function journalSize(): Promise<number> {
    const page = await t.app.http.inject({ method: 'GET', url: '/v1/messages?limit=500' });
    return page.json().items.length;
  }

  it('rejects malformed JSON with 400 saying where parsing stopped', async () => {
    const problem = await expectProblem(await post('{"channel": "b2b-portal",'), 400, 'request.invalid-json');
    expect(problem.detail).toMatch(/JSON/);
  });

  it('names a field of the wrong type', async () => {
    const problem = await expectProblem(await post(sampleOrder({ channelOrderId: 'PO-T', lines: [{ sku: 'SKU-1', quantity: '2', uom: 'EA', unitPrice: '10.00' }] })), 422, 'request.invalid');
    expect(problem.errors).toContainEqual({ pointer: '/lines/0/quantity', detail: 'must be number' });
  });

  it('names every missing field', async () => {
    const { customer: _c, shipTo: _s, ...partial } = sampleOrder({ channelOrderId: 'PO-M' });
    const problem = await expectProblem(await post(partial), 422, 'request.invalid');
    const pointers = problem.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/customer', '/shipTo']));
  });

  it('rejects an unknown currency', async () => {
    const problem = await expectProblem(await post(sampleOrder({ channelOrderId: 'PO-C', currency: 'XXQ' })), 422, 'request.invalid');
    expect(problem.errors).toEqual([{ pointer: '/currency', detail: 'must be a valid ISO 4217 currency code' }]);
  });

  it('rejects a negative quantity', async () => {
    const problem = await expectProblem(await post(sampleOrder({ channelOrderId: 'PO-N', lines: [{ sku: 'SKU-1', quantity: -1, uom: 'EA', unitPrice: '10.00' }] })), 422, 'request.invalid');
    expect(problem.errors[0].pointer).toBe('/lines/0/quantity');
  });

  it('rejects money written as a float', async () => {
    const problem = await expectProblem(await post(sampleOrder({ channelOrderId: 'PO-F', lines: [{ sku: 'SKU-1', quantity: 1, uom: 'EA', unitPrice: 10.5 }] })), 422, 'request.invalid');
    expect(problem.errors[0].pointer).toBe('/lines/0/unitPrice');
  });

  it('rejects a 5 MB body with 413', async () => {
    const huge = JSON.stringify(sampleOrder({ channelOrderId: 'PO-BIG', notes: 'x'.repeat(5 * 1024 * 1024) }));
    await expectProblem(await post(huge), 413, 'request.too-large');
  });

  it('rejects a wrong content type with 415 naming it', async () => {
    const res = await t.app.http.inject({ method: 'POST', url: '/v1/orders', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    const problem = await expectProblem(res, 415, 'request.unsupported-media-type');
    expect(problem.detail).toContain('text/plain');
  });

  it('writes nothing for any rejected request', async () => {
    const before = await journalSize();
    await post('{');
    await post(sampleOrder({ channelOrderId: 'PO-X', currency: 'ZZZ' }));
    await post(sampleOrder({ channelOrderId: 'PO-Y', lines: [] }));
    expect(await journalSize()).toBe(before);
  });
});

describe('schemas and docs', () => {
  it('publishes Order v1 as JSON Schema', async () => {
    const list = await t.app.http.inject({ method: 'GET', url: '/v1/schemas' });
    expect(list.json().items).toContainEqual(expect.objectContaining({ name: 'order', version: 1, href: '/v1/schemas/order/1' }));
    const schema = await t.app.http.inject({ method: 'GET', url: '/v1/schemas/order/1' });
    expect(schema.json().$id).toBe('urn:crossdock:schema:order:1');
    expect(schema.json().required).toEqual(expect.arrayContaining(['id', 'channel', 'channelOrderId', 'lines', 'currency']));
    const missing = await t.app.http.inject({ method: 'GET', url: '/v1/schemas/order/9' });
    expect(missing.statusCode).toBe(404);
  });

  it('serves OpenAPI 3.1 generated from the same schemas', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/docs/json' });
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const body = doc.paths['/v1/orders'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['channel', 'lines']));
  });
});
