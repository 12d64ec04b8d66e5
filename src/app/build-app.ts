import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config.js';
import { createHttpServer, type HttpServer } from '../api/server.js';
import { orderRoutes } from '../api/orders.js';
import { messageRoutes } from '../api/messages.js';
import { deadLetterRoutes } from '../api/dead-letters.js';
import { schemaRoutes } from '../api/schemas.js';
import { opsRoutes } from '../api/ops.js';
import type { ApiDeps } from '../api/types.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { PolicyRegistry } from '../protect/registry.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/types.js';
import { Worker } from '../worker/runner.js';
import { createOrderProcessHandler } from '../flows/order/handler.js';
import { attachErp, type AttachedErp } from './erp.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { SANDBOX_ERP_PREFIX } from '../connectors/sandbox-erp/server.js';
import { channelWebhookRoutes } from '../api/channel-webhooks.js';
import { shipmentRoutes } from '../api/shipments.js';
import { availabilityRoutes } from '../api/availability.js';
import { CHANNEL_TYPES } from '../channels/catalog.js';
import { channelDeps } from '../channels/deps.js';
import { buildChannelInstances } from '../channels/instances.js';
import {
  availabilityPublishHandler, channelDeliveryHandler, channelDocumentHandler, channelPollHandler, shipmentPublishHandler,
} from '../channels/jobs.js';
import { startPeriodicJobs, type PeriodicJob } from '../worker/periodic-jobs.js';
import { CHANNEL_POLL_QUEUE } from '../channels/jobs.js';
import { ediRoutes } from '../api/edi.js';
import { invoiceRoutes } from '../api/invoices.js';
import { ediOrderEventDispatcher, ediOrderEventHandler } from '../edi/order-events.js';
import { EDI_OVERDUE_SCAN_QUEUE, ediAckOverdueHandler, ediOverdueScanHandler } from '../edi/overdue.js';
import { ediShipmentSink, queueInvoice810 } from '../edi/outbound.js';
import { startOutboxRelay } from '../events/outbox-relay.js';
import { invoicePublishHandler } from '../flows/invoice.js';
import { buildEdiPartners } from '../edi/partners.js';
import { EDI_POLL_QUEUE, ediPollHandler, ediReceiveHandler, ediSendHandler, type EdiDeps } from '../edi/runtime.js';
import type { ChannelType } from '../channels/types.js';
import { createOrderReviseHandler } from '../flows/order/revise.js';
import { ERP_CHANGES_QUEUE, ERP_FEEDS, erpChangesHandler } from '../flows/erp-changes.js';
import { ERP_STOCK_SNAPSHOT_QUEUE, erpStockSnapshotHandler } from '../flows/erp-stock-snapshot.js';
import { inventoryRoutes } from '../api/inventory.js';
import { InventoryEngine } from '../inventory/engine.js';
import { followOrderState } from '../inventory/order-events.js';
import { AvailabilityPublisher } from '../inventory/publisher.js';
import { INVENTORY_RECONCILE_QUEUE, inventoryReconcileHandler } from '../inventory/reconcile.js';
import { buildInventoryFeeds } from '../inventory/feeds/feeds.js';
import { priceRoutes } from '../api/prices.js';
import { openPriceBook, startPriceBookRefresh } from '../pricing/book-store.js';
import { priceListLoadHandler, priceListLoadJob } from '../pricing/erp-load.js';
import { priceCheckStep } from '../flows/order/steps/check-prices.js';
import { inventoryFeedRoutes } from '../inventory/feeds/http.js';
import { inventoryFeedPeriodicJobs, inventoryFeedPollHandler } from '../inventory/feeds/poll.js';

export interface BuildOptions {
  logger?: Logger | false;
  clock?: Clock;
  /** Use this store instead of opening the configured one (tests). */
  store?: Store;
  /** Channel types available to the configuration. @default every type crossdock ships with */
  channelTypes?: readonly ChannelType[];
  /** fetch for channel connectors (tests). @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** A running crossdock: its HTTP server, store, worker and ERP connection. */
export interface App {
  readonly config: Config;
  readonly http: HttpServer;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly policies: PolicyRegistry;
  readonly inventory: InventoryEngine;
  /** Listens, connects the ERP and starts the worker. Returns the base URL. */
  start(): Promise<string>;
  /** Graceful shutdown: stop intake, drain in-flight jobs, release leases, close. */
  stop(): Promise<void>;
  /** The worker, once started. */
  worker(): Worker | undefined;
}

/**
 * The composition root: wires store, protection policies, the ERP connector, the order flow,
 * the worker and the HTTP API. Nothing else constructs these.
 */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  const logger = options.logger === undefined ? createLogger(config.log.level) : options.logger;
  const log = logger || createLogger('silent');
  const clock = options.clock ?? systemClock;
  const store = options.store ?? (await openStore(config));
  const policies = new PolicyRegistry(config.protection, { budget: store, clock });
  const metrics = new Metrics(store, () => policies.snapshots());
  const http = await createHttpServer({ logger, bodyLimitBytes: config.server.bodyLimitBytes });

