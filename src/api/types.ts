import type { ChannelInstance } from '../channels/instances.js';
import type { Clock } from '../lib/clock.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/types.js';

/** What the API routes need from the composition root. */
export interface ApiDeps {
  store: Store;
  clock: Clock;
  metrics: Metrics;
  maxAttempts: number;
  /** Wakes the local worker so new work starts without waiting for the next poll. */
  notifyWork: () => void;
  /** Configured, enabled channel instances by id. */
  channels: ReadonlyMap<string, ChannelInstance>;
}
