/**
 * Conversions between X12 element values and canonical values. Money never passes through a
 * float: R and Nn elements become decimal strings by text manipulation.
 */
import { isDecimal, sumDecimals } from '../../lib/money.js';

/** CCYYMMDD (+ optional HHMM[SS]) → ISO 8601 UTC. X12 dates carry no zone; the partner's local date is kept as is. */
export function x12DateToIso(date: string, time?: string): string {
  const hh = time?.slice(0, 2) ?? '00', mm = time?.slice(2, 4) ?? '00', ss = time && time.length >= 6 ? time.slice(4, 6) : '00';
  return `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${hh}:${mm}:${ss}Z`;
}

/** ISO 8601 → CCYYMMDD (UTC). */
export function isoToX12Date(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10).replace(/-/g, '');
}

/** ISO 8601 → HHMM (UTC). */
export function isoToX12Time(iso: string): string {
  return new Date(iso).toISOString().slice(11, 16).replace(':', '');
}

/**
 * An R element ("12.5", ".5", "12.", "-3") → canonical decimal string ("12.5", "0.5", "12", "-3").
 * Returns undefined for more than 6 decimals (canonical money's limit) after dropping trailing zeros.
 */
export function rToDecimal(value: string): string | undefined {
  const negative = value.startsWith('-');
  let [whole = '', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  whole = whole.replace(/^0+(?=\d)/, '') || '0';
  fraction = fraction.replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole;
  const signed = negative && text !== '0' ? `-${text}` : text;
  return isDecimal(signed) ? signed : undefined;
}

/** An N2 element ("1999" = 19.99) → decimal string with 2 places. */
export function n2ToDecimal(value: string): string {
  const negative = value.startsWith('-');
  const digits = (negative ? value.slice(1) : value).padStart(3, '0');
  const text = `${digits.slice(0, -2).replace(/^0+(?=\d)/, '')}.${digits.slice(-2)}`;
  return negative && text !== '0.00' ? `-${text}` : text;
}

/** A decimal string → N2 element (implied two decimals, no point): "19.99" → "1999", "-5" → "-500". Rounds half away from zero. */
export function decimalToN2(value: string): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  let cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  if (Number(fraction.charAt(2) || '0') >= 5) cents += 1n;
  return negative && cents !== 0n ? `-${cents}` : `${cents}`;
}

/** A decimal string as an R element, reading like a price: "11.000000" → "11.00", "0.833300" → "0.8333", "11" stays. */
export function decimalToR(value: string): string {
  return value.includes('.') ? tidyMoney(value) : value;
}

/** A quantity as an R element: integers stay integers; fractions lose float noise. */
export function quantityToR(q: number): string {
  return Number.isInteger(q) ? String(q) : String(Number(q.toFixed(6)));
}

/** A money decimal with at least two places ("2" → "2.00", "0.833333" stays), the way prices read. */
export function tidyMoney(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${whole}.${trimmed.padEnd(2, '0')}`;
}

/** CTT02-style hash total of R quantities, without trailing zeros. */
export function hashTotal(quantities: readonly string[]): string {
  return sumDecimals(quantities, 6).replace(/\.?0+$/, '');
}
