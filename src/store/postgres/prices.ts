import type pg from 'pg';
import { PRICE_RULES_VERSION, type StoredPriceRule } from '../price-types.js';
import { inTransaction, type Queryable } from './pool.js';

/** Rows per INSERT: one JSON parameter each, well under PostgreSQL's limits. */
const CHUNK = 5_000;

/** See `PriceRuleStore.upsertPriceRules`. */
export function upsertPriceRules(pool: pg.Pool, rules: readonly StoredPriceRule[], now: number): Promise<void> {
  if (rules.length === 0) return Promise.resolve();
  return inTransaction(pool, async (client) => {
    await upsertWithin(client, rules, now);
    await bumpVersion(client, now);
  });
}

/** See `PriceRuleStore.deletePriceRules`. */
export function deletePriceRules(pool: pg.Pool, ids: readonly string[], now: number): Promise<number> {
  return inTransaction(pool, async (client) => {
    const { rowCount } = await client.query('DELETE FROM price_rules WHERE id = ANY($1::text[])', [ids]);
    if ((rowCount ?? 0) > 0) await bumpVersion(client, now);
    return rowCount ?? 0;
  });
}

/** See `PriceRuleStore.replacePriceRulesOf`. */
export function replacePriceRulesOf(pool: pg.Pool, source: string, rules: readonly StoredPriceRule[], now: number): Promise<{ upserted: number; removed: number }> {
  return inTransaction(pool, async (client) => {
    const { rowCount } = await client.query('DELETE FROM price_rules WHERE source = $1 AND NOT (id = ANY($2::text[]))', [source, rules.map((r) => r.id)]);
    await upsertWithin(client, rules, now);
    const removed = rowCount ?? 0;
    if (removed > 0 || rules.length > 0) await bumpVersion(client, now);
    return { upserted: rules.length, removed };
  });
}

/** See `PriceRuleStore.loadPriceRules`. */
export async function loadPriceRules(db: Queryable): Promise<StoredPriceRule[]> {
  const { rows } = await db.query<StoredPriceRule>('SELECT id, source, body FROM price_rules ORDER BY id');
  return rows;
}

/** See `PriceRuleStore.priceRulesVersion`. */
export async function priceRulesVersion(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM cursors WHERE name = $1', [PRICE_RULES_VERSION]);
  return rows[0]?.value ?? '0';
}

async function upsertWithin(client: Queryable, rules: readonly StoredPriceRule[], now: number): Promise<void> {
  // One row per id (the last wins, as one after the other would): ON CONFLICT cannot touch a row twice in one statement.
  const unique = [...new Map(rules.map((r) => [r.id, r])).values()];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK).map((r) => ({ id: r.id, source: r.source, body: r.body }));
    await client.query(
      `INSERT INTO price_rules (id, source, body, updated_at)
       SELECT r.id, r.source, r.body, $2 FROM jsonb_to_recordset($1::jsonb) AS r(id text, source text, body jsonb)
       ON CONFLICT (id) DO UPDATE SET source = excluded.source, body = excluded.body, updated_at = excluded.updated_at`,
      [JSON.stringify(chunk), now],
    );
  }
}

async function bumpVersion(client: Queryable, now: number): Promise<void> {
  await client.query(
    `INSERT INTO cursors (name, value, updated_at) VALUES ($1, '1', $2)
     ON CONFLICT (name) DO UPDATE SET value = (cursors.value::bigint + 1)::text, updated_at = excluded.updated_at`,
    [PRICE_RULES_VERSION, now],
  );
}
