import type { AvailabilityUpdate } from '../canonical/availability.js';
import type { ShipmentSubmission } from '../canonical/shipment.js';
import { parseOrder } from '../canonical/validate.js';
import type { CallContext } from '../connectors/capabilities.js';
import { asCrossdockError, CrossdockError } from '../errors/crossdock-error.js';
import { attemptJournal } from '../flows/order/attempt-journal.js';
import { newId } from '../lib/ids.js';
import type { Logger } from '../observability/logger.js';
import type { Job } from '../store/types.js';
import type { JobContext, JobHandler } from '../worker/types.js';
import { intakeChannelDocument, type DocumentIntakeDeps } from './document-intake.js';
import type { ChannelInstance } from './instances.js';
import { recordShipmentOnOrder } from './shipment-state.js';
import type { ChannelOrderDocument, ShipmentSink } from './types.js';

export const CHANNEL_DELIVERY_QUEUE = 'channel.delivery';
export const CHANNEL_POLL_QUEUE = 'channel.poll';
export const CHANNEL_DOCUMENT_QUEUE = 'channel.document';
export const SHIPMENT_PUBLISH_QUEUE = 'shipment.publish';
export const AVAILABILITY_PUBLISH_QUEUE = 'availability.publish';

export interface ChannelJobDeps extends DocumentIntakeDeps {
  instances: ReadonlyMap<string, ChannelInstance>;
  /** Shipment sinks of sources that are not channel instances (an EDI partner's 856). */
  otherShipmentSink?: (channel: string) => ShipmentSink | undefined;
  logger?: Logger;
  /** Told of every shipment of an order (all of them so far), for the stock it holds. */
  onShipped?: (orderId: string, lines: readonly { sku: string; quantity: number; uom?: string }[], orderLines: readonly { sku: string; quantity: number; uom?: string }[]) => Promise<void>;
}

function payloadString(job: Job, field: string): string {
  const value = (job.payload as Record<string, unknown> | null)?.[field];
  if (typeof value !== 'string') throw new CrossdockError('internal.defect', `job ${job.id} has no ${field}`);
  return value;
}

function instanceOf(deps: ChannelJobDeps, job: Job): ChannelInstance {
  const id = payloadString(job, 'instance');
  const instance = deps.instances.get(id);
  if (!instance) {
    throw new CrossdockError('channel.not-found', `channel instance ${id} is not configured (or is disabled) in this process`, { target: id });
  }
  return instance;
}

async function messageOf(deps: ChannelJobDeps, job: Job) {
  const id = payloadString(job, 'messageId');
  const message = await deps.store.getMessage(id);
  if (!message) throw new CrossdockError('internal.defect', `job ${job.id} names unknown message ${id}`);
  return message;
}

/** Runs connector calls with every attempt written to the message's timeline (and flushed before going on). */
async function journaled<T>(
  deps: ChannelJobDeps,
  message: { id: string; correlationId: string },
  jobCtx: JobContext,
  call: (ctx: CallContext) => Promise<T>,
): Promise<T> {
  const journal = attemptJournal(deps.store, message.id, deps.clock, deps.metrics);
  return call({ correlationId: message.correlationId, signal: jobCtx.signal, onAttempt: journal.onAttempt }).finally(() => journal.flush());
}

/**
 * Accepts a document, or — when it cannot be mapped — parks it as its own job, so one bad
 * order neither blocks the others of its page or delivery nor is lost: the parked job is
 * dead-lettered with every problem named, and replayed once the mapping or data is fixed.
 */
