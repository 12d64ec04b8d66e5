import type { Order } from '../../canonical/order.js';
import { parseOrder } from '../../canonical/validate.js';
import type { ErpConnector } from '../../connectors/capabilities.js';
import { CrossdockError } from '../../errors/crossdock-error.js';
import type { Clock } from '../../lib/clock.js';
import type { Metrics } from '../../observability/metrics.js';
import { orderTimeline } from '../../store/order-journal.js';
import { ORDER_REVISE_QUEUE } from '../../store/order-versions.js';
import type { Job, OrderRecord, Store } from '../../store/types.js';
import type { JobHandler, JobResult } from '../../worker/types.js';
import { attemptJournal } from './attempt-journal.js';
import { ORDER_PROCESS_QUEUE } from './handler.js';

export interface OrderReviseDeps {
  store: Store;
  clock: Clock;
  metrics?: Metrics;
  /** The ERP, when it can be asked to cancel a sales order it already has. */
  erp?: Pick<ErpConnector, 'orderSink'>;
  /** Told when a revision cancels an order, for the stock it holds. */
  onStockState?: (orderId: string, state: 'cancelled', at: number) => Promise<void>;
}

/** States in which the ERP has the order but nothing has shipped: the ERP may still cancel it. */
const CANCELLABLE_IN_ERP = ['posted', 'released'] as const;

/** How long a revision waits for an order being posted right now before it looks again. */
const WAIT_FOR_POSTING_MS = 2_000;

/**
 * Applies a channel's newer version of an order (`Store.acceptOrderVersion` journaled it and
 * made it the order's canonical):
 * - a cancellation before the order is posted cancels it;
 * - not processed yet, or being processed: wait until processing decides, then look again
 *   (processing reads the newest version, but may have read it just before this one came);
 * - held or failed on an older version: processed again with this one (it may carry the fix);
 * - already in the ERP: if the ERP got this very version, nothing; a cancellation before
 *   anything shipped is sent to the ERP when it can cancel; anything else (or a cancellation
 *   the ERP refuses) needs a person to apply it there — dead-lettered as
 *   `order.changed-after-post` with what changed (and the ERP's refusal).
 */
