import type { Clock } from '../lib/clock.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/types.js';
import type { ChannelInstance } from './instances.js';
import { CHANNEL_POLL_QUEUE } from './jobs.js';

/**
 * Puts one poll job per instance and interval on the queue. Every process runs this; the job
 * id is the instance and the interval's number, so whichever process is first creates it and
 * the others' inserts are refused: one poll per interval across all processes, run by whichever
 * worker claims it (a lease, not a home-made election).
 */
export function startPollScheduler(options: {
  store: Store;
  clock: Clock;
  logger: Logger;
  instances: ReadonlyMap<string, ChannelInstance>;
  maxAttempts: number;
  notifyWork: () => void;
}): { stop(): void } {
  const timers: NodeJS.Timeout[] = [];
  for (const instance of options.instances.values()) {
    if (!instance.connector.polling) continue;
    const intervalMs = instance.config.pollIntervalSeconds * 1000;
    const tick = async () => {
      const now = options.clock.now();
      const slot = Math.floor(now / intervalMs);
      const id = `poll:${instance.id}:${slot}`;
      if (await options.store.getJob(id)) return;
      try {
        await options.store.enqueue({
          id, queue: CHANNEL_POLL_QUEUE, payload: { instance: instance.id }, correlationId: `poll-${instance.id}-${slot}`,
          runAt: now, maxAttempts: 1, now,
        });
        options.notifyWork();
      } catch (error) {
        // Another process created this interval's job first: that is the point.
        if (!(await options.store.getJob(id))) options.logger.warn({ err: error, instance: instance.id }, 'could not schedule a poll');
      }
    };
    void tick();
    timers.push(setInterval(() => void tick(), Math.min(intervalMs, 5_000)).unref());
  }
  return { stop: () => timers.forEach((t) => clearInterval(t)) };
}
