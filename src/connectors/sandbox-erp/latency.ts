import { MAX_LATENCY_MS, type LatencySpec } from './knobs.js';

/** Uniform in [0, 1), injected so tests can fix the draws. */
export type RandomSource = () => number;

/** The 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/**
 * Draws one latency, in milliseconds, from `spec`. A `{ p50, p99 }` spec is a log-normal
 * distribution whose median is p50 and whose 99th percentile is p99: most calls are quick and
 * a few are very slow, which is how ERPs behave under load and what timeouts must survive.
 */
export function sampleLatency(spec: LatencySpec, random: RandomSource): number {
  if (typeof spec === 'number') return spec;
  if ('min' in spec) return spec.min + (spec.max - spec.min) * random();
  const mu = Math.log(spec.p50);
  const sigma = Math.log(spec.p99 / spec.p50) / Z99;
  return Math.min(MAX_LATENCY_MS, Math.exp(mu + sigma * standardNormal(random)));
}

/** Box–Muller transform; `1 - random()` keeps the logarithm's argument in (0, 1]. */
function standardNormal(random: RandomSource): number {
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
