import { priceRuleProblems, type PriceRule } from '../canonical/price.js';
import type { Logger } from '../observability/logger.js';
import type { StoredPriceRule } from '../store/price-types.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../lib/clock.js';
import { PriceBook } from './book.js';
import type { PriceSettings } from './config-schema.js';
import { FILE_SOURCE, readPriceRulesFile } from './rules-file.js';

/** The source of the rules in the configuration file. */
export const CONFIG_SOURCE = 'config';

/** A rule for the store: its id and source beside the whole rule. */
export function toStoredRule(rule: PriceRule): StoredPriceRule {
  return { id: rule.id, source: rule.source, body: rule };
}

/**
 * Rules read back from the store, each validated again (the store is a boundary too). A body
 * that is no longer a valid rule is left out and named, never guessed at.
 */
export function parseStoredRules(stored: readonly StoredPriceRule[]): { rules: PriceRule[]; invalid: string[] } {
  const rules: PriceRule[] = [];
  const invalid: string[] = [];
  for (const s of stored) {
    if (priceRuleProblems(s.body).length === 0) rules.push(s.body as PriceRule);
    else invalid.push(s.id);
  }
  return { rules, invalid };
}

export interface OpenPriceBookDeps {
  store: Store;
  clock: Clock;
  settings: PriceSettings;
  logger?: Logger;
}

/**
 * The price book at start: the configuration's rules replace source `config` and the rules
 * file's replace source `file` in the store (so every process sees the same book), then the
 * whole book is read from the store — API pushes and the last ERP load included. Throws when
 * the rules file cannot be read or is not valid: pricing from half a file would be worse.
 */
export async function openPriceBook(deps: OpenPriceBookDeps): Promise<PriceBook> {
  const { store, clock, settings } = deps;
  const fileRules = settings.file === undefined ? [] : readPriceRulesFile(settings.file);
  await store.replacePriceRulesOf(CONFIG_SOURCE, settings.rules.map(toStoredRule), clock.now());
  await store.replacePriceRulesOf(FILE_SOURCE, fileRules.map(toStoredRule), clock.now());
  const book = new PriceBook([], settings.customerGroups);
  await reloadPriceBook(book, store, deps.logger);
  return book;
}

/** Replaces the book's rules with the store's. */
export async function reloadPriceBook(book: PriceBook, store: Store, logger?: Logger): Promise<void> {
  const { rules, invalid } = parseStoredRules(await store.loadPriceRules());
  if (invalid.length > 0) logger?.error({ ids: invalid.slice(0, 20), count: invalid.length }, 'stored price rules that are no longer valid were left out of the price book');
  book.replaceAll(rules);
}

/**
 * Keeps a process's book in step with changes other processes made (an API push, an ERP load
 * that ran elsewhere): every `intervalMs` it reads the store's change counter and reloads the
 * book only when it moved. A failed check keeps the book as it is and tries again next time.
 */
export function startPriceBookRefresh(options: { book: PriceBook; store: Store; intervalMs: number; logger?: Logger }): { stop(): void; check(): Promise<boolean> } {
  let seen: string | undefined;
  let running = false;
  const check = async (): Promise<boolean> => {
    if (running) return false;
    running = true;
    try {
      const version = await options.store.priceRulesVersion();
      if (seen === undefined) {
        seen = version;
        return false;
      }
      if (version === seen) return false;
      await reloadPriceBook(options.book, options.store, options.logger);
      seen = version;
      return true;
    } catch (error) {
      options.logger?.warn({ err: error }, 'could not check the price book for changes; it stays as it is');
      return false;
    } finally {
      running = false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), options.intervalMs).unref();
  return { stop: () => clearInterval(timer), check };
}
