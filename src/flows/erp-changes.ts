import type { AvailabilityUpdate } from '../canonical/availability.js';
import { queueAvailability } from '../channels/availability-queue.js';
import type { ChannelInstance } from '../channels/instances.js';
import { acceptShipment } from '../channels/shipment-intake.js';
import type { CallContext, ChangePage, ErpChangeFeed, ErpInvoice, ErpShipment, ErpStockLevel } from '../connectors/capabilities.js';
import { asCrossdockError, CrossdockError } from '../errors/crossdock-error.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { InboundRecordResult, Job, OrderRecord, Store } from '../store/types.js';
import type { JobContext, JobHandler } from '../worker/types.js';
import { acceptInvoice } from './invoice.js';

export const ERP_CHANGES_QUEUE = 'erp.changes';

/** What the ERP's change feed is polled for; one periodic job each. */
export const ERP_FEEDS = ['shipments', 'invoices', 'stock'] as const;
export type ErpFeed = (typeof ERP_FEEDS)[number];

export interface ErpChangeDeps {
  store: Store;
  clock: Clock;
  metrics?: Metrics;
  logger?: Logger;
  maxAttempts: number;
  /** The ERP's name on journal entries (`source`) and cursors. */
  erpName: string;
  feed: ErpChangeFeed;
  /** Channel instances, for publishing stock changes as availability. */
  channels: ReadonlyMap<string, ChannelInstance>;
  notifyWork: () => void;
}

/**
 * Change capture for an ERP without webhooks (DESIGN.md flow 5). Each run polls one feed from
 * its durable cursor and hands what changed to the flows every other source uses:
 * - a shipment the ERP marked done → `acceptShipment` (journaled once per order and shipment,
 *   published to the order's channel, the order moves to shipped or partially shipped);
 * - a posted invoice → `acceptInvoice` (the order moves to invoiced);
 * - stock levels → the levels that changed since the last poll, journaled as one inventory
 *   message, and published to the channels as availability.
 * The cursor moves only after everything the poll found is journaled; records the overlap window
 * brings back are recognised by their idempotency keys, so none is taken twice or missed.
 */
export function erpChangesHandler(deps: ErpChangeDeps): JobHandler {
  return {
    queue: ERP_CHANGES_QUEUE,
    async run(job: Job, jobCtx: JobContext) {
      const feed = (job.payload as { feed?: unknown }).feed;
      if (!(ERP_FEEDS as readonly unknown[]).includes(feed)) throw new CrossdockError('internal.defect', `job ${job.id} names no ERP feed`);
      const cursorName = `erp:${deps.erpName}:${feed as ErpFeed}`;
      const since = await deps.store.getCursor(cursorName);
      const ctx: CallContext = { correlationId: job.correlationId, signal: jobCtx.signal };
      let page: ChangePage<ErpShipment | ErpInvoice | ErpStockLevel>;
      try {
        page = await deps.feed[feed as ErpFeed](since, ctx);
      } catch (error) {
        // An ERP that is down or throttling makes this poll the next interval's work; the
        // cursor has not moved. Only what needs a person (a contract problem) is dead-lettered.
        const e = asCrossdockError(error);
        if (e.kind !== 'transient') throw e;
        deps.logger?.warn({ erp: deps.erpName, feed, code: e.code, err: e.message }, 'ERP change poll failed; the next one resumes from the cursor');
        return 'done';
      }
      const taken = await take(deps, feed as ErpFeed, page.items, job.correlationId);
      if (page.cursor !== since) await deps.store.setCursor(cursorName, page.cursor, deps.clock.now());
      if (taken > 0) deps.notifyWork();
      deps.metrics?.erpChangesTaken.inc({ feed: feed as string }, taken);
      return 'done';
    },
  };
}

/** Hands one page to its flow; returns how many records were new to crossdock. */
async function take(deps: ErpChangeDeps, feed: ErpFeed, items: readonly (ErpShipment | ErpInvoice | ErpStockLevel)[], correlationId: string): Promise<number> {
  switch (feed) {
    case 'shipments':
      return count(items as ErpShipment[], (s) => takeShipment(deps, s));
    case 'invoices':
      return count(items as ErpInvoice[], (i) => takeInvoice(deps, i));
    case 'stock':
      return takeStock(deps, items as ErpStockLevel[], correlationId);
  }
}

async function count<T>(items: readonly T[], each: (item: T) => Promise<boolean>): Promise<number> {
  let taken = 0;
  for (const item of items) if (await each(item)) taken += 1;
  return taken;
}

/**
 * Journals one shipment or invoice of a crossdock order through its intake, and notes the ERP's
 * numbers on the order's timeline. False for a record of a sale crossdock did not post (entered
 * by hand, another system's) and for one already taken.
 */
