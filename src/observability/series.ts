import type { Registry } from 'prom-client';
import type { Clock } from '../lib/clock.js';
import { currentState, measure, SERIES, SERIES_ORDER, type CurrentState, type MetricValues, type SeriesGroup, type SeriesSpec, type SeriesUnit } from './series-measure.js';

export type Point = [epochMs: number, value: number | null];

export interface SeriesWindow {
  stepSeconds: number;
  from: number;
  to: number;
  series: { name: string; group: SeriesGroup; key: string; unit: SeriesUnit; points: Point[] }[];
}

export interface SeriesSamplerOptions {
  registry: Registry;
  clock: Clock;
  /** Width of one point. @default 10 */
  stepSeconds?: number;
  /** How far back points are kept. @default 360 (6 hours) */
  retentionMinutes?: number;
  /** Most series kept; past it the least recently active one is dropped. @default 500 */
  maxSeries?: number;
  /** A timed sample failed (the next one is still taken). */
  onError?: (error: unknown) => void;
}

/** One series' ring: `values[step % capacity]`, NaN where nothing was sampled. */
interface Ring {
  spec: SeriesSpec;
  key: string;
  values: Float64Array;
  /** Last step with a non-zero value (or any gauge reading): what eviction looks at. */
  lastActive: number;
}

/** Most points per series in one answer: two hours of 10-second steps, a chart's width. */
export const MAX_POINTS = 720;
// A timer can fire a hair before the wall clock reaches the boundary; the sample must land after it.
const BOUNDARY_MARGIN_MS = 5;

/**
 * Keeps the dashboard's time series: every step it reads the app's own metrics registry once,
 * turns counters into increases per step and histograms into per-step percentiles from their
 * bucket increases, and writes one point per series into a fixed-size ring. Intake pays
 * nothing for it — the registry is only read, and only here.
 *
 * A point stamped T covers the time since the last sample of an earlier step, up to a sample
 * taken within [T, T + step): timed samples are taken just after each boundary.
 */
