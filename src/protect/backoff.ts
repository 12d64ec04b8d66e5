/**
 * Delay before retry number `retry` (1 for the first retry): "full jitter", a uniform draw in
 * [0, base·2^(retry−1)), capped at `capMs`. Jitter spreads the retries of many callers that
 * failed together, so they do not return to a recovering target in one wave.
 * See https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/.
 *
 * @param random a draw in [0, 1); injected so tests choose the delay.
 */
export function fullJitterBackoff(retry: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