async function intakeOrPark(deps: ChannelJobDeps, instance: ChannelInstance, document: ChannelOrderDocument, correlationId: string): Promise<void> {
  try {
    await intakeChannelDocument(deps, instance, document, correlationId);
  } catch (error) {
    if (asCrossdockError(error).code !== 'channel.unmappable') throw error;
    const now = deps.clock.now();
    await deps.store.recordInbound({
      messageId: newId('msg', now), correlationId, source: instance.id, kind: 'order-document', channelRef: document.channelOrderId,
      sourceTimestamp: document.updatedAt, raw: JSON.stringify(document), status: 'accepted',
      idempotencyKey: `document:${instance.id}:${document.channelOrderId}:${document.updatedAt}`,
      job: { id: newId('job', now), queue: CHANNEL_DOCUMENT_QUEUE, payload: { instance: instance.id }, correlationId, runAt: now, maxAttempts: deps.maxAttempts, now },
      now,
    });
    deps.notifyWork?.();
  }
}

/** A verified webhook delivery, journaled by the webhook route: resolve it to order documents and take them in. */
export function channelDeliveryHandler(deps: ChannelJobDeps): JobHandler {
  return {
    queue: CHANNEL_DELIVERY_QUEUE,
    async run(job: Job, jobCtx: JobContext) {
      const instance = instanceOf(deps, job);
      const message = await messageOf(deps, job);
      const webhooks = instance.connector.webhooks;
      if (!webhooks) throw new CrossdockError('internal.defect', `${instance.id} has no webhooks`);
      let body: unknown;
      try {
        body = JSON.parse(message.raw);
      } catch (error) {
        throw new CrossdockError('channel.unmappable', `${instance.id} delivery ${message.id} is not JSON: ${(error as Error).message}`, { target: instance.id });
      }
      const delivery = { deliveryId: payloadString(job, 'deliveryId'), topic: payloadString(job, 'topic') };
      const documents = await journaled(deps, message, jobCtx, (ctx) => webhooks.resolve(delivery, body, ctx));
      for (const document of documents) await intakeOrPark(deps, instance, document, message.correlationId);
      await deps.store.appendEvent({
        messageId: message.id, at: deps.clock.now(), step: 'resolved', outcome: 'ok',
        detail: { topic: delivery.topic, orders: documents.map((d) => ({ channelOrderId: d.channelOrderId, updatedAt: d.updatedAt })) },
      });
      return 'done';
    },
  };
}

/** A parked document: mapped again (a replay after the fix), dead-lettered again if still unmappable. */
export function channelDocumentHandler(deps: ChannelJobDeps): JobHandler {
  return {
    queue: CHANNEL_DOCUMENT_QUEUE,
    async run(job: Job) {
      const instance = instanceOf(deps, job);
      const message = await messageOf(deps, job);
      const document = JSON.parse(message.raw) as ChannelOrderDocument;
      await intakeChannelDocument(deps, instance, document, message.correlationId);
      return 'done';
    },
  };
}

/**
 * One poll of an instance: every page since the durable cursor, each page's orders accepted
 * before the cursor moves past them. A crash between the two re-reads the page next time;
 * its orders are recognised as stale versions, so none is taken twice and none missed.
 */
export function channelPollHandler(deps: ChannelJobDeps): JobHandler {
  return {
    queue: CHANNEL_POLL_QUEUE,
    async run(job: Job, jobCtx: JobContext) {
      const instance = instanceOf(deps, job);
      const polling = instance.connector.polling;
      if (!polling) return 'done';
      const cursorName = `poll:${instance.id}`;
      const cursor = await deps.store.getCursor(cursorName);
      const ctx = { correlationId: job.correlationId, signal: jobCtx.signal };
      let orders = 0;
      try {
        for await (const page of polling.poll(cursor, ctx)) {
          for (const document of page.documents) await intakeOrPark(deps, instance, document, job.correlationId);
          orders += page.documents.length;
          await deps.store.setCursor(cursorName, page.cursor, deps.clock.now());
          if (jobCtx.signal.aborted) break;
        }
      } catch (error) {
        // A poll that meets a down or throttling channel is simply the next interval's work:
        // the cursor kept every completed page. Only what needs a person is dead-lettered.
        const e = asCrossdockError(error);
        if (e.kind !== 'transient') throw e;
        deps.logger?.warn({ channel: instance.id, code: e.code, err: e.message, orders }, 'poll stopped early; the next one resumes from the cursor');
        return 'done';
      }
      deps.metrics?.channelPolls.inc({ channel: instance.id });
      if (orders > 0) deps.metrics?.channelPolledOrders.inc({ channel: instance.id }, orders);
      return 'done';
    },
  };
}

