import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { storeChannelSuite } from './store-channels.suite.js';
import { storeEdiSuite } from './store-edi.suite.js';
import { storeInventorySuite } from './store-inventory.suite.js';
import { storePricesSuite } from './store-prices.suite.js';
import { storeAuditSuite } from './store-audit.suite.js';
import { storeAccessSuite } from './store-access.suite.js';
import { storeOperationsSuite } from './store-operations.suite.js';
import { storeSearchSuite } from './store-search.suite.js';
import { storeConformanceSuite } from './store.suite.js';
import { storeTraceContextSuite } from './store-trace-context.suite.js';

const openSqlite = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'crossdock-store-'));
  const store = await openSqliteStore({ file: join(dir, 'store.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

storeConformanceSuite('sqlite', openSqlite);
storeTraceContextSuite('sqlite', openSqlite);
storeChannelSuite('sqlite', openSqlite);
storeEdiSuite('sqlite', openSqlite);
storeInventorySuite('sqlite', openSqlite);
storePricesSuite('sqlite', openSqlite);
storeAuditSuite('sqlite', openSqlite);
storeAccessSuite('sqlite', openSqlite);
storeOperationsSuite('sqlite', openSqlite);
storeSearchSuite('sqlite', openSqlite);
