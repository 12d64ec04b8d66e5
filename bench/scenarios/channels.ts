import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { submissionProblems } from '../../src/canonical/validate.js';
import { CHANNEL_TYPES } from '../../src/channels/catalog.js';
import { createMappingContext } from '../../src/channels/mapping-context.js';
import type { ChannelType, MappingContext } from '../../src/channels/types.js';
import { REPO_ROOT } from '../support/children.js';
import { startCpuMeter, type CpuUsage } from '../support/cpu.js';
import { closedLoop, type LoadSummary } from '../support/load.js';
import {
  readMetricSamples, startBare, startCrossdock, startSandboxErp,
  type RunningCrossdock, type Runtime,
} from '../support/servers.js';
import { fullSignature, SHOPIFY_FIXTURE, shopifyBenchOrder, signedOrders, type WebhookStream } from '../support/shopify-webhook.js';

type Log = (line: string) => void;

// ── (c) Webhook intake ──────────────────────────────────────────────────────────────────────

export const WEBHOOK_INSTANCE = 'shopify-bench';
export const WEBHOOK_PATH = `/channels/${WEBHOOK_INSTANCE}/webhooks`;
const SHOP_DOMAIN = 'bench.myshopify.com';
const SECRET = 'bench-secret';
const LINES = 50;

/**
 * One Shopify instance. `apiBaseUrl` points at the discard port, where nothing listens: the
 * webhooks never need the API (orders/create carries the whole order), and the day-long poll
 * interval leaves only the poll crossdock schedules at start-up, which fails at once (reported).
 */
export const WEBHOOK_CONFIG_YAML = `channels:
  - id: ${WEBHOOK_INSTANCE}
    type: shopify
    pollIntervalSeconds: 86400
    defaultCustomer: C-400
    settings: { shopDomain: ${SHOP_DOMAIN}, apiBaseUrl: http://127.0.0.1:9, accessToken: x, webhookSecret: ${SECRET} }
`;

export interface WebhookIntakeOptions {
  runtime: Runtime;
  connections: number;
  durationSec: number;
  warmupSec: number;
  /** Measure crossdock before the bare endpoint (rounds alternate, as in (a)). */
  crossdockFirst?: boolean;
  log?: Log;
}

/** What crossdock itself counted, from /metrics at the end of the measured run. */
export interface WebhookServerSide {
  /** `crossdock_channel_webhooks_total{outcome}` over the measured run. */
  deliveries: { accepted: number; duplicate: number; rejected: number };
  /** Since start (warm-up included), at the end of the measured run. */
  deliveriesAcceptedSinceStart: number;
  /** Orders the worker had mapped and taken in (`crossdock_orders_accepted_total{channel}`) since start. */
  ordersTakenIn: number;
  /** Delivery jobs not yet taken in (`crossdock_queue_depth{queue="channel.delivery"}` queued + running). */
  deliveryBacklog: number;
  /** What became of the orders taken in: posted to the ERP, held (by reason code). */
  ordersPosted: number;
  ordersHeld: Record<string, number>;
  /** The start-up poll against the unused apiBaseUrl: crossdock's log line about it, if any. */
  pollLog: string | undefined;
}

export interface WebhookRoundResult {
  options: Omit<WebhookIntakeOptions, 'log'>;
  bare: LoadSummary;
  crossdock: LoadSummary;
  cpu: { bare: CpuUsage; crossdock: CpuUsage };
  /** Deliveries the bare endpoint's generator made (warm-up included): the size a pre-built pool would have needed. */
  bareRequestsMade: number;
  crossdockSide: WebhookServerSide;
  /** crossdock 2xx/s ÷ bare 2xx/s. */
  ratio: number;
}

export interface WebhookSigningCost {
  bodyBytes: number;
  lines: number;
  /** µs of generator CPU per request: one `next()` (prefix signer) against a full HMAC of the body. */
  perRequestUs: number;
  fullHmacUs: number;
}

