import Type from 'typebox';
import { OrderSubmission } from '../canonical/order.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { acceptOrderSubmission } from '../intake/order-intake.js';
import type { HttpServer } from './server.js';
import type { ApiDeps } from './types.js';
import { AcceptedSchema, ErrorRecordSchema, ProblemSchema } from './schemas-common.js';
import { orderTimeline } from '../store/order-journal.js';
import { sendProblem } from './problem.js';

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Makes a retried POST safe: same key + same body returns the first answer' })),
});

/** `POST /v1/orders` (intake) and `GET /v1/orders/{id}` (state and timeline). */
export async function orderRoutes(app: HttpServer, deps: ApiDeps): Promise<void> {
  app.post('/v1/orders', {
    config: { scope: 'orders:write' },
    schema: {
      summary: 'Submit an order',
      description: 'Validates, journals and queues the order, and answers before any ERP call. Idempotent on Idempotency-Key and on channel + channelOrderId.',
      tags: ['orders'],
      headers: IdempotencyHeaders,
      body: OrderSubmission,
      response: { 202: AcceptedSchema, 409: ProblemSchema, 422: ProblemSchema },
    },
  }, async (request, reply) => {
    const started = performance.now();
    const result = await acceptOrderSubmission(
      { store: deps.store, maxAttempts: deps.maxAttempts },
      {
        submission: request.body,
        raw: request.rawBody ?? JSON.stringify(request.body),
        ...(request.headers['idempotency-key'] ? { idempotencyKey: request.headers['idempotency-key'] } : {}),
        correlationId: request.correlationId,
        now: deps.clock.now(),
      },
    );
    const channel = request.body.channel;
    if (result.outcome === 'conflict') {
      return sendProblem(reply, new CrossdockError('request.idempotency-conflict',
        `order ${result.response.orderId} was accepted under ${result.key.replace(/^key:/, 'Idempotency-Key ')} with a different body`));
    }
    if (result.outcome === 'duplicate') {
      deps.metrics.duplicatesSuppressed.inc({ channel });
      reply.header('idempotent-replayed', 'true');
    } else {
      deps.metrics.ordersAccepted.inc({ channel });
      deps.metrics.intakeDuration.observe({ channel }, (performance.now() - started) / 1000);
      deps.notifyWork();
    }
    return reply.code(202).header('location', result.response.location).send(result.response);
  });

  app.get('/v1/orders/:id', {

    config: { scope: 'orders:read' },
    schema: {
      summary: 'An order: its state, ERP reference and the timed history of every step and attempt',
      tags: ['orders'],
      params: Type.Object({ id: Type.String() }),
      response: {
        200: Type.Object({
          id: Type.String(), state: Type.String(), channel: Type.String(), channelOrderId: Type.String(),
          correlationId: Type.String(), erpRef: Type.Union([Type.String(), Type.Null()]),
          reason: Type.Union([ErrorRecordSchema, Type.Null()]),
          createdAt: Type.String(), updatedAt: Type.String(),
          order: Type.Unknown(),
          history: Type.Array(Type.Object({
            at: Type.String(), step: Type.String(), outcome: Type.String(),
            target: Type.Optional(Type.String()), attempt: Type.Optional(Type.Integer()), latencyMs: Type.Optional(Type.Number()),
            error: Type.Optional(ErrorRecordSchema), detail: Type.Optional(Type.Unknown()),
          })),
        }),
        404: ProblemSchema,
      },
    },
  }, async (request, reply) => {
    const order = await deps.store.getOrder(request.params.id);
    if (!order) return sendProblem(reply, new CrossdockError('request.not-found', `no order ${request.params.id}`));
    const events = await orderTimeline(deps.store, order.messageId);
    return {
      id: order.id, state: order.state, channel: order.channel, channelOrderId: order.channelOrderId,
      correlationId: order.correlationId, erpRef: order.erpRef, reason: order.reason,
      createdAt: new Date(order.createdAt).toISOString(), updatedAt: new Date(order.updatedAt).toISOString(),
      order: order.canonical,
      history: events.map((e) => ({
        at: new Date(e.at).toISOString(), step: e.step, outcome: e.outcome,
        ...(e.target !== undefined ? { target: e.target } : {}), ...(e.attempt !== undefined ? { attempt: e.attempt } : {}),
        ...(e.latencyMs !== undefined ? { latencyMs: e.latencyMs } : {}), ...(e.error ? { error: e.error } : {}),
        ...(e.detail ? { detail: e.detail } : {}),
      })),
    };
  });
}
