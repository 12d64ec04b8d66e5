/**
 * Readers for Adobe Commerce (Magento 2) REST documents. The REST API serialises the
 * `Magento\Sales\Api\Data\*Interface` getters: ids and quantities are JSON numbers, amounts
 * are floats (stored as decimal(20,4)), timestamps are `YYYY-MM-DD HH:MM:SS` in UTC. A document
 * read back from the journal is `unknown`, so every field is checked where it is read.
 */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object at `value`, or an empty one (absent `extension_attributes`, `payment` …). */
export const objectAt = (value: unknown): Json => (isObject(value) ? value : {});

export const arrayAt = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A non-blank string (numbers are accepted: Magento sends some codes either way). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A finite number; numeric strings too (some extensions send amounts as strings). */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** An entity id (`entity_id`, `item_id`): a positive integer, as a string. */
export function id(value: unknown): string | undefined {
  const n = num(value);
  return n !== undefined && Number.isInteger(n) && n > 0 ? String(n) : undefined;
}

/** Magento flags (`customer_is_guest`, `is_virtual`) come as 0/1, sometimes as booleans. */
export const flag = (value: unknown): boolean => value === true || value === 1 || value === '1';