/**
 * Scenario (c): `POST /channels/shopify-bench/webhooks` of a real crossdock (one Shopify
 * instance, the defaults otherwise, its sandbox ERP as a third process as in (a)) beside the
 * bare Fastify endpoint's route of the same path. Closed loop, each server alone in its own
 * child process; the generator signs each delivery as Shopify would (see `signedOrders`).
 */
export async function runWebhookRound(options: WebhookIntakeOptions): Promise<WebhookRoundResult> {
  const log = options.log ?? (() => undefined);
  const order = shopifyBenchOrder(LINES);
  let bareRun: Awaited<ReturnType<typeof measureBare>>;
  let crossdockRun: Awaited<ReturnType<typeof measureCrossdock>>;
  if (options.crossdockFirst) {
    crossdockRun = await measureCrossdock(options, order, log);
    bareRun = await measureBare(options, order, log);
  } else {
    bareRun = await measureBare(options, order, log);
    crossdockRun = await measureCrossdock(options, order, log);
  }
  const ratio = crossdockRun.result.acceptedPerSec / bareRun.result.acceptedPerSec;
  log(`webhooks: crossdock ${crossdockRun.result.acceptedPerSec.toFixed(0)}/s = ${(ratio * 100).toFixed(1)} % of bare`);
  const { log: _log, ...shown } = options;
  return {
    options: shown,
    bare: bareRun.result,
    crossdock: crossdockRun.result,
    cpu: { bare: bareRun.cpu, crossdock: crossdockRun.cpu },
    bareRequestsMade: bareRun.made,
    crossdockSide: crossdockRun.side,
    ratio,
  };
}

/**
 * Warm-up then the measured closed loop against `url`, every request a new signed delivery.
 * `beforeMeasure` runs between the two (to read the server's counters at the start of the measured run).
 */
async function webhookLoad<T>(
  url: string, stream: WebhookStream, options: WebhookIntakeOptions, watch: Record<string, number>, beforeMeasure: () => Promise<T>,
) {
  const run = (durationSec: number) => closedLoop({
    url, connections: options.connections, durationSec, idPrefix: 'unused', path: WEBHOOK_PATH, nextRequest: () => stream.next(),
  });
  if (options.warmupSec > 0) await run(options.warmupSec);
  const before = await beforeMeasure();
  const meter = startCpuMeter(watch);
  const result = await run(options.durationSec);
  return { result, cpu: meter.stop(), before };
}

async function measureBare(options: WebhookIntakeOptions, order: Record<string, unknown>, log: Log) {
  log(`webhooks: bare Fastify endpoint, closed loop, ${options.connections} connections, ${options.warmupSec} s warm-up + ${options.durationSec} s`);
  const stream = signedOrders({ order, secret: SECRET, shopDomain: SHOP_DOMAIN });
  const bare = await startBare();
  try {
    const watch = { 'bare endpoint': bare.child.pid, generator: process.pid };
    const { result, cpu } = await webhookLoad(bare.url, stream, options, watch, async () => undefined);
    log(`webhooks: bare ${result.acceptedPerSec.toFixed(0)}/s, p99 ${result.latencyMs.p99} ms`);
    return { result, cpu, made: stream.count };
  } finally {
    await bare.stop();
  }
}

