import type { Clock } from '../lib/clock.js';
import type { Logger } from '../observability/logger.js';
import type { OutboxEvent, Store } from '../store/types.js';

/**
 * Hands every outbox event, in order, to `dispatch`, and remembers how far it got in a durable
 * cursor (`outbox:<name>`). Several processes may relay the same events: `dispatch` must be
 * idempotent (enqueue jobs with ids derived from the event). A failed dispatch is retried at the
 * next tick, from that event.
 */
export function startOutboxRelay(options: {
  name: string;
  store: Store;
  clock: Clock;
  logger: Logger;
  dispatch: (event: OutboxEvent) => Promise<void>;
  intervalMs?: number;
}): { stop(): void } {
  const cursorName = `outbox:${options.name}`;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      let after = Number((await options.store.getCursor(cursorName)) ?? '0');
      for (;;) {
        const events = await options.store.listOutbox(after, 100);
        if (events.length === 0) break;
        // The cursor moves once per page: a stop mid-page hands those events over again, which
        // `dispatch` must take (it is idempotent), and a busy outbox costs one write a page.
        try {
          for (const event of events) {
            await options.dispatch(event);
            after = event.seq;
          }
        } finally {
          await options.store.setCursor(cursorName, String(after), options.clock.now());
        }
      }
    } catch (error) {
      options.logger.warn({ err: error, relay: options.name }, 'outbox relay stopped; it resumes from its cursor');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 250);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
