import type { ChannelInstance } from '../channels/instances.js';
import {
  availabilityPublishHandler, channelDeliveryHandler, channelDocumentHandler, channelPollHandler, shipmentPublishHandler,
} from '../channels/jobs.js';
import type { Config } from '../config/config.js';
import { ediOrderEventHandler } from '../edi/order-events.js';
import { ediShipmentSink, queueInvoice810 } from '../edi/outbound.js';
import { ediAckOverdueHandler, ediOverdueScanHandler } from '../edi/overdue.js';
import { ediPollHandler, ediReceiveHandler, ediSendHandler, type EdiDeps } from '../edi/runtime.js';
import { erpChangesHandler } from '../flows/erp-changes.js';
import { erpStockSnapshotHandler } from '../flows/erp-stock-snapshot.js';
import { invoicePublishHandler } from '../flows/invoice.js';
import { createOrderProcessHandler } from '../flows/order/handler.js';
import { createOrderReviseHandler } from '../flows/order/revise.js';
import { priceCheckStep } from '../flows/order/steps/check-prices.js';
import type { InventoryEngine } from '../inventory/engine.js';
import type { InventoryFeed } from '../inventory/feeds/feeds.js';
import { inventoryFeedPollHandler } from '../inventory/feeds/poll.js';
import { followOrderState } from '../inventory/order-events.js';
import { inventoryReconcileHandler } from '../inventory/reconcile.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RuntimeCrossReferences } from '../operations/cross-references.js';
import type { PriceBook } from '../pricing/book.js';
import { priceListLoadHandler } from '../pricing/erp-load.js';
import type { Store } from '../store/types.js';
import type { JobHandler } from '../worker/types.js';
import type { AttachedErp } from './erp.js';

export interface JobHandlerDeps {
  config: Config;
  store: Store;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  erp: AttachedErp;
  inventory: InventoryEngine;
  prices: PriceBook;
  crossReferences: RuntimeCrossReferences;
  channels: Map<string, ChannelInstance>;
  edi: EdiDeps;
  feeds: ReadonlyMap<string, InventoryFeed>;
  notifyWork: () => void;
}

/** The worker's handler for every queue, wired to the connected ERP, the channels and the partners. */
export function jobHandlersOf(d: JobHandlerDeps): JobHandler[] {
  const { config, store, clock, metrics, logger: log, inventory, edi } = d;
  const erp = d.erp.connector;
  const maxAttempts = config.worker.maxAttempts;
  const channelJobs = {
    store, clock, metrics, maxAttempts, instances: d.channels, notifyWork: d.notifyWork, logger: log,
    onShipped: (orderId: string, lines: readonly { sku: string; quantity: number; uom?: string }[], orderLines: readonly { sku: string; quantity: number; uom?: string }[]) =>
      inventory.settleShipped(orderId, lines, orderLines),
    otherShipmentSink: (channel: string) => { const partner = edi.partners.get(channel); return partner ? ediShipmentSink(edi, partner) : undefined; },
  };
  return [
    createOrderProcessHandler({
      store, erp, clock, metrics, inventory, onStockState: followOrderState(inventory),
      checkPrices: priceCheckStep({ book: d.prices, settings: config.prices, store, clock, metrics }), crossReferences: d.crossReferences,
    }),
    ...(erp.stock?.allLevels
      ? [erpStockSnapshotHandler({ clock, logger: log, erpName: erp.name, stock: { allLevels: erp.stock.allLevels.bind(erp.stock) }, inventory })]
      : []),
    ...(erp.priceList
      ? [priceListLoadHandler({ store, clock, book: d.prices, erpName: erp.name, priceList: erp.priceList, logger: log })]
      : []),
    inventoryReconcileHandler({ engine: inventory, store, now: () => clock.now(), onReport: (r) => {
      for (const f of r.findings) metrics.reconciliationExceptions.inc({ kind: `reservation-${f.finding}` });
      if (r.findings.length > 0) log.warn({ findings: r.findings }, 'reservation reconciliation released stock');
    } }),
    createOrderReviseHandler({ store, clock, metrics, erp, onStockState: followOrderState(inventory) }),
    ...(erp.changes
      ? [erpChangesHandler({ store, clock, metrics, logger: log, maxAttempts, erpName: erp.name, feed: erp.changes, inventory, notifyWork: d.notifyWork })]
      : []),
    inventoryFeedPollHandler({ store, clock, intake: inventory, metrics, feeds: d.feeds }),
    channelDeliveryHandler(channelJobs),
    channelDocumentHandler(channelJobs),
    channelPollHandler(channelJobs),
    shipmentPublishHandler(channelJobs),
    availabilityPublishHandler(channelJobs),
    ediReceiveHandler(edi),
    ediSendHandler(edi),
    ediPollHandler(edi),
    ediOrderEventHandler(edi),
    ediOverdueScanHandler(edi),
    ediAckOverdueHandler(),
    invoicePublishHandler({
      store, clock,
      // Invoices go back to the EDI partners that ordered; other channels take none.
      publish: async (record, order, invoice, correlationId) => {
        const partner = edi.partners.get(record.channel);
        if (!partner) return undefined;
        const queued = await queueInvoice810(edi, partner, invoice, order, correlationId);
        return { system: `edi:${partner.id}`, id: queued.messageId, number: queued.interchangeControlNumber };
      },
    }),
  ];
}