async function measureCrossdock(options: WebhookIntakeOptions, order: Record<string, unknown>, log: Log) {
  log(`webhooks: crossdock (one Shopify instance, SQLite, worker on, sandbox ERP in its own process), closed loop, ` +
    `${options.connections} connections, ${options.warmupSec} s warm-up + ${options.durationSec} s`);
  const stream = signedOrders({ order, secret: SECRET, shopDomain: SHOP_DOMAIN });
  const erp = await startSandboxErp({ runtime: options.runtime });
  try {
    const crossdock = await startCrossdock({ runtime: options.runtime, configYaml: WEBHOOK_CONFIG_YAML, erpUrl: erp.apiBaseUrl });
    try {
      const pollLog = watchPollLog(crossdock);
      const watch = { crossdock: crossdock.child.pid, 'sandbox ERP': erp.child.pid, generator: process.pid };
      const { result, cpu, before } = await webhookLoad(crossdock.url, stream, options, watch, () => deliveryCounts(crossdock));
      const side = await serverSide(crossdock, before, pollLog.current());
      log(`webhooks: crossdock ${result.acceptedPerSec.toFixed(0)}/s, p99 ${result.latencyMs.p99} ms; ` +
        `${side.deliveries.accepted} accepted, ${side.deliveries.duplicate} duplicate, ${side.deliveries.rejected} rejected; ` +
        `orders taken in ${side.ordersTakenIn}, delivery backlog ${side.deliveryBacklog}`);
      return { result, cpu, side };
    } finally {
      await crossdock.stop();
    }
  } finally {
    await erp.stop();
  }
}

type DeliveryCounts = WebhookServerSide['deliveries'];

async function deliveryCounts(crossdock: RunningCrossdock): Promise<DeliveryCounts> {
  const samples = await readMetricSamples(crossdock.url, 'crossdock_channel_webhooks_total');
  const count = (outcome: string) => samples
    .filter((s) => s.labels['channel'] === WEBHOOK_INSTANCE && s.labels['outcome'] === outcome)
    .reduce((sum, s) => sum + s.value, 0);
  return { accepted: count('accepted'), duplicate: count('duplicate'), rejected: count('rejected') };
}

async function serverSide(crossdock: RunningCrossdock, before: DeliveryCounts, pollLog: string | undefined): Promise<WebhookServerSide> {
  const after = await deliveryCounts(crossdock);
  const channel = { channel: WEBHOOK_INSTANCE };
  const backlog = (await readMetricSamples(crossdock.url, 'crossdock_queue_depth'))
    .filter((s) => s.labels['queue'] === 'channel.delivery' && (s.labels['status'] === 'queued' || s.labels['status'] === 'running'))
    .reduce((sum, s) => sum + s.value, 0);
  const held: Record<string, number> = {};
  for (const s of await readMetricSamples(crossdock.url, 'crossdock_orders_held_total')) {
    if (s.labels['channel'] === WEBHOOK_INSTANCE) held[s.labels['code'] ?? '?'] = (held[s.labels['code'] ?? '?'] ?? 0) + s.value;
  }
  return {
    deliveries: { accepted: after.accepted - before.accepted, duplicate: after.duplicate - before.duplicate, rejected: after.rejected - before.rejected },
    deliveriesAcceptedSinceStart: after.accepted,
    ordersTakenIn: await crossdock.metric('crossdock_orders_accepted_total', channel),
    deliveryBacklog: backlog,
    ordersPosted: await crossdock.metric('crossdock_orders_posted_total', channel),
    ordersHeld: held,
    pollLog,
  };
}

/**
 * crossdock schedules one poll per instance at start-up whatever the interval; against the
 * discard port it fails at once and crossdock logs a warning. Watching for that line (from
 * right after "started", before the poll runs) tells the report what became of it.
 */
function watchPollLog(crossdock: RunningCrossdock): { current(): string | undefined } {
  let seen: string | undefined;
  crossdock.child
    .waitForJson<Record<string, unknown>>((v) => v['channel'] === WEBHOOK_INSTANCE && /poll/i.test(String(v['msg'])), 600_000)
    .then((v) => { seen = `${String(v['msg'])} (${String(v['code'] ?? 'no code')}: ${String(v['err'] ?? '')})`; })
    .catch(() => undefined);
  return { current: () => seen };
}

/**
 * What signing costs the generator per request, measured in this process before the runs:
 * `signedOrders().next()` (the body's prefix hashed once, then only the id tail, plus the copy
 * into one Buffer) against a plain HMAC of the whole body. The first signatures are checked
 * against the plain HMAC. Nothing is kept, as in the runs, so the figures are not a GC's.
 */
