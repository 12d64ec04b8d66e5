import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { storePricesSuite } from './store-prices.suite.js';

storePricesSuite('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'crossdock-store-prices-'));
  const store = await openSqliteStore({ file: join(dir, 'store.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
