import Type from 'typebox';
import { InventoryBatchSchema } from '../canonical/inventory.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import type { InventoryEngine } from '../inventory/engine.js';
import { reconcileReservations } from '../inventory/reconcile.js';
import { sendProblem } from './problem.js';
import { ProblemSchema } from './schemas-common.js';
import type { HttpServer } from './server.js';
import type { ApiDeps } from './types.js';

const IngestAnswer = Type.Object({
  messageId: Type.String(),
  outcome: Type.Union([Type.Literal('applied'), Type.Literal('duplicate')]),
  changed: Type.Integer({ description: 'Levels whose figures changed' }),
  stale: Type.Integer({ description: 'Changes older than what crossdock holds for their level, ignored' }),
});

const Availability = Type.Object({
  sku: Type.String(),
  channel: Type.String(),
  available: Type.Integer({ description: 'What the channel is shown' }),
  promisable: Type.Integer({ description: 'What orders from the channel may take before its oversell policy applies' }),
  free: Type.Number({ description: "Free stock in the channel's locations before its share" }),
  tracked: Type.Boolean({ description: 'false: no source reports this SKU, crossdock does not limit it' }),
  share: Type.Unknown(),
  lowStock: Type.Integer(),
  locations: Type.Array(Type.Object({
    location: Type.String(), onHand: Type.Number(), allocated: Type.Number(), reserved: Type.Number(), safetyStock: Type.Number(),
    inTransit: Type.Number(), free: Type.Number(),
  })),
  components: Type.Optional(Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Number(), promisable: Type.Number() }))),
});

const AvailabilityList = Type.Object({ channel: Type.String(), items: Type.Array(Availability) });

/**
 * The inventory engine's API: stock in (`POST /v1/inventory`), availability out — answered from
 * the engine's memory, never from the ERP — and the reservation reconciliation on demand.
 */
export async function inventoryRoutes(app: HttpServer, deps: ApiDeps & { inventory: InventoryEngine }): Promise<void> {
  const { inventory } = deps;

  app.post('/v1/inventory', {

    config: { scope: 'inventory:write' },
    schema: {
      summary: 'Send stock levels or movements',
      description: 'Journaled, then applied; an older figure never overwrites a newer one. Idempotent on Idempotency-Key. Channels get what changed within their freshness window.',
      tags: ['inventory'],
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
      body: InventoryBatchSchema,
      response: { 200: IngestAnswer, 202: IngestAnswer, 422: ProblemSchema },
    },
  }, async (request, reply) => {
    const body = request.body;
    const key = request.headers['idempotency-key'];
    const result = await inventory.ingest(
      {
        source: body.source ?? 'api', sourceTimestamp: body.sourceTimestamp ?? new Date(deps.clock.now()).toISOString(), mode: body.mode,
        ...(body.locations ? { locations: body.locations } : {}), changes: body.changes,
      },
      { correlationId: request.correlationId, raw: JSON.stringify(body), ...(key ? { idempotencyKey: `inventory:${key}` } : {}) },
    );
    return reply.code(result.outcome === 'duplicate' ? 200 : 202).send(result);
  });

  app.get('/v1/inventory/levels/:sku', {

    config: { scope: 'inventory:read' },
    schema: {
      summary: "A SKU's figures at every location",
      tags: ['inventory'],
      params: Type.Object({ sku: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: {
        200: Type.Object({
          sku: Type.String(),
          levels: Type.Array(Type.Object({
            location: Type.String(), onHand: Type.Number(), allocated: Type.Number(), inTransit: Type.Number(), reserved: Type.Number(),
            expectedAt: Type.Union([Type.String(), Type.Null()]), asOf: Type.Union([Type.String(), Type.Null()]),
          })),
        }),
        404: ProblemSchema,
      },
    },
  }, async (request, reply) => {
    const levels = inventory.levels(request.params.sku);
    if (levels.length === 0) return sendProblem(reply, new CrossdockError('request.not-found', `no source has reported ${request.params.sku}`));
    return {
      sku: request.params.sku,
      levels: levels.map((l) => ({
        location: l.location, onHand: l.onHand, allocated: l.allocated, inTransit: l.inTransit, reserved: l.reserved,
        expectedAt: l.expectedAt === null ? null : new Date(l.expectedAt).toISOString(), asOf: l.asOf > 0 ? new Date(l.asOf).toISOString() : null,
      })),
    };
  });

  app.get('/v1/availability', {

    config: { scope: 'availability:read' },
    schema: {
      summary: 'What a channel may sell of some SKUs, and why',
      description: 'Answered from the inventory engine: per location on hand − allocated − reserved − safety stock (+ in transit where the channel sells it), then the channel\'s share and low-stock threshold. Repeat `sku` for up to 100 SKUs; POST /v1/availability/query takes more.',
      tags: ['availability'],
      querystring: Type.Object({
        channel: Type.String({ minLength: 1, description: 'Channel instance, EDI partner or `api`' }),
        sku: Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 100 })]),
      }),
      response: { 200: AvailabilityList, 422: ProblemSchema },
    },
  }, async (request) => {
    const skus = typeof request.query.sku === 'string' ? [request.query.sku] : request.query.sku;
    return { channel: request.query.channel, items: skus.map((sku) => inventory.availability(sku, request.query.channel)) };
  });

  app.post('/v1/availability/query', {

    config: { scope: 'availability:read' },
    schema: {
      summary: 'What a channel may sell of many SKUs',
      tags: ['availability'],
      body: Type.Object({
        channel: Type.String({ minLength: 1 }),
        skus: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 10_000 }),
      }, { additionalProperties: false }),
      response: { 200: AvailabilityList, 422: ProblemSchema },
    },
  }, async (request) => ({ channel: request.body.channel, items: request.body.skus.map((sku) => inventory.availability(sku, request.body.channel)) }));

  app.post('/v1/inventory/reconciliation', {

    config: { scope: 'inventory:write' },
    schema: {
      summary: 'Check reservations against their orders now',
      description: 'Releases what cancelled, rejected, closed or unknown orders still hold and what outlived its time; reports each finding. Also runs every `inventory.reconcileMinutes`.',
      tags: ['inventory'],
      response: {
        200: Type.Object({
          at: Type.String(), checked: Type.Integer(),
          findings: Type.Array(Type.Object({
            orderId: Type.String(), finding: Type.String(), state: Type.Union([Type.String(), Type.Null()]),
            released: Type.Array(Type.Object({ sku: Type.String(), location: Type.String(), quantity: Type.Number() })),
          })),
        }),
      },
    },
  }, async () => reconcileReservations(inventory, deps.store, deps.clock.now()));
}
