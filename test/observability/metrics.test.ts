import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOrder } from '../support/app.js';
import { waitFor } from '../support/exactly-once.js';
import { parseMetrics, samplesOf, startApp, submitOrder, untilPosted, type RunningApp, type Sample } from './support.js';

let running: RunningApp;
let orderId: string;
let samples: Sample[];
let text: string;

const CHANNEL = 'b2b-portal';

beforeAll(async () => {
  running = await startApp({
    slo: [
      // No posting is this quick: the order counts as bad.
      { name: 'orders-posted-instantly', kind: 'order-posted', withinSeconds: 0.000_001, target: 0.99 },
      { name: 'orders-posted-10m', kind: 'order-posted', withinSeconds: 600, target: 0.99, channel: CHANNEL },
      { name: 'other-channel-posted-10m', kind: 'order-posted', withinSeconds: 600, target: 0.95, channel: 'elsewhere' },
    ],
  });
  orderId = await submitOrder(running.url, 'METRICS-1');
  await untilPosted(running.url, orderId);
  // The same order again is a duplicate; one for an unknown SKU is held.
  await submitOrder(running.url, 'METRICS-1');
  const held = await fetch(`${running.url}/v1/orders`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify(sampleOrder({ channelOrderId: 'METRICS-HELD', lines: [{ sku: 'SKU-NOPE', quantity: 1, uom: 'EA', unitPrice: '1.00' }] })),
  });
  const heldId = ((await held.json()) as { orderId: string }).orderId;
  await waitFor(async () => ((await (await fetch(`${running.url}/v1/orders/${heldId}`)).json()) as { state: string }).state, (s) => s === 'held', 10_000, 20);
  const scrape = await fetch(`${running.url}/metrics`);
  expect(scrape.headers.get('content-type')).toMatch(/^text\/plain/);
  text = await scrape.text();
  samples = parseMetrics(text);
});
afterAll(async () => {
  await running.stop();
});

const value = (name: string, labels: Record<string, string> = {}) => {
  const found = samplesOf(samples, name, labels);
  if (found.length !== 1) throw new Error(`expected one sample of ${name} ${JSON.stringify(labels)}, found ${found.length}`);
  return found[0]!.value;
};
const total = (name: string, labels: Record<string, string> = {}) => samplesOf(samples, name, labels).reduce((sum, s) => sum + s.value, 0);

describe('metrics after a real order flow', () => {
  it('counts orders accepted, posted, held and duplicates suppressed by channel', () => {
    expect(value('crossdock_orders_accepted_total', { channel: CHANNEL })).toBe(2);
    expect(value('crossdock_orders_posted_total', { channel: CHANNEL })).toBe(1);
    expect(value('crossdock_orders_held_total', { channel: CHANNEL, code: 'sku.unknown' })).toBe(1);
    expect(value('crossdock_duplicates_suppressed_total', { channel: CHANNEL })).toBe(1);
    expect(text).toMatch(/^# TYPE crossdock_orders_dead_lettered_total counter$/m);
  });

  it('measures acceptance and posting latency in seconds', () => {
    expect(value('crossdock_intake_duration_seconds_count', { channel: CHANNEL })).toBe(2);
    expect(value('crossdock_order_post_latency_seconds_count', { channel: CHANNEL })).toBe(1);
    const posting = value('crossdock_order_post_latency_seconds_sum', { channel: CHANNEL });
    expect(posting).toBeGreaterThan(0);
    expect(posting).toBeLessThan(60);
    expect(value('crossdock_order_post_latency_seconds_bucket', { channel: CHANNEL, le: '+Inf' })).toBe(1);
  });

  it('counts calls by target, operation and outcome, with circuit state and remaining rate budget', () => {
    expect(total('crossdock_target_call_duration_seconds_count', { target: 'erp', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    for (const s of samplesOf(samples, 'crossdock_target_call_duration_seconds_count', { target: 'erp' })) {
      expect(Object.keys(s.labels).sort()).toEqual(['operation', 'outcome', 'target']);
    }
    expect(value('crossdock_circuit_state', { target: 'erp' })).toBe(0);
    const budget = value('crossdock_rate_budget_remaining', { target: 'erp' });
    expect(budget).toBeGreaterThanOrEqual(0);
    expect(budget).toBeLessThanOrEqual(1);
    expect(text).toMatch(/^# TYPE crossdock_target_errors_total counter$/m);
  });

  it('exposes queue depth, oldest job age and retry backlog per queue', () => {
    for (const name of ['crossdock_queue_depth', 'crossdock_queue_oldest_job_age_seconds', 'crossdock_retry_backlog']) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} gauge$`, 'm'));
    }
    for (const s of samplesOf(samples, 'crossdock_queue_depth')) expect(['queued', 'running', 'dead']).toContain(s.labels.status);
  });

  it('declares freshness, shipment publication, reconciliation exception and SLO metrics', () => {
    expect(text).toMatch(/^# TYPE crossdock_inventory_freshness_seconds histogram$/m);
    expect(text).toMatch(/^# TYPE crossdock_shipment_publish_seconds histogram$/m);
    expect(text).toMatch(/^# TYPE crossdock_reconciliation_exceptions_total counter$/m);
  });

  it('counts SLO events as good or bad, with attainment and target per objective', () => {
    expect(value('crossdock_slo_events_total', { objective: 'orders-posted-instantly', outcome: 'bad' })).toBe(1);
    expect(samplesOf(samples, 'crossdock_slo_events_total', { objective: 'orders-posted-instantly', outcome: 'good' })).toEqual([]);
    expect(value('crossdock_slo_events_total', { objective: 'orders-posted-10m', outcome: 'good' })).toBe(1);
    expect(samplesOf(samples, 'crossdock_slo_events_total', { objective: 'other-channel-posted-10m' })).toEqual([]);
    expect(value('crossdock_slo_attainment_ratio', { objective: 'orders-posted-instantly' })).toBe(0);
    expect(value('crossdock_slo_attainment_ratio', { objective: 'orders-posted-10m' })).toBe(1);
    // No event yet: no attainment, rather than a made-up 0 or 1.
    expect(samplesOf(samples, 'crossdock_slo_attainment_ratio', { objective: 'other-channel-posted-10m' })).toEqual([]);
    expect(value('crossdock_slo_target_ratio', { objective: 'other-channel-posted-10m' })).toBe(0.95);
  });

  it('keeps label values bounded: no order or message ids', () => {
    expect(text).not.toContain(orderId);
    expect(text).not.toMatch(/"(?:ord|msg|job)_[0-9A-Za-z]{6,}"/);
  });

  it('answers GET /v1/slo with each objective\'s attainment', async () => {
    const response = await fetch(`${running.url}/v1/slo`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { objectives: Record<string, unknown>[] };
    expect(body.objectives).toEqual([
      { name: 'orders-posted-instantly', kind: 'order-posted', channel: null, target: 0.99, withinSeconds: 0.000_001, windowMinutes: 60, good: 0, total: 1, overdue: 0, attainment: 0, met: false },
      { name: 'orders-posted-10m', kind: 'order-posted', channel: CHANNEL, target: 0.99, withinSeconds: 600, windowMinutes: 60, good: 1, total: 1, overdue: 0, attainment: 1, met: true },
      { name: 'other-channel-posted-10m', kind: 'order-posted', channel: 'elsewhere', target: 0.95, withinSeconds: 600, windowMinutes: 60, good: 0, total: 0, overdue: 0, attainment: null, met: null },
    ]);
  });
});
