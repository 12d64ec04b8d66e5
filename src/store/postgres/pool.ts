import pg from 'pg';

/** Anything that runs a query: the pool (one autocommit statement) or a client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

const INT8 = 20;
const NUMERIC = 1700;

/**
 * int8 (bigint columns, `count(*)`) and numeric (`sum(...)`) arrive as strings by default because
 * they can exceed 2^53. Every such value here is an epoch-ms time or a count, far below that, and
 * the Store contract speaks JS numbers.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: (id, format) =>
    id === INT8 || id === NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(id, format),
};

/** A pool whose clients parse int8 and numeric as numbers (for this pool only, not globally). */
export function createPool(url: string, size: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: size, types: typeParsers });
  // An idle client whose server connection dies (restart, failover, DROP DATABASE … FORCE) emits
  // 'error' on the pool; unhandled, that would crash the process. The pool discards the client and
  // the next query reports the failure to its caller.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `work` inside BEGIN … COMMIT on one client; rolls back when it throws. A client whose
 * rollback fails is destroyed rather than returned to the pool in an unknown state.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** PostgreSQL's `unique_violation`: another transaction committed the same key first. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/**
 * A value for a nullable `jsonb` parameter: serialised here, so strings and arrays stay JSON
 * (pg would send a JS string as-is and a JS array as a PostgreSQL array). Absent → SQL NULL.
 */
export function jsonParam(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** A value for a NOT NULL `jsonb` payload: a JSON `null` payload is kept as JSON `null`. */
export function jsonValue(value: unknown): string {
  return JSON.stringify(value ?? null);
}
