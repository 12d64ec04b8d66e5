import { Gauge, type Registry } from 'prom-client';
import type { Store } from '../store/types.js';
import { classOf, DEAD_LETTER_CLASSES } from './dead-letter-classes.js';

/**
 * `crossdock_dead_letters{class}`: dead letters waiting for a person, by workbench class. Read
 * from the store's per-code counts at each scrape, so every process reports the same figure.
 */
export function registerDeadLetterGauge(registry: Registry, store: Pick<Store, 'deadLetterCounts'>): Gauge<'class'> {
  return new Gauge({
    name: 'crossdock_dead_letters', help: 'Dead letters waiting for a person, by class (unknown-sku, credit-hold, erp-unavailable …)',
    labelNames: ['class'], registers: [registry],
    async collect() {
      const byClass = new Map<string, number>(DEAD_LETTER_CLASSES.map((c) => [c, 0]));
      for (const c of await store.deadLetterCounts()) byClass.set(classOf(c.code), (byClass.get(classOf(c.code)) ?? 0) + c.count);
      for (const [cls, count] of byClass) this.set({ class: cls }, count);
    },
  });
}
