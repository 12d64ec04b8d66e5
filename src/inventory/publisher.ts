import { queueAvailability } from '../channels/availability-queue.js';
import type { ChannelInstance } from '../channels/instances.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/types.js';
import type { InventoryEngine } from './engine.js';

export interface PublisherDeps {
  engine: InventoryEngine;
  store: Store;
  clock: Clock;
  /** Channel instances that take availability. */
  channels: readonly ChannelInstance[];
  maxAttempts: number;
  notifyWork: () => void;
  metrics?: Metrics;
  logger?: Logger;
}

interface ChannelState {
  instance: ChannelInstance;
  freshnessMs: number;
  /** SKUs whose availability may have changed, with the time of the first change not yet published. */
  dirty: Map<string, number>;
  published: Map<string, number>;
  timer: NodeJS.Timeout | undefined;
  lastFlush: number;
  flushing: Promise<void> | undefined;
}

/**
 * Publishes availability to each channel (DESIGN.md flow 3): only what changed since the last
 * publication, coalesced within the channel's freshness window. The first change after a quiet
 * spell goes out at once; changes during a window wait for its end and go out together, so a
 * hot SKU changing a thousand times a second costs the channel one call per window. What goes
 * out is journaled and queued per batch (`availability.publish`), through the channel's
 * protection policy, with the time of the change it carries so that freshness is measured.
 */
export class AvailabilityPublisher {
  private readonly states = new Map<string, ChannelState>();
  private stopped = false;

  constructor(private readonly deps: PublisherDeps) {}

  /**
   * Loads what each channel was last sent and compares everything once: a change applied just
   * before a stop, not yet published, goes out now.
   */
  async start(): Promise<void> {
    const { engine } = this.deps;
    const now = this.deps.clock.now();
    for (const instance of this.deps.channels) {
      if (!instance.connector.availability) continue;
      const published = new Map((await this.deps.store.loadPublishedAvailability(instance.id)).map((e) => [e.sku, e.available] as const));
      const dirty = new Map<string, number>();
      for (const sku of engine.skus()) dirty.set(sku, now);
      this.states.set(instance.id, {
        instance, freshnessMs: engine.rules.rule(instance.id).freshnessMs, dirty, published, timer: undefined, lastFlush: 0, flushing: undefined,
      });
    }
    engine.onChange((skus, at) => this.mark(skus, at));
    for (const state of this.states.values()) this.schedule(state);
  }

  /** Publishes what is pending now (tests, shutdown). */
  async flushAll(): Promise<void> {
    for (const state of this.states.values()) await this.flush(state);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const state of this.states.values()) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = undefined;
      await state.flushing;
    }
  }

  private mark(skus: ReadonlySet<string>, at: number): void {
    for (const state of this.states.values()) {
      for (const sku of skus) if (!state.dirty.has(sku)) state.dirty.set(sku, at);
      this.schedule(state);
    }
  }

  private schedule(state: ChannelState): void {
    if (this.stopped || state.timer || state.dirty.size === 0) return;
    const wait = Math.max(0, state.lastFlush + state.freshnessMs - this.deps.clock.now());
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.flush(state);
    }, wait);
    state.timer.unref();
  }

  private async flush(state: ChannelState): Promise<void> {
    if (state.flushing) return state.flushing;
    state.flushing = this.publish(state).finally(() => {
      state.flushing = undefined;
      this.schedule(state);
    });
    return state.flushing;
  }

  private async publish(state: ChannelState): Promise<void> {
    const { engine, clock } = this.deps;
    state.lastFlush = clock.now();
    if (state.dirty.size === 0) return;
    const dirty = state.dirty;
    state.dirty = new Map();
    const updates: { sku: string; available: number }[] = [];
    let changedAt = Number.POSITIVE_INFINITY;
    for (const [sku, at] of dirty) {
      const a = engine.availability(sku, state.instance.id);
      if (!a.tracked || state.published.get(sku) === a.available) continue;
      updates.push({ sku, available: a.available });
      changedAt = Math.min(changedAt, at);
    }
    if (updates.length === 0) return;
    try {
      const now = clock.now();
      await queueAvailability({ store: this.deps.store, maxAttempts: this.deps.maxAttempts, now }, [state.instance], updates, {
        source: 'inventory', correlationId: `inv-${now.toString(36)}`, changedAt,
      });
      for (const u of updates) state.published.set(u.sku, u.available);
      await this.deps.store.savePublishedAvailability(state.instance.id, updates, now);
      this.deps.metrics?.availabilityQueued.inc({ channel: state.instance.id }, updates.length);
      this.deps.notifyWork();
    } catch (error) {
      // Not lost: the SKUs are compared again at the next window.
      for (const [sku, at] of dirty) if (!state.dirty.has(sku)) state.dirty.set(sku, at);
      this.deps.logger?.warn({ err: error, channel: state.instance.id }, 'availability could not be queued; retried at the next window');
    }
  }
}