async function takeDocument(
  deps: ErpChangeDeps,
  orderId: string,
  accept: (origin: { source: string; raw: string; correlationId: string; now: number }) => Promise<InboundRecordResult>,
  raw: unknown,
  step: string,
  detail: (order: OrderRecord) => Record<string, unknown>,
): Promise<boolean> {
  const order = await deps.store.getOrder(orderId);
  if (!order) return false;
  const now = deps.clock.now();
  const result = await accept({ source: deps.erpName, raw: JSON.stringify(raw), correlationId: order.correlationId, now });
  if (result.outcome === 'duplicate') return false;
  await deps.store.appendEvent({
    messageId: order.messageId, at: now, step, outcome: 'info', detail: { system: deps.erpName, ...detail(order), messageId: result.messageId },
  });
  return true;
}

function takeShipment(deps: ErpChangeDeps, erp: ErpShipment): Promise<boolean> {
  const intake = { store: deps.store, maxAttempts: deps.maxAttempts };
  return takeDocument(deps, erp.shipment.orderId, (origin) => acceptShipment(intake, erp.shipment, origin), erp, 'erp.shipment', (order) => ({
    shipment: erp.number, salesOrder: erp.salesOrderNumber ?? order.erpRef, shipmentId: erp.shipment.shipmentId,
  }));
}

function takeInvoice(deps: ErpChangeDeps, erp: ErpInvoice): Promise<boolean> {
  const intake = { store: deps.store, maxAttempts: deps.maxAttempts };
  return takeDocument(deps, erp.invoice.orderId, (origin) => acceptInvoice(intake, erp.invoice, origin), erp, 'erp.invoice', (order) => ({
    invoice: erp.invoice.number, state: erp.state, total: erp.invoice.total, currency: erp.invoice.currency, salesOrder: erp.salesOrderNumber ?? order.erpRef,
  }));
}

/** The last levels crossdock saw of one SKU at one location, kept with the ERP's cursors. */
interface KnownLevel {
  onHand: number;
  forecast: number;
}

/**
 * Journals the levels that differ from the last ones seen (one inventory message per poll, with
 * each change's delta) and publishes what channels may sell of each changed SKU: its forecast
 * summed over the locations, never below zero.
 * TODO(issue 6): the inventory engine (reservations, allocation rules, safety stock) replaces
 * this direct publication and the per-level cursors.
 */
async function takeStock(deps: ErpChangeDeps, levels: readonly ErpStockLevel[], correlationId: string): Promise<number> {
  const changes: { sku: string; location: string; uom: string; onHand: number; forecast: number; previous: KnownLevel | null; delta: KnownLevel }[] = [];
  const now = deps.clock.now();
  for (const level of levels) {
    const name = levelCursor(deps.erpName, level.sku, level.location);
    const stored = await deps.store.getCursor(name);
    const previous = stored === undefined ? null : (JSON.parse(stored) as KnownLevel);
    if (previous && previous.onHand === level.onHand && previous.forecast === level.forecast) continue;
    changes.push({
      sku: level.sku, location: level.location, uom: level.uom, onHand: level.onHand, forecast: level.forecast, previous,
      delta: { onHand: level.onHand - (previous?.onHand ?? 0), forecast: level.forecast - (previous?.forecast ?? 0) },
    });
  }
  if (changes.length === 0) return 0;

  const message = await deps.store.recordInbound({
    messageId: newId('msg', now), correlationId, source: deps.erpName, kind: 'inventory', raw: JSON.stringify(levels),
    canonical: { source: deps.erpName, changes }, status: 'accepted', now,
  });
  // What each changed SKU may sell: its forecast summed over the locations, never below zero.
  const forecastBySku = new Map<string, number>();
  for (const l of levels) forecastBySku.set(l.sku, (forecastBySku.get(l.sku) ?? 0) + Math.max(0, l.forecast));
  const updates: AvailabilityUpdate[] = [...new Set(changes.map((c) => c.sku))].map((sku) => ({
    sku, available: Math.floor(forecastBySku.get(sku) ?? 0),
  }));
  const takers = [...deps.channels.values()].filter((c) => c.connector.availability);
  const batches = await queueAvailability({ store: deps.store, maxAttempts: deps.maxAttempts, now }, takers, updates, { source: deps.erpName, correlationId });
  await deps.store.appendEvent({
    messageId: message.messageId, at: now, step: 'availability.queued', outcome: 'info',
    detail: { updates, batches: batches.map((b) => ({ channel: b.channel, messageId: b.messageId })) },
  });
  // Remembered last: a crash before this publishes the same levels again, which is harmless.
  for (const c of changes) await deps.store.setCursor(levelCursor(deps.erpName, c.sku, c.location), JSON.stringify({ onHand: c.onHand, forecast: c.forecast }), now);
  return changes.length;
}

function levelCursor(erp: string, sku: string, location: string): string {
  return `erp:${erp}:level:${location}:${sku}`;
}
