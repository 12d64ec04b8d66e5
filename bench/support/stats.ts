import { cpus, freemem, totalmem, release, platform, arch } from 'node:os';

/** Latency summary in milliseconds. */
export interface LatencySummary {
  p50: number;
  p97_5: number;
  p99: number;
  p99_9: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array (`q` in [0, 100]). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((q / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50: percentile(sorted, 50),
    p97_5: percentile(sorted, 97.5),
    p99: percentile(sorted, 99),
    p99_9: percentile(sorted, 99.9),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

/** A reading of a monotonically growing counter at a time (ms since some origin). */
export interface CounterSample {
  t: number;
  value: number;
}

/** Average rate (per second) of a sampled counter between two times, using the nearest samples inside. */
export function rateBetween(samples: readonly CounterSample[], fromMs: number, toMs: number): { rate: number; count: number; seconds: number } {
  const inside = samples.filter((s) => s.t >= fromMs && s.t <= toMs);
  if (inside.length < 2) return { rate: Number.NaN, count: 0, seconds: 0 };
  const first = inside[0]!;
  const last = inside[inside.length - 1]!;
  const seconds = (last.t - first.t) / 1000;
  const count = last.value - first.value;
  return { rate: count / seconds, count, seconds };
}

/** The counter's value at time `t`, linearly interpolated between the surrounding samples. */
export function valueAt(samples: readonly CounterSample[], t: number): number {
  if (samples.length === 0) return Number.NaN;
  if (t <= samples[0]!.t) return samples[0]!.value;
  for (let i = 1; i < samples.length; i++) {
    const b = samples[i]!;
    if (t <= b.t) {
      const a = samples[i - 1]!;
      return a.value + ((b.value - a.value) * (t - a.t)) / Math.max(1e-9, b.t - a.t);
    }
  }
  return samples[samples.length - 1]!.value;
}

/** Increase of the counter in each whole second from `fromMs` to `toMs`. */
export function perSecond(samples: readonly CounterSample[], fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let t = fromMs; t + 1000 <= toMs + 1; t += 1000) out.push(valueAt(samples, t + 1000) - valueAt(samples, t));
  return out;
}

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  node: string;
  os: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpuCount: list.length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    freeMemoryGiB: round(freemem() / 2 ** 30, 1),
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
    date: new Date().toISOString(),
  };
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A number for a table cell: fixed digits, thousands kept plain. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toFixed(digits);
}
