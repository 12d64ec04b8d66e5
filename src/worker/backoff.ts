/**
 * Delay before a job's next attempt: exponential from `baseMs`, capped at `maxMs`, with "equal
 * jitter" (half fixed, half random) so retries of many jobs that failed together spread out,
 * and never sooner than the target asked for (`Retry-After`).
 */
export function jobRetryDelay(attempt: number, options: { baseMs: number; maxMs: number; random: () => number; retryAfterMs?: number }): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + (options.random() * exponential) / 2;
  return Math.round(Math.max(jittered, options.retryAfterMs ?? 0));
}
