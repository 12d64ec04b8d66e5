import Type from 'typebox';
import { InvoiceSubmission } from '../canonical/invoice.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { acceptInvoice } from '../flows/invoice.js';
import { sendProblem } from './problem.js';
import { ProblemSchema } from './schemas-common.js';
import type { HttpServer } from './server.js';
import type { ApiDeps } from './types.js';

/** `POST /v1/invoices`: the ERP's invoice for an order; sent on to the buyer where it needs it (EDI 810). */
export async function invoiceRoutes(app: HttpServer, deps: ApiDeps): Promise<void> {
  app.post('/v1/invoices', {
    config: { scope: 'invoices:write' },
    schema: {
      summary: 'Report an invoice: it reaches the buyer where the channel needs it (EDI 810) and the order moves to invoiced',
      tags: ['invoices'],
      body: InvoiceSubmission,
      response: {
        202: Type.Object({ orderId: Type.String(), invoiceId: Type.String(), messageId: Type.String(), duplicate: Type.Boolean() }),
        404: ProblemSchema, 422: ProblemSchema,
      },
    },
  }, async (request, reply) => {
    const invoice = request.body;
    const order = await deps.store.getOrder(invoice.orderId);
    if (!order) return sendProblem(reply, new CrossdockError('request.not-found', `no order ${invoice.orderId}`));
    const result = await acceptInvoice(deps, invoice, { source: 'api', raw: request.rawBody ?? JSON.stringify(invoice), correlationId: request.correlationId, now: deps.clock.now() });
    const duplicate = result.outcome === 'duplicate';
    if (duplicate) reply.header('idempotent-replayed', 'true');
    else deps.notifyWork();
    return reply.code(202).send({ orderId: order.id, invoiceId: invoice.invoiceId, messageId: result.messageId, duplicate });
  });
}
