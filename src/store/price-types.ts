/**
 * A price rule as the store keeps it. The store does not read `body`; the pricing module
 * validates it when it reads it back (docs/prices.md).
 */
export interface StoredPriceRule {
  id: string;
  /** `config`, `file`, `api`, `erp:<name>` …: a full load replaces one source's rules. */
  source: string;
  body: unknown;
}

/** The price book's rules (table `price_rules`). Each method is one transaction. */
export interface PriceRuleStore {
  /** Adds rules or replaces those with the same ids (whatever their source was). */
  upsertPriceRules(rules: readonly StoredPriceRule[], now: number): Promise<void>;
  /** Removes rules by id; returns how many there were. */
  deletePriceRules(ids: readonly string[], now: number): Promise<number>;
  /** Makes `rules` the whole of `source`: its rules not among them are removed. */
  replacePriceRulesOf(source: string, rules: readonly StoredPriceRule[], now: number): Promise<{ upserted: number; removed: number }>;
  /** Every rule, by id. */
  loadPriceRules(): Promise<StoredPriceRule[]>;
  /**
   * Changes whenever any process adds, changes or removes a rule (a counter written in the same
   * transaction), so a process can tell its book is stale without reading every rule.
   */
  priceRulesVersion(): Promise<string>;
}

/** The cursor that counts changes to `price_rules`. */
export const PRICE_RULES_VERSION = 'prices:version';
