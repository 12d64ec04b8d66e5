import { num } from './document.js';

/**
 * Magento amounts are JSON floats kept at four decimals in its database (decimal(20,4)). They
 * become decimal strings here, once, and all arithmetic after that is on strings (lib/money).
 */
export function decimalOf(value: unknown): string | undefined {
  const n = num(value);
  if (n === undefined) return undefined;
  // Six places is the canonical precision; a float like 0.1 + 0.2 is cut back to what Magento stored.
  return trimZeros(n.toFixed(6));
}

/** `12.500000` → `12.5`, `-0.000000` → `0`. */
export function trimZeros(decimal: string): string {
  const trimmed = decimal.includes('.') ? decimal.replace(/0+$/, '').replace(/\.$/, '') : decimal;
  return trimmed === '-0' ? '0' : trimmed;
}

/** The amount without its sign (Magento's order `discount_amount` is negative, the items' positive). */
export function absolute(decimal: string): string {
  return decimal.startsWith('-') ? decimal.slice(1) : decimal;
}

export const isPositive = (decimal: string | undefined): decimal is string =>
  decimal !== undefined && !decimal.startsWith('-') && /[1-9]/.test(decimal);