/** Tells the order's channel that (part of) it shipped, then moves the order to shipped or partially shipped. */
export function shipmentPublishHandler(deps: ChannelJobDeps): JobHandler {
  return {
    queue: SHIPMENT_PUBLISH_QUEUE,
    async run(job: Job, jobCtx: JobContext) {
      const message = await messageOf(deps, job);
      const shipment = message.canonical as ShipmentSubmission;
      const record = await deps.store.getOrder(shipment.orderId);
      if (!record) throw new CrossdockError('request.not-found', `shipment ${shipment.shipmentId} names unknown order ${shipment.orderId}`);
      const order = parseOrder(record.canonical);
      const instance = deps.instances.get(record.channel);
      const sink = instance?.connector.shipments ?? deps.otherShipmentSink?.(record.channel);
      const at = () => deps.clock.now();
      if (order.fulfilledBy === 'channel') {
        await deps.store.appendEvent({ messageId: message.id, at: at(), step: 'shipment.skipped', outcome: 'info', detail: { why: 'the channel fulfils this order itself' } });
      } else if (!sink) {
        await deps.store.appendEvent({ messageId: message.id, at: at(), step: 'shipment.recorded', outcome: 'info', detail: { why: `no shipment capability for channel ${record.channel}` } });
      } else {
        const ref = await journaled(deps, message, jobCtx, (ctx) => sink.publish(shipment, order, ctx));
        const detail = { channel: record.channel, ref, shipmentId: shipment.shipmentId };
        await deps.store.appendEvent({ messageId: message.id, at: at(), step: 'shipment.published', outcome: 'ok', detail });
        deps.metrics?.shipmentsPublished.inc({ channel: record.channel, outcome: ref.existed ? 'existed' : 'created' });
        deps.metrics?.shipmentPublishSeconds.observe({ channel: record.channel }, Math.max(0, at() - message.receivedAt) / 1000);
      }
      const shipments = await recordShipmentOnOrder(deps.store, record, order, deps.clock.now());
      if (shipments.length > 0) await deps.onShipped?.(record.id, shipments.flatMap((s) => s.lines), order.lines);
      return 'done';
    },
  };
}

/** Publishes one batch of availability to one channel instance. */
export function availabilityPublishHandler(deps: ChannelJobDeps): JobHandler {
  return {
    queue: AVAILABILITY_PUBLISH_QUEUE,
    async run(job: Job, jobCtx: JobContext) {
      const instance = instanceOf(deps, job);
      const message = await messageOf(deps, job);
      const sink = instance.connector.availability;
      if (!sink) return 'done';
      const updates = (message.canonical as { updates: AvailabilityUpdate[] }).updates;
      const result = await journaled(deps, message, jobCtx, (ctx) => sink.publish(updates, ctx));
      const rejected = result.rejected ?? [];
      await deps.store.appendEvent({
        messageId: message.id, at: deps.clock.now(), step: 'availability.published', outcome: rejected.length > 0 ? 'error' : 'ok',
        detail: { channel: instance.id, published: updates.length - rejected.length, rejected, ...(result.detail === undefined ? {} : { channel_detail: result.detail }) },
      });
      deps.metrics?.availabilityPublished.inc({ channel: instance.id }, updates.length - rejected.length);
      const changedAt = (message.canonical as { changedAt?: unknown }).changedAt;
      if (typeof changedAt === 'number') deps.metrics?.inventoryFreshness.observe({ channel: instance.id }, Math.max(0, deps.clock.now() - changedAt) / 1000);
      return 'done';
    },
  };
}
