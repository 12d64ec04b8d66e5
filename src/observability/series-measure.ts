/**
 * What the dashboard's series are and how one sample of the metrics registry becomes their
 * values: pure functions of readings and the cumulative values of an earlier sample.
 */

export const SERIES_GROUPS = ['channel', 'target', 'queue', 'warehouse'] as const;
export type SeriesGroup = (typeof SERIES_GROUPS)[number];
export type SeriesUnit = 'per_minute' | 'seconds' | 'count' | 'ratio' | 'state';

export type Labels = Readonly<Record<string, string | number>>;

/**
 * How one dashboard series is read from one metric of the registry:
 * - `increase`: a counter's (or a histogram's `_count`) increase per step, shown per minute;
 * - `p95`: the 95th percentile of the observations made during the step, from bucket increases;
 * - `ratio`: the share of a histogram's observations during the step that match `numerator`;
 * - `gauge`: the value when sampled.
 */
export interface SeriesSpec {
  /** Stable name the console keys on. */
  name: string;
  group: SeriesGroup;
  unit: SeriesUnit;
  description: string;
  metric: string;
  /** The label whose value is the series' key (a channel, target, queue or stock source). */
  keyLabel: string;
  /** Only label sets with these values count; the others are summed over. */
  where?: Labels;
  measure: 'increase' | 'p95' | 'ratio' | 'gauge';
  numerator?: Labels;
}

const perChannel = (name: string, metric: string, description: string): SeriesSpec =>
  ({ name, group: 'channel', unit: 'per_minute', description, metric, keyLabel: 'channel', measure: 'increase' });
const queueGauge = (name: string, status: string, description: string): SeriesSpec =>
  ({ name, group: 'queue', unit: 'count', description, metric: 'crossdock_queue_depth', keyLabel: 'queue', where: { status }, measure: 'gauge' });
const TARGET_CALLS = 'crossdock_target_call_duration_seconds';

/** Every series the dashboard keeps, in the order they are documented (docs/console.md). */
export const SERIES: readonly SeriesSpec[] = [
  perChannel('orders.accepted', 'crossdock_orders_accepted_total', 'orders accepted at intake'),
  perChannel('orders.posted', 'crossdock_orders_posted_total', 'orders posted to the ERP'),
  perChannel('orders.held', 'crossdock_orders_held_total', 'orders held for a person, all reasons'),
  perChannel('orders.rejected', 'crossdock_orders_rejected_total', 'orders rejected by a channel policy'),
  perChannel('orders.dead_lettered', 'crossdock_orders_dead_lettered_total', 'orders whose processing was dead-lettered'),
  { name: 'intake.latency_p95', group: 'channel', unit: 'seconds', description: 'p95 time from request to durable acceptance', metric: 'crossdock_intake_duration_seconds', keyLabel: 'channel', measure: 'p95' },
  perChannel('channel.availability_published', 'crossdock_availability_published_total', 'availability updates the channel accepted'),
  { name: 'channel.inventory_freshness_p95', group: 'channel', unit: 'seconds', description: 'p95 time from a stock change to the channel accepting the availability', metric: 'crossdock_inventory_freshness_seconds', keyLabel: 'channel', measure: 'p95' },
  { name: 'target.calls', group: 'target', unit: 'per_minute', description: 'calls to the external system, every operation and outcome', metric: TARGET_CALLS, keyLabel: 'target', measure: 'increase' },
  { name: 'target.errors', group: 'target', unit: 'per_minute', description: 'calls that failed (outcome `error`)', metric: TARGET_CALLS, keyLabel: 'target', where: { outcome: 'error' }, measure: 'increase' },
  { name: 'target.error_rate', group: 'target', unit: 'ratio', description: 'share of the step\'s calls that failed; null without calls', metric: TARGET_CALLS, keyLabel: 'target', measure: 'ratio', numerator: { outcome: 'error' } },
  { name: 'target.latency_p95', group: 'target', unit: 'seconds', description: 'p95 call duration, failed calls included', metric: TARGET_CALLS, keyLabel: 'target', measure: 'p95' },
  { name: 'target.circuit', group: 'target', unit: 'state', description: 'circuit breaker: 0 closed, 1 half-open, 2 open', metric: 'crossdock_circuit_state', keyLabel: 'target', measure: 'gauge' },
  { name: 'target.in_flight', group: 'target', unit: 'count', description: 'calls in flight in this process', metric: 'crossdock_target_in_flight', keyLabel: 'target', measure: 'gauge' },
  queueGauge('queue.depth', 'queued', 'jobs waiting'),
  queueGauge('queue.running', 'running', 'jobs running'),
  queueGauge('queue.dead', 'dead', 'dead-lettered jobs'),
  { name: 'queue.oldest_age', group: 'queue', unit: 'seconds', description: 'age of the oldest due job', metric: 'crossdock_queue_oldest_job_age_seconds', keyLabel: 'queue', measure: 'gauge' },
  { name: 'warehouse.level_changes', group: 'warehouse', unit: 'per_minute', description: 'stock levels whose figures changed, per stock source', metric: 'crossdock_inventory_level_changes_total', keyLabel: 'source', where: { outcome: 'changed' }, measure: 'increase' },
  { name: 'warehouse.stale_changes', group: 'warehouse', unit: 'per_minute', description: 'stock changes ignored as older than what crossdock holds', metric: 'crossdock_inventory_level_changes_total', keyLabel: 'source', where: { outcome: 'stale' }, measure: 'increase' },
];

export type CircuitState = 'closed' | 'half-open' | 'open';

/** Circuits and queues as of the latest sample. */
export interface CurrentState {
  circuits: { target: string; state: CircuitState }[];
  queues: { queue: string; queued: number; running: number; dead: number; oldestAgeSeconds: number }[];
}

