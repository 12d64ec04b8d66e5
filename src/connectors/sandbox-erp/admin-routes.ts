import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import Type from 'typebox';
import { DECIMAL_PATTERN } from '../../lib/money.js';
import type { OutageWindow } from './faults.js';
import type { FulfilmentRefusal } from './fulfilment-rules.js';
import type { SandboxErpRuntime } from './runtime.js';
import type { AfterSaleOutcome } from './state.js';

/**
 * The sandbox ERP's admin API, for tests, demos and benchmarks. Not an ERP endpoint: it passes
 * no fault gate and is not counted, so looking at the ERP never changes what it saw.
 *
 * - `GET    /orders` → `{ count, orders }`: every sales order received, oldest first
 * - `GET    /stats` → call counts per route and status, total, peak calls per sliding second
 * - `POST   /reset-stats` → 204
 * - `GET    /knobs` → `{ knobs, outages, outageActive }`; `PUT /knobs` (partial) → the same, or 400
 * - `POST   /outage { durationMs, afterMs? }` → 201 the window; `DELETE /outage` → 204
 *
 * And the ERP's own people at work, so demos and tests can move an order on to cash:
 * - `POST   /orders/:number/ship { carrier?, tracking?, warehouse?, lines?: [{ sku, quantity }] }` → 201 the shipment
 * - `POST   /orders/:number/invoice` → 201 the invoice
 * - `PUT    /stock/:sku/:warehouse { quantity }` → 200 the level (a stock count)
 * - `PUT    /prices/:sku/:currency { unitPrice }` → 200; `DELETE /prices/:sku/:currency` → 204 (a price-list change)
 * - `GET    /shipments`, `GET /invoices` → `{ count, shipments | invoices }`, oldest first
 * Refusals are `{ code, message }`: 404 `not-found`, 400 `not-on-order`, 409 for the rest.
 */
export async function sandboxErpAdminRoutes(app: FastifyInstance, runtime: SandboxErpRuntime): Promise<void> {
  const { state, faults, stats } = runtime;
  const admin = app.withTypeProvider<TypeBoxTypeProvider>();

  const knobsView = () => ({ knobs: faults.knobs, outages: faults.outages().map(windowView), outageActive: faults.inOutage() });

  admin.get('/orders', async () => {
    const orders = state.listSalesOrders();
    return { count: orders.length, orders };
  });

  admin.post(
    '/orders/:number/ship',
    {
      schema: {
        params: OrderNumber,
        // Optional as a whole: shipping everything open needs no body at all.
        body: Type.Union([
          Type.Object(
            {
              carrier: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              tracking: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              warehouse: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
              lines: Type.Optional(Type.Array(
                Type.Object(
                  { sku: Type.String({ minLength: 1, maxLength: 100 }), quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000 }) },
                  { additionalProperties: false },
                ),
                { maxItems: 5000 },
              )),
            },
            { additionalProperties: false },
          ),
          Type.Null(),
          Type.Undefined(),
        ]),
      },
    },
    async (request, reply) => answer(reply, state.shipSalesOrder(request.params.number, request.body ?? {})),
  );

  admin.post('/orders/:number/invoice', { schema: { params: OrderNumber } }, async (request, reply) =>
    answer(reply, state.invoiceSalesOrder(request.params.number)));

  admin.put(
    '/stock/:sku/:warehouse',
    {
      schema: {
        params: Type.Object({ sku: Type.String({ minLength: 1, maxLength: 100 }), warehouse: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }),
        body: Type.Object({ quantity: Type.Number({ minimum: 0, maximum: 1_000_000_000 }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const level = state.setStock(request.params.sku, request.params.warehouse, request.body.quantity);
      if (!level) return reply.code(404).send({ code: 'not-found', message: `Item ${request.params.sku} does not exist` });
      return level;
    },
  );

  const PriceParams = Type.Object({ sku: Type.String({ minLength: 1, maxLength: 100 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }) });
  admin.put(
    '/prices/:sku/:currency',
    { schema: { params: PriceParams, body: Type.Object({ unitPrice: Type.String({ pattern: DECIMAL_PATTERN }) }, { additionalProperties: false }) } },
    async (request, reply) => {
      const { sku, currency } = request.params;
      if (!state.setPrice(sku, currency, request.body.unitPrice)) return reply.code(404).send({ code: 'not-found', message: `Item ${sku} does not exist` });
      return { sku, currency, unitPrice: request.body.unitPrice };
    },
  );
  admin.delete('/prices/:sku/:currency', { schema: { params: PriceParams } }, async (request, reply) => {
    const { sku, currency } = request.params;
    if (!state.setPrice(sku, currency, null)) return reply.code(404).send({ code: 'not-found', message: `Item ${sku} does not exist` });
    return reply.code(204).send();
  });

  admin.get('/shipments', async () => {
    const shipments = state.listShipments();
    return { count: shipments.length, shipments };
  });

  admin.get('/invoices', async () => {
    const invoices = state.listInvoices();
    return { count: invoices.length, invoices };
  });

  admin.get('/stats', async () => stats.snapshot());

  admin.post('/reset-stats', async (_request, reply) => {
    stats.reset();
    state.clearCounters();
    return reply.code(204).send();
  });

  admin.get('/knobs', async () => knobsView());

  // Validated by knobs.ts rather than a route schema, so configuration and the admin API share
  // one set of rules and one error format.
  admin.put('/knobs', async (request, reply) => {
    const result = faults.update(request.body);
    if (!result.ok) return reply.code(400).send({ code: 'invalid-knobs', message: 'Invalid knob values', problems: result.problems });
    return knobsView();
  });

  admin.post(
    '/outage',
    {
      schema: {
        body: Type.Object(
          { durationMs: Type.Number({ exclusiveMinimum: 0 }), afterMs: Type.Optional(Type.Number({ minimum: 0 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => reply.code(201).send(windowView(faults.startOutage(request.body.durationMs, request.body.afterMs))),
  );

  admin.delete('/outage', async (_request, reply) => {
    faults.endOutages();
    return reply.code(204).send();
  });
}

const OrderNumber = Type.Object({ number: Type.String({ minLength: 1, maxLength: 64 }) });

/** 201 with what was written, or why not. */
function answer<T>(reply: FastifyReply, outcome: AfterSaleOutcome<T>): FastifyReply {
  switch (outcome.outcome) {
    case 'done':
      return reply.code(201).send(outcome.result);
    case 'not-found':
      return reply.code(404).send({ code: 'not-found', message: outcome.message });
    case 'refused':
      return reply.code(refusalStatus(outcome.refusal)).send(outcome.refusal);
  }
}

/** A line the order does not have is a bad request; everything else conflicts with the order's state. */
function refusalStatus(refusal: FulfilmentRefusal): number {
  return refusal.code === 'not-on-order' ? 400 : 409;
}

function windowView(window: OutageWindow): { from: string; to: string } {
  return { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() };
}
