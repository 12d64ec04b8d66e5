/**
 * Adobe Commerce keeps `created_at` / `updated_at` in UTC and prints them as
 * `YYYY-MM-DD HH:MM:SS` (no zone), which is also the form its searchCriteria filters compare
 * against (REST "Search using REST endpoints": values are compared as stored).
 */
const MAGENTO_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/** Magento time (or an ISO 8601 string) → ISO 8601 UTC (`2024-05-01T10:00:00Z`); undefined when unreadable. */
export function isoFromMagento(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const magento = MAGENTO_TIME.exec(text);
  const ms = magento ? Date.parse(`${magento[1]}T${magento[2]}Z`) : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? undefined : isoSeconds(ms);
}

/** Epoch ms → Magento's `YYYY-MM-DD HH:MM:SS` (UTC), for searchCriteria values. */
export function magentoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Epoch ms → `YYYY-MM-DDTHH:MM:SSZ` (Magento has no sub-second precision). */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
