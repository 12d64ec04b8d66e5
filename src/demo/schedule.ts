import type { Random } from './random.js';

/**
 * When things happen in a demo: order arrivals (a steady rate with bursts now and then) and ERP
 * incidents (slowdowns and outages). Pure: times are milliseconds since the demo started.
 */

export interface ArrivalPlan {
  /** Orders per second between bursts. */
  ratePerSecond: number;
  /** A burst starts every this many ms on average. @default 45_000 */
  burstEveryMs: number;
  /** @default 5_000 */
  burstForMs: number;
  /** The rate during a burst, as a multiple of the steady rate. @default 3 */
  burstMultiple: number;
}

/** Bursts at fixed times derived from the plan, so `rateAt` needs no state. */
export function rateAt(plan: ArrivalPlan, atMs: number): number {
  const intoCycle = atMs % plan.burstEveryMs;
  // The burst sits at the end of each cycle: the first seconds of a demo are steady.
  return intoCycle >= plan.burstEveryMs - plan.burstForMs ? plan.ratePerSecond * plan.burstMultiple : plan.ratePerSecond;
}

/** The gap before the next order: independent arrivals (Poisson) at the rate in force now. */
export function nextArrivalGap(random: Random, plan: ArrivalPlan, atMs: number): number {
  return random.exponential(1000 / rateAt(plan, atMs));
}

export type IncidentKind = 'slowdown' | 'outage';

export interface Incident {
  kind: IncidentKind;
  /** When it starts, ms since the demo started. */
  atMs: number;
  durationMs: number;
}

export interface IncidentPlan {
  /** The first slowdown, so a newcomer sees one within a minute. @default 20_000 */
  firstSlowdownMs: number;
  /** Average time between slowdowns; each gap is ±25 % of it. @default 150_000 */
  slowdownEveryMs: number;
  /** @default 30_000 */
  slowdownForMs: number;
  /** @default 45_000 */
  firstOutageMs: number;
  /** @default 300_000 */
  outageEveryMs: number;
  /** @default 20_000 */
  outageForMs: number;
  /** Quiet time between the end of one incident and the start of the next. @default 5_000 */
  quietMs: number;
}

export const DEFAULT_INCIDENT_PLAN: IncidentPlan = {
  firstSlowdownMs: 20_000, slowdownEveryMs: 150_000, slowdownForMs: 30_000,
  firstOutageMs: 45_000, outageEveryMs: 300_000, outageForMs: 20_000,
  quietMs: 5_000,
};

/**
 * Incidents in start order, for ever. Slowdowns and outages each come at jittered intervals;
 * one that would start before the previous has ended (plus the quiet time) is pushed back, so
 * a viewer can tell an outage's effects from a slowdown's.
 */
export function* incidents(random: Random, plan: IncidentPlan): Generator<Incident, never> {
  const jitter = (every: number) => every * (0.75 + random.next() * 0.5);
  let slowdownAt = plan.firstSlowdownMs;
  let outageAt = plan.firstOutageMs;
  let freeFrom = 0;
  for (;;) {
    const kind: IncidentKind = outageAt < slowdownAt ? 'outage' : 'slowdown';
    const planned = kind === 'outage' ? outageAt : slowdownAt;
    const durationMs = kind === 'outage' ? plan.outageForMs : plan.slowdownForMs;
    const atMs = Math.max(planned, freeFrom);
    freeFrom = atMs + durationMs + plan.quietMs;
    if (kind === 'outage') outageAt = atMs + jitter(plan.outageEveryMs);
    else slowdownAt = atMs + jitter(plan.slowdownEveryMs);
    yield { kind, atMs, durationMs };
  }
}
