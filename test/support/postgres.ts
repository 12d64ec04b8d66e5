import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The server tests run against: any database on it works as the admin connection, since tests
 * only create and drop their own databases.
 */
export const TEST_POSTGRES_URL = process.env.CROSSDOCK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** Connection string of the new, empty database. */
  url: string;
  /** Drops the database, closing any connection still open on it. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database `crossdock_test_<random>` for one test (or one file), so tests never
 * see each other's rows and can run against a shared server.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `crossdock_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      // FORCE: a test that failed half-way may have left a pool open.
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
