import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { OutageWindow } from './faults.js';
import type { SandboxErpRuntime } from './runtime.js';

/**
 * The sandbox ERP's admin API, for tests, demos and benchmarks. Not an ERP endpoint: it passes
 * no fault gate and is not counted, so looking at the ERP never changes what it saw.
 *
 * - `GET    /orders` → `{ count, orders }`: every sales order received, oldest first
 * - `GET    /stats` → call counts per route and status, total, peak calls per sliding second
 * - `POST   /reset-stats` → 204
 * - `GET    /knobs` → `{ knobs, outages, outageActive }`; `PUT /knobs` (partial) → the same, or 400
 * - `POST   /outage { durationMs, afterMs? }` → 201 the window; `DELETE /outage` → 204
 */
export async function sandboxErpAdminRoutes(app: FastifyInstance, runtime: SandboxErpRuntime): Promise<void> {
  const { state, faults, stats } = runtime;
  const admin = app.withTypeProvider<TypeBoxTypeProvider>();

  const knobsView = () => ({ knobs: faults.knobs, outages: faults.outages().map(windowView), outageActive: faults.inOutage() });

  admin.get('/orders', async () => {
    const orders = state.listSalesOrders();
    return { count: orders.length, orders };
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

function windowView(window: OutageWindow): { from: string; to: string } {
  return { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() };
}
