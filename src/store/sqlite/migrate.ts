import type Database from 'better-sqlite3';
import { sqliteMigrations } from '../migrations/sqlite.js';

/** Applies pending migrations in one immediate transaction, so two processes cannot both apply one. */
export function migrateSqlite(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const apply = db.transaction(() => {
    const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
    for (const m of sqliteMigrations) {
      if (applied.has(m.version)) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    }
  });
  apply.immediate();
}

/**
 * WAL with synchronous=FULL: every commit is fsynced, so a 202 means the order is on disk.
 * Group commit (one transaction for every request waiting) is what keeps that fast.
 */
export function configureSqlite(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // Every store operation runs in a savepoint (writer-thread.ts); the savepoint's sub-journal is
  // a temporary file by default, i.e. a write() of each page an operation touches. In memory it
  // costs nothing to durability (the WAL is the durable copy) and ~40 % of acceptOrder's time.
  db.pragma('temp_store = MEMORY');
  // Checkpoints copy the WAL into the database file and fsync it, inside the commit that
  // triggers them. The checkpointer thread does that copying in the background; the writer's
  // autocheckpoint (every 4,096 pages, 16 MiB) then finds little left and resets the WAL, so
  // the WAL stays small (a long WAL slows every read of a page that is in it).
  db.pragma('wal_autocheckpoint = 4096');
  db.pragma('journal_size_limit = 67108864');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
}