  let worker: Worker | undefined;
  let erp: AttachedErp | undefined;
  const notifyWork = () => worker?.notify();
  const channels = buildChannelInstances(config.channels, options.channelTypes ?? CHANNEL_TYPES, (instance) =>
    channelDeps(instance, { policies, clock, logger: log, ...(options.fetch ? { fetch: options.fetch } : {}) }));
  const deps: ApiDeps = { store, clock, metrics, maxAttempts: config.worker.maxAttempts, notifyWork, channels };
  const inventory = new InventoryEngine({ store, clock, settings: config.inventory, metrics, logger: log });
  const publisher = new AvailabilityPublisher({
    engine: inventory, store, clock, channels: [...channels.values()].filter((c) => c.connector.availability),
    maxAttempts: config.worker.maxAttempts, notifyWork, metrics, logger: log,
  });
  const edi: EdiDeps = {
    store, clock, metrics, maxAttempts: config.worker.maxAttempts, notifyWork,
    partners: buildEdiPartners(config.edi.partners, policies), identity: config.edi.identity, inventory,
  };
  await orderRoutes(http, deps);
  await shipmentRoutes(http, deps);
  await invoiceRoutes(http, deps);
  await availabilityRoutes(http, deps);
  await inventoryRoutes(http, { ...deps, inventory });
  const feeds = buildInventoryFeeds(config.inventory.feeds, policies);
  const prices = await openPriceBook({ store, clock, settings: config.prices, logger: log });
  await priceRoutes(http, { store, clock, metrics, book: prices });
  await inventoryFeedRoutes(http, { store, clock, intake: inventory, metrics, feeds });
  await channelWebhookRoutes(http, deps);
  await ediRoutes(http, edi);
  await messageRoutes(http, deps);
  await deadLetterRoutes(http, deps);
  await schemaRoutes(http);
  await opsRoutes(http, deps);
  const sandbox = await attachErp.mountInProcess(http, config);

  // While stopping, new requests get 503 — except the in-process sandbox ERP's, which the
  // draining worker still needs.
  let stopping = false;
  http.addHook('onRequest', async (request) => {
    if (stopping && !request.url.startsWith(SANDBOX_ERP_PREFIX)) {
      throw new CrossdockError('internal.shutting-down', 'crossdock is shutting down; retry shortly', { retryAfterMs: 5_000 });
    }
  });

