import type { Queryable } from './pool.js';

/**
 * Adds 1 to each named counter, creating it at 1. Names are taken in sorted order so two
 * transactions bumping the same counters lock their rows in the same order (no deadlock).
 * Counter rows are hot (one per channel), so callers bump them last, just before COMMIT,
 * to hold their row locks as briefly as possible.
 */
export async function bumpCounters(db: Queryable, names: string[]): Promise<void> {
  await db.query(
    `INSERT INTO counters (name, value)
     SELECT name, 1 FROM unnest($1::text[]) AS name ORDER BY name
     ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value`,
    [[...new Set(names)].sort()],
  );
}

/** Every durable counter, by name. */
export async function countersSnapshot(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ name: string; value: number }>('SELECT name, value FROM counters ORDER BY name');
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}
