import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config.js';
import { createHttpServer, type HttpServer } from '../api/server.js';
import { AccessControl, type RouteRecord } from '../auth/access-control.js';
import { ConsoleSessions } from '../auth/sessions.js';
import type { ScryptParams } from '../auth/passwords.js';
import { sessionRoutes } from '../api/session.js';
import { userRoutes } from '../api/users.js';
import { apiClientRoutes } from '../api/api-clients.js';
import { auditRoutes } from '../api/audit.js';
import { orderRoutes } from '../api/orders.js';
import { messageRoutes } from '../api/messages.js';
import { deadLetterRoutes } from '../api/dead-letters.js';
import { crossReferenceRoutes } from '../api/cross-references.js';
import { connectorRoutes } from '../api/connectors.js';
import { TargetPauses } from '../operations/pauses.js';
import { ConnectorHealth } from '../operations/connectors.js';
import { RuntimeCrossReferences } from '../operations/cross-references.js';
import { registerDeadLetterGauge } from '../operations/dead-letter-metric.js';
import { schemaRoutes } from '../api/schemas.js';
import { opsRoutes } from '../api/ops.js';
import { consoleRoutes } from '../api/console.js';
import type { ApiDeps } from '../api/types.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { SeriesSampler } from '../observability/series.js';
import { dashboardRoutes } from '../api/dashboard.js';
import { PolicyRegistry } from '../protect/registry.js';
import { observeAll } from '../protect/observer.js';
import { Tracing } from '../observability/tracing.js';
import { withTraceContext } from '../observability/trace-store.js';
import { sloRoutes } from '../api/slo.js';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/types.js';
import { Worker } from '../worker/runner.js';
import { attachErp, type AttachedErp } from './erp.js';
import { jobHandlersOf } from './job-handlers.js';
import { periodicJobsOf } from './periodic.js';
import { CrossdockError } from '../errors/crossdock-error.js';
import { SANDBOX_ERP_PREFIX } from '../connectors/sandbox-erp/server.js';
import { channelWebhookRoutes } from '../api/channel-webhooks.js';
import { shipmentRoutes } from '../api/shipments.js';
import { availabilityRoutes } from '../api/availability.js';
import { CHANNEL_TYPES } from '../channels/catalog.js';
import { channelDeps } from '../channels/deps.js';
import { buildChannelInstances } from '../channels/instances.js';
import { startPeriodicJobs } from '../worker/periodic-jobs.js';
import { ediRoutes } from '../api/edi.js';
import { invoiceRoutes } from '../api/invoices.js';
import { ediOrderEventDispatcher } from '../edi/order-events.js';
import { startOutboxRelay } from '../events/outbox-relay.js';
import { buildEdiPartners } from '../edi/partners.js';
import { type EdiDeps } from '../edi/runtime.js';
import type { ChannelType } from '../channels/types.js';
import { inventoryRoutes } from '../api/inventory.js';
import { InventoryEngine } from '../inventory/engine.js';
import { AvailabilityPublisher } from '../inventory/publisher.js';
import { buildInventoryFeeds } from '../inventory/feeds/feeds.js';
import { priceRoutes } from '../api/prices.js';
import { openPriceBook, startPriceBookRefresh } from '../pricing/book-store.js';
import { inventoryFeedRoutes } from '../inventory/feeds/http.js';

export interface BuildOptions {
  logger?: Logger | false;
  clock?: Clock;
  /** Use this store instead of opening the configured one (tests). */
  store?: Store;
  /** Channel types available to the configuration. @default every type crossdock ships with */
  channelTypes?: readonly ChannelType[];
  /** fetch for channel connectors (tests). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Receives every finished span at once, instead of the OTLP exporter (tests). */
  spanExporter?: SpanExporter;
  /** Cheaper password hashing, for tests only. @default DEFAULT_SCRYPT (src/auth/passwords.ts) */
  passwordHashing?: ScryptParams;
}

