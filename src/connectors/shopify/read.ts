import { isDecimal } from '../../lib/money.js';

/**
 * Readers for JSON whose shape is only documented, never guaranteed (webhook bodies, REST and
 * GraphQL answers). Each returns undefined for a value of the wrong type instead of throwing,
 * so mappings can name the field that is wrong.
 */
export type JsonRecord = Readonly<Record<string, unknown>>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty trimmed string, else undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Shopify ids are 64-bit integers in JSON; read them as their decimal text so none loses digits. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  return undefined;
}

export function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/**
 * A money amount as a decimal string. Shopify sends money as strings ("19.99"); a number is
 * accepted when its text is a plain decimal (never through float arithmetic).
 */
export function decimal(value: unknown): string | undefined {
  if (typeof value === 'string' && isDecimal(value.trim())) return value.trim();
  if (typeof value === 'number' && Number.isFinite(value) && isDecimal(String(value))) return String(value);
  return undefined;
}

/** `{ shop_money: { amount } }` of a Shopify MoneyBag (`price_set`, `total_price_set` …). */
export function moneyOf(set: unknown, which: 'shop_money' | 'presentment_money'): { amount: string; currency?: string } | undefined {
  const money = asRecord(asRecord(set)?.[which]);
  const amount = decimal(money?.amount);
  if (amount === undefined) return undefined;
  const currency = text(money?.currency_code);
  return currency === undefined ? { amount } : { amount, currency };
}

/** Cuts a string to a schema's maxLength (Shopify allows longer notes and properties than the canonical model). */
export function clip(value: string, max: number): string {
  return value.length <= max ? value : value.slice(0, max);
}
