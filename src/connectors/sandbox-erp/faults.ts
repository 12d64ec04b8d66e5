import type { Clock } from '../../lib/clock.js';
import { applyKnobsPatch, type KnobsResult, type SandboxErpKnobs } from './knobs.js';
import { sampleLatency, type RandomSource } from './latency.js';
import { SlidingWindow } from './window.js';

/** An outage, in epoch milliseconds: calls in `[from, to)` are refused. */
export interface OutageWindow {
  from: number;
  to: number;
}

/** What the ERP does with one incoming API call, decided before it is handled. */
export type Admission =
  | { kind: 'outage'; mode: 'error' | 'drop' }
  | { kind: 'rate-limited'; retryAfterMs: number; retryAfter: string }
  | { kind: 'serve'; latencyMs: number; fail: boolean; servedInWindow: number };

/**
 * Applies the knobs to each ERP API call: outage first (a down ERP counts nothing), then the
 * rate cap (a refused call is not served, so it does not use up the cap), then latency and the
 * random error. Time and randomness are injected so every branch is testable without sleeping.
 */
export class FaultInjector {
  private current: SandboxErpKnobs;
  private windows: OutageWindow[] = [];
  private readonly served = new SlidingWindow(1000);

  constructor(
    knobs: SandboxErpKnobs,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {
    this.current = knobs;
    this.planOutages(knobs);
  }

  get knobs(): SandboxErpKnobs {
    return this.current;
  }

  /** Validates and applies a partial update; planned outages restart from now when given. */
  update(patch: unknown): KnobsResult {
    const result = applyKnobsPatch(this.current, patch);
    if (!result.ok) return result;
    this.current = result.knobs;
    if (typeof patch === 'object' && patch !== null && 'outageWindows' in patch) this.planOutages(result.knobs);
    return result;
  }

  /** Starts an outage `afterMs` from now that lasts `durationMs`. */
  startOutage(durationMs: number, afterMs = 0): OutageWindow {
    const from = this.clock.now() + afterMs;
    const window = { from, to: from + durationMs };
    this.windows.push(window);
    return window;
  }

  /** Ends the current outage and cancels the planned ones. */
  endOutages(): void {
    this.windows = [];
  }

  /** Current and future outages. */
  outages(): OutageWindow[] {
    const now = this.clock.now();
    this.windows = this.windows.filter((w) => w.to > now);
    return this.windows.map((w) => ({ ...w }));
  }

  inOutage(now = this.clock.now()): boolean {
    return this.windows.some((w) => w.from <= now && now < w.to);
  }

  /** Decides the fate of one ERP API call arriving now. */
  admit(): Admission {
    const now = this.clock.now();
    const knobs = this.current;
    if (this.inOutage(now)) return { kind: 'outage', mode: knobs.outageMode };
    if (knobs.rateCap !== null && this.served.count(now) >= knobs.rateCap) {
      // The call may be served once the oldest call in the window leaves it.
      const oldest = this.served.oldest(now) ?? now;
      const retryAfterMs = Math.max(1, oldest + this.served.widthMs - now);
      return { kind: 'rate-limited', retryAfterMs, retryAfter: formatRetryAfter(retryAfterMs, knobs.retryAfterFormat) };
    }
    const servedInWindow = this.served.add(now);
    const latencyMs = sampleLatency(knobs.latencyMs, this.random);
    const fail = knobs.errorRate > 0 && this.random() < knobs.errorRate;
    return { kind: 'serve', latencyMs, fail, servedInWindow };
  }

  /** Whether this committed create should go unanswered. */
  loseResponse(): boolean {
    const rate = this.current.loseResponseRate;
    return rate > 0 && this.random() < rate;
  }

  private planOutages(knobs: SandboxErpKnobs): void {
    const now = this.clock.now();
    this.windows = knobs.outageWindows.map((w) => ({ from: now + w.afterMs, to: now + w.afterMs + w.durationMs }));
  }
}

/** `Retry-After` in seconds: "0.2" (fractional) or "1" (integer, rounded up, never 0). */
export function formatRetryAfter(ms: number, format: 'fractional' | 'integer'): string {
  if (format === 'integer') return String(Math.max(1, Math.ceil(ms / 1000)));
  return String(Math.max(0.001, Math.ceil(ms) / 1000));
}
