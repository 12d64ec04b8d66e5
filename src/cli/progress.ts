/**
 * Progress of a long-running command (replaying thousands of dead letters, benchmarks): done of
 * total, rate, estimated time left and elapsed time. On a terminal one line on stderr is
 * rewritten in place; in a log (CI, `2> file`) a line is written every few seconds instead, so
 * the log stays readable. And Ctrl-C handling: the first stops after the current unit of work,
 * the second at once.
 */

/** Where progress is written: process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** The rate estimate: an exponentially weighted moving average of items per second. */
export interface RateEstimate {
  /** Items per second, smoothed; undefined until two observations exist. */
  perSecond: number | undefined;
  lastAt: number;
  lastDone: number;
}

/**
 * How long the smoothing remembers, in ms. A rate over the last ~10 s follows a slowdown
 * quickly without making the estimate jump with every batch.
 */
export const RATE_TIME_CONSTANT_MS = 10_000;

export function startRate(done: number, now: number): RateEstimate {
  return { perSecond: undefined, lastAt: now, lastDone: done };
}

/**
 * Folds one observation into the estimate. The weight of the new sample grows with the time it
 * covers (1 − e^(−Δt/τ)), so irregular observations — a batch of 200, then one item — weigh by
 * the time they took, not by how often they were reported.
 */
export function observeRate(estimate: RateEstimate, done: number, now: number, tauMs = RATE_TIME_CONSTANT_MS): RateEstimate {
  const elapsedMs = now - estimate.lastAt;
  if (elapsedMs <= 0) return estimate;
  const sample = ((done - estimate.lastDone) * 1000) / elapsedMs;
  const weight = 1 - Math.exp(-elapsedMs / tauMs);
  const perSecond = estimate.perSecond === undefined ? sample : weight * sample + (1 - weight) * estimate.perSecond;
  return { perSecond, lastAt: now, lastDone: done };
}

/** Milliseconds left at `perSecond`; undefined when nothing is known or nothing moves. */
export function etaMs(remaining: number, perSecond: number | undefined): number | undefined {
  if (remaining <= 0) return 0;
  if (perSecond === undefined || !(perSecond > 0)) return undefined;
  return (remaining / perSecond) * 1000;
}

/** `42s`, `3m05s`, `1h02m`: short enough for one terminal line. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export interface ProgressOptions {
  /** What is being done, e.g. `replay`. */
  label: string;
  /** Items in all, when known. */
  total?: number;
  /** Word for an item, plural: `dead letters`. @default 'items' */
  unit?: string;
  /** @default process.stderr */
  stream?: ProgressStream;
  /** @default Date.now */
  now?: () => number;
  /** Off a terminal, the least time between two lines. @default 5000 */
  logEveryMs?: number;
}

/** One long-running command's progress. Call `update` as work completes and `finish` at the end. */
export class Progress {
  private done = 0;
  private total: number | undefined;
  private rate: RateEstimate;
  private readonly startedAt: number;
  private lastLoggedAt = -Infinity;
  private lineOpen = false;
  private readonly stream: ProgressStream;
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? Date.now;
    this.total = options.total;
    this.startedAt = this.now();
    this.rate = startRate(0, this.startedAt);
  }

  /** The total became known or changed (paging through a list whose size grows). */
  setTotal(total: number): void {
    this.total = total;
  }

  /** `count` more items are done. */
  advance(count = 1): void {
    this.done += count;
    this.rate = observeRate(this.rate, this.done, this.now());
    this.render();
  }

  get completed(): number {
    return this.done;
  }

  /** The status line, without writing it. */
  line(): string {
    const elapsed = this.now() - this.startedAt;
    const unit = this.options.unit ?? 'items';
    const parts = [`${this.options.label}: ${this.done}${this.total !== undefined ? `/${this.total}` : ''} ${unit}`];
    if (this.total !== undefined && this.total > 0) parts.push(`${Math.floor((100 * this.done) / this.total)}%`);
    if (this.rate.perSecond !== undefined) parts.push(`${this.rate.perSecond.toFixed(this.rate.perSecond < 10 ? 1 : 0)}/s`);
    parts.push(`elapsed ${formatDuration(elapsed)}`);
    if (this.total !== undefined) {
      const left = etaMs(this.total - this.done, this.rate.perSecond);
      parts.push(`left ${left === undefined ? '?' : `~${formatDuration(left)}`}`);
    }
    return parts.join('  ');
  }

  /** Writes the status: in place on a terminal, at most every `logEveryMs` otherwise. */
  render(): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${this.line()}`);
      this.lineOpen = true;
      return;
    }
    const now = this.now();
    if (now - this.lastLoggedAt < (this.options.logEveryMs ?? 5_000)) return;
    this.lastLoggedAt = now;
    this.stream.write(`${this.line()}\n`);
  }

  /** A message of its own line, without tearing the status line on a terminal. */
  note(message: string): void {
    this.closeLine();
    this.stream.write(`${message}\n`);
  }

  /** The final summary: what was done, in how long, at what average rate. */
  finish(outcome = 'done'): void {
    this.closeLine();
    const elapsed = this.now() - this.startedAt;
    const average = elapsed > 0 ? (this.done * 1000) / elapsed : 0;
    const unit = this.options.unit ?? 'items';
    const of = this.total !== undefined ? ` of ${this.total}` : '';
    this.stream.write(`${this.options.label} ${outcome}: ${this.done}${of} ${unit} in ${formatDuration(elapsed)} (${average.toFixed(1)}/s)\n`);
  }

  private closeLine(): void {
    if (!this.lineOpen) return;
    this.stream.write('\r\x1b[2K');
    this.lineOpen = false;
  }
}

/** The process's signal events, or a stand-in in tests. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface InterruptionOptions {
  /** Said at the first signal. @default 'stopping after the current batch… (Ctrl-C again to stop at once)' */
  message?: string;
  /** @default process.stderr */
  stream?: ProgressStream;
  /** @default process */
  signals?: SignalSource;
  /** The second signal. @default exit with status 130 */
  onForce?: () => void;
}

/** Set once the user asked to stop; the loop checks it between units of work. */
export interface Interruption {
  readonly requested: boolean;
  /** Removes the signal handlers (at the end of the command). */
  dispose(): void;
}

/**
 * First SIGINT/SIGTERM: ask the loop to stop after the unit of work in hand. Second: stop at
 * once. Either way nothing is half-applied, because every unit of work is one API call whose
 * effect is one transaction: what was done stays done, and running the command again carries on.
 */
export function interruptible(options: InterruptionOptions = {}): Interruption {
  const signals = options.signals ?? process;
  const stream = options.stream ?? process.stderr;
  let requested = false;
  const onSignal = () => {
    if (requested) {
      (options.onForce ?? (() => process.exit(130)))();
      return;
    }
    requested = true;
    stream.write(`\n${options.message ?? 'stopping after the current batch… (Ctrl-C again to stop at once)'}\n`);
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  return {
    get requested() {
      return requested;
    },
    dispose() {
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
    },
  };
}
