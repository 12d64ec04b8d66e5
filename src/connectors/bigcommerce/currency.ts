/**
 * Which currency a BigCommerce order is booked in. The v2 Order resource (Orders V2 reference,
 * "Currency Fields") carries three:
 * - `default_currency_code`: the transactional currency the shopper paid in; every amount of the
 *   order (products, shipping, totals) is in it;
 * - `store_default_currency_code` (multi-currency stores only; '' otherwise): the store's own
 *   currency, with `store_default_to_transactional_exchange_rate` (store → transactional);
 * - `currency_code`: the display currency the storefront showed, with `currency_exchange_rate`
 *   (store → display).
 * The ERP books the store currency; what the shopper saw or paid, when different, is the
 * presentment.
 */
import { amount, type Json, text } from './values.js';

export interface OrderCurrency {
  /** The currency crossdock books the order in (the store's default). */
  currency: string;
  /** Turns an amount of the order (transactional currency) into `currency`. */
  toBooked(value: string, decimals: number): string;
  /** What the shopper saw or paid when it differs from `currency`. */
  presentment?: { currency: string; total: string };
}

export type CurrencyProblem = { path: string; message: string };

export function orderCurrency(order: Json): OrderCurrency | CurrencyProblem {
  const transactional = text(order.default_currency_code) ?? text(order.currency_code);
  if (transactional === undefined) return { path: 'order.default_currency_code', message: 'missing currency code' };
  const store = text(order.store_default_currency_code) ?? transactional;
  const total = amount(order.total_inc_tax) ?? '0.00';
  const identity = (value: string, decimals: number) => amount(value, decimals) ?? value;

  if (store !== transactional) {
    const rate = amount(order.store_default_to_transactional_exchange_rate, 6);
    if (rate === undefined || !isPositive(rate)) {
      return { path: 'order.store_default_to_transactional_exchange_rate', message: `no usable exchange rate from ${store} to ${transactional}` };
    }
    return {
      currency: store,
      toBooked: (value, decimals) => divideByRate(value, rate, decimals),
      presentment: { currency: transactional, total },
    };
  }

  const display = text(order.currency_code);
  const displayRate = amount(order.currency_exchange_rate, 6);
  if (display !== undefined && display !== store && displayRate !== undefined && isPositive(displayRate)) {
    // A display-only currency: the shopper was charged in the store currency and saw an estimate.
    return { currency: store, toBooked: identity, presentment: { currency: display, total: multiplyByRate(total, displayRate, 2) } };
  }
  return { currency: store, toBooked: identity };
}

const SCALE = 10n ** 6n;

function scaled(value: string): bigint {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const n = BigInt(whole) * SCALE + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return negative ? -n : n;
}

function render(scaledValue: bigint, decimals: number): string {
  const negative = scaledValue < 0n;
  let abs = negative ? -scaledValue : scaledValue;
  const drop = 10n ** BigInt(6 - decimals);
  abs = (abs + drop / 2n) / drop; // half away from zero
  const unit = 10n ** BigInt(decimals);
  const body = decimals > 0 ? `${abs / unit}.${(abs % unit).toString().padStart(decimals, '0')}` : `${abs}`;
  return negative && abs !== 0n ? `-${body}` : body;
}

function isPositive(value: string): boolean {
  return scaled(value) > 0n;
}

/** `value ÷ rate`, both decimal strings, rounded half away from zero. */
export function divideByRate(value: string, rate: string, decimals: number): string {
  const numerator = scaled(value) * SCALE;
  const denominator = scaled(rate);
  // Round at the 6th place here; render rounds again to `decimals`.
  const q = (numerator * 2n + (numerator < 0n ? -denominator : denominator)) / (2n * denominator);
  return render(q, decimals);
}

/** `value × rate`, both decimal strings. */
export function multiplyByRate(value: string, rate: string, decimals: number): string {
  const product = scaled(value) * scaled(rate);
  const q = (product * 2n + (product < 0n ? -SCALE : SCALE)) / (2n * SCALE);
  return render(q, decimals);
}
