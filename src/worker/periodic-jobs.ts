import type { Clock } from '../lib/clock.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/types.js';

/** A job to run every `intervalMs` (a channel poll, an EDI folder poll). */
export interface PeriodicJob {
  /** Stable name, e.g. `poll:shopify-us`; the job id is the name and the interval's number. */
  name: string;
  queue: string;
  payload: Record<string, unknown>;
  intervalMs: number;
  /** The protection-policy target the job calls: while an operator pauses it, no new run is scheduled. */
  target?: string;
}

/**
 * Puts each periodic job on the queue once per interval. Every process runs this; the job id is
 * the name and the interval's number, so whichever process is first creates it and the others'
 * inserts are refused: one run per interval across all processes, by whichever worker claims it
 * (a lease, not a home-made election).
 */
export function startPeriodicJobs(options: {
  store: Store;
  clock: Clock;
  logger: Logger;
  jobs: readonly PeriodicJob[];
  notifyWork: () => void;
  /** Whether a target is paused (src/operations/pauses.ts). */
  paused?: (target: string) => unknown;
}): { stop(): void } {
  const timers: NodeJS.Timeout[] = [];
  for (const periodic of options.jobs) {
    const tick = async () => {
      const now = options.clock.now();
      const slot = Math.floor(now / periodic.intervalMs);
      const id = `${periodic.name}:${slot}`;
      // Paused: skipped quietly, not queued to wait (a run already queued waits for the resume).
      if (periodic.target !== undefined && options.paused?.(periodic.target)) return;
      if (await options.store.getJob(id)) return;
      try {
        await options.store.enqueue({
          id, queue: periodic.queue, payload: periodic.payload, correlationId: `${periodic.name.replaceAll(':', '-')}-${slot}`,
          runAt: now, maxAttempts: 1, now,
        });
        options.notifyWork();
      } catch (error) {
        // Another process created this interval's job first: that is the point.
        if (!(await options.store.getJob(id))) options.logger.warn({ err: error, job: periodic.name }, 'could not schedule a periodic job');
      }
    };
    void tick();
    timers.push(setInterval(() => void tick(), Math.min(periodic.intervalMs, 5_000)).unref());
  }
  return { stop: () => timers.forEach((t) => clearInterval(t)) };
}
