import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type HistogramConfiguration, type LabelValues } from 'prom-client';
import type { AttemptReport } from '../connectors/capabilities.js';
import type { Store } from '../store/types.js';
import type { PolicyObserver } from '../protect/observer.js';
import type { PolicySnapshot } from '../protect/types.js';
import type { Objective, ObjectiveKind } from './config-schema.js';
import { overdueOrders, SloRecorder } from './slo.js';

const CIRCUIT_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

export interface MetricsOptions {
  /** Service level objectives fed by the latency histograms. @default none */
  objectives?: readonly Objective[];
  /** Time of SLO events, epoch ms. @default Date.now */
  now?: () => number;
}

/**
 * A per-channel latency histogram whose every observation is also an event of one kind of
 * service level objective, so the call sites that measure a latency feed the SLOs unchanged.
 */
class ObjectiveHistogram extends Histogram<'channel'> {
  constructor(config: HistogramConfiguration<'channel'>, onObserve: (channel: string, seconds: number) => void) {
    super(config);
    // prom-client sets `observe` on the instance in its constructor (with or without exemplars),
    // so it is wrapped here rather than overridden.
    const observe = this.observe.bind(this) as (labels: LabelValues<'channel'>, value: number) => void;
    this.observe = ((labels: LabelValues<'channel'>, value: number) => {
      observe(labels, value);
      if (typeof labels === 'object' && typeof value === 'number') onObserve(String(labels.channel ?? ''), value);
    }) as Histogram<'channel'>['observe'];
  }
}

