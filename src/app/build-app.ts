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

export interface BuildOptions {
  logger?: Logger | false;
  clock?: Clock;
  /** Use this store instead of opening the configured one (tests). */
  store?: Store;
}

/** A running crossdock: its HTTP server, store, worker and ERP connection. */
export interface App {
  readonly config: Config;
  readonly http: HttpServer;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly policies: PolicyRegistry;
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
  const deps: ApiDeps = { store, clock, metrics, maxAttempts: config.worker.maxAttempts, notifyWork: () => worker?.notify() };
  await orderRoutes(http, deps);
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
  return {
    config, http, store, metrics, policies,
    worker: () => worker,
    async start() {
      await http.listen({ port: config.server.port, host: config.server.host });
      const address = http.server.address() as AddressInfo;
      const baseUrl = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${address.port}`;
      erp = attachErp.connect(config, { baseUrl, policies, clock, sandbox });
      worker = new Worker(
        { store, clock, logger: log, metrics, handlers: [createOrderProcessHandler({ store, erp: erp.connector, clock, metrics })] },
        config.worker,
      );
      worker.start();
      started = true;
      log.info({ url: baseUrl, store: store.dialect, erp: erp.description }, 'crossdock started');
      return baseUrl;
    },
    async stop() {
      // Stop taking work first, then drain the worker, then close the server it may still use.
      stopping = true;
      if (started) await worker?.stop();
      await http.close();
      await erp?.close();
      await sandbox?.close();
      await store.close();
    },
  };
}
