import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Store } from './types.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import { openPostgresStore } from './postgres/postgres-store.js';

/** A `postgres://` URL selects PostgreSQL; otherwise the embedded SQLite file in the data directory. */
export async function openStore(config: Pick<Config, 'dataDir' | 'database'>): Promise<Store> {
  const url = config.database.url;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const store = await openPostgresStore({ url, poolSize: config.database.poolSize });
    await store.migrate();
    return store;
  }
  return openSqliteStore({ file: join(config.dataDir, 'crossdock.db') });
}
