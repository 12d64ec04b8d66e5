import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { sleep } from '../../lib/clock.js';
import { SandboxSalesOrderInput } from './document.js';
import type { SandboxErpRuntime } from './runtime.js';

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
}

/** `GET /api/customers/:id`: the route pattern, not the URL, so counts do not split per id. */
function routeName(request: FastifyRequest): string {
  const url = request.routeOptions.url ?? request.url;
  const at = url.indexOf('/api/');
  return `${request.method} ${at >= 0 ? url.slice(at) : url}`;
}