  let started = false;
  let polls: { stop(): void } | undefined;
  let relay: { stop(): void } | undefined;
  let priceRefresh: { stop(): void } | undefined;
  /** Channel polls and EDI folder polls: one job per source and interval across all processes. */
  const periodicJobs = (): PeriodicJob[] => [
    ...[...channels.values()].filter((c) => c.connector.polling).map((c) => ({
      name: `poll:${c.id}`, queue: CHANNEL_POLL_QUEUE, payload: { instance: c.id }, intervalMs: c.config.pollIntervalSeconds * 1000,
    })),
    ...[...edi.partners.values()].filter((p) => p.transport).map((p) => ({
      name: `edi-poll:${p.id}`, queue: EDI_POLL_QUEUE, payload: { partner: p.id }, intervalMs: p.settings.pollIntervalSeconds * 1000,
    })),
    // Missing 997s are looked for every minute: the windows are hours.
    ...(edi.partners.size > 0 ? [{ name: 'edi-overdue-scan', queue: EDI_OVERDUE_SCAN_QUEUE, payload: {}, intervalMs: 60_000 }] : []),
    // An ERP without webhooks is asked what changed: shipments, invoices, stock.
    ...inventoryFeedPeriodicJobs(feeds.values()),
    ...(erp?.connector.stock?.allLevels && config.erp.stockSnapshotMs > 0
      ? [{ name: 'erp-stock-snapshot', queue: ERP_STOCK_SNAPSHOT_QUEUE, payload: {}, intervalMs: config.erp.stockSnapshotMs }]
      : []),
    ...(erp?.connector.priceList && config.prices.erpLoadMs > 0 ? [priceListLoadJob(erp.connector.name, config.prices.erpLoadMs)] : []),
    { name: 'inventory-reconcile', queue: INVENTORY_RECONCILE_QUEUE, payload: {}, intervalMs: config.inventory.reconcileMs },
    ...(erp?.connector.changes
      ? ERP_FEEDS.map((feed) => ({ name: `erp-changes:${feed}`, queue: ERP_CHANGES_QUEUE, payload: { feed }, intervalMs: config.erp.changePollSeconds * 1000 }))
      : []),
  ];
  return {
    config, http, store, metrics, policies, inventory,
    worker: () => worker,
    async start() {
      // Stock and reservations are in memory before the first request or job needs them.
      await inventory.start();
      await http.listen({ port: config.server.port, host: config.server.host });
      const address = http.server.address() as AddressInfo;
      const baseUrl = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${address.port}`;
      erp = attachErp.connect(config, { baseUrl, policies, clock, sandbox });
      // An ERP that allocates to its open sales takes a posted order's stock over at its next
      // stock report; one that does not (the sandbox) counts it until it ships.
      inventory.handOver(!erp.connector.changes ? {}
        : erp.connector.allocatesOrders ? { allocatingSources: [erp.connector.name] } : { atShipment: true });
      const channelJobs = {
        store, clock, metrics, maxAttempts: config.worker.maxAttempts, instances: channels, notifyWork, logger: log,
        onShipped: (orderId: string, lines: readonly { sku: string; quantity: number; uom?: string }[], orderLines: readonly { sku: string; quantity: number; uom?: string }[]) =>
          inventory.settleShipped(orderId, lines, orderLines),
        otherShipmentSink: (channel: string) => { const partner = edi.partners.get(channel); return partner ? ediShipmentSink(edi, partner) : undefined; },
      };
      worker = new Worker(
        {
          store, clock, logger: log, metrics,
          handlers: [
            createOrderProcessHandler({
              store, erp: erp.connector, clock, metrics, inventory, onStockState: followOrderState(inventory),
              checkPrices: priceCheckStep({ book: prices, settings: config.prices, store, clock, metrics }),
            }),
            ...(erp.connector.stock?.allLevels
              ? [erpStockSnapshotHandler({ clock, logger: log, erpName: erp.connector.name, stock: { allLevels: erp.connector.stock.allLevels.bind(erp.connector.stock) }, inventory })]
              : []),
            ...(erp.connector.priceList
              ? [priceListLoadHandler({ store, clock, book: prices, erpName: erp.connector.name, priceList: erp.connector.priceList, logger: log })]
              : []),
            inventoryReconcileHandler({ engine: inventory, store, now: () => clock.now(), onReport: (r) => { if (r.findings.length > 0) log.warn({ findings: r.findings }, 'reservation reconciliation released stock'); } }),
            createOrderReviseHandler({ store, clock, metrics, erp: erp.connector, onStockState: followOrderState(inventory) }),
            ...(erp.connector.changes
              ? [erpChangesHandler({
                  store, clock, metrics, logger: log, maxAttempts: config.worker.maxAttempts, erpName: erp.connector.name,
                  feed: erp.connector.changes, inventory, notifyWork,
                })]
              : []),
            inventoryFeedPollHandler({ store, clock, intake: inventory, metrics, feeds }),
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
              publish: async (record, order, invoice, correlationId) => {
                const partner = edi.partners.get(record.channel);
                if (!partner) return undefined;
                const queued = await queueInvoice810(edi, partner, invoice, order, correlationId);
                return { system: `edi:${partner.id}`, id: queued.messageId, number: queued.interchangeControlNumber };
              },
            }),
          ],
        },
        config.worker,
      );
      worker.start();
      await publisher.start();
      priceRefresh = startPriceBookRefresh({ book: prices, store, intervalMs: config.prices.refreshMs, logger: log });
      polls = startPeriodicJobs({ store, clock, logger: log, notifyWork, jobs: periodicJobs() });
      if (edi.partners.size > 0) relay = startOutboxRelay({ name: 'edi', store, clock, logger: log, dispatch: ediOrderEventDispatcher(edi) });
      started = true;
      log.info({ url: baseUrl, store: store.dialect, erp: erp.description }, 'crossdock started');
      return baseUrl;
    },
    async stop() {
      // Stop taking work first, then drain the worker, then close the server it may still use.
      stopping = true;
      polls?.stop();
      relay?.stop();
      priceRefresh?.stop();
      await publisher.stop();
      if (started) await worker?.stop();
      await http.close();
      await erp?.close();
      for (const channel of channels.values()) await channel.connector.close?.();
      for (const partner of edi.partners.values()) await partner.transport?.close();
      for (const feed of feeds.values()) await feed.pickUp?.close();
      await sandbox?.close();
      await store.close();
    },
  };
}
