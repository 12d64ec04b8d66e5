import type { PriceRuleKind } from '../canonical/price.js';
import { compareDecimals, lessPercent } from '../lib/money.js';
import type { IndexedRule, PriceBook, PriceStep } from './book.js';

/** One line to price. `at` is epoch ms: the moment whose rules apply (an order's `orderedAt`). */
/** Whose price, when and where: what a quote or a price list asks for every SKU alike. */
export interface PriceContext {
  customer: string;
  /** The customer's group; absent: the book's (`prices.customerGroups`). */
  customerGroup?: string;
  currency: string;
  channel?: string;
  region?: string;
  /** Epoch ms whose rules apply. */
  at: number;
}

export interface PriceRequest extends PriceContext {
  /** Unit of measure of the quantity; a rule that names another unit does not apply. */
  uom?: string;
  sku: string;
  quantity: number;
}

/** The rule that set a price, and why it won, in words a person disputing the price can follow. */
export interface WinningRule {
  id: string;
  kind: PriceRuleKind;
  why: string;
}

export interface ResolvedPrice {
  unitPrice: string;
  rule: WinningRule;
  /** The quantity break that gave the price, when one did. */
  minQuantity?: number;
}

/** A rule's price at the requested quantity. */
interface Candidate {
  indexed: IndexedRule;
  unitPrice: string;
  step: PriceStep | undefined;
}

/**
 * The unit price of one line, from the local book alone (docs/adr/0010-price-resolution.md):
 * 1. a **contract** of the customer that applies wins outright;
 * 2. otherwise the base price is the customer group's **tier** price, else the **list** price;
 * 3. a **promotion** that applies (date, channel) replaces the base only when it is lower.
 * A rule applies when `at` is within its validity, its currency is asked for, and its region and
 * unit (when it names them) are the line's. Within a kind, rules naming the line's region come
 * before rules for every region; among those the lowest price wins (ties: the smallest id). Each
 * rule's price is its best quantity break the quantity reaches. Undefined when nothing applies.
 */
export function resolvePrice(book: PriceBook, request: PriceRequest): ResolvedPrice | undefined {
  const bucket = book.bucket(request.sku, request.currency);
  if (!bucket) return undefined;
  const contract = best(bucket.contract.get(request.customer), request);
  if (contract) return resolved(contract, `contract price of customer ${request.customer}${qualifiers(contract, request)}`);

  const group = request.customerGroup ?? book.groupOf(request.customer);
  const tier = group === undefined ? undefined : best(bucket.tier.get(group), request);
  const base = tier ?? best(bucket.list, request);
  const baseWhy = tier ? `price of customer group ${group}${qualifiers(tier, request)}` : base ? `list price${qualifiers(base, request)}` : '';

  const promotion = bestPromotion(bucket.promotion, request, base);
  if (promotion && (!base || compareDecimals(promotion.candidate.unitPrice, base.unitPrice) < 0)) {
    const rule = promotion.candidate.indexed.rule;
    const off = rule.kind === 'promotion' ? rule.percentOff : undefined;
    const onChannel = rule.kind === 'promotion' && rule.channels && request.channel !== undefined ? ` on channel ${request.channel}` : '';
    const against = base ? `the ${baseWhy.split(',')[0]} ${base.unitPrice} (rule ${base.indexed.rule.id})` : '';
    const why = off === undefined
      ? `promotional price${onChannel}${qualifiers(promotion.candidate, request)}${base ? `; lower than ${against}` : ''}`
      : `promotion: ${off} % off ${against}${onChannel}${qualifiers(promotion.candidate, request)}`;
    return resolved(promotion.candidate, why);
  }
  return base && resolved(base, baseWhy);
}

