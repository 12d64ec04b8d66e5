import type { Clock } from '../../lib/clock.js';
import { SlidingWindow } from './window.js';

/** What `GET /sandbox/erp/stats` answers. */
export interface SandboxErpStats {
  /** ERP API calls received, including the ones refused by an outage or the rate cap. */
  total: number;
  /** Calls per route, e.g. `POST /api/sales-orders`. */
  calls: Record<string, number>;
  /** Answers per HTTP status, plus `dropped` for sockets destroyed unanswered. */
  responses: Record<string, number>;
  /** Most calls received in any sliding 1-second window: what rate compliance is judged on. */
  peakPerSecond: number;
  /** Most calls served (admitted past outage and rate cap) in any sliding 1-second window. */
  peakServedPerSecond: number;
}

/** Counter deltas since the last flush, and peaks to merge with `MAX`. */
export interface StatsDelta {
  counts: Record<string, number>;
  peaks: Record<string, number>;
}

const TOTAL = 'total';
const CALLS = 'calls:';
const RESPONSES = 'responses:';
const PEAK_RECEIVED = 'peak:received';
const PEAK_SERVED = 'peak:served';

/**
 * Call counters and peaks. Counted in memory on the hot path and flushed to the ERP's database
 * now and then, because a synchronous fsync per GET would make the sandbox ERP, not crossdock,
 * the bottleneck of every benchmark. A SIGKILL loses at most one flush interval of counts;
 * orders themselves are never at risk (they commit with the create).
 */
export class CallStats {
  private readonly baseline: Map<string, number>;
  private readonly pending = new Map<string, number>();
  private readonly received = new SlidingWindow(1000);
  private peakReceived: number;
  private peakServed: number;
  private peaksDirty = false;

  constructor(
    persisted: Record<string, number>,
    private readonly clock: Clock,
  ) {
    this.baseline = new Map(Object.entries(persisted));
    this.peakReceived = persisted[PEAK_RECEIVED] ?? 0;
    this.peakServed = persisted[PEAK_SERVED] ?? 0;
  }

  /** One ERP API call arrived on `route`. */
  callReceived(route: string): void {
    this.bump(TOTAL);
    this.bump(CALLS + route);
    const inWindow = this.received.add(this.clock.now());
    if (inWindow > this.peakReceived) {
      this.peakReceived = inWindow;
      this.peaksDirty = true;
    }
  }

  /** One call passed the outage and rate-cap checks; `inWindow` counts it. */
  callServed(inWindow: number): void {
    if (inWindow > this.peakServed) {
      this.peakServed = inWindow;
      this.peaksDirty = true;
    }
  }

  /** How a call ended: an HTTP status, or `dropped`. */
  answered(outcome: number | 'dropped'): void {
    this.bump(RESPONSES + String(outcome));
  }

  snapshot(): SandboxErpStats {
    const calls: Record<string, number> = {};
    const responses: Record<string, number> = {};
    let total = 0;
    for (const [name, value] of this.merged()) {
      if (name === TOTAL) total = value;
      else if (name.startsWith(CALLS)) calls[name.slice(CALLS.length)] = value;
      else if (name.startsWith(RESPONSES)) responses[name.slice(RESPONSES.length)] = value;
    }
    return { total, calls, responses, peakPerSecond: this.peakReceived, peakServedPerSecond: this.peakServed };
  }

  /** The changes since the last call, or undefined when there are none; moves them to the baseline. */
  takeDelta(): StatsDelta | undefined {
    if (this.pending.size === 0 && !this.peaksDirty) return undefined;
    const counts = Object.fromEntries(this.pending);
    for (const [name, value] of this.pending) this.baseline.set(name, (this.baseline.get(name) ?? 0) + value);
    this.pending.clear();
    this.peaksDirty = false;
    return { counts, peaks: { [PEAK_RECEIVED]: this.peakReceived, [PEAK_SERVED]: this.peakServed } };
  }

  /** Forgets everything, for `POST /reset-stats` (the caller clears the stored counters). */
  reset(): void {
    this.baseline.clear();
    this.pending.clear();
    this.received.clear();
    this.peakReceived = 0;
    this.peakServed = 0;
    this.peaksDirty = false;
  }

  private bump(name: string): void {
    this.pending.set(name, (this.pending.get(name) ?? 0) + 1);
  }

  private merged(): Map<string, number> {
    const merged = new Map(this.baseline);
    for (const [name, value] of this.pending) merged.set(name, (merged.get(name) ?? 0) + value);
    return merged;
  }
}
