import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createTestDatabase } from '../support/postgres.js';
import { storePricesSuite } from './store-prices.suite.js';

storePricesSuite('postgres', async () => {
  const db = await createTestDatabase();
  const store = await openPostgresStore({ url: db.url, poolSize: 4 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await db.drop();
    },
  };
});
