import type pg from 'pg';
import type { RateSlot, RateSlotRequest } from '../types.js';
import { inTransaction, type Queryable } from './pool.js';

/**
 * GCRA over one row per target. The row holds `tat`: the earliest time the next call may start
 * once the burst allowance is used up. With τ = (burst − 1)·interval, a request at `now` gets
 *   slot = max(tat, now − τ)        (a target idle long enough regains its whole burst)
 *   at   = max(slot, now)           (when to call)
 *   tat' = slot + interval
 * With burst = 1 calls are spaced by exactly one interval; with burst = b, b calls fit at once.
 * Keeping `tat` as the next start (rather than the textbook TAT = tat + τ) makes `deferRate`
 * exact: after a `Retry-After` no call starts before it, whatever the burst.
 *
 * The row is read under `FOR UPDATE`, so concurrent callers in any process queue on it and each
 * sees the previous one's `tat`. (A single upsert could decide too, but it can only return the
 * new `tat`; recovering the slot from it by subtracting the interval loses exactness in float8.)
 */
export async function reserveRateSlot(pool: pg.Pool, r: RateSlotRequest): Promise<RateSlot> {
  const earliest = r.now - (Math.max(1, r.burst) - 1) * r.intervalMs;
  return inTransaction(pool, async (client) => {
    let tat = await lockSchedule(client, r.target);
    if (tat === undefined) {
      // First call for this target: it starts now. A racing first call waits on this insert and,
      // once it commits, finds the row and takes the next slot.
      const created = await client.query(
        'INSERT INTO rate_budgets (target, tat) VALUES ($1, $2) ON CONFLICT (target) DO NOTHING',
        [r.target, earliest + r.intervalMs],
      );
      if (created.rowCount === 1) return { granted: true, at: r.now };
      tat = (await lockSchedule(client, r.target)) ?? earliest;
    }
    const slot = Math.max(tat, earliest);
    // Whole milliseconds, rounded up (never early): times are integers everywhere else in the
    // store (bigint columns), and a caller may schedule a job at `at`.
    if (slot - r.now > r.maxWaitMs) return { granted: false, retryInMs: Math.ceil(slot - r.now) };
    await client.query('UPDATE rate_budgets SET tat = $2 WHERE target = $1', [r.target, slot + r.intervalMs]);
    return { granted: true, at: Math.ceil(Math.max(slot, r.now)) };
  });
}

async function lockSchedule(client: Queryable, target: string): Promise<number | undefined> {
  const { rows } = await client.query<{ tat: number }>('SELECT tat FROM rate_budgets WHERE target = $1 FOR UPDATE', [target]);
  return rows[0]?.tat;
}

/** After a `Retry-After`: no call for `target` starts before `until`. Never moves the schedule back. */
export async function deferRate(db: Queryable, target: string, until: number): Promise<void> {
  await db.query(
    `INSERT INTO rate_budgets AS b (target, tat) VALUES ($1, $2)
     ON CONFLICT (target) DO UPDATE SET tat = greatest(b.tat, excluded.tat)`,
    [target, until],
  );
}
