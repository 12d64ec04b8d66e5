import { isRecord } from './document.js';

/**
 * WordPress texturizes product names before the REST API returns them ("Ship Your Idea &ndash;
 * Color: Black" in the Orders reference): turn the usual entities back into characters.
 */
const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—',
  hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', times: '×',
};

export function plainText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&([a-z]+);/gi, (whole, name: string) => ENTITIES[name.toLowerCase()] ?? whole)
    .trim();
  return text === '' ? undefined : text;
}

/** A meta value as text: strings as they are, other JSON as JSON. */
export function metaValueText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return plainText(value) ?? (value === '' ? undefined : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Public `meta_data` entries → attributes. Keys starting with "_" are WooCommerce's and plugins'
 * private bookkeeping (hidden in the admin too); line items also carry `display_key` /
 * `display_value`, the label and value the shop shows ("Color" → "Black" for `pa_color`).
 */
export function metaAttributes(meta: unknown, skipKeys: readonly string[] = []): Record<string, string> | undefined {
  if (!Array.isArray(meta)) return undefined;
  const attributes: Record<string, string> = {};
  for (const entry of meta) {
    if (!isRecord(entry) || typeof entry.key !== 'string') continue;
    if (entry.key.startsWith('_') || skipKeys.includes(entry.key)) continue;
    const key = (typeof entry.display_key === 'string' && entry.display_key.trim() !== '' ? entry.display_key : entry.key).trim();
    const value = metaValueText(entry.display_value ?? entry.value);
    if (key === '' || value === undefined) continue;
    attributes[plainText(key)?.slice(0, 64) ?? key.slice(0, 64)] = value.slice(0, 1000);
  }
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}
