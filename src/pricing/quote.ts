import { multiplyDecimal } from '../lib/money.js';
import type { PriceBook } from './book.js';
import { currencyDecimals, resolvePrice, type PriceContext, type PriceRequest, type WinningRule } from './resolve.js';

export interface QuoteRequest extends PriceContext {
  lines: readonly { sku: string; quantity: number; uom?: string }[];
}

/** One quoted line: priced, or `unitPrice: null` with the reason the book could not price it. */
export type QuotedLine =
  | { sku: string; quantity: number; uom?: string; unitPrice: string; extendedPrice: string; rule: WinningRule; minQuantity?: number }
  | { sku: string; quantity: number; uom?: string; unitPrice: null; extendedPrice: null; reason: string };

/**
 * Prices every line of a quote from the book. A line nothing prices is answered, not refused:
 * its reason says whether the SKU is unknown to the book, has no price in the currency, or has
 * no rule that applies to this customer, moment and region.
 */
export function quoteLines(book: PriceBook, request: QuoteRequest): QuotedLine[] {
  const decimals = currencyDecimals(request.currency);
  return request.lines.map((line) => {
    const uom = line.uom === undefined ? {} : { uom: line.uom };
    const priceRequest: PriceRequest = {
      customer: request.customer, currency: request.currency, at: request.at, sku: line.sku, quantity: line.quantity,
      ...(request.customerGroup === undefined ? {} : { customerGroup: request.customerGroup }),
      ...(request.channel === undefined ? {} : { channel: request.channel }),
      ...(request.region === undefined ? {} : { region: request.region }),
      ...uom,
    };
    const price = resolvePrice(book, priceRequest);
    if (!price) return { sku: line.sku, quantity: line.quantity, ...uom, unitPrice: null, extendedPrice: null, reason: unpricedReason(book, priceRequest) };
    return {
      sku: line.sku, quantity: line.quantity, ...uom, unitPrice: price.unitPrice,
      extendedPrice: multiplyDecimal(price.unitPrice, line.quantity, decimals), rule: price.rule,
      ...(price.minQuantity === undefined ? {} : { minQuantity: price.minQuantity }),
    };
  });
}

/** Why nothing priced a line, as precisely as the book can tell. */
export function unpricedReason(book: PriceBook, request: PriceRequest): string {
  const currencies = book.currenciesOf(request.sku);
  if (currencies.length === 0) return `the price book has no rule for ${request.sku}`;
  if (!currencies.includes(request.currency)) return `${request.sku} has no price in ${request.currency} (only in ${currencies.join(', ')})`;
  const where = [
    `customer ${request.customer}`,
    new Date(request.at).toISOString(),
    ...(request.region === undefined ? [] : [`region ${request.region}`]),
    ...(request.uom === undefined ? [] : [`unit ${request.uom}`]),
  ];
  return `no ${request.currency} rule for ${request.sku} applies (${where.join(', ')}): the list price is missing or out of date, or every rule is for another customer, group, region or unit`;
}
