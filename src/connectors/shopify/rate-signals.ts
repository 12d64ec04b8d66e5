/**
 * Shopify's own budget signals, turned into "send nothing before" times for `policy.holdOff`.
 * Pure: the clock is passed in.
 */

/** How many calls to keep free in the REST bucket, for other processes and apps of the same shop. */
const REST_HEADROOM_FRACTION = 0.1;

/**
 * `X-Shopify-Shop-Api-Call-Limit: 32/40` (REST Admin API rate limits: a leaky bucket per app and
 * shop; 40 calls leaking 2/s on standard plans, 80 at 4/s on Advanced, 400 at 20/s on Plus).
 * The leak rate is read from the bucket size (size ÷ 20 per second, true of every plan Shopify
 * lists). Returns when the next call may leave so that the bucket keeps its headroom, or
 * undefined when there is room now.
 */
export function restHoldOffUntil(header: string | null, now: number): number | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(header ?? '');
  if (!match) return undefined;
  const used = Number(match[1]);
  const size = Number(match[2]);
  if (!(size > 0)) return undefined;
  const leakPerSecond = size / 20;
  const allowed = size - Math.max(2, Math.ceil(size * REST_HEADROOM_FRACTION));
  if (used <= allowed) return undefined;
  return now + Math.ceil(((used - allowed) / leakPerSecond) * 1000);
}

/** `extensions.cost.throttleStatus` of a GraphQL Admin API answer. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export function readThrottleStatus(extensions: unknown): { status: ThrottleStatus; requestedQueryCost?: number } | undefined {
  const cost = (extensions as { cost?: { requestedQueryCost?: unknown; throttleStatus?: Record<string, unknown> } } | undefined)?.cost;
  const t = cost?.throttleStatus;
  const maximumAvailable = Number(t?.maximumAvailable);
  const currentlyAvailable = Number(t?.currentlyAvailable);
  const restoreRate = Number(t?.restoreRate);
  if (![maximumAvailable, currentlyAvailable, restoreRate].every(Number.isFinite) || restoreRate <= 0) return undefined;
  const requested = Number(cost?.requestedQueryCost);
  return {
    status: { maximumAvailable, currentlyAvailable, restoreRate },
    ...(Number.isFinite(requested) ? { requestedQueryCost: requested } : {}),
  };
}

/**
 * Milliseconds until `cost` points are available again, given the status seen `elapsedMs` ago
 * (the bucket refills at `restoreRate` points per second up to `maximumAvailable`); 0 when the
 * query fits now.
 */
export function graphqlWaitMs(status: ThrottleStatus, cost: number, elapsedMs = 0): number {
  const available = Math.min(status.maximumAvailable, status.currentlyAvailable + (status.restoreRate * Math.max(0, elapsedMs)) / 1000);
  if (available >= cost) return 0;
  return Math.ceil(((cost - available) / status.restoreRate) * 1000);
}
