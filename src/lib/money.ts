/**
 * Money is carried as decimal strings (never floats) so that "10.10" stays "10.10" from the
 * channel to the ERP. Arithmetic is done on scaled bigints.
 */
export const DECIMAL_PATTERN = '^-?(0|[1-9][0-9]*)(\\.[0-9]{1,6})?$';
const DECIMAL = new RegExp(DECIMAL_PATTERN);
const SCALE = 6;

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

function toScaled(value: string): bigint {
  if (!isDecimal(value)) throw new TypeError(`not a decimal string: ${value}`);
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const scaled = BigInt(whole) * 10n ** BigInt(SCALE) + BigInt(fraction.padEnd(SCALE, '0'));
  return negative ? -scaled : scaled;
}

function fromScaled(scaled: bigint, decimals: number): string {
  const negative = scaled < 0n;
  let abs = negative ? -scaled : scaled;
  const drop = 10n ** BigInt(SCALE - decimals);
  // Round half away from zero at the requested number of decimals.
  abs = (abs + drop / 2n) / drop;
  const unit = 10n ** BigInt(decimals);
  const whole = abs / unit;
  const fraction = (abs % unit).toString().padStart(decimals, '0');
  const text = decimals > 0 ? `${whole}.${fraction}` : `${whole}`;
  return negative && abs !== 0n ? `-${text}` : text;
}

/** Sum of decimal strings, rendered with `decimals` places. */
export function sumDecimals(values: readonly string[], decimals = 2): string {
  return fromScaled(values.reduce((acc, v) => acc + toScaled(v), 0n), decimals);
}

/** `unitPrice × quantity`, rendered with `decimals` places. */
export function multiplyDecimal(unitPrice: string, quantity: number, decimals = 2): string {
  const q = toScaled(String(quantity));
  return fromScaled((toScaled(unitPrice) * q) / 10n ** BigInt(SCALE), decimals);
}

/** -1, 0 or 1 as a < b, a = b, a > b. */
export function compareDecimals(a: string, b: string): number {
  const d = toScaled(a) - toScaled(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** `value ÷ divisor` (a positive integer, e.g. the units in a case), rendered with `decimals` places. */
export function divideDecimal(value: string, divisor: number, decimals = 4): string {
  if (!Number.isInteger(divisor) || divisor <= 0) throw new RangeError(`divisor must be a positive integer: ${divisor}`);
  // One more place than SCALE would need is not needed: fromScaled rounds half away from zero.
  return fromScaled(toScaled(value) / BigInt(divisor), decimals);
}

/** A percentage as a decimal string: `12.5` → `"12.5"`, refusing what `String` would write in exponent form. */
function percentText(percent: number): string {
  const text = String(percent);
  if (!isDecimal(text)) throw new RangeError(`percent must be a plain decimal number: ${percent}`);
  return text;
}

/** `value` less `percent` % of it (`percent` in [0, 100]), rendered with `decimals` places. */
export function lessPercent(value: string, percent: number, decimals = 2): string {
  if (!(percent >= 0 && percent <= 100)) throw new RangeError(`percent must be within 0..100: ${percent}`);
  const keep = 100n * 10n ** BigInt(SCALE) - toScaled(percentText(percent));
  return fromScaled((toScaled(value) * keep) / (100n * 10n ** BigInt(SCALE)), decimals);
}

/**
 * How far `value` is from `reference`, in percent of `reference` (negative: below), rendered
 * with `decimals` places. `reference` must not be zero.
 */
export function percentDifference(value: string, reference: string, decimals = 1): string {
  const ref = toScaled(reference);
  if (ref === 0n) throw new RangeError('reference must not be zero');
  // Scaled by 10^SCALE once more so the division keeps SCALE decimals of the percentage.
  return fromScaled(((toScaled(value) - ref) * 100n * 10n ** BigInt(SCALE)) / ref, decimals);
}

/** `a − b`, rendered with `decimals` places. */
export function subtractDecimals(a: string, b: string, decimals = 2): string {
  return fromScaled(toScaled(a) - toScaled(b), decimals);
}