export function webhookSigningCost(): WebhookSigningCost {
  const stream = signedOrders({ order: shopifyBenchOrder(LINES), secret: SECRET, shopDomain: SHOP_DOMAIN });
  let body: Buffer = Buffer.alloc(0);
  for (let i = 0; i < 200; i++) {
    const request = stream.next();
    if (request.headers['x-shopify-hmac-sha256'] !== fullSignature(request.body, SECRET)) throw new Error('prefix signer disagrees with createHmac');
    body = request.body;
  }
  const perRequestUs = microseconds(() => stream.next().body.length);
  const fullHmacUs = microseconds(() => fullSignature(body, SECRET).length);
  return { bodyBytes: stream.bodyBytes, lines: LINES, perRequestUs, fullHmacUs };
}

/** Mean µs of `fn` over about 300 ms. */
function microseconds(fn: () => number): number {
  const run = timed(fn, 300, 50);
  return (run.ms * 1000) / run.iterations;
}

// ── (d) Mapping throughput ─────────────────────────────────────────────────────────────────

/** The representative document of each channel type (the Shopify one is built: see `shopifyBenchOrder`). */
export const MAPPING_FIXTURES: Readonly<Record<string, string>> = {
  shopify: `${SHOPIFY_FIXTURE} → ${LINES} line items`,
  'adobe-commerce': 'src/connectors/adobe-commerce/fixtures/order-configurable.json',
  bigcommerce: 'src/connectors/bigcommerce/fixtures/order-awaiting-fulfillment.json',
  woocommerce: 'src/connectors/woocommerce/fixtures/order-guest.json',
  amazon: 'src/connectors/amazon/fixtures/order-mfn-business.json',
};

export interface MappingOptions {
  /** Measured seconds of mapping per channel type; parsing gets half as long. */
  seconds: number;
  /** Untimed mapping and parsing before, per type (JIT). */
  warmupSec: number;
  /** Slices the measured time is cut into, mapping and parsing alternating (both see the same disturbances). */
  slices: number;
  log?: Log;
}

export interface MappingRow {
  type: string;
  fixture: string;
  /** Compact JSON of the document, as journaled. */
  bytes: number;
  /** Lines of the canonical order the mapping produced. */
  lines: number;
  warnings: number;
  mapped: { iterations: number; ms: number };
  parsed: { iterations: number; ms: number };
  /** µs per order: mapOrder + submissionProblems; JSON.parse of the text. */
  mapUs: number;
  parseUs: number;
  cpu: CpuUsage;
}

export interface MappingResult {
  options: Omit<MappingOptions, 'log'>;
  rows: MappingRow[];
  /** Channel types of CHANNEL_TYPES without a representative document here (a type added since). */
  skipped: string[];
}

/** The document crossdock journals for this type: WooCommerce's is the order with its refunds. */
function channelDocument(type: string): unknown {
  if (type === 'shopify') {
    const { body } = signedOrders({ order: shopifyBenchOrder(LINES), secret: SECRET, shopDomain: SHOP_DOMAIN }).next();
    return JSON.parse(body.toString('utf8')) as unknown;
  }
  const document = JSON.parse(readFileSync(join(REPO_ROOT, MAPPING_FIXTURES[type]!), 'utf8')) as unknown;
  return type === 'woocommerce' ? { order: document, refunds: [] } : document;
}

/**
 * What a worker does with a document at intake (src/channels/document-intake.ts): the type's
 * pure mapping, then the Order v1 schema check of the submission it yields. Returns the line
 * count so the work cannot be optimised away.
 */
