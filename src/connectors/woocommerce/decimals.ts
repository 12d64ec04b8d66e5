import { compareDecimals, divideDecimal, isDecimal, multiplyDecimal, sumDecimals } from '../../lib/money.js';

/**
 * Decimal-string helpers on top of src/lib/money.ts for amounts as WooCommerce writes them:
 * strings with the store's decimals ("6.00", "0.9"), sometimes numbers (`rate_percent`).
 */

/** A WooCommerce amount as a decimal string; undefined when it is not one. */
export function decimalOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    return isDecimal(text) ? text : undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Numbers only for rates; toFixed(6) keeps them exact to crossdock's six places.
    return trimDecimal(value.toFixed(6), 0);
  }
  return undefined;
}

/** Drops trailing zeros beyond `minDecimals` places ("3.500000" → "3.50"). */
export function trimDecimal(value: string, minDecimals = 2): string {
  const [whole, fraction = ''] = value.split('.');
  let kept = fraction.replace(/0+$/, '');
  if (kept.length < minDecimals) kept = kept.padEnd(minDecimals, '0');
  return kept === '' ? (whole ?? '0') : `${whole}.${kept}`;
}

export function subtractDecimals(a: string, b: string): string {
  return trimDecimal(sumDecimals([a, negateDecimal(b)], 6));
}

export function negateDecimal(value: string): string {
  if (value.startsWith('-')) return value.slice(1);
  return compareDecimals(value, '0') === 0 ? value : `-${value}`;
}

export function absDecimal(value: string): string {
  return value.startsWith('-') ? value.slice(1) : value;
}

export function isPositive(value: string): boolean {
  return compareDecimals(value, '0') > 0;
}

export function isZero(value: string): boolean {
  return compareDecimals(value, '0') === 0;
}

export function addDecimals(values: readonly string[]): string {
  return trimDecimal(sumDecimals(values, 6));
}

/** `total ÷ units` to six places, trimmed ("6.00" ÷ 2 → "3.00"; "10.00" ÷ 3 → "3.333333"). */
export function perUnit(total: string, units: number): string {
  return trimDecimal(divideDecimal(total, units, 6));
}

/** `amount × part ÷ whole`, for a line discount when refunds leave `part` of `whole` units. */
export function prorate(amount: string, part: number, whole: number): string {
  return trimDecimal(divideDecimal(multiplyDecimal(amount, part, 6), whole, 6));
}
