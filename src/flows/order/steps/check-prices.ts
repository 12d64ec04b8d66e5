import type { Order } from '../../../canonical/order.js';
import { CrossdockError } from '../../../errors/crossdock-error.js';
import type { Clock } from '../../../lib/clock.js';
import { compareDecimals, lessPercent, percentDifference, subtractDecimals } from '../../../lib/money.js';
import type { Metrics } from '../../../observability/metrics.js';
import type { PriceBook } from '../../../pricing/book.js';
import type { PriceCheckPolicy, PriceSettings } from '../../../pricing/config-schema.js';
import { quoteLines, type QuotedLine } from '../../../pricing/quote.js';
import type { WinningRule } from '../../../pricing/resolve.js';
import type { OrderRecord, Store } from '../../../store/types.js';

/** A line whose channel price is further from the book's than the channel's tolerance. */
export interface PriceMismatch {
  /** 1-based, as people count lines. */
  line: number;
  sku: string;
  channelPrice: string;
  bookPrice: string;
  /** Signed percentage of the book price (`-12.4`: the channel is 12.4 % below); absent when the book price is 0. */
  differencePercent?: string;
  rule: WinningRule;
}

export interface PriceCheckResult {
  mismatches: PriceMismatch[];
  /** Lines the book has no price for: nothing to compare, noted for the record. */
  unpriced: { line: number; sku: string; reason: string }[];
  /** The business error that holds the order (or that a report quotes), when there are mismatches. */
  problem?: CrossdockError;
}

const KIND_WORDS: Record<WinningRule['kind'], string> = { list: 'list price', tier: 'tier price', contract: 'contract price', promotion: 'promotional price' };

/**
 * Compares each line's channel unit price with the book's quote for it (`quotes[i]` prices
 * `order.lines[i]`). A line is within tolerance when its distance from the book price, either
 * way, is at most the larger of `tolerancePercent` of the book price and `toleranceAmount`. Pure.
 */
export function checkPrices(order: Order, quotes: readonly QuotedLine[], policy: PriceCheckPolicy): PriceCheckResult {
  const mismatches: PriceMismatch[] = [];
  const unpriced: PriceCheckResult['unpriced'] = [];
  order.lines.forEach((line, i) => {
    const quote = quotes[i];
    if (!quote || quote.unitPrice === null) {
      unpriced.push({ line: i + 1, sku: line.sku, reason: quote && quote.unitPrice === null ? quote.reason : 'not quoted' });
      return;
    }
    const distance = subtractDecimals(line.unitPrice, quote.unitPrice, 6).replace(/^-/, '');
    if (compareDecimals(distance, allowance(quote.unitPrice, policy)) <= 0) return;
    mismatches.push({
      line: i + 1, sku: line.sku, channelPrice: line.unitPrice, bookPrice: quote.unitPrice, rule: quote.rule,
      ...(compareDecimals(quote.unitPrice, '0') === 0 ? {} : { differencePercent: percentDifference(line.unitPrice, quote.unitPrice, 1) }),
    });
  });
  if (mismatches.length === 0) return { mismatches, unpriced };
  const sentences = mismatches.map((m) => describeMismatch(m, order.currency, policy));
  const problem = new CrossdockError('price.mismatch', sentences.join('; '), {
    context: { channel: order.channel, mismatches, tolerance: { percent: policy.tolerancePercent, amount: policy.toleranceAmount } },
    errors: mismatches.map((m, k) => ({ pointer: `/lines/${m.line - 1}/unitPrice`, detail: sentences[k]! })),
  });
  return { mismatches, unpriced, problem };
}

/** How far a channel price may be from `bookPrice`: the larger of the percent and the amount. */
function allowance(bookPrice: string, policy: PriceCheckPolicy): string {
  const byPercent = subtractDecimals(bookPrice, lessPercent(bookPrice, policy.tolerancePercent, 6), 6).replace(/^-/, '');
  return compareDecimals(byPercent, policy.toleranceAmount) >= 0 ? byPercent : policy.toleranceAmount;
}

/** "line 2 SKU-3: channel price 9.99 USD is 12.4 % below the contract price 11.40 (rule C-100-SKU-3), tolerance 5 %" */
export function describeMismatch(m: PriceMismatch, currency: string, policy: PriceCheckPolicy): string {
  const below = compareDecimals(m.channelPrice, m.bookPrice) < 0;
  const distance = m.differencePercent === undefined
    ? `${below ? 'below' : 'above'}`
    : `${m.differencePercent.replace(/^-/, '')} % ${below ? 'below' : 'above'}`;
  return `line ${m.line} ${m.sku}: channel price ${m.channelPrice} ${currency} is ${distance} the ${KIND_WORDS[m.rule.kind]} ${m.bookPrice} (rule ${m.rule.id}), ${toleranceWords(policy, currency)}`;
}

function toleranceWords(policy: PriceCheckPolicy, currency: string): string {
  const parts = [
    ...(policy.tolerancePercent > 0 ? [`${policy.tolerancePercent} %`] : []),
    ...(compareDecimals(policy.toleranceAmount, '0') > 0 ? [`${policy.toleranceAmount} ${currency}`] : []),
  ];
  return parts.length === 0 ? 'no tolerance' : `tolerance ${parts.join(' or ')}`;
}

export interface PriceCheckDeps {
  book: PriceBook;
  settings: Pick<PriceSettings, 'channels'>;
  store: Store;
  clock: Clock;
  metrics?: Metrics;
}

/**
 * The order pipeline's price check, from the local book only (never the ERP). Channels without
 * a policy in `prices.channels` are not checked. Lines are quoted at the order's `orderedAt`, for
 * its customer, channel and currency, with the ship-to country as region. Mismatches under
 * `hold` throw the `price.mismatch` business error (the handler holds the order with it); under
 * `report` the order goes on. Otherwise a `price.checked` step on the order's timeline records
 * the outcome: mismatches, and lines the book could not price.
 */
export function priceCheckStep(deps: PriceCheckDeps): (order: Order, record: OrderRecord) => Promise<void> {
  return async (order, record) => {
    const policy = deps.settings.channels[order.channel];
    if (!policy) return;
    const quotes = quoteLines(deps.book, {
      customer: order.customer.accountId, currency: order.currency, channel: order.channel, region: order.shipTo.country,
      at: Date.parse(order.orderedAt), lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, uom: l.uom })),
    });
    const result = checkPrices(order, quotes, policy);
    deps.metrics?.priceQuotes.inc({ use: 'order-check' });
    if (result.unpriced.length > 0) deps.metrics?.priceQuoteLinesUnpriced.inc({ use: 'order-check' }, result.unpriced.length);
    if (result.problem && policy.onMismatch === 'hold') {
      deps.metrics?.priceMismatches.inc({ channel: order.channel, outcome: 'held' }, result.mismatches.length);
      throw result.problem;
    }
    if (result.mismatches.length > 0) deps.metrics?.priceMismatches.inc({ channel: order.channel, outcome: 'reported' }, result.mismatches.length);
    await deps.store.appendEvent({
      messageId: record.messageId, at: deps.clock.now(), step: 'price.checked', outcome: 'info',
      detail: {
        onMismatch: policy.onMismatch,
        mismatches: result.mismatches,
        unpriced: result.unpriced,
        ...(result.problem ? { summary: result.problem.message } : {}),
      },
    });
  };
}
