import Type from 'typebox';
import { ShipmentSubmission } from '../canonical/shipment.js';
import { acceptShipment } from '../channels/shipment-intake.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { sendProblem } from './problem.js';
import { ProblemSchema } from './schemas-common.js';
import type { HttpServer } from './server.js';
import type { ApiDeps } from './types.js';

/**
 * `POST /v1/shipments`: a warehouse, 3PL or ERP reports that (part of) an order shipped. The
 * shipment is journaled and queued; the order's channel is told with carrier and tracking in
 * its own API, once per shipment id however often the shipment is reported.
 */
export async function shipmentRoutes(app: HttpServer, deps: ApiDeps): Promise<void> {
  app.post('/v1/shipments', {
    config: { scope: 'shipments:write' },
    schema: {
      summary: 'Report a shipment: it reaches the order’s channel as a fulfilment with tracking',
      tags: ['shipments'],
      body: ShipmentSubmission,
      response: {
        202: Type.Object({ orderId: Type.String(), shipmentId: Type.String(), messageId: Type.String(), duplicate: Type.Boolean() }),
        404: ProblemSchema,
        422: ProblemSchema,
      },
    },
  }, async (request, reply) => {
    const shipment = request.body;
    const order = await deps.store.getOrder(shipment.orderId);
    if (!order) return sendProblem(reply, new CrossdockError('request.not-found', `no order ${shipment.orderId}`));
    const result = await acceptShipment(deps, { ...shipment, orderId: order.id }, {
      source: 'api', raw: request.rawBody ?? JSON.stringify(shipment), correlationId: request.correlationId, now: deps.clock.now(),
    });
    const duplicate = result.outcome === 'duplicate';
    if (!duplicate) deps.notifyWork();
    else reply.header('idempotent-replayed', 'true');
    return reply.code(202).send({ orderId: order.id, shipmentId: shipment.shipmentId, messageId: result.messageId, duplicate });
  });
}
