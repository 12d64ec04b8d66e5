import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type, { type Static } from 'typebox';
import { sleep } from '../../lib/clock.js';
import { CHANGES_PAGE_SIZE, decodePageKey, isTimestamp, type ChangesPage } from './change-window.js';
import { SandboxSalesOrderInput } from './document.js';
import type { SandboxErpRuntime } from './runtime.js';
import type { ChangeQuery } from './state.js';

/** Most SKUs one `GET /api/items` may ask for. */
export const MAX_SKUS_PER_CALL = 500;

/**
 * The ERP's own API, as crossdock's connector calls it. Every call passes the fault gate
 * (outage, rate cap, latency, random error) before its handler runs, and is counted.
 *
 * - `GET  /api/customers/:id` → 200 customer | 404
 * - `GET  /api/items?skus=A,B` → 200 `{ items }` (unknown SKUs are left out)
 * - `GET  /api/sales-orders?externalRef=X` → 200 `{ salesOrders }` (zero or one)
 * - `POST /api/sales-orders` → 201 order | 409 `{ code: 'duplicate-external-ref', number }` |
 *   422 `{ code: 'credit-hold' | 'unknown-customer' | 'unknown-item' | 'inactive-item' | 'no-price', message }`
 * - `POST /api/sales-orders/:number/cancel` → 200 `{ number, state: 'cancelled' }` | 409 `{ code: 'not-cancellable' }` | 404
 * - `GET  /api/changes/{shipments,invoices,stock}?since=ISO[&after=][&limit=]` → 200 `{ <records>, cursor, more, next? }`
 * - `GET  /api/stock?skus=A,B` → 200 `{ levels }` (per warehouse; unknown SKUs left out)
 * - `GET  /api/stock/all` → 200 `{ levels }`: every item in every warehouse (the stock snapshot)
 * - `GET  /api/prices?customer=&sku=&quantity=&currency=` → 200 `{ …, unitPrice }` (null: no price) | 404
 * - `GET  /api/price-list` → 200 `{ prices: [{ sku, currency, unitPrice }] }`: every list price
 */
