import { acceptShipment } from '../channels/shipment-intake.js';
import type { CallContext, ChangePage, ErpChangeFeed, ErpInvoice, ErpShipment, ErpStockLevel } from '../connectors/capabilities.js';
import { asCrossdockError, CrossdockError } from '../errors/crossdock-error.js';
import type { InventoryIntake } from '../inventory/model.js';
import type { Clock } from '../lib/clock.js';
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
  /** Takes the ERP's stock levels. */
  inventory: InventoryIntake;
  notifyWork: () => void;
}

/**
 * Change capture for an ERP without webhooks (DESIGN.md flow 5). Each run polls one feed from
 * its durable cursor and hands what changed to the flows every other source uses:
 * - a shipment the ERP marked done → `acceptShipment` (journaled once per order and shipment,
 *   published to the order's channel, the order moves to shipped or partially shipped);
 * - a posted invoice → `acceptInvoice` (the order moves to invoiced);
 * - stock levels → the inventory engine, which journals what changed and publishes the
 *   availability it changed to the channels.
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
      const polledAt = deps.clock.now();
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
      const taken = await take(deps, feed as ErpFeed, page.items, job.correlationId, polledAt);
      if (page.cursor !== since) await deps.store.setCursor(cursorName, page.cursor, deps.clock.now());
      if (taken > 0) deps.notifyWork();
      deps.metrics?.erpChangesTaken.inc({ feed: feed as string }, taken);
      return 'done';
    },
  };
}

/** Hands one page to its flow; returns how many records were new to crossdock. */
async function take(deps: ErpChangeDeps, feed: ErpFeed, items: readonly (ErpShipment | ErpInvoice | ErpStockLevel)[], correlationId: string, polledAt: number): Promise<number> {
  switch (feed) {
    case 'shipments':
      return count(items as ErpShipment[], (s) => takeShipment(deps, s));
    case 'invoices':
      return count(items as ErpInvoice[], (i) => takeInvoice(deps, i));
    case 'stock':
      return takeStock(deps, items as ErpStockLevel[], correlationId, polledAt);
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

/**
 * Hands the levels the poll found to the inventory engine, as figures that now stand (`set`)
 * as of the poll's start: what changed is journaled and published to the channels through their
 * allocation rules, and reservations of orders posted before the poll hand over to the ERP's
 * allocation. What the ERP has promised to its open sales is on hand less its forecast.
 */
async function takeStock(deps: ErpChangeDeps, levels: readonly ErpStockLevel[], correlationId: string, polledAt: number): Promise<number> {
  if (levels.length === 0) return 0;
  const result = await deps.inventory.ingest(
    {
      source: deps.erpName, sourceTimestamp: new Date(polledAt).toISOString(), mode: 'set',
      changes: levels.map((l) => ({ sku: l.sku, location: l.location, onHand: l.onHand, allocated: Math.max(0, l.onHand - l.forecast), uom: l.uom })),
    },
    { correlationId, raw: JSON.stringify(levels) },
  );
  return result.changed;
}
