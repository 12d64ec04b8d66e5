import { Counter, Gauge, type Registry } from 'prom-client';
import type { OrderState } from '../canonical/states.js';
import type { OperationsStore } from '../store/operations-types.js';
import type { Objective, ObjectiveKind } from './config-schema.js';

/** Attainment is counted in buckets of this width; the window slides one bucket at a time. */
const BUCKET_MS = 60_000;
/**
 * Overdue counts are read from the store at most this often: scrapes, the console and
 * `GET /v1/slo` may come many times a second, and a minute-scale objective needs no fresher.
 */
const OVERDUE_FRESH_MS = 2_000;

/** One objective as the console and `GET /v1/slo` show it. */
export interface ObjectiveStatus {
  name: string;
  kind: ObjectiveKind;
  /** Only this channel's events count; null: every channel's. */
  channel: string | null;
  /** Share of events that must be good (0.99). */
  target: number;
  withinSeconds: number;
  windowMinutes: number;
  /** Events within `withinSeconds`, over the trailing window. */
  good: number;
  total: number;
  /**
   * Events still outstanding past `withinSeconds` (orders received in the window and not yet
   * posted, across every process): already bad, before they complete. 0 for kinds not counted.
   */
  overdue: number;
  /** good / (total + overdue); null while the window holds no event. */
  attainment: number | null;
  /** attainment ≥ target; null while the window holds no event. */
  met: boolean | null;
}

/**
 * Counts an objective's events that are still outstanding and already past its time, received in
 * [from, before). Without it a backlog (an ERP outage) looks healthy until it drains.
 */
export type OverdueCounter = (objective: Objective, from: number, before: number) => Promise<number>;

/** Orders crossdock is still working on; held and failed ones wait for a person and count when posted. */
const IN_FLIGHT: readonly OrderState[] = ['received', 'validated', 'reserved'];

/** The orders of an `order-posted` objective that are not posted and past its time, from the store. */
export function overdueOrders(store: Pick<OperationsStore, 'countOrders'>): OverdueCounter {
  return async (o, from, before) => o.kind !== 'order-posted' ? 0 : store.countOrders({
    states: IN_FLIGHT, receivedFrom: from, receivedBefore: before, ...(o.channel !== undefined ? { channel: o.channel } : {}),
  });
}

interface Bucket {
  /** Start of the bucket's minute, epoch ms. */
  start: number;
  good: number;
  total: number;
}

/**
 * Counts good and bad events per service level objective. The counters
 * (`crossdock_slo_events_total`) are the Prometheus-native record: attainment over any window is
 * `rate(good) / rate(good + bad)`. The trailing-window attainment this process shows itself
 * (console, `crossdock_slo_attainment_ratio`) is kept in memory, in one-minute buckets per
 * objective: it covers this process's events only and starts empty after a restart. Orders
 * still unposted past their time are counted from the store when the status is read, so a
 * backlog shows while it builds, in every process.
 */
export class SloRecorder {
  readonly #objectives: readonly Objective[];
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket[]>();
  readonly #events: Counter<'objective' | 'outcome'>;
  readonly #overdue: OverdueCounter | undefined;
  #overdueRead: { at: number; counts: Promise<number[]> } | undefined;

  constructor(objectives: readonly Objective[], registry: Registry, now: () => number, overdue?: OverdueCounter) {
    this.#objectives = objectives;
    this.#now = now;
    this.#overdue = overdue;
    for (const o of objectives) this.#buckets.set(o.name, []);
    this.#events = new Counter({
      name: 'crossdock_slo_events_total', help: 'Events measured against each service level objective, good (within its time) or bad',
      labelNames: ['objective', 'outcome'], registers: [registry],
    });
    const target = new Gauge({ name: 'crossdock_slo_target_ratio', help: 'Share of events each objective requires to be good', labelNames: ['objective'], registers: [registry] });
    for (const o of objectives) target.set({ objective: o.name }, o.target);
    const status = () => this.status();
    new Gauge({
      name: 'crossdock_slo_attainment_ratio',
      help: 'Share of good events over each objective\'s trailing window in this process, orders overdue counted as bad (absent while the window is empty)',
      labelNames: ['objective'], registers: [registry],
      async collect() {
        const now = await status();
        this.reset();
        for (const s of now) if (s.attainment !== null) this.set({ objective: s.name }, s.attainment);
      },
    });
  }

  /** One event of `kind` on `channel` that took `seconds`: counted by every objective it falls under. */
  record(kind: ObjectiveKind, channel: string, seconds: number): void {
    const now = this.#now();
    for (const o of this.#objectives) {
      if (o.kind !== kind || (o.channel !== undefined && o.channel !== channel)) continue;
      const good = seconds * 1000 <= o.withinMs;
      this.#events.inc({ objective: o.name, outcome: good ? 'good' : 'bad' });
      const buckets = this.#buckets.get(o.name) ?? [];
      const start = now - (now % BUCKET_MS);
      let last = buckets[buckets.length - 1];
      if (last === undefined || last.start !== start) {
        last = { start, good: 0, total: 0 };
        buckets.push(last);
        prune(buckets, now, o.windowMs);
      }
      last.total++;
      if (good) last.good++;
    }
  }

  /**
   * Every objective with its attainment over its trailing window, as of now, overdue events
   * included. Should the store not answer, the counts of this process alone.
   */
  async status(): Promise<ObjectiveStatus[]> {
    const snapshot = this.snapshot();
    const counter = this.#overdue;
    if (!counter) return snapshot;
    const now = this.#now();
    if (!this.#overdueRead || now - this.#overdueRead.at >= OVERDUE_FRESH_MS || now < this.#overdueRead.at) {
      const counts = Promise.all(this.#objectives.map((o) => counter(o, now - o.windowMs, now - o.withinMs).catch(() => 0)));
      this.#overdueRead = { at: now, counts };
    }
    const overdue = await this.#overdueRead.counts;
    return snapshot.map((s, i) => withOverdue(s, overdue[i] ?? 0));
  }

  /** Every objective with its attainment over its trailing window, from this process's events alone. */
  snapshot(): ObjectiveStatus[] {
    const now = this.#now();
    return this.#objectives.map((o) => {
      const buckets = this.#buckets.get(o.name) ?? [];
      prune(buckets, now, o.windowMs);
      let good = 0;
      let total = 0;
      for (const b of buckets) {
        good += b.good;
        total += b.total;
      }
      const attainment = total === 0 ? null : good / total;
      return {
        name: o.name, kind: o.kind, channel: o.channel ?? null, target: o.target,
        withinSeconds: o.withinMs / 1000, windowMinutes: o.windowMs / 60_000,
        good, total, overdue: 0, attainment, met: attainment === null ? null : attainment >= o.target,
      };
    });
  }
}

function withOverdue(s: ObjectiveStatus, overdue: number): ObjectiveStatus {
  const events = s.total + overdue;
  const attainment = events === 0 ? null : s.good / events;
  return { ...s, overdue, attainment, met: attainment === null ? null : attainment >= s.target };
}

/** Drops buckets that ended before the window began (a bucket counts while any of it is inside). */
function prune(buckets: Bucket[], now: number, windowMs: number): void {
  let stale = 0;
  while (stale < buckets.length && buckets[stale]!.start + BUCKET_MS <= now - windowMs) stale++;
  if (stale > 0) buckets.splice(0, stale);
}
