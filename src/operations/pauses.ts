import type { Logger } from '../observability/logger.js';
import type { TargetPause } from '../store/operations-types.js';
import type { Store } from '../store/types.js';

/** How often every process re-reads the paused targets. @default 2000 */
export const PAUSE_REFRESH_MS = 2_000;

/**
 * The paused targets as this process knows them. The store is the truth shared by every
 * process; each re-reads it every couple of seconds, and the process that pauses or resumes
 * knows at once. Protection policies ask `pausedFor` before every call, so it never awaits.
 */
export class TargetPauses {
  #pauses = new Map<string, TargetPause>();
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: Pick<Store, 'listTargetPauses' | 'pauseTarget' | 'resumeTarget'>, private readonly logger?: Logger) {}

  /**
   * The pause that covers `target`: its own, or its connector's (`shopify-us` pauses
   * `shopify-us.graphql` too).
   */
  readonly pausedFor = (target: string): { by: string; reason: string | null } | undefined => {
    if (this.#pauses.size === 0) return undefined;
    for (let name = target; ; name = name.slice(0, name.lastIndexOf('.'))) {
      const pause = this.#pauses.get(name);
      if (pause) return { by: pause.pausedBy, reason: pause.reason };
      if (!name.includes('.')) return undefined;
    }
  };

  /** Every pause, as last read. */
  list(): TargetPause[] {
    return [...this.#pauses.values()];
  }

  get(target: string): TargetPause | undefined {
    return this.#pauses.get(target);
  }

  async refresh(): Promise<void> {
    const pauses = await this.store.listTargetPauses();
    this.#pauses = new Map(pauses.map((p) => [p.target, p]));
  }

  /** Reads the pauses now, then every `intervalMs`. */
  async start(intervalMs = PAUSE_REFRESH_MS): Promise<void> {
    await this.refresh();
    this.#timer ??= setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger?.warn({ err: error }, 'could not refresh paused targets'));
    }, intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Pauses `target` in the store and in this process at once; a second pause keeps the first. */
  async pause(pause: TargetPause): Promise<TargetPause> {
    const stored = await this.store.pauseTarget(pause);
    this.#pauses.set(stored.target, stored);
    return stored;
  }

  /** Resumes `target` in the store and in this process at once. */
  async resume(target: string, now: number): Promise<TargetPause | undefined> {
    const ended = await this.store.resumeTarget(target, now);
    this.#pauses.delete(target);
    return ended;
  }
}
