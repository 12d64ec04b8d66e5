import type Database from 'better-sqlite3';
import { sql } from '../statements.js';

export function bumpCounter(db: Database.Database, name: string, by = 1): void {
  sql(db, 'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value').run(name, by);
}

export function countersSnapshot(db: Database.Database): Record<string, number> {
  const rows = sql(db, 'SELECT name, value FROM counters').all() as { name: string; value: number }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}