export async function sandboxErpApiRoutes(app: FastifyInstance, runtime: SandboxErpRuntime): Promise<void> {
  const { state, faults, stats } = runtime;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const dropped = new WeakSet<FastifyRequest>();

  /** Leaves the caller with a closed connection and no answer, as a crashed or cut-off ERP would. */
  function drop(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    dropped.add(request);
    stats.answered('dropped');
    reply.hijack();
    // Destroying the response destroys its socket; under inject() it rejects the injection.
    reply.raw.destroy();
    return reply;
  }

  api.addHook('onRequest', async (request, reply) => {
    stats.callReceived(routeName(request));
    const admission = faults.admit();
    if (admission.kind === 'outage') {
      if (admission.mode === 'drop') return drop(request, reply);
      return reply.code(503).send({ code: 'unavailable', message: 'The ERP is down for maintenance (outage window)' });
    }
    if (admission.kind === 'rate-limited') {
      return reply
        .code(429)
        .header('retry-after', admission.retryAfter)
        .send({ code: 'rate-limited', message: `Too many requests; retry after ${admission.retryAfter} s` });
    }
    stats.callServed(admission.servedInWindow);
    if (admission.latencyMs > 0) await sleep(admission.latencyMs);
    if (admission.fail) return reply.code(500).send({ code: 'internal-error', message: 'Injected fault (errorRate)' });
    return undefined;
  });

  api.addHook('onResponse', async (request, reply) => {
    if (!dropped.has(request)) stats.answered(reply.statusCode);
  });

  api.get(
    '/api/customers/:id',
    { schema: { params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }) } },
    async (request, reply) => {
      const customer = state.getCustomer(request.params.id);
      if (!customer) return reply.code(404).send({ code: 'not-found', message: `Customer ${request.params.id} does not exist` });
      return customer;
    },
  );

  api.get(
    '/api/items',
    { schema: { querystring: Type.Object({ skus: Type.String({ maxLength: 100_000 }) }) } },
    async (request, reply) => {
      const skus = request.query.skus.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      if (skus.length > MAX_SKUS_PER_CALL) {
        return reply.code(400).send({ code: 'invalid-request', message: `At most ${MAX_SKUS_PER_CALL} SKUs per call` });
      }
      const found = state.getItems(skus);
      return { items: [...new Set(skus)].flatMap((sku) => found.get(sku) ?? []) };
    },
  );

  api.get(
    '/api/sales-orders',
    { schema: { querystring: Type.Object({ externalRef: Type.String({ minLength: 1, maxLength: 128 }) }) } },
    async (request) => {
      const order = state.findSalesOrder(request.query.externalRef);
      return { salesOrders: order ? [order] : [] };
    },
  );

  api.post('/api/sales-orders', { schema: { body: SandboxSalesOrderInput } }, async (request, reply) => {
    const result = state.createSalesOrder(request.body);
    switch (result.outcome) {
      case 'created':
        // Committed above, so a lost answer leaves the order in the books: the fault under test.
        if (faults.loseResponse()) return drop(request, reply);
        return reply.code(201).send(result.order);
      case 'duplicate':
        return reply.code(409).send({
          code: 'duplicate-external-ref',
          message: `A sales order with external reference ${request.body.externalRef} already exists: ${result.order.number}`,
          number: result.order.number,
        });
      case 'refused':
        return reply.code(422).send(result.refusal);
    }
  });

  api.post(
    '/api/sales-orders/:number/cancel',
    { schema: { params: Type.Object({ number: Type.String({ minLength: 1, maxLength: 64 }) }) } },
    async (request, reply) => {
      const result = state.cancelSalesOrder(request.params.number);
      switch (result.outcome) {
        case 'done':
          return { number: result.result.number, state: 'cancelled' };
        case 'not-found':
          return reply.code(404).send({ code: 'not-found', message: result.message });
        case 'refused':
          return reply.code(409).send(result.refusal);
      }
    },
  );

  /** One change feed: reads a page of what changed and answers it under `name`. */
  function changesRoute<T>(path: string, name: string, read: (since: string | undefined, query: ChangeQuery) => ChangesPage<T>): void {
    api.get(path, { schema: { querystring: ChangesQuerystring } }, async (request, reply) => {
      const problem = invalidChangesQuery(request.query);
      if (problem) return reply.code(400).send({ code: 'invalid-request', message: problem });
      const { since, after, limit } = request.query;
      return changesAnswer(name, read(since, { limit: limit ?? CHANGES_PAGE_SIZE, ...(after === undefined ? {} : { after }) }));
    });
  }
  changesRoute('/api/changes/shipments', 'shipments', (since, query) => state.shipmentsChangedSince(since, query));
  changesRoute('/api/changes/invoices', 'invoices', (since, query) => state.invoicesChangedSince(since, query));
  changesRoute('/api/changes/stock', 'levels', (since, query) => state.stockChangedSince(since, query));

  api.get(
    '/api/stock',
    { schema: { querystring: Type.Object({ skus: Type.String({ maxLength: 100_000 }) }) } },
    async (request, reply) => {
      const skus = request.query.skus.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      if (skus.length > MAX_SKUS_PER_CALL) {
        return reply.code(400).send({ code: 'invalid-request', message: `At most ${MAX_SKUS_PER_CALL} SKUs per call` });
      }
      return { levels: state.stockLevels(skus) };
    },
  );

  api.get('/api/stock/all', async () => ({ levels: state.allStockLevels() }));

  // One list price per item and currency: every customer and quantity pays it. The customer
  // must exist all the same, as a real ERP's price-list lookup would require.
  api.get(
    '/api/prices',
    {
      schema: {
        querystring: Type.Object({
          customer: Type.String({ minLength: 1, maxLength: 100 }),
          sku: Type.String({ minLength: 1, maxLength: 100 }),
          quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000 }),
          currency: Type.String({ pattern: '^[A-Z]{3}$' }),
        }),
      },
    },
    async (request, reply) => {
      const { customer, sku, quantity, currency } = request.query;
      if (!state.getCustomer(customer)) return reply.code(404).send({ code: 'not-found', message: `Customer ${customer} does not exist` });
      const item = state.getItems([sku]).get(sku);
      if (!item) return reply.code(404).send({ code: 'not-found', message: `Item ${sku} does not exist` });
      return { customer, sku, quantity, currency, unitPrice: item.prices[currency] ?? null };
    },
  );

  priceListRoute(app, runtime);
}

/** `GET /api/price-list`: the ERP's whole price list, for a price book's full load. */
function priceListRoute(api: FastifyInstance, runtime: SandboxErpRuntime): void {
  api.get('/api/price-list', async () => ({ prices: runtime.state.priceList() }));
}

/** `since`, `after` and `limit` of a change-feed call; `limit` only lowers the page size. */
const ChangesQuerystring = Type.Object({
  since: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  after: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: CHANGES_PAGE_SIZE })),
});
type ChangesQuerystring = Static<typeof ChangesQuerystring>;

/** The records of a change page under their feed's name, with where to resume. */
function changesAnswer<T>(name: string, page: ChangesPage<T>): Record<string, unknown> {
  return { [name]: page.items, cursor: page.cursor, more: page.more, ...(page.next === undefined ? {} : { next: page.next }) };
}

/** A `since` or `after` the feed cannot read: the caller's mistake, answered before anything is read. */
function invalidChangesQuery(query: ChangesQuerystring): string | undefined {
  if (query.since !== undefined && !isTimestamp(query.since)) return `since must be an ISO 8601 timestamp with a zone, not ${query.since}`;
  if (query.after !== undefined && decodePageKey(query.after) === undefined) return 'after must be the next of a previous page';
  return undefined;
}

/** `GET /api/customers/:id`: the route pattern, not the URL, so counts do not split per id. */
function routeName(request: FastifyRequest): string {
  const url = request.routeOptions.url ?? request.url;
  const at = url.indexOf('/api/');
  return `${request.method} ${at >= 0 ? url.slice(at) : url}`;
}
