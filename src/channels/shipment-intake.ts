import type { ShipmentSubmission } from '../canonical/shipment.js';
import { newId } from '../lib/ids.js';
import type { InboundRecordResult, Store } from '../store/types.js';
import { SHIPMENT_PUBLISH_QUEUE } from './jobs.js';

/**
 * Journals a shipment of a known order and queues its publication to the order's channel, once
 * per order and shipment id whoever reports it (the API, a 3PL's 945) and however often.
 */
export function acceptShipment(
  deps: { store: Store; maxAttempts: number },
  shipment: ShipmentSubmission,
  options: { source: string; raw: string; correlationId: string; now: number },
): Promise<InboundRecordResult> {
  const { now } = options;
  return deps.store.recordInbound({
    messageId: newId('msg', now), correlationId: options.correlationId, source: options.source, kind: 'shipment',
    subjectId: shipment.orderId, channelRef: shipment.shipmentId, sourceTimestamp: shipment.shippedAt,
    raw: options.raw, canonical: shipment, status: 'accepted',
    idempotencyKey: `shipment:${shipment.orderId}:${shipment.shipmentId}`,
    job: {
      id: newId('job', now), queue: SHIPMENT_PUBLISH_QUEUE, payload: { orderId: shipment.orderId }, correlationId: options.correlationId,
      runAt: now, maxAttempts: deps.maxAttempts, now,
    },
    now,
  });
}
