import { describeIncident, startIncident, type ActiveIncident } from './erp-incidents.js';
import { demoHttp, type DemoHttp } from './http.js';
import { DEFAULT_ORDER_MIX, generateOrder, type DemoScenario, type OrderMix } from './order-generator.js';
import { seededRandom } from './random.js';
import { DEFAULT_INCIDENT_PLAN, incidents, nextArrivalGap, type ArrivalPlan, type Incident, type IncidentPlan } from './schedule.js';
import { DemoWarehouse } from './warehouse.js';

export interface DemoOptions {
  /** crossdock's base URL, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  /** The sandbox ERP's admin API, e.g. http://127.0.0.1:8080/sandbox/erp. */
  erpAdminUrl: string;
  /** Same seed, same orders and incidents. @default 1 */
  seed?: number;
  /** Orders per second between bursts. @default 3 */
  ratePerSecond?: number;
  arrivals?: Partial<Omit<ArrivalPlan, 'ratePerSecond'>>;
  incidents?: Partial<IncidentPlan>;
  /** The ERP's latency during a slowdown, as its `latencyMs` knob. @default SLOW_LATENCY */
  slowLatency?: unknown;
  mix?: Partial<OrderMix>;
  /** Share of orders sent twice (a client retry, a webhook redelivered). @default 0.02 */
  duplicateShare?: number;
  /** The warehouse ships a posted order this long after it was accepted, at the earliest. @default [3000, 8000] */
  shipAfterMs?: readonly [number, number];
  /** Share of shipped orders invoiced, and how long after shipping. @default 0.5, 4000 */
  invoiceShare?: number;
  invoiceAfterMs?: number;
  /** A stock count every this many ms on average. @default 8000 */
  stockCountEveryMs?: number;
  /** Sent as `Authorization: Bearer`, when crossdock needs credentials. */
  apiKey?: string;
  /** Most orders waiting for crossdock's answer; arrivals beyond it are skipped. @default 64 */
  maxInFlight?: number;
  /** Keeps this run's channel order ids apart from earlier runs'. @default the start time, base 36 */
  runTag?: string;
  /** One line per event worth telling (incidents, a status every `statusEveryMs`). */
  log?: (line: string) => void;
  /** @default 30_000 */
  statusEveryMs?: number;
  /** Every order crossdock accepted (first answers only, not duplicates). */
  onAccepted?: (orderId: string, scenario: DemoScenario) => void;
}

export interface DemoStats {
  sent: number;
  accepted: number;
  byScenario: Record<DemoScenario, number>;
  duplicatesSent: number;
  duplicatesSuppressed: number;
  /** Answers other than 202, and calls that got no answer. */
  failed: number;
  skipped: number;
  shipped: number;
  invoiced: number;
  stockCounts: number;
  incidents: (Incident & { startedAt: number; endedAt?: number })[];
}

export interface DemoDriver {
  stats(): DemoStats;
  /** Stops sending, waits for answers in flight and puts the ERP back as it was. */
  stop(): Promise<void>;
}

/**
 * The demo: a steady stream of orders from several channels into crossdock's own API, the ERP
 * misbehaving now and then, and the ERP's warehouse and accounting moving orders on to cash.
 */