/** What a prom-client metric's `get()` answers, as far as the series need it. */
export type MetricValues = { value: number; labels: Labels; metricName?: string }[];

const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'half-open', 'open'];

/** Where each series name comes in `SERIES`: answers list series in that order. */
export const SERIES_ORDER = new Map(SERIES.map((s, i) => [s.name, i]));

function matches(labels: Labels, where: Labels | undefined): boolean {
  if (!where) return true;
  for (const [name, value] of Object.entries(where)) if (labels[name] !== value) return false;
  return true;
}

function labelKey(metricName: string, labels: Labels, omit?: string): string {
  const names = Object.keys(labels).filter((n) => n !== omit).sort();
  return `${metricName}{${names.map((n) => `${n}=${JSON.stringify(String(labels[n]))}`).join(',')}}`;
}

/**
 * The increase of a cumulative value since the baseline. A value below its baseline means the
 * counter started again from zero (a reset), so all of it is new; a label set the baseline has
 * not seen started from zero after it.
 */
function increase(before: number | undefined, now: number): number {
  return before === undefined || now < before ? now : now - before;
}

/**
 * One spec's value per key for this sample. `values` collects the cumulative readings (each is
 * recorded before its baseline is looked up, so a sample measured against itself reads zero).
 */
export function measure(spec: SeriesSpec, metric: MetricValues, baseline: ReadonlyMap<string, number>, values: Map<string, number>): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const relevant = metric.filter((v) => matches(v.labels, spec.where) && v.labels[spec.keyLabel] !== undefined);
  if (spec.measure === 'gauge') {
    for (const v of relevant) {
      const key = String(v.labels[spec.keyLabel]);
      out.set(key, (out.get(key) ?? 0) + v.value);
    }
    return out;
  }
  const before = (id: string) => baseline.get(id);
  if (spec.measure === 'increase' || spec.measure === 'ratio') {
    const counted = spec.metric.endsWith('_total') ? relevant : relevant.filter((v) => v.metricName?.endsWith('_count'));
    const parts = new Map<string, { all: number; matching: number }>();
    for (const v of counted) {
      const id = labelKey(v.metricName ?? spec.metric, v.labels);
      values.set(id, v.value);
      const delta = increase(before(id), v.value);
      const key = String(v.labels[spec.keyLabel]);
      const part = parts.get(key) ?? { all: 0, matching: 0 };
      part.all += delta;
      if (matches(v.labels, spec.numerator)) part.matching += delta;
      parts.set(key, part);
    }
    for (const [key, part] of parts) {
      out.set(key, spec.measure === 'increase' ? part.all : part.all > 0 ? part.matching / part.all : null);
    }
    return out;
  }
  // p95: sum each bucket's increase over the label sets of a key, then interpolate. A label set
  // started again from zero when any of its count, sum or buckets went down; then all of it is new.
  const resets = new Set<string>();
  for (const v of relevant) {
    const id = labelKey(v.metricName ?? spec.metric, v.labels);
    values.set(id, v.value);
    const was = before(id);
    if (was !== undefined && v.value < was) resets.add(labelKey('', v.labels, 'le'));
  }
  const buckets = new Map<string, Map<number, number>>();
  for (const v of relevant) {
    if (!v.metricName?.endsWith('_bucket')) continue;
    const delta = resets.has(labelKey('', v.labels, 'le')) ? v.value : increase(before(labelKey(v.metricName, v.labels)), v.value);
    const key = String(v.labels[spec.keyLabel]);
    const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
    const byLe = buckets.get(key) ?? new Map<number, number>();
    byLe.set(le, (byLe.get(le) ?? 0) + delta);
    buckets.set(key, byLe);
  }
  for (const [key, byLe] of buckets) out.set(key, quantile(0.95, byLe));
  return out;
}

/**
 * The q-quantile of observations given as cumulative counts per upper bound, interpolated
 * linearly within the bucket it falls in (as Prometheus' histogram_quantile does); in the
 * `+Inf` bucket it is the highest finite bound. Null without observations.
 */
export function quantile(q: number, cumulative: ReadonlyMap<number, number>): number | null {
  const bounds = [...cumulative.keys()].sort((a, b) => a - b);
  const total = cumulative.get(Infinity) ?? cumulative.get(bounds[bounds.length - 1]!) ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const bound of bounds) {
    const count = cumulative.get(bound)!;
    if (count >= rank) {
      if (bound === Infinity) return lower;
      return count === below ? bound : lower + ((bound - lower) * (rank - below)) / (count - below);
    }
    lower = bound;
    below = count;
  }
  return lower;
}

/** Circuits and queues from the latest readings of their gauges. */
export function currentState(readings: ReadonlyMap<string, MetricValues>): CurrentState {
  const circuits = (readings.get('crossdock_circuit_state') ?? []).map((v) => ({
    target: String(v.labels.target), state: CIRCUIT_STATES[v.value] ?? 'open',
  }));
  const queues = new Map<string, CurrentState['queues'][number]>();
  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) queues.set(name, (q = { queue: name, queued: 0, running: 0, dead: 0, oldestAgeSeconds: 0 }));
    return q;
  };
  for (const v of readings.get('crossdock_queue_depth') ?? []) {
    const status = v.labels.status;
    if (status === 'queued' || status === 'running' || status === 'dead') queue(String(v.labels.queue))[status] = v.value;
  }
  for (const v of readings.get('crossdock_queue_oldest_job_age_seconds') ?? []) queue(String(v.labels.queue)).oldestAgeSeconds = v.value;
  return {
    circuits: circuits.sort((a, b) => a.target.localeCompare(b.target)),
    queues: [...queues.values()].sort((a, b) => a.queue.localeCompare(b.queue)),
  };
}
