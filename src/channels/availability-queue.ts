import type { AvailabilityUpdate } from '../canonical/availability.js';
import { newId } from '../lib/ids.js';
import type { Store } from '../store/types.js';
import { AVAILABILITY_PUBLISH_QUEUE } from './jobs.js';
import { toChannelSkus } from './outbound-skus.js';
import type { ChannelInstance } from './instances.js';

export interface AvailabilityBatch {
  channel: string;
  messageId: string;
  updates: number;
}

/**
 * Journals and queues availability for each channel instance named (each must take
 * availability), in the channel's own SKUs and batch size. One message and job per batch, so
 * one channel's outage does not hold back another's.
 */
export async function queueAvailability(
  deps: { store: Store; maxAttempts: number; now: number },
  instances: readonly ChannelInstance[],
  updates: readonly AvailabilityUpdate[],
  /** `changedAt`: when the oldest change these updates carry reached crossdock (freshness is measured from it). */
  origin: { source: string; correlationId: string; changedAt?: number },
): Promise<AvailabilityBatch[]> {
  const { now } = deps;
  const batches: AvailabilityBatch[] = [];
  for (const instance of instances) {
    const sink = instance.connector.availability;
    if (!sink) continue;
    const channelUpdates = toChannelSkus(instance.config, updates);
    for (let i = 0; i < channelUpdates.length; i += sink.maxBatch) {
      const chunk = channelUpdates.slice(i, i + sink.maxBatch);
      const result = await deps.store.recordInbound({
        messageId: newId('msg', now), correlationId: origin.correlationId, source: origin.source, kind: 'availability', channelRef: instance.id,
        raw: JSON.stringify({ channel: instance.id, updates: chunk }), canonical: { instance: instance.id, updates: chunk, ...(origin.changedAt === undefined ? {} : { changedAt: origin.changedAt }) }, status: 'accepted',
        job: {
          id: newId('job', now), queue: AVAILABILITY_PUBLISH_QUEUE, payload: { instance: instance.id }, correlationId: origin.correlationId,
          runAt: now, maxAttempts: deps.maxAttempts, now,
        },
        now,
      });
      batches.push({ channel: instance.id, messageId: result.messageId, updates: chunk.length });
    }
  }
  return batches;
}
