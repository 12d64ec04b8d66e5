import type { InvoiceSubmission } from '../canonical/invoice.js';
import type { Order } from '../canonical/order.js';
import { parseOrder } from '../canonical/validate.js';
import type { ExternalRef } from '../connectors/capabilities.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { InboundRecordResult, OrderRecord, Store } from '../store/types.js';
import type { JobHandler } from '../worker/types.js';

export const INVOICE_PUBLISH_QUEUE = 'invoice.publish';

/** Sends an invoice to whoever the order's channel needs it from crossdock (an EDI buyer's 810); undefined: nobody. */
export type InvoicePublisher = (record: OrderRecord, order: Order, invoice: InvoiceSubmission, correlationId: string) => Promise<ExternalRef | undefined>;

/** States an invoice moves on to `invoiced`: the order is in the ERP. */
const INVOICEABLE = ['posted', 'released', 'partially_shipped', 'shipped'] as const;

/** Journals an invoice of a known order and queues it, once per order and invoice id. */
export function acceptInvoice(deps: { store: Store; maxAttempts: number }, invoice: InvoiceSubmission, options: { source: string; raw: string; correlationId: string; now: number }): Promise<InboundRecordResult> {
  const { now } = options;
  return deps.store.recordInbound({
    messageId: newId('msg', now), correlationId: options.correlationId, source: options.source, kind: 'invoice',
    subjectId: invoice.orderId, channelRef: invoice.number, sourceTimestamp: invoice.invoiceDate, raw: options.raw, canonical: invoice,
    status: 'accepted', idempotencyKey: `invoice:${invoice.orderId}:${invoice.invoiceId}`,
    job: { id: newId('job', now), queue: INVOICE_PUBLISH_QUEUE, payload: { orderId: invoice.orderId }, correlationId: options.correlationId, runAt: now, maxAttempts: deps.maxAttempts, now },
    now,
  });
}

/** Publishes the invoice (810 to an EDI buyer) and moves the order to `invoiced`. */
export function invoicePublishHandler(deps: { store: Store; clock: Clock; publish: InvoicePublisher }): JobHandler {
  return {
    queue: INVOICE_PUBLISH_QUEUE,
    async run(job) {
      const messageId = (job.payload as { messageId?: unknown }).messageId;
      const message = typeof messageId === 'string' ? await deps.store.getMessage(messageId) : undefined;
      if (!message) throw new CrossdockError('internal.defect', `job ${job.id} names no invoice`);
      const invoice = message.canonical as InvoiceSubmission;
      const record = await deps.store.getOrder(invoice.orderId);
      if (!record) throw new CrossdockError('request.not-found', `invoice ${invoice.number} names unknown order ${invoice.orderId}`);
      const ref = await deps.publish(record, parseOrder(record.canonical), invoice, message.correlationId);
      await deps.store.appendEvent({
        messageId: message.id, at: deps.clock.now(), step: ref ? 'invoice.published' : 'invoice.recorded', outcome: ref ? 'ok' : 'info',
        detail: ref ? { ref } : { why: `nobody to send invoices to for channel ${record.channel}` },
      });
      await deps.store.transitionOrder({
        orderId: record.id, from: [...INVOICEABLE], to: 'invoiced', now: deps.clock.now(), step: 'invoiced',
        detail: { invoice: invoice.number, total: invoice.total, currency: invoice.currency },
        event: { topic: 'order.invoiced', payload: { orderId: record.id, channel: record.channel, invoice: invoice.number } },
      });
      return 'done';
    },
  };
}
