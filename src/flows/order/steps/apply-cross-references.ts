import type { Order } from '../../../canonical/order.js';
import { parseOrder } from '../../../canonical/validate.js';
import { applyCrossReferences, type CrossReferenceChanges, type RuntimeCrossReferences } from '../../../operations/cross-references.js';
import type { Job, OrderRecord, Store } from '../../../store/types.js';

/**
 * The first step of order processing: the cross-references operators set at run time (say, to
 * fix an order held for an unknown SKU before replaying it) turn the channel's SKUs and customer
 * into crossdock's. When anything changes, the order's canonical document is replaced and the
 * change journaled (`cross-referenced`), so every later step, the timeline and the ERP see the
 * mapped order. Returns the record to process on with, and what changed.
 *
 * A job run again after a failure or a replay first re-reads the references when they are older
 * than the job's due time: a reference set in another process just before a replay is then
 * always seen, while first runs use the references as last refreshed.
 */
export async function applyRuntimeCrossReferences(
  store: Pick<Store, 'remapOrder' | 'getOrder'>, refs: RuntimeCrossReferences, job: Job, record: OrderRecord, now: number,
): Promise<{ record: OrderRecord; changes?: CrossReferenceChanges }> {
  if (record.state !== 'received' && record.state !== 'validated') return { record };
  if (job.lastError !== null && job.runAt >= refs.refreshedAt) await refs.refresh();
  const order: Order = parseOrder(record.canonical);
  const applied = applyCrossReferences(order, refs);
  if (!applied) return { record };
  const moved = await store.remapOrder({
    orderId: record.id, canonical: applied.order, customerAccount: applied.order.customer.accountId,
    from: ['received', 'validated'], detail: { ...applied.changes }, now,
  });
  // Moved on meanwhile (cancelled, taken by another worker): read what it is now.
  if (!moved) return { record: (await store.getOrder(record.id)) ?? record };
  return { record: { ...record, canonical: applied.order, customerAccount: applied.order.customer.accountId }, changes: applied.changes };
}
