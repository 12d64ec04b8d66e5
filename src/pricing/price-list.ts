import type { PriceBook } from './book.js';
import { resolvePrice, type PriceContext, type PriceRequest, type WinningRule } from './resolve.js';

/** A customer's price of one SKU from a quantity on. */
export interface PriceListBreak {
  minQuantity: number;
  unitPrice: string;
  rule: WinningRule;
}

export interface PriceListEntry {
  sku: string;
  breaks: PriceListBreak[];
}

export type PriceListRequest = PriceContext;

/**
 * A customer's price list, one SKU at a time (a generator, so a large book is streamed, never
 * held whole): every SKU the book prices for this customer in the currency, with the price
 * from 1 unit and from each quantity any of its rules breaks at, where that changes the price or
 * the winning rule. For B2B portals that precompute prices.
 */
export function* customerPriceList(book: PriceBook, request: PriceListRequest): Generator<PriceListEntry> {
  for (const sku of book.skus(request.currency)) {
    const bucket = book.bucket(sku, request.currency)!;
    const quantities = [1, ...bucket.breakQuantities().filter((q) => q > 1)];
    const breaks: PriceListBreak[] = [];
    for (const quantity of quantities) {
      const line: PriceRequest = { ...request, sku, quantity };
      const price = resolvePrice(book, line);
      if (!price) continue;
      const previous = breaks.at(-1);
      if (previous && previous.unitPrice === price.unitPrice && previous.rule.id === price.rule.id) continue;
      breaks.push({ minQuantity: quantity, unitPrice: price.unitPrice, rule: price.rule });
    }
    if (breaks.length > 0) yield { sku, breaks };
  }
}

const CSV_HEADER = 'sku,minQuantity,unitPrice,currency,ruleId,ruleKind,why\n';

/** One CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The price list as text chunks of about `chunkEntries` SKUs each: CSV (one row per break) or
 * a JSON document `{ customer, currency, at, items: [...] }` written piece by piece.
 */
export function* priceListChunks(entries: Iterable<PriceListEntry>, format: 'csv' | 'json', header: { customer: string; currency: string; at: string }, chunkEntries = 500): Generator<string> {
  let chunk = format === 'csv' ? CSV_HEADER : `{"customer":${JSON.stringify(header.customer)},"currency":${JSON.stringify(header.currency)},"at":${JSON.stringify(header.at)},"items":[`;
  let inChunk = 0;
  let first = true;
  for (const entry of entries) {
    if (format === 'csv') {
      for (const b of entry.breaks) {
        chunk += `${[entry.sku, b.minQuantity, b.unitPrice, header.currency, b.rule.id, b.rule.kind, b.rule.why].map(csvField).join(',')}\n`;
      }
    } else {
      chunk += `${first ? '' : ','}${JSON.stringify(entry)}`;
    }
    first = false;
    if (++inChunk >= chunkEntries) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
  if (format === 'json') chunk += ']}';
  if (chunk.length > 0) yield chunk;
}