export class SeriesSampler {
  readonly stepSeconds: number;
  private readonly stepMs: number;
  private readonly capacity: number;
  private readonly maxSeries: number;
  /** The step each ring slot currently holds; a slot holding another step reads as a gap. */
  private readonly slotStep: Float64Array;
  private readonly rings = new Map<string, Ring>();
  /** Cumulative counter and bucket values: at the last sample of an earlier step, and at the latest. */
  private baseline: { step: number; values: Map<string, number> } | undefined;
  private latest: { step: number; values: Map<string, number> } | undefined;
  private currentState: CurrentState = { circuits: [], queues: [] };
  private inFlight: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly options: SeriesSamplerOptions) {
    this.stepSeconds = options.stepSeconds ?? 10;
    this.stepMs = this.stepSeconds * 1000;
    this.capacity = Math.ceil(((options.retentionMinutes ?? 360) * 60) / this.stepSeconds);
    this.maxSeries = options.maxSeries ?? 500;
    this.slotStep = new Float64Array(this.capacity).fill(-1);
  }

  /**
   * Takes the first sample now, so the dashboard has a point at once, then one per step. A
   * failed sample is reported, never thrown: charts must not keep crossdock from starting.
   */
  async start(): Promise<void> {
    this.running = true;
    await this.sampleNow().catch((error: unknown) => this.options.onError?.(error));
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.inFlight.catch(() => undefined);
  }

  /** Samples the registry now (tests; timed samples go through here too). Samples never overlap. */
  sampleNow(): Promise<void> {
    const next = this.inFlight.catch(() => undefined).then(() => this.sample());
    this.inFlight = next;
    return next;
  }

  /**
   * The last `minutes` of every series (of one group), one point per step, gaps as null. Past
   * `MAX_POINTS` a point covers several steps (`stepSeconds` says how many seconds): rates and
   * ratios are averaged over them, latencies, counts and states take their highest value, so a
   * spike or an open circuit still shows in a six-hour chart.
   */
  window(minutes: number, group?: SeriesGroup): SeriesWindow {
    const count = Math.min(this.capacity, Math.max(1, Math.ceil((minutes * 60) / this.stepSeconds)));
    const stride = Math.ceil(count / MAX_POINTS);
    const nowStep = Math.floor(this.options.clock.now() / this.stepMs);
    // Until the current step's sample lands (just after its boundary), the window ends at the
    // last sampled step rather than at an empty one.
    const toStep = this.latest && nowStep - this.latest.step <= 1 ? this.latest.step : nowStep;
    const lastBucket = Math.floor(toStep / stride);
    const firstBucket = lastBucket - Math.ceil(count / stride) + 1;
    const bucketMs = stride * this.stepMs;
    const series: SeriesWindow['series'] = [];
    for (const ring of this.rings.values()) {
      if (group && ring.spec.group !== group) continue;
      const average = ring.spec.unit === 'per_minute' || ring.spec.unit === 'ratio';
      const points: Point[] = [];
      let seen = false;
      for (let bucket = firstBucket; bucket <= lastBucket; bucket++) {
        let combined: number | null = null;
        let n = 0;
        for (let step = bucket * stride; step < (bucket + 1) * stride && step <= toStep; step++) {
          const value = this.read(ring, step);
          if (value === null) continue;
          combined = combined === null ? value : average ? combined + value : Math.max(combined, value);
          n += 1;
        }
        if (average && combined !== null) combined /= n;
        seen ||= combined !== null;
        points.push([bucket * bucketMs, combined]);
      }
      if (seen) series.push({ name: ring.spec.name, group: ring.spec.group, key: ring.key, unit: ring.spec.unit, points });
    }
    series.sort((a, b) => (a.name === b.name ? a.key.localeCompare(b.key) : SERIES_ORDER.get(a.name)! - SERIES_ORDER.get(b.name)!));
    return { stepSeconds: this.stepSeconds * stride, from: firstBucket * bucketMs, to: lastBucket * bucketMs, series };
  }

  current(): CurrentState {
    return this.currentState;
  }

  /** How many series are kept (bounded by `maxSeries`). */
  get size(): number {
    return this.rings.size;
  }

  private schedule(): void {
    if (!this.running) return;
    const now = this.options.clock.now();
    const delay = this.stepMs - (now % this.stepMs) + BOUNDARY_MARGIN_MS;
    this.timer = setTimeout(() => {
      this.sampleNow().catch((error: unknown) => this.options.onError?.(error)).finally(() => this.schedule());
    }, delay);
    this.timer.unref();
  }

  private read(ring: Ring, step: number): number | null {
    const slot = step % this.capacity;
    if (this.slotStep[slot] !== step) return null;
    const value = ring.values[slot]!;
    return Number.isNaN(value) ? null : value;
  }

  private async sample(): Promise<void> {
    const step = Math.floor(this.options.clock.now() / this.stepMs);
    if (this.latest && step < this.latest.step) return; // the wall clock went back: keep what we have
    const readings = await this.readRegistry();
    const values = new Map<string, number>();
    // The first sample is its own baseline: what happened before the sampler started is unknown.
    // Later, increases count from the last sample of an earlier step, so a second sample in the
    // same step replaces the first one's points instead of splitting the step.
    if (this.latest && step > this.latest.step) this.baseline = this.latest;
    const baseline = this.baseline;
    const spanned = baseline ? Math.max(1, step - baseline.step) : 1;
    // The first sample is measured against itself: every increase is zero.
    const computed = SERIES.map((spec) => measure(spec, readings.get(spec.metric) ?? [], baseline?.values ?? values, values));
    this.latest = { step, values };
    this.baseline ??= this.latest;

    const slot = step % this.capacity;
    this.slotStep[slot] = step;
    // A second sample in the same step replaces the first one's points.
    for (const ring of this.rings.values()) ring.values[slot] = NaN;
    SERIES.forEach((spec, i) => {
      for (const [key, raw] of computed[i]!) {
        const value = spec.unit === 'per_minute' && raw !== null ? (raw * 60) / (this.stepSeconds * spanned) : raw;
        const active = (value !== null && value !== 0) || spec.measure === 'gauge';
        const ring = this.ring(spec, key, step, active);
        if (!ring) continue;
        ring.values[slot] = value ?? NaN;
        if (active) ring.lastActive = step;
      }
    });
    this.currentState = currentState(readings);
  }

  private async readRegistry(): Promise<Map<string, MetricValues>> {
    const readings = new Map<string, MetricValues>();
    for (const name of new Set(SERIES.map((s) => s.metric))) {
      const metric = this.options.registry.getSingleMetric(name);
      // Queue gauges query the store on collect: read once per sample, never per request.
      if (metric) readings.set(name, (await metric.get()).values as MetricValues);
    }
    return readings;
  }

  /** The series' ring, created if needed — when full, only for an active value, so quiet series do not churn. */
  private ring(spec: SeriesSpec, key: string, step: number, active: boolean): Ring | undefined {
    const id = `${spec.name}\u0000${key}`;
    let ring = this.rings.get(id);
    if (!ring) {
      if (this.rings.size >= this.maxSeries) {
        if (!active) return undefined;
        this.evictLeastActive();
      }
      ring = { spec, key, values: new Float64Array(this.capacity).fill(NaN), lastActive: step };
      this.rings.set(id, ring);
    }
    return ring;
  }

  private evictLeastActive(): void {
    let victim: string | undefined;
    let oldest = Infinity;
    // Map order is creation order, so among equals the oldest series goes first.
    for (const [id, ring] of this.rings) {
      if (ring.lastActive < oldest) [victim, oldest] = [id, ring.lastActive];
    }
    if (victim !== undefined) this.rings.delete(victim);
  }
}