/** A running crossdock: its HTTP server, store, worker and ERP connection. */
export interface App {
  readonly config: Config;
  readonly http: HttpServer;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly policies: PolicyRegistry;
  readonly inventory: InventoryEngine;
  /** Who may call which route; forgets revoked keys in this process. */
  readonly access: AccessControl;
  /** Every HTTP route with the scope it declares (the route-table test walks it). */
  routes(): RouteRecord[];
  /** The dashboard's time series, sampled from `metrics` every step once started. */
  readonly series: SeriesSampler;
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
  const tracing = Tracing.create(config.telemetry, options.spanExporter ? { exporter: options.spanExporter } : {});
  // Jobs are enqueued with the trace of the request or job enqueuing them.
  const store = withTraceContext(options.store ?? (await openStore(config)));
  // Operator controls every process shares through the store: paused targets, run-time cross-references.
  const pauses = new TargetPauses(store, log);
  const connectorHealth = new ConnectorHealth(() => clock.now());
  const crossReferences = new RuntimeCrossReferences(store, () => clock.now(), log);
  const metrics: Metrics = new Metrics(store, () => policies.snapshots(), { objectives: config.slo, now: () => clock.now() });
  const policies: PolicyRegistry = new PolicyRegistry(config.protection, {
    budget: store, clock, paused: pauses.pausedFor, observer: observeAll(connectorHealth, metrics.policyObserver),
  });
  registerDeadLetterGauge(metrics.registry, store);
  const series = new SeriesSampler({ registry: metrics.registry, clock, onError: (err) => log.warn({ err }, 'dashboard sample failed') });
  const access = new AccessControl({ store, clock, settings: config.access, listenHost: config.server.host, behindProxy: config.server.trustProxy !== false, logger: log });
  const sessions = new ConsoleSessions({ store, clock, settings: config.access, logger: log, ...(options.passwordHashing ? { scrypt: options.passwordHashing } : {}) });
  const http = await createHttpServer({ logger, bodyLimitBytes: config.server.bodyLimitBytes, trustProxy: config.server.trustProxy, access, tracing });

  let worker: Worker | undefined;
  let erp: AttachedErp | undefined;
  const notifyWork = () => worker?.notify();
  const channels = buildChannelInstances(config.channels, options.channelTypes ?? CHANNEL_TYPES, (instance) =>
    channelDeps(instance, { policies, clock, logger: log, ...(options.fetch ? { fetch: options.fetch } : {}) }),
    (instance) => crossReferences.lookupFor(instance));
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
  await deadLetterRoutes(http, { ...deps, releaseStock: async (orderId) => { await inventory.release(orderId, 'discarded'); } });
  await crossReferenceRoutes(http, { ...deps, crossReferences });
  await connectorRoutes(http, {
    ...deps, policies, pauses, health: connectorHealth,
    configuredTargets: () => ['erp', ...channels.keys(), ...[...edi.partners.values()].filter((p) => p.transport).map((p) => `edi:${p.id}`),
      ...[...feeds.keys()].map((id) => `feed:${id}`)],
  });
  await schemaRoutes(http);
  await opsRoutes(http, deps);
  await sloRoutes(http, { slo: metrics.slo });
  await sessionRoutes(http, { store, clock, access, sessions });
  await userRoutes(http, { store, clock, access, sessions, ...(options.passwordHashing ? { scrypt: options.passwordHashing } : {}) });
  await apiClientRoutes(http, { store, clock, access, sessions });
  await auditRoutes(http, { store });
  await dashboardRoutes(http, { series });
  await consoleRoutes(http);
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
  return {
    config, http, store, metrics, policies, inventory, series, access,
    routes: () => access.routes(),
    worker: () => worker,
    async start() {
      // Stock and reservations are in memory before the first request or job needs them.
      await inventory.start();
      await Promise.all([pauses.start(), crossReferences.start()]);
      await http.listen({ port: config.server.port, host: config.server.host });
      const address = http.server.address() as AddressInfo;
      const baseUrl = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${address.port}`;
      erp = attachErp.connect(config, { baseUrl, policies, clock, sandbox });
      // An ERP that allocates to its open sales takes a posted order's stock over at its next
      // stock report; one that does not (the sandbox) counts it until it ships.
      inventory.handOver(!erp.connector.changes ? {}
        : erp.connector.allocatesOrders ? { allocatingSources: [erp.connector.name] } : { atShipment: true });
      worker = new Worker(
        {
          store, clock, logger: log, metrics, tracing,
          handlers: jobHandlersOf({ config, store, clock, metrics, logger: log, erp, inventory, prices, crossReferences, channels, edi, feeds, notifyWork }),
        },
        config.worker,
      );
      worker.start();
      await publisher.start();
      priceRefresh = startPriceBookRefresh({ book: prices, store, intervalMs: config.prices.refreshMs, logger: log });
      polls = startPeriodicJobs({ store, clock, logger: log, notifyWork, jobs: periodicJobsOf({ config, channels, edi, feeds, erp }), paused: pauses.pausedFor });
      if (edi.partners.size > 0) relay = startOutboxRelay({ name: 'edi', store, clock, logger: log, dispatch: ediOrderEventDispatcher(edi) });
      await series.start();
      started = true;
      log.info({ url: baseUrl, store: store.dialect, erp: erp.description }, 'crossdock started');
      return baseUrl;
    },
    async stop() {
      // Stop taking work first, then drain the worker, then close the server it may still use.
      stopping = true;
      await series.stop();
      polls?.stop();
      relay?.stop();
      pauses.stop();
      crossReferences.stop();
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
      await tracing.shutdown().catch((err: unknown) => log.warn({ err }, 'exporting the last spans failed'));
    },
  };
}
