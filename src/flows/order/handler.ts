import { parseOrder } from '../../canonical/validate.js';
import type { Order } from '../../canonical/order.js';
import type { ErpConnector, ExternalRef } from '../../connectors/capabilities.js';
import { asCrossdockError, CrossdockError, toErrorRecord, type ErrorRecord } from '../../errors/crossdock-error.js';
import type { Clock } from '../../lib/clock.js';
import type { Metrics } from '../../observability/metrics.js';
import type { Job, OrderRecord, Store } from '../../store/types.js';
import type { JobContext, JobHandler, JobResult } from '../../worker/types.js';
import { attemptJournal } from './attempt-journal.js';
import { FROM, PROCESSED } from './states.js';
import { checkMasterData } from './steps/check-master-data.js';
import { reserveStock } from './steps/reserve-stock.js';
import type { InventoryEngine } from '../../inventory/engine.js';
import type { RuntimeCrossReferences } from '../../operations/cross-references.js';
import { applyRuntimeCrossReferences } from './steps/apply-cross-references.js';

export const ORDER_PROCESS_QUEUE = 'order.process';

export interface OrderFlowDeps {
  store: Store;
  /** The ERP, with master data already behind a cache. */
  erp: ErpConnector;
  clock: Clock;
  metrics?: Metrics;
  /** Reserves stock first, under each channel's oversell policy; absent: stock is not checked. */
  inventory?: InventoryEngine;
  /** Told when an order is posted, cancelled or rejected, for the stock it holds. */
  onStockState?: (orderId: string, state: 'posted' | 'cancelled' | 'rejected', at: number) => Promise<void>;
  /** Compares the channel's prices with the price book (holds, or reports, per channel policy). */
  checkPrices?: (order: Order, record: OrderRecord) => Promise<void>;
  /** Cross-references set at run time, applied before anything else; absent: only the configured ones (at intake). */
  crossReferences?: RuntimeCrossReferences;
}

/**
 * Order processing v1 (DESIGN.md flow 2): check customer and SKUs against ERP master data,
 * then post with crossdock's id as external reference, looking it up first so that a retry
 * after a lost response never creates a second sales order. Business problems hold the order
 * with a readable reason; technical ones are thrown for the runner to retry.
 */
