import type pg from 'pg';
import type { Migration } from '../migrations/migration.js';
import { inTransaction } from './pool.js';

/**
 * Key of the transaction-scoped advisory lock that serialises migrations: any fixed 64-bit
 * number works as long as nothing else in the database uses it ("crossdoc" in ASCII).
 */
const MIGRATION_LOCK = '7165912498747764579';

/**
 * Applies the pending migrations, in version order, in one transaction. Processes starting
 * together queue on the advisory lock; the second one then finds nothing left to apply.
 * The lock is released by COMMIT or ROLLBACK, so a crash never leaves it held.
 */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[]): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(applied.rows.map((r) => r.version));
    const pending = [...migrations].filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version);
    for (const m of pending) {
      // Migration text has no parameters, so it goes through the simple protocol, which
      // accepts several statements at once.
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version, m.name, Date.now(),
      ]);
    }
  });
}
