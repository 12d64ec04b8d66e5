import type { MappingProblem } from '../../channels/types.js';
import { isDecimal } from '../../lib/money.js';

/**
 * Readers for Amazon documents as they arrive (`unknown`): Orders API v0 `Order` and
 * `OrderItem` models. They never throw; a value of the wrong type reads as absent, and the
 * mapping turns an absent required value into a problem naming its path.
 */

export type JsonRecord = Record<string, unknown>;

/** What the connector journals for one Amazon order: `getOrders` entry plus all `getOrderItems` pages. */
export interface AmazonOrderDocument {
  order: JsonRecord;
  items: JsonRecord[];
}

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function record(value: unknown): JsonRecord | undefined {
  return isRecord(value) ? value : undefined;
}

/** A non-blank string, trimmed; undefined otherwise. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Amazon sends some booleans as strings (`IsGift`: "true"/"false", per the OrderItem model). */
export function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** `Money.Amount` (a decimal string) of a Money object, undefined when absent or not a decimal. */
export function amountOf(money: unknown): string | undefined {
  const amount = text(record(money)?.Amount);
  return amount !== undefined && isDecimal(amount) ? amount : undefined;
}

export function currencyOf(money: unknown): string | undefined {
  return text(record(money)?.CurrencyCode);
}

/** An ISO 8601 instant normalised to `toISOString()` form; undefined when unreadable. */
export function instant(value: unknown): string | undefined {
  const raw = text(value);
  if (raw === undefined || !/^\d{4}-\d{2}-\d{2}T/.test(raw)) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Splits a journaled document into its order and items, or says what is wrong with it. */
export function readDocument(document: unknown): { ok: true; value: AmazonOrderDocument } | { ok: false; problems: MappingProblem[] } {
  const root = record(document);
  const order = record(root?.order);
  if (order === undefined) return { ok: false, problems: [{ path: 'order', message: 'an Amazon order document is { order, items }: order is missing' }] };
  if (!Array.isArray(root?.items)) return { ok: false, problems: [{ path: 'items', message: 'the order items (getOrderItems) are missing' }] };
  const items: JsonRecord[] = [];
  const problems: MappingProblem[] = [];
  root.items.forEach((item, index) => {
    if (isRecord(item)) items.push(item);
    else problems.push({ path: `items[${index}]`, message: 'an order item must be an object' });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { order, items } };
}

/** Cuts a string to a canonical field's maximum length. */
export function clip(value: string, max: number): string {
  return value.length <= max ? value : value.slice(0, max);
}