export function createOrderProcessHandler(deps: OrderFlowDeps): JobHandler {
  const { store, erp, clock, metrics, inventory } = deps;

  async function run(job: Job, jobCtx: JobContext): Promise<JobResult> {
    const orderId = (job.payload as { orderId?: unknown }).orderId;
    if (typeof orderId !== 'string') throw new CrossdockError('internal.defect', `job ${job.id} has no orderId`);
    const stored = await store.getOrder(orderId);
    if (!stored) throw new CrossdockError('internal.defect', `job ${job.id} names unknown order ${orderId}`);
    // A redelivered job whose work is already done: nothing to repeat.
    if (PROCESSED.has(stored.state)) return 'done';
    const remapped = deps.crossReferences ? await applyRuntimeCrossReferences(store, deps.crossReferences, job, stored, clock.now()) : { record: stored };
    const record = remapped.record;
    if (PROCESSED.has(record.state)) return 'done';
    // Stock held for the lines as they were is let go, to be reserved again for the mapped ones.
    if (remapped.changes && remapped.changes.lines.length > 0 && record.state === 'received') await inventory?.release(orderId, 'remapped');
    const order = parseOrder(record.canonical);
    const journal = attemptJournal(store, record.messageId, clock, metrics);
    // The worker's signal cancels ERP calls on shutdown; the job then goes back to the queue.
    const ctx = { correlationId: record.correlationId, onAttempt: journal.onAttempt, signal: jobCtx.signal };

    // Cancelled in the channel before crossdock posted it (its first version may already say so).
    if (order.cancellation) {
      await store.transitionOrder({
        orderId, from: ['received', 'validated'], to: 'cancelled', now: clock.now(), step: 'cancelled',
        detail: { by: record.channel, at: order.cancellation.at, reason: order.cancellation.reason ?? null },
        event: { topic: 'order.cancelled', payload: { orderId, channel: record.channel, reason: order.cancellation.reason ?? null } },
        job: { id: job.id, leaseToken: job.leaseToken ?? '', outcome: 'complete' },
      });
      await deps.onStockState?.(orderId, 'cancelled', clock.now());
      return 'finished';
    }
    // Fulfilled by the channel itself (Amazon FBA): kept for the record, not sent to the warehouse.
    if (order.fulfilledBy === 'channel') {
      await store.transitionOrder({
        orderId, from: ['received', 'validated'], to: 'closed', now: clock.now(), step: 'recorded',
        detail: { why: 'fulfilled by the channel: recorded, not sent to the ERP or warehouse' },
        event: { topic: 'order.recorded', payload: { orderId, channel: record.channel, channelOrderId: record.channelOrderId } },
        job: { id: job.id, leaseToken: job.leaseToken ?? '', outcome: 'complete' },
      });
      return 'finished';
    }

    try {
      if (inventory && record.state === 'received') {
        const reserved = await reserveStock(inventory, order, record, clock.now());
        if (reserved.outcome === 'reject') {
          await reject(job, record, toErrorRecord(reserved.error));
          return 'finished';
        }
      }
      // One after the other: when the ERP is down, the error that reached it (not a sibling
      // call refused by the open breaker) decides whether this run counts as an attempt.
      const customer = await erp.masterData.getCustomer(order.customer.accountId, ctx);
      const items = await erp.masterData.getItems(order.lines.map((l) => l.sku), ctx);
      const problem = checkMasterData(order, customer, items);
      if (problem) throw problem;
      if (record.state === 'received') await deps.checkPrices?.(order, record);
      if (record.state === 'received') {
        await journal.flush();
        const moved = await store.transitionOrder({ orderId, from: ['received'], to: 'validated', now: clock.now(), step: 'validated' });
        // Cancelled by the channel meanwhile (or taken by another worker): nothing to post.
        if (!moved) return 'done';
      }
      const found = await erp.orderSink.findByExternalRef(order.id, ctx);
      // Found: an earlier attempt created it (its answer was lost, or it stopped half-way
      // through an ERP's several posting calls); finishing it never creates a second one.
      const existing = found && erp.orderSink.finish ? await erp.orderSink.finish(found, order, ctx) : found;
      const ref = existing ?? (await erp.orderSink.create(order, ctx));
      await journal.flush();
      await markPosted(job, record, order, ref, existing !== undefined || ref.existed === true);
      return 'finished';
    } catch (error) {
      await journal.flush();
      const e = asCrossdockError(error);
      if (e.kind !== 'business') throw e;
      await hold(job, record, toErrorRecord(e));
      return 'finished';
    }
  }

  async function markPosted(job: Job, record: OrderRecord, order: Order, ref: ExternalRef, foundExisting: boolean): Promise<void> {
    const erpRef = ref.number ?? ref.id;
    const moved = await store.transitionOrder({
      orderId: record.id, from: [...FROM.post], to: 'posted', now: clock.now(), step: 'posted', erpRef,
      // Which version went to the ERP: a revision that arrives meanwhile compares against it.
      detail: { erpRef, erpId: ref.id, system: ref.system, foundExisting, postedMessageId: record.messageId },
      event: { topic: 'order.posted', payload: { orderId: order.id, channel: order.channel, channelOrderId: order.channelOrderId, erpRef, correlationId: record.correlationId } },
      job: { id: job.id, leaseToken: job.leaseToken ?? '', outcome: 'complete' },
    });
    if (moved) {
      metrics?.ordersPosted.inc({ channel: record.channel });
      metrics?.orderPostLatency.observe({ channel: record.channel }, Math.max(0, clock.now() - record.createdAt) / 1000);
      await deps.onStockState?.(record.id, 'posted', clock.now());
    }
    else await store.completeJob(job.id, job.leaseToken ?? '');
  }

  async function hold(job: Job, record: OrderRecord, reason: ErrorRecord): Promise<void> {
    const moved = await store.transitionOrder({
      orderId: record.id, from: [...FROM.hold], to: 'held', now: clock.now(), step: 'held', reason,
      detail: { processedMessageId: record.messageId },
      event: { topic: 'order.held', payload: { orderId: record.id, channel: record.channel, reason } },
      job: { id: job.id, leaseToken: job.leaseToken ?? '', outcome: 'dead' },
    });
    if (moved) metrics?.ordersHeld.inc({ channel: record.channel, code: reason.code });
    else await store.completeJob(job.id, job.leaseToken ?? '');
  }

  async function reject(job: Job, record: OrderRecord, reason: ErrorRecord): Promise<void> {
    const moved = await store.transitionOrder({
      orderId: record.id, from: [...FROM.reject], to: 'rejected', now: clock.now(), step: 'rejected', reason,
      detail: { processedMessageId: record.messageId },
      event: { topic: 'order.rejected', payload: { orderId: record.id, channel: record.channel, channelOrderId: record.channelOrderId, reason } },
      job: { id: job.id, leaseToken: job.leaseToken ?? '', outcome: 'complete' },
    });
    if (moved) {
      metrics?.ordersRejected.inc({ channel: record.channel, code: reason.code });
      await deps.onStockState?.(record.id, 'rejected', clock.now());
    }
    else await store.completeJob(job.id, job.leaseToken ?? '');
  }

  async function onExhausted(job: Job, reason: ErrorRecord): Promise<void> {
    const orderId = (job.payload as { orderId?: unknown }).orderId;
    const record = typeof orderId === 'string' ? await store.getOrder(orderId) : undefined;
    const moved = record
      ? await store.transitionOrder({
          orderId: record.id, from: [...FROM.fail], to: 'failed', now: clock.now(), step: 'dead-lettered', reason,
          detail: { attempts: job.attempts },
          event: { topic: 'order.failed', payload: { orderId: record.id, channel: record.channel, reason } },
          job: { id: job.id, leaseToken: job.leaseToken ?? '', outcome: 'dead' },
        })
      : false;
    if (moved && record) metrics?.ordersDeadLettered.inc({ channel: record.channel, code: reason.code });
    if (!moved) await store.deadLetterJob(job.id, job.leaseToken ?? '', reason, clock.now());
  }

  return { queue: ORDER_PROCESS_QUEUE, run, onExhausted };
}