export function startDemo(options: DemoOptions): DemoDriver {
  const seed = options.seed ?? 1;
  // One random stream per concern: a change in how often stock is counted does not change the orders.
  const orderRandom = seededRandom(seed);
  const incidentRandom = seededRandom(seed ^ 0x5bd1e995);
  const warehouseRandom = seededRandom(seed ^ 0x27d4eb2f);
  const http: DemoHttp = demoHttp(options.apiKey);
  const log = options.log ?? (() => undefined);
  const mix: OrderMix = { ...DEFAULT_ORDER_MIX, ...options.mix };
  const plan: ArrivalPlan = { burstEveryMs: 45_000, burstForMs: 5_000, burstMultiple: 3, ...options.arrivals, ratePerSecond: options.ratePerSecond ?? 3 };
  const incidentPlan: IncidentPlan = { ...DEFAULT_INCIDENT_PLAN, ...options.incidents };
  const [shipMin, shipMax] = options.shipAfterMs ?? [3_000, 8_000];
  const runTag = options.runTag ?? Date.now().toString(36).toUpperCase();
  const warehouse = new DemoWarehouse(http, { crossdock: options.baseUrl, erpAdmin: options.erpAdminUrl }, {
    heldPatienceMs: 15 * 60_000, invoiceAfterMs: options.invoiceAfterMs ?? 4_000,
  });
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const stats: DemoStats = {
    sent: 0, accepted: 0, byScenario: { normal: 0, 'unknown-sku': 0, 'credit-hold': 0 }, duplicatesSent: 0, duplicatesSuppressed: 0,
    failed: 0, skipped: 0, shipped: 0, invoiced: 0, stockCounts: 0, incidents: [],
  };
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let active: ActiveIncident | undefined;

  /** Waits `ms`; false when the demo is stopping. */
  const pause = (ms: number) => new Promise<boolean>((resolve) => {
    if (stopping.signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      stopping.signal.removeEventListener('abort', onStop);
      resolve(true);
    }, Math.max(0, ms));
    const onStop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    stopping.signal.addEventListener('abort', onStop, { once: true });
  });
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  async function submit(sequence: number, body: unknown, scenario: DemoScenario, key: string | undefined, ship: { afterMs: number; invoice: boolean }): Promise<void> {
    stats.sent++;
    const res = await http('POST', `${options.baseUrl}/v1/orders`, { body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
    const orderId = (res.body as { orderId?: string } | undefined)?.orderId;
    if (res.status !== 202 || !orderId) {
      stats.failed++;
      if (stats.failed <= 5) log(`demo: order ${sequence} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
      return;
    }
    if (res.headers.get('idempotent-replayed') === 'true') {
      stats.duplicatesSuppressed++;
      return;
    }
    stats.accepted++;
    stats.byScenario[scenario]++;
    options.onAccepted?.(orderId, scenario);
    warehouse.expect(orderId, Date.now(), ship.afterMs, ship.invoice);
  }

  async function sendOrders(): Promise<void> {
    let sequence = 0;
    // Arrivals are planned on the demo's own timeline, not after each other: a late timer on a
    // busy machine is caught up with, so the rate holds.
    let nextAt = 0;
    for (;;) {
      nextAt += nextArrivalGap(orderRandom, plan, nextAt);
      if (!(await pause(nextAt - elapsed()))) break;
      if (inFlight.size >= (options.maxInFlight ?? 64)) {
        stats.skipped++;
        continue;
      }
      sequence++;
      const { scenario, submission } = generateOrder(orderRandom, sequence, runTag, Date.now(), mix);
      const key = `demo-${runTag}-${sequence}`;
      const ship = { afterMs: orderRandom.int(shipMin, shipMax), invoice: orderRandom.chance(options.invoiceShare ?? 0.5) };
      const first = submit(sequence, submission, scenario, key, ship);
      track(first);
      if (orderRandom.chance(options.duplicateShare ?? 0.02)) {
        // Half the duplicates are a client retrying with its Idempotency-Key, half a channel
        // sending the same order again without one: both are recognised.
        const again = orderRandom.chance(0.5) ? key : undefined;
        const delay = orderRandom.int(200, 1_500);
        track(first.then(() => pause(delay)).then((go) => {
          if (!go) return;
          stats.duplicatesSent++;
          return submit(sequence, submission, scenario, again, ship);
        }));
      }
    }
  }

  async function runIncidents(): Promise<void> {
    for (const incident of incidents(incidentRandom, incidentPlan)) {
      if (!(await pause(incident.atMs - elapsed()))) return;
      const started = await startIncident(http, options.erpAdminUrl, incident, options.slowLatency);
      if (typeof started === 'string') {
        log(`demo: ${started}`);
        continue;
      }
      if (stopping.signal.aborted) return void (await started.end());
      active = started;
      const record: DemoStats['incidents'][number] = { ...incident, startedAt: Date.now() };
      stats.incidents.push(record);
      log(`demo: ${describeIncident(incident)}`);
      const carryOn = await pause(incident.durationMs);
      await started.end();
      active = undefined;
      record.endedAt = Date.now();
      if (!carryOn) return;
      log(`demo: the ERP is well again (${incident.kind} over)`);
    }
  }

  async function runWarehouse(): Promise<void> {
    let nextCount = Date.now() + warehouseRandom.exponential(options.stockCountEveryMs ?? 8_000);
    let nextStatus = Date.now() + (options.statusEveryMs ?? 30_000);
    while (await pause(500)) {
      await warehouse.work(Date.now(), warehouseRandom);
      if (Date.now() >= nextCount) {
        await warehouse.countStock(warehouseRandom);
        nextCount = Date.now() + warehouseRandom.exponential(options.stockCountEveryMs ?? 8_000);
      }
      Object.assign(stats, warehouse.counts);
      if (Date.now() >= nextStatus) {
        nextStatus = Date.now() + (options.statusEveryMs ?? 30_000);
        log(`demo: ${statusLine(stats)}`);
      }
    }
  }

  const loops = [sendOrders(), runIncidents(), runWarehouse()];
  return {
    stats: () => ({ ...stats, ...warehouse.counts, byScenario: { ...stats.byScenario }, incidents: stats.incidents.map((i) => ({ ...i })) }),
    async stop() {
      stopping.abort();
      await Promise.allSettled(loops);
      await Promise.allSettled([...inFlight]);
      // Normally ended by runIncidents already; this covers a stop that raced it.
      await active?.end();
      log(`demo stopped: ${statusLine({ ...stats, ...warehouse.counts })}`);
    },
  };
}

function statusLine(stats: DemoStats): string {
  const held = stats.byScenario['unknown-sku'] + stats.byScenario['credit-hold'];
  return `${stats.accepted} orders accepted (${held} meant to be held), ${stats.duplicatesSuppressed} duplicates suppressed, `
    + `${stats.shipped} shipped, ${stats.invoiced} invoiced, ${stats.stockCounts} stock counts, ${stats.incidents.length} ERP incidents`;
}
