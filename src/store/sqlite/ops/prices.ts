import type Database from 'better-sqlite3';
import { PRICE_RULES_VERSION } from '../../price-types.js';
import { sql } from '../statements.js';

/** A rule on its way to the writer thread: the body already serialised by the store proxy. */
export interface PriceRuleRow {
  id: string;
  source: string;
  body: string;
}

/** See `PriceRuleStore.upsertPriceRules`. */
export function upsertPriceRules(db: Database.Database, rules: readonly PriceRuleRow[], now: number): void {
  const upsert = sql(db, `INSERT INTO price_rules (id, source, body, updated_at) VALUES (?, ?, ?, ?)
                          ON CONFLICT (id) DO UPDATE SET source = excluded.source, body = excluded.body, updated_at = excluded.updated_at`);
  for (const r of rules) upsert.run(r.id, r.source, r.body, now);
  if (rules.length > 0) bumpVersion(db, now);
}

/** See `PriceRuleStore.deletePriceRules`. */
export function deletePriceRules(db: Database.Database, ids: readonly string[], now: number): number {
  const { changes } = sql(db, 'DELETE FROM price_rules WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids));
  if (changes > 0) bumpVersion(db, now);
  return changes;
}

/** See `PriceRuleStore.replacePriceRulesOf`. */
export function replacePriceRulesOf(db: Database.Database, source: string, rules: readonly PriceRuleRow[], now: number): { upserted: number; removed: number } {
  const { changes } = sql(db, 'DELETE FROM price_rules WHERE source = ? AND id NOT IN (SELECT value FROM json_each(?))')
    .run(source, JSON.stringify(rules.map((r) => r.id)));
  upsertPriceRules(db, rules, now);
  if (changes > 0) bumpVersion(db, now);
  return { upserted: rules.length, removed: changes };
}

/** Every rule, its body as stored (the proxy parses it off the writer thread). */
export function loadPriceRules(db: Database.Database): PriceRuleRow[] {
  return sql(db, 'SELECT id, source, body FROM price_rules ORDER BY id').all() as PriceRuleRow[];
}

/** See `PriceRuleStore.priceRulesVersion`. */
export function priceRulesVersion(db: Database.Database): string {
  const row = sql(db, 'SELECT value FROM cursors WHERE name = ?').get(PRICE_RULES_VERSION) as { value: string } | undefined;
  return row?.value ?? '0';
}

function bumpVersion(db: Database.Database, now: number): void {
  sql(db, `INSERT INTO cursors (name, value, updated_at) VALUES (?, '1', ?)
           ON CONFLICT (name) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT), updated_at = excluded.updated_at`)
    .run(PRICE_RULES_VERSION, now);
}