/**
 * crossdock's Prometheus metrics, one registry per app so tests (and several apps in one
 * process) do not share counters. Names follow Prometheus conventions: `_total`, `_seconds`.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly slo: SloRecorder;
  readonly #objective = (kind: ObjectiveKind) => (channel: string, seconds: number) => this.slo.record(kind, channel, seconds);

  readonly ordersAccepted = new Counter({ name: 'crossdock_orders_accepted_total', help: 'Orders accepted at intake', labelNames: ['channel'], registers: [this.registry] });
  readonly ordersPosted = new Counter({ name: 'crossdock_orders_posted_total', help: 'Orders posted to the ERP', labelNames: ['channel'], registers: [this.registry] });
  readonly ordersHeld = new Counter({ name: 'crossdock_orders_held_total', help: 'Orders held for a person, by reason', labelNames: ['channel', 'code'], registers: [this.registry] });
  readonly ordersRejected = new Counter({ name: 'crossdock_orders_rejected_total', help: 'Orders rejected by a channel policy (oversell), by reason', labelNames: ['channel', 'code'], registers: [this.registry] });
  readonly ordersDeadLettered = new Counter({ name: 'crossdock_orders_dead_lettered_total', help: 'Orders whose processing was dead-lettered, by reason', labelNames: ['channel', 'code'], registers: [this.registry] });
  readonly duplicatesSuppressed = new Counter({ name: 'crossdock_duplicates_suppressed_total', help: 'Repeated submissions answered from the idempotency ledger', labelNames: ['channel'], registers: [this.registry] });
  readonly intakeDuration = new Histogram({
    name: 'crossdock_intake_duration_seconds', help: 'Time from request to durable acceptance', labelNames: ['channel'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers: [this.registry],
  });
  readonly targetCallDuration = new Histogram({
    name: 'crossdock_target_call_duration_seconds', help: 'Calls to external systems by target, operation and outcome',
    labelNames: ['target', 'operation', 'outcome'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly targetErrors = new Counter({ name: 'crossdock_target_errors_total', help: 'Failed calls to external systems by error class', labelNames: ['target', 'code'], registers: [this.registry] });
  readonly webhooksReceived = new Counter({ name: 'crossdock_channel_webhooks_total', help: 'Webhook deliveries by channel instance and outcome (accepted, duplicate, rejected)', labelNames: ['channel', 'outcome'], registers: [this.registry] });
  readonly channelPolls = new Counter({ name: 'crossdock_channel_polls_total', help: 'Completed polls of channel instances', labelNames: ['channel'], registers: [this.registry] });
  readonly channelPolledOrders = new Counter({ name: 'crossdock_channel_polled_orders_total', help: 'Order versions read by polls (new, revised or already known)', labelNames: ['channel'], registers: [this.registry] });
  readonly erpChangesTaken = new Counter({ name: 'crossdock_erp_changes_total', help: 'Shipments, invoices and stock levels the ERP change polls found new', labelNames: ['feed'], registers: [this.registry] });
  readonly shipmentsPublished = new Counter({ name: 'crossdock_shipments_published_total', help: 'Shipment confirmations published to channels (created, or found already there)', labelNames: ['channel', 'outcome'], registers: [this.registry] });
  readonly shipmentPublishSeconds = new ObjectiveHistogram({
    name: 'crossdock_shipment_publish_seconds', help: 'From a shipment reaching crossdock to the channel confirming it',
    labelNames: ['channel'], buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800], registers: [this.registry],
  }, this.#objective('shipment-published'));
  readonly availabilityPublished = new Counter({ name: 'crossdock_availability_published_total', help: 'Availability updates accepted by channels', labelNames: ['channel'], registers: [this.registry] });
  readonly inventoryFreshness = new ObjectiveHistogram({
    name: 'crossdock_inventory_freshness_seconds', help: 'From a stock change reaching crossdock to the channel accepting the availability it changed',
    labelNames: ['channel'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300], registers: [this.registry],
  }, this.#objective('inventory-published'));
  readonly orderPostLatency = new ObjectiveHistogram({
    name: 'crossdock_order_post_latency_seconds', help: 'From an order\'s acceptance to its posting in the ERP',
    labelNames: ['channel'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 900, 3600], registers: [this.registry],
  }, this.#objective('order-posted'));
  readonly reconciliationExceptions = new Counter({
    name: 'crossdock_reconciliation_exceptions_total',
    help: 'What reconciliations found wrong: reservations released or handed over (reservation-leaked, -expired, -posted), EDI groups without their 997 (edi-ack-overdue)',
    labelNames: ['kind'], registers: [this.registry],
  });
  readonly inventoryBatches = new Counter({ name: 'crossdock_inventory_batches_total', help: 'Stock batches by source and outcome (applied, duplicate)', labelNames: ['source', 'outcome'], registers: [this.registry] });
  readonly inventoryLevelChanges = new Counter({ name: 'crossdock_inventory_level_changes_total', help: 'Stock levels whose figures changed, and changes ignored as older than what crossdock holds', labelNames: ['source', 'outcome'], registers: [this.registry] });
  readonly inventoryFeedFiles = new Counter({ name: 'crossdock_inventory_feed_files_total', help: 'Stock files from 3PL feeds by outcome (applied, duplicate, rejected)', labelNames: ['feed', 'outcome'], registers: [this.registry] });
  readonly reservations = new Counter({ name: 'crossdock_inventory_reservations_total', help: 'Order reservations by outcome (reserved, backordered, short, released, expired, leaked)', labelNames: ['channel', 'outcome'], registers: [this.registry] });
  readonly availabilityQueued = new Counter({ name: 'crossdock_availability_changes_queued_total', help: 'Availability changes queued for channels after coalescing', labelNames: ['channel'], registers: [this.registry] });
  readonly priceQuotes = new Counter({ name: 'crossdock_price_quotes_total', help: 'Price quotes answered from the price book (API quotes and order price checks)', labelNames: ['use'], registers: [this.registry] });
  readonly priceQuoteLinesUnpriced = new Counter({ name: 'crossdock_price_quote_lines_unpriced_total', help: 'Quoted lines the price book had no price for', labelNames: ['use'], registers: [this.registry] });
  readonly priceMismatches = new Counter({ name: 'crossdock_price_mismatches_total', help: 'Order lines whose channel price was outside the tolerance, by what was done (held, reported)', labelNames: ['channel', 'outcome'], registers: [this.registry] });
  readonly jobRetries = new Counter({ name: 'crossdock_job_retries_total', help: 'Jobs put back for a later attempt', labelNames: ['queue', 'code'], registers: [this.registry] });

  /**
   * Counts every attempt of every protection policy (calls, latency, errors by target); pass it
   * to the policy registry.
   */
  readonly policyObserver: PolicyObserver = {
    onAttempt: (a: AttemptReport) => {
      this.targetCallDuration.observe({ target: a.target, operation: a.operation, outcome: a.outcome }, a.latencyMs / 1000);
      if (a.outcome === 'error') this.targetErrors.inc({ target: a.target, code: a.errorCode ?? 'unknown' });
    },
  };

  constructor(store: Store, policies: () => PolicySnapshot[], options: MetricsOptions = {}) {
    // Assigned before the histograms that feed it receive any observation (they only hold a closure).
    this.slo = new SloRecorder(options.objectives ?? [], this.registry, options.now ?? Date.now, overdueOrders(store));
    collectDefaultMetrics({ register: this.registry, prefix: 'crossdock_process_' });
    const stats = async () => store.queueStats(Date.now());
    const registry = this.registry;
    new Gauge({
      name: 'crossdock_queue_depth', help: 'Jobs waiting or running per queue and status', labelNames: ['queue', 'status'], registers: [registry],
      async collect() {
        this.reset();
        for (const s of await stats()) {
          this.set({ queue: s.queue, status: 'queued' }, s.queued);
          this.set({ queue: s.queue, status: 'running' }, s.running);
          this.set({ queue: s.queue, status: 'dead' }, s.dead);
        }
      },
    });
    new Gauge({
      name: 'crossdock_queue_oldest_job_age_seconds', help: 'Age of the oldest due job per queue', labelNames: ['queue'], registers: [registry],
      async collect() {
        this.reset();
        for (const s of await stats()) this.set({ queue: s.queue }, s.oldestAgeMs / 1000);
      },
    });
    new Gauge({
      name: 'crossdock_retry_backlog', help: 'Jobs waiting for a retry after a failed attempt', labelNames: ['queue'], registers: [registry],
      async collect() {
        this.reset();
        for (const s of await stats()) this.set({ queue: s.queue }, s.retrying);
      },
    });
    new Gauge({
      name: 'crossdock_circuit_state', help: 'Circuit breaker per target: 0 closed, 1 half-open, 2 open', labelNames: ['target'], registers: [registry],
      collect() {
        this.reset();
        for (const p of policies()) this.set({ target: p.target }, CIRCUIT_VALUE[p.circuit]);
      },
    });
    new Gauge({
      name: 'crossdock_rate_budget_remaining', help: 'Calls the target\'s shared rate budget would let start now, as this process last saw it', labelNames: ['target'], registers: [registry],
      collect() {
        this.reset();
        for (const p of policies()) if (p.rateBudgetRemaining !== undefined) this.set({ target: p.target }, p.rateBudgetRemaining);
      },
    });
    new Gauge({
      name: 'crossdock_target_in_flight', help: 'Calls in flight per target in this process', labelNames: ['target'], registers: [registry],
      collect() {
        this.reset();
        for (const p of policies()) this.set({ target: p.target }, p.inFlight);
      },
    });
  }
}
