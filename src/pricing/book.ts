import { validityEnd, validityStart, type PriceRule } from '../canonical/price.js';
import { compareDecimals } from '../lib/money.js';

/** A unit price from a quantity on. */
export interface PriceStep {
  minQuantity: number;
  unitPrice: string;
  /** True for a quantity break, false for the rule's own unit price. */
  isBreak: boolean;
}

/** A rule as the book keeps it: its validity as epoch ms and its unit prices by quantity, ready to read. */
export interface IndexedRule {
  readonly rule: PriceRule;
  /** First and last moment it applies (epoch ms; ±Infinity when open). */
  readonly from: number;
  readonly to: number;
  /**
   * Ascending quantities whose prices never go up: the rule's unit price (from 0) then each break
   * that lowers it. The price at a quantity is that of the last step it reaches. Empty for a
   * percent-off promotion.
   */
  readonly steps: readonly PriceStep[];
}

/** The rules of one SKU in one currency, by kind, with tiers by group and contracts by customer. */
export interface PriceBucket {
  readonly list: IndexedRule[];
  readonly tier: Map<string, IndexedRule[]>;
  readonly contract: Map<string, IndexedRule[]>;
  readonly promotion: IndexedRule[];
  /** Every quantity a rule of this bucket breaks at, for price-list exports. */
  breakQuantities(): number[];
}

/**
 * The price book: every price rule in memory, indexed by SKU then currency then kind, so that
 * resolving a line reads a handful of rules and never the store or the ERP. Updated in place
 * (one rule, a batch, a whole source); JavaScript runs one update at a time, so a quote never
 * sees half of one.
 */
export class PriceBook {
  private readonly rules = new Map<string, IndexedRule>();
  private readonly index = new Map<string, Map<string, PriceBucket>>();
  private groups: ReadonlyMap<string, string>;

  constructor(rules: Iterable<PriceRule> = [], customerGroups: Readonly<Record<string, string>> = {}) {
    this.groups = new Map(Object.entries(customerGroups));
    this.upsert(rules);
  }

  /** Rules in the book. */
  get size(): number {
    return this.rules.size;
  }

  get(id: string): PriceRule | undefined {
    return this.rules.get(id)?.rule;
  }

  /** The customer group of an account (`prices.customerGroups`). */
  groupOf(customer: string): string | undefined {
    return this.groups.get(customer);
  }

  setCustomerGroups(groups: Readonly<Record<string, string>>): void {
    this.groups = new Map(Object.entries(groups));
  }

  /** Adds rules, replacing those with the same ids. */
  upsert(rules: Iterable<PriceRule>): void {
    for (const rule of rules) {
      this.removeOne(rule.id);
      const indexed = indexRule(rule);
      this.rules.set(rule.id, indexed);
      this.place(indexed);
    }
  }

  /** Removes rules by id; returns how many there were. */
  remove(ids: Iterable<string>): number {
    let removed = 0;
    for (const id of ids) if (this.removeOne(id)) removed += 1;
    return removed;
  }

  /** Makes `rules` the whole of `source`: its other rules leave the book. */
  replaceSource(source: string, rules: readonly PriceRule[]): { upserted: number; removed: number } {
    const keep = new Set(rules.map((r) => r.id));
    const gone = [...this.rules.values()].filter((r) => r.rule.source === source && !keep.has(r.rule.id)).map((r) => r.rule.id);
    const removed = this.remove(gone);
    this.upsert(rules);
    return { upserted: rules.length, removed };
  }

  /** Makes `rules` the whole book (a reload from the store). */
  replaceAll(rules: Iterable<PriceRule>): void {
    this.rules.clear();
    this.index.clear();
    this.upsert(rules);
  }

  /** Every rule, in no particular order. */
  all(): PriceRule[] {
    return [...this.rules.values()].map((r) => r.rule);
  }

