import { parseOrder } from '../canonical/validate.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import type { OutboxEvent } from '../store/types.js';
import type { JobHandler } from '../worker/types.js';
import { queueAcknowledgment855, queueWarehouseOrder940 } from './outbound.js';
import type { EdiDeps } from './runtime.js';

export const EDI_ORDER_EVENT_QUEUE = 'edi.order-event';

/**
 * From the outbox to EDI work: an order posted to the ERP is acknowledged to its EDI buyer (855)
 * and sent to the 3PL that ships its channel's orders (940). One job per event, its id derived
 * from the event, so relaying an event twice queues it once.
 */
export function ediOrderEventDispatcher(deps: EdiDeps) {
  const interested = (channel: string) =>
    deps.partners.has(channel) || [...deps.partners.values()].some((p) => p.settings.fulfils.includes(channel));
  return async (event: OutboxEvent): Promise<void> => {
    if (event.topic !== 'order.posted') return;
    const { orderId, channel } = event.payload as { orderId?: string; channel?: string };
    if (!orderId || !channel || !interested(channel)) return;
    const id = `edi-order-event:${event.seq}`;
    if (await deps.store.getJob(id)) return;
    const now = deps.clock.now();
    try {
      await deps.store.enqueue({ id, queue: EDI_ORDER_EVENT_QUEUE, payload: { orderId, topic: event.topic }, correlationId: `evt-${event.seq}`, runAt: now, maxAttempts: deps.maxAttempts, now });
      deps.notifyWork?.();
    } catch (error) {
      if (!(await deps.store.getJob(id))) throw error;
    }
  };
}

export function ediOrderEventHandler(deps: EdiDeps): JobHandler {
  return {
    queue: EDI_ORDER_EVENT_QUEUE,
    async run(job) {
      const { orderId } = job.payload as { orderId: string };
      const record = await deps.store.getOrder(orderId);
      if (!record) throw new CrossdockError('internal.defect', `event for unknown order ${orderId}`);
      const order = parseOrder(record.canonical);
      const buyer = deps.partners.get(record.channel);
      // Everything the ERP took is acknowledged as accepted; per-line backorders come with ERP allocation.
      if (buyer) await queueAcknowledgment855(deps, buyer, order, order.lines.map((l) => ({ ...(l.lineId ? { lineId: l.lineId } : { sku: l.sku }), status: 'accepted' as const })), record.correlationId);
      for (const threePl of deps.partners.values()) {
        if (threePl.settings.fulfils.includes(record.channel)) await queueWarehouseOrder940(deps, threePl, order, record.correlationId);
      }
      return 'done';
    },
  };
}