export function createOrderReviseHandler(deps: OrderReviseDeps): JobHandler {
  const { store, clock } = deps;

  async function run(job: Job): Promise<JobResult> {
    const { orderId, messageId } = job.payload as { orderId: string; messageId: string };
    const record = await store.getOrder(orderId);
    if (!record) throw new CrossdockError('internal.defect', `revision ${messageId} names unknown order ${orderId}`);
    // A newer revision arrived meanwhile: its own job applies it.
    if (record.messageId !== messageId) return 'done';
    const order = parseOrder(record.canonical);
    const cancelled = order.cancellation !== undefined;

    switch (record.state) {
      case 'received':
      case 'validated':
        if (cancelled && record.state === 'received' && (await cancel(record, order, ['received']))) return 'done';
        throw new CrossdockError('internal.waiting', `order ${orderId} is being processed; its revision is looked at after`, { retryAfterMs: WAIT_FOR_POSTING_MS });
      case 'held':
      case 'failed':
        if (cancelled) await cancel(record, order, ['held', 'failed']);
        else if (!(await decidedOn(record, messageId, 'held', 'processedMessageId'))) await processAgain(record);
        return 'done';
      case 'cancelled':
      case 'rejected':
      case 'discarded':
        return 'done';
      default: {
        if (await decidedOn(record, messageId, 'posted', 'postedMessageId')) return 'done';
        const refusal = cancelled ? await cancelInErp(record, order, job) : undefined;
        if (refusal === 'cancelled') return 'done';
        throw changedAfterPost(record, order, refusal);
      }
    }
  }

  /** Asks the ERP to cancel its sales order; undefined when it cannot be asked, else its answer. */
  async function cancelInErp(record: OrderRecord, order: Order, job: Job): Promise<'cancelled' | string | undefined> {
    const cancelSale = deps.erp?.orderSink.cancel;
    if (!cancelSale || !(CANCELLABLE_IN_ERP as readonly string[]).includes(record.state)) return undefined;
    const posted = (await orderTimeline(store, record.messageId)).filter((e) => e.step === 'posted').at(-1)?.detail;
    if (typeof posted?.['erpId'] !== 'string' || typeof posted['system'] !== 'string') return undefined;
    const ref = { system: posted['system'], id: posted['erpId'], ...(record.erpRef ? { number: record.erpRef } : {}) };
    const journal = attemptJournal(store, record.messageId, clock, deps.metrics);
    const answer = await cancelSale.call(deps.erp!.orderSink, ref, { correlationId: record.correlationId, onAttempt: journal.onAttempt }).finally(() => journal.flush());
    if (answer.outcome === 'refused') return answer.reason ?? 'the ERP refused to cancel it';
    await store.transitionOrder({
      orderId: record.id, from: [...CANCELLABLE_IN_ERP], to: 'cancelled', now: clock.now(), step: 'cancelled',
      detail: { by: record.channel, at: order.cancellation?.at, reason: order.cancellation?.reason, erpRef: record.erpRef, cancelledInErp: true, job: job.id },
      event: { topic: 'order.cancelled', payload: { orderId: record.id, channel: record.channel, reason: order.cancellation?.reason ?? null } },
    });
    await deps.onStockState?.(record.id, 'cancelled', clock.now());
    return 'cancelled';
  }

  async function cancel(record: OrderRecord, order: Order, from: OrderRecord['state'][]): Promise<boolean> {
    const moved = await store.transitionOrder({
      orderId: record.id, from, to: 'cancelled', now: clock.now(), step: 'cancelled',
      detail: { by: record.channel, at: order.cancellation?.at, reason: order.cancellation?.reason },
      event: { topic: 'order.cancelled', payload: { orderId: record.id, channel: record.channel, reason: order.cancellation?.reason ?? null } },
    });
    if (moved) await deps.onStockState?.(record.id, 'cancelled', clock.now());
    return moved;
  }

  /** A held order's processing job is dead: replaying it re-runs processing on the newest version. */
  async function processAgain(record: OrderRecord): Promise<void> {
    const letters = await store.listDeadLetters({ subjectId: record.id, limit: 20 });
    const dead = letters.find((d) => d.queue === ORDER_PROCESS_QUEUE);
    if (dead) await store.replayDeadLetter(dead.jobId, clock.now());
  }

  /** Whether the last `step` (posted, held) on the order's timeline was decided on this version. */
  async function decidedOn(record: OrderRecord, messageId: string, step: string, field: string): Promise<boolean> {
    const events = await orderTimeline(store, record.messageId);
    const last = events.filter((e) => e.step === step).at(-1);
    return last?.detail?.[field] === messageId;
  }

  function changedAfterPost(record: OrderRecord, order: Order, erpRefusal?: string): CrossdockError {
    const where = record.erpRef ? `the ERP's sales order ${record.erpRef}` : 'the sales order in the ERP';
    const what = order.cancellation
      ? `${record.channel} cancelled order ${record.channelOrderId}${order.cancellation.reason ? ` (${order.cancellation.reason})` : ''} after it was posted: cancel ${where}${erpRefusal ? ` (the ERP refused: ${erpRefusal})` : ''}`
      : `${record.channel} changed order ${record.channelOrderId} after it was posted: apply the new lines, quantities and addresses to ${where}`;
    return new CrossdockError('order.changed-after-post', what, {
      context: { orderId: record.id, erpRef: record.erpRef, channelOrderId: record.channelOrderId, cancelled: order.cancellation !== undefined, ...(erpRefusal ? { erpRefusal } : {}) },
    });
  }

  return { queue: ORDER_REVISE_QUEUE, run };
}
