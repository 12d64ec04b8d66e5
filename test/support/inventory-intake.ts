import type { IngestOrigin, IngestResult, InventoryBatch, InventoryIntake } from '../../src/inventory/model.js';
import type { Clock } from '../../src/lib/clock.js';
import { newId } from '../../src/lib/ids.js';
import type { Store } from '../../src/store/types.js';

/**
 * An `InventoryIntake` for tests of stock sources: it journals each batch in the real store under
 * its idempotency key (so a repeated key answers `duplicate`, as the engine does) and records every
 * call, duplicates included, for the test to inspect. Each batch's changes count as changed.
 */
export class RecordingIntake implements InventoryIntake {
  readonly calls: { batch: InventoryBatch; origin: IngestOrigin; result: IngestResult }[] = [];

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  async ingest(batch: InventoryBatch, origin: IngestOrigin): Promise<IngestResult> {
    const now = this.clock.now();
    const recorded = await this.store.recordInbound({
      messageId: newId('msg', now), correlationId: origin.correlationId, source: batch.source, kind: origin.kind ?? 'inventory',
      sourceTimestamp: batch.sourceTimestamp, raw: origin.raw, canonical: batch, status: 'accepted',
      ...(origin.idempotencyKey ? { idempotencyKey: origin.idempotencyKey } : {}), now,
    });
    const duplicate = recorded.outcome === 'duplicate';
    const result: IngestResult = { outcome: duplicate ? 'duplicate' : 'applied', messageId: recorded.messageId, changed: duplicate ? 0 : batch.changes.length, stale: 0 };
    this.calls.push({ batch, origin, result });
    return result;
  }

  /** Batches actually applied (first deliveries). */
  applied(): InventoryBatch[] {
    return this.calls.filter((c) => c.result.outcome === 'applied').map((c) => c.batch);
  }
}