function mapOnce(type: ChannelType, document: unknown, ctx: MappingContext, updatedAt: string): number {
  const mapped = type.mapOrder(document, ctx);
  if (!mapped.ok) throw new Error(`${type.type}: the representative document does not map: ${JSON.stringify(mapped.problems.slice(0, 3))}`);
  const problems = submissionProblems({ ...mapped.order, channel: ctx.channel, channelUpdatedAt: updatedAt });
  if (problems.length > 0) throw new Error(`${type.type}: the mapped order breaks Order v1: ${JSON.stringify(problems.slice(0, 3))}`);
  return mapped.order.lines.length;
}

/** Runs `fn` in batches for about `ms` milliseconds; returns iterations and elapsed ms. */
function timed(fn: () => number, ms: number, batch: number): { iterations: number; ms: number; sink: number } {
  let iterations = 0;
  let sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) sink += fn();
    iterations += batch;
    now = performance.now();
  }
  return { iterations, ms: now - start, sink };
}

/** Iterations that take about 1 ms, so the clock is read rarely but a slice does not overrun. */
function batchFor(fn: () => number): number {
  const probe = timed(fn, 50, 1);
  return Math.max(1, Math.round(probe.iterations / probe.ms));
}

/**
 * Scenario (d): for every channel type, the mapping of its representative document, in this
 * process (one core, nothing else running), beside `JSON.parse` of the same document's text.
 */
export function runMappingThroughput(options: MappingOptions): MappingResult {
  const log = options.log ?? (() => undefined);
  const rows: MappingRow[] = [];
  const skipped: string[] = [];
  let sink = 0;
  for (const type of CHANNEL_TYPES) {
    if (MAPPING_FIXTURES[type.type] === undefined) {
      skipped.push(type.type);
      continue;
    }
    const document = channelDocument(type.type);
    const text = JSON.stringify(document);
    const ctx = createMappingContext({ channel: 'bench', defaultCustomer: 'C-400' });
    const updatedAt = type.identify(document)?.updatedAt ?? new Date(0).toISOString();
    const map = () => mapOnce(type, document, ctx, updatedAt);
    const parse = () => (JSON.parse(text) as unknown === null ? 0 : 1);

    const lines = map();
    const first = type.mapOrder(document, ctx);
    timed(map, options.warmupSec * 1000, 1);
    timed(parse, (options.warmupSec * 1000) / 2, 1);
    const mapBatch = batchFor(map);
    const parseBatch = batchFor(parse);

    const mapped = { iterations: 0, ms: 0 };
    const parsed = { iterations: 0, ms: 0 };
    const meter = startCpuMeter({ 'bench process': process.pid });
    const sliceMs = (options.seconds * 1000) / options.slices;
    for (let s = 0; s < options.slices; s++) {
      const m = timed(map, sliceMs, mapBatch);
      const p = timed(parse, sliceMs / 2, parseBatch);
      mapped.iterations += m.iterations;
      mapped.ms += m.ms;
      parsed.iterations += p.iterations;
      parsed.ms += p.ms;
      sink += m.sink + p.sink;
    }
    const cpu = meter.stop();
    const row: MappingRow = {
      type: type.type,
      fixture: MAPPING_FIXTURES[type.type]!,
      bytes: Buffer.byteLength(text),
      lines,
      warnings: first.ok ? first.warnings.length : 0,
      mapped,
      parsed,
      mapUs: (mapped.ms * 1000) / mapped.iterations,
      parseUs: (parsed.ms * 1000) / parsed.iterations,
      cpu,
    };
    rows.push(row);
    log(`mapping: ${row.type} ${lines} lines, ${(1e6 / row.mapUs).toFixed(0)} orders/s (${row.mapUs.toFixed(1)} µs), ` +
      `JSON.parse ${row.parseUs.toFixed(1)} µs (${(row.mapUs / row.parseUs).toFixed(1)}×)`);
  }
  if (sink < 0) log('(unreachable: keeps the results in use)');
  const { log: _log, ...shown } = options;
  return { options: shown, rows, skipped };
}
