/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3) as milliseconds from `now`.
 * Accepts delay-seconds ("120"), decimal seconds some servers send ("2.0", "1.5") and an
 * HTTP-date (a date in the past means "now": 0). Returns undefined when the header is absent
 * or unreadable, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // Only an HTTP-date may follow; a bare signed number ("-5") is malformed, not a date.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