  /** Rules per source, for operators. */
  countBySource(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { rule } of this.rules.values()) counts[rule.source] = (counts[rule.source] ?? 0) + 1;
    return counts;
  }

  bucket(sku: string, currency: string): PriceBucket | undefined {
    return this.index.get(sku)?.get(currency);
  }

  /** Currencies the book has any rule in for this SKU. */
  currenciesOf(sku: string): string[] {
    return [...(this.index.get(sku)?.keys() ?? [])].sort();
  }

  /** Every SKU with a rule in this currency, sorted. */
  skus(currency: string): string[] {
    const skus: string[] = [];
    for (const [sku, byCurrency] of this.index) if (byCurrency.has(currency)) skus.push(sku);
    return skus.sort();
  }

  private place(indexed: IndexedRule): void {
    const { rule } = indexed;
    let byCurrency = this.index.get(rule.sku);
    if (!byCurrency) this.index.set(rule.sku, (byCurrency = new Map()));
    let bucket = byCurrency.get(rule.currency);
    if (!bucket) byCurrency.set(rule.currency, (bucket = newBucket()));
    listOf(bucket, rule, true)!.push(indexed);
  }

  private removeOne(id: string): boolean {
    const indexed = this.rules.get(id);
    if (!indexed) return false;
    this.rules.delete(id);
    const { rule } = indexed;
    const byCurrency = this.index.get(rule.sku);
    const bucket = byCurrency?.get(rule.currency);
    const list = bucket && listOf(bucket, rule, false);
    if (list) {
      const at = list.indexOf(indexed);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0 && rule.kind === 'tier') bucket!.tier.delete(rule.group);
      if (list.length === 0 && rule.kind === 'contract') bucket!.contract.delete(rule.customer);
    }
    if (bucket && bucket.list.length + bucket.tier.size + bucket.contract.size + bucket.promotion.length === 0) {
      byCurrency!.delete(rule.currency);
      if (byCurrency!.size === 0) this.index.delete(rule.sku);
    }
    return true;
  }
}

function newBucket(): PriceBucket {
  const bucket: PriceBucket = {
    list: [], tier: new Map(), contract: new Map(), promotion: [],
    breakQuantities() {
      const quantities = new Set<number>();
      const add = (rules: readonly IndexedRule[]) => rules.forEach((r) => r.steps.forEach((s) => s.isBreak && quantities.add(s.minQuantity)));
      add(bucket.list);
      add(bucket.promotion);
      bucket.tier.forEach(add);
      bucket.contract.forEach(add);
      return [...quantities].sort((a, b) => a - b);
    },
  };
  return bucket;
}

/** The array of the bucket a rule belongs in; created on demand when `create`. */
function listOf(bucket: PriceBucket, rule: PriceRule, create: boolean): IndexedRule[] | undefined {
  switch (rule.kind) {
    case 'list':
      return bucket.list;
    case 'promotion':
      return bucket.promotion;
    case 'tier':
      return keyed(bucket.tier, rule.group, create);
    case 'contract':
      return keyed(bucket.contract, rule.customer, create);
  }
}

function keyed(map: Map<string, IndexedRule[]>, key: string, create: boolean): IndexedRule[] | undefined {
  let list = map.get(key);
  if (!list && create) map.set(key, (list = []));
  return list;
}

/** Validity as epoch ms, and the unit prices by quantity with breaks that would raise the price left out. */
export function indexRule(rule: PriceRule): IndexedRule {
  const from = rule.validFrom === undefined ? Number.NEGATIVE_INFINITY : validityStart(rule.validFrom);
  const to = rule.validTo === undefined ? Number.POSITIVE_INFINITY : validityEnd(rule.validTo);
  const steps: PriceStep[] = [];
  if (rule.unitPrice !== undefined) {
    steps.push({ minQuantity: 0, unitPrice: rule.unitPrice, isBreak: false });
    const breaks = [...(rule.breaks ?? [])].sort((a, b) => a.minQuantity - b.minQuantity);
    // "The best break that applies": a break priced above a smaller quantity's price is never
    // the best, so it is dropped here and a larger quantity never costs more per unit.
    for (const b of breaks) {
      if (compareDecimals(b.unitPrice, steps.at(-1)!.unitPrice) < 0) steps.push({ minQuantity: b.minQuantity, unitPrice: b.unitPrice, isBreak: true });
    }
  }
  return { rule, from, to, steps };
}
