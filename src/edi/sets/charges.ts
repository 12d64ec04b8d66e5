/**
 * SAC (service, promotion, allowance or charge) in both directions. SAC01 A allowance / C
 * charge / N no allowance or charge; SAC02 code from list 1300 (D240 freight, G830 shipping and
 * handling, D500 handling, C310 discount, ZZZZ mutually defined); SAC05 amount with two implied
 * decimals (N2); SAC15 description. Canonical discounts are negative amounts.
 */
import type { OrderSubmission } from '../../canonical/order.js';
import { optional, required, type Problems } from './elements.js';
import { seg, type Located, type OutSegment } from './segments.js';
import { decimalToN2, n2ToDecimal } from './values.js';

export type Charge = NonNullable<OrderSubmission['charges']>[number];

const SHIPPING = new Set(['D240', 'G830']);
const HANDLING = new Set(['D500']);

/** A SAC as a canonical charge; undefined (with a warning) when it carries no amount. */
export function readSac(p: Problems, at: Located, warnings: string[]): Charge | undefined {
  const indicator = required(p, at, 1, { type: 'ID', min: 1, max: 1, codes: ['A', 'C', 'N'], ref: '248' });
  const code = optional(p, at, 2, { type: 'ID', min: 4, max: 4, ref: '1300' });
  const amount = optional(p, at, 5, { type: 'N2', min: 1, max: 15, ref: '610' });
  const description = optional(p, at, 15, { type: 'AN', min: 1, max: 80, ref: '352' });
  if (indicator === undefined || indicator === 'N') return undefined;
  if (amount === undefined) {
    warnings.push(`SAC at segment ${at.position} (${code ?? 'no code'}) carries no amount (a percentage or rate only): not mapped`);
    return undefined;
  }
  const value = n2ToDecimal(amount.replace(/^-/, ''));
  const text = description ?? code;
  if (indicator === 'A') return { type: 'discount', amount: value === '0.00' ? value : `-${value}`, ...(text ? { description: text } : {}) };
  const type = code && SHIPPING.has(code) ? 'shipping' : code && HANDLING.has(code) ? 'handling' : 'fee';
  return { type, amount: value, ...(text ? { description: text } : {}) };
}

/** A canonical charge as a SAC. */
export function sacOf(charge: Charge): OutSegment {
  const negative = charge.amount.startsWith('-');
  const amount = decimalToN2(negative ? charge.amount.slice(1) : charge.amount);
  if (charge.type === 'discount') return seg('SAC', 'A', 'C310', undefined, undefined, amount, ...Array(9).fill(undefined), charge.description?.slice(0, 80));
  const code = charge.type === 'shipping' ? 'D240' : charge.type === 'handling' ? 'D500' : 'ZZZZ';
  return seg('SAC', negative ? 'A' : 'C', code, undefined, undefined, amount, ...Array(9).fill(undefined), charge.description?.slice(0, 80));
}