/** The lowest applicable promotion; a percent off needs a base price to take it off. */
function bestPromotion(rules: readonly IndexedRule[], request: PriceRequest, base: Candidate | undefined): { candidate: Candidate } | undefined {
  let winner: Candidate | undefined;
  let winnerSpecific = false;
  for (const indexed of rules) {
    const rule = indexed.rule;
    if (rule.kind !== 'promotion' || !applies(indexed, request)) continue;
    if (rule.channels && (request.channel === undefined || !rule.channels.includes(request.channel))) continue;
    let candidate: Candidate;
    if (rule.percentOff !== undefined) {
      if (!base) continue;
      candidate = { indexed, unitPrice: lessPercent(base.unitPrice, rule.percentOff, currencyDecimals(request.currency)), step: base.step };
    } else {
      candidate = priced(indexed, request.quantity);
    }
    const specific = rule.region !== undefined;
    if (!winner || better(candidate, specific, winner, winnerSpecific)) {
      winner = candidate;
      winnerSpecific = specific;
    }
  }
  return winner && { candidate: winner };
}

/** The winning rule of one kind: the line's region before every region, then the lowest price, then the smallest id. */
function best(rules: readonly IndexedRule[] | undefined, request: PriceRequest): Candidate | undefined {
  if (!rules) return undefined;
  let winner: Candidate | undefined;
  let winnerSpecific = false;
  for (const indexed of rules) {
    if (!applies(indexed, request)) continue;
    const candidate = priced(indexed, request.quantity);
    const specific = indexed.rule.region !== undefined;
    if (!winner || better(candidate, specific, winner, winnerSpecific)) {
      winner = candidate;
      winnerSpecific = specific;
    }
  }
  return winner;
}

function better(a: Candidate, aSpecific: boolean, b: Candidate, bSpecific: boolean): boolean {
  if (aSpecific !== bSpecific) return aSpecific;
  const order = compareDecimals(a.unitPrice, b.unitPrice);
  return order < 0 || (order === 0 && a.indexed.rule.id < b.indexed.rule.id);
}

/** Whether a rule speaks for this line at this moment (kind-specific conditions are the caller's). */
export function applies(indexed: IndexedRule, request: PriceRequest): boolean {
  const { rule } = indexed;
  return (
    request.at >= indexed.from && request.at <= indexed.to &&
    (rule.region === undefined || rule.region === request.region) &&
    (rule.uom === undefined || request.uom === undefined || rule.uom === request.uom)
  );
}

/** The rule's unit price at a quantity: the last step the quantity reaches. */
function priced(indexed: IndexedRule, quantity: number): Candidate {
  let step = indexed.steps[0]!;
  for (const s of indexed.steps) if (s.minQuantity <= quantity) step = s;
  return { indexed, unitPrice: step.unitPrice, step: step.isBreak ? step : undefined };
}

function resolved(candidate: Candidate, why: string): ResolvedPrice {
  const { rule } = candidate.indexed;
  return {
    unitPrice: candidate.unitPrice,
    rule: { id: rule.id, kind: rule.kind, why },
    ...(candidate.step ? { minQuantity: candidate.step.minQuantity } : {}),
  };
}

/** ", quantity 10 and more, region EU, valid 2026-01-01 to 2026-12-31" — whichever of those the rule has. */
function qualifiers(candidate: Candidate, request: PriceRequest): string {
  const { rule } = candidate.indexed;
  const parts: string[] = [];
  if (candidate.step) parts.push(`quantity break from ${candidate.step.minQuantity} (${request.quantity} ordered)`);
  if (rule.region !== undefined) parts.push(`region ${rule.region}`);
  if (rule.validFrom !== undefined || rule.validTo !== undefined) parts.push(`valid ${rule.validFrom ?? '…'} to ${rule.validTo ?? '…'}`);
  if (rule.description) parts.push(rule.description);
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}

const DECIMALS = new Map<string, number>();

/** Minor units of a currency (USD 2, JPY 0, BHD 3), for prices crossdock computes (percent off). */
export function currencyDecimals(currency: string): number {
  let decimals = DECIMALS.get(currency);
  if (decimals === undefined) {
    try {
      decimals = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      decimals = 2;
    }
    DECIMALS.set(currency, decimals);
  }
  return decimals;
}
