/**
 * Timestamps of the events of the last `widthMs`, kept in a ring that grows when a burst
 * outruns it. Counting at each arrival gives the exact maximum over every sliding window,
 * since the busiest window always ends on an arrival — which is what "peak calls per
 * second" means, with no bucket edges to hide a burst that straddles two seconds.
 */
export class SlidingWindow {
  private times: Float64Array;
  private head = 0;
  private size = 0;

  constructor(
    readonly widthMs = 1000,
    initialCapacity = 64,
  ) {
    this.times = new Float64Array(Math.max(1, initialCapacity));
  }

  /** Events in `(now - widthMs, now]`. */
  count(now: number): number {
    this.expire(now);
    return this.size;
  }

  /** Records an event at `now` and returns the count including it. */
  add(now: number): number {
    this.expire(now);
    if (this.size === this.times.length) this.grow();
    this.times[(this.head + this.size) % this.times.length] = now;
    this.size += 1;
    return this.size;
  }

  /** The earliest event still inside the window, if any. */
  oldest(now: number): number | undefined {
    this.expire(now);
    return this.size > 0 ? this.times[this.head] : undefined;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }

  private expire(now: number): void {
    const edge = now - this.widthMs;
    while (this.size > 0 && (this.times[this.head] ?? Infinity) <= edge) {
      this.head = (this.head + 1) % this.times.length;
      this.size -= 1;
    }
  }

  private grow(): void {
    const next = new Float64Array(this.times.length * 2);
    for (let i = 0; i < this.size; i++) next[i] = this.times[(this.head + i) % this.times.length] ?? 0;
    this.times = next;
    this.head = 0;
  }
}
