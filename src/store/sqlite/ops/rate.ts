import type Database from 'better-sqlite3';
import type { RateSlot, RateSlotRequest } from '../../types.js';
import { sql } from '../statements.js';

/**
 * GCRA: the row holds the target's theoretical arrival time (tat). A call may start at
 * max(tat − (burst − 1)·interval, now); taking the slot moves tat on by one interval. With
 * burst = 1 calls are evenly spaced, so no one-second window ever holds more than the rate.
 */
export function reserveRateSlot(db: Database.Database, r: RateSlotRequest): RateSlot {
  const row = sql(db, 'SELECT tat FROM rate_budgets WHERE target = ?').get(r.target) as { tat: number } | undefined;
  // `tat` is the earliest start of the next call; the burst allowance reaches back from now,
  // never past a deferral (a Retry-After pushed tat forward).
  const earliest = r.now - (Math.max(1, r.burst) - 1) * r.intervalMs;
  const slot = Math.max(row?.tat ?? earliest, earliest);
  if (slot - r.now > r.maxWaitMs) return { granted: false, retryInMs: Math.ceil(slot - r.now) };
  sql(db, 'INSERT INTO rate_budgets (target, tat) VALUES (?, ?) ON CONFLICT (target) DO UPDATE SET tat = excluded.tat')
    .run(r.target, slot + r.intervalMs);
  return { granted: true, at: Math.ceil(Math.max(slot, r.now)) };
}

export function deferRate(db: Database.Database, target: string, until: number): void {
  sql(db, 'INSERT INTO rate_budgets (target, tat) VALUES (?, ?) ON CONFLICT (target) DO UPDATE SET tat = MAX(tat, excluded.tat)')
    .run(target, until);
}
