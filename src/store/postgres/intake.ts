import type pg from 'pg';
import { sameJsonDocument } from '../../lib/canonical-json.js';
import type { AcceptOrderInput, AcceptOrderResult } from '../types.js';
import { bumpCounters } from './counters.js';
import { inTransaction, isUniqueViolation, jsonParam, jsonValue } from './pool.js';
import { toAcceptedResponse } from './rows.js';
import { orderSearchKeys } from '../search-keys.js';
import { writeSearchKeys } from './search.js';

/** Losers of a race on the same key need one more round; more than a few means something else is wrong. */
const MAX_ROUNDS = 5;

/**
 * Idempotent consumer + journal + enqueue in one transaction: either the order, its raw and
 * canonical payloads, its idempotency keys and its processing job are all committed, or none.
 *
 * Two requests with the same key can both find it absent; the second one's key insert then waits
 * for the first to commit and fails with a unique violation. That round is rolled back and the
 * next one finds the committed key and answers duplicate (or conflict).
 */
export function acceptOrder(pool: pg.Pool, input: AcceptOrderInput): Promise<AcceptOrderResult> {
  return inRacingTransaction(pool, (client) => acceptWithin(client, input));
}

/** A transaction that may lose a race on a unique key to a concurrent one: run again, a few times at most. */
export async function inRacingTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await inTransaction(pool, work);
    } catch (error) {
      if (!isRaceLost(error) || round >= MAX_ROUNDS) throw error;
    }
  }
}

/** One round of `acceptOrder` inside the caller's transaction (a unique violation means: lost a race, retry). */
export async function acceptWithin(client: pg.PoolClient, input: AcceptOrderInput): Promise<AcceptOrderResult> {
  return (await answerRepeat(client, input)) ?? accept(client, input);
}

/**
 * When one of the keys was already used, answers from it without writing the order: the first
 * key found, in the caller's order, decides. Same request body → duplicate (counted); another
 * body → conflict, and nothing changes.
 */
async function answerRepeat(client: pg.PoolClient, input: AcceptOrderInput): Promise<AcceptOrderResult | undefined> {
  const { rows } = await client.query<{ key: string; request_hash: string; response: unknown }>(
    `SELECT key, request_hash, response FROM idempotency_keys
     WHERE key = ANY($1::text[]) ORDER BY array_position($1::text[], key) LIMIT 1`,
    [input.idempotencyKeys],
  );
  const hit = rows[0];
  if (!hit) return undefined;
  const response = toAcceptedResponse(hit.response);
  if (hit.request_hash !== input.requestHash && !sameJsonDocument(await storedRaw(client, response.orderId), input.raw)) {
    return { outcome: 'conflict', key: hit.key, response };
  }
  await client.query('UPDATE idempotency_keys SET duplicates = duplicates + 1 WHERE key = $1', [hit.key]);
  await bumpCounters(client, ['duplicates_suppressed', `duplicates_suppressed:${input.channel}`]);
  return { outcome: 'duplicate', response };
}

/** The raw body an order was accepted with ('' when it cannot be found, which never matches). */
async function storedRaw(client: pg.PoolClient, orderId: string): Promise<string> {
  const { rows } = await client.query<{ raw: string }>(
    'SELECT m.raw FROM orders o JOIN messages m ON m.id = o.message_id WHERE o.id = $1', [orderId]);
  return rows[0]?.raw ?? '';
}

async function accept(client: pg.PoolClient, input: AcceptOrderInput): Promise<AcceptOrderResult> {
  // Keys first and on their own: a racing request with the same key blocks here, before it has
  // written anything else, and keys go in sorted order so requests sharing several keys never
  // wait on each other in a cycle.
  await client.query(
    `INSERT INTO idempotency_keys (key, request_hash, response, created_at)
     SELECT key, $2, $3::jsonb, $4 FROM unnest($1::text[]) AS key ORDER BY key`,
    [[...new Set(input.idempotencyKeys)].sort(), input.requestHash, jsonParam(input.response), input.now],
  );
  // The rest is one statement: each sub-statement only inserts, so their order does not matter.
  await client.query(
    `WITH message AS (
       INSERT INTO messages (id, correlation_id, direction, source, kind, subject_id, channel_ref, source_ts,
                             status, raw, canonical, received_at, updated_at, order_number, po_number)
       VALUES ($1, $2, 'inbound', $3, 'order', $4, $5, $6, 'accepted', $7, $8::jsonb, $9, $9, $14, $15)
     ), received AS (
       INSERT INTO message_events (message_id, at, step, outcome) VALUES ($1, $9, 'received', 'ok')
     ), ord AS (
       INSERT INTO orders (id, channel, channel_order_id, state, correlation_id, message_id,
                           customer_account, created_at, updated_at)
       VALUES ($4, $3, $5, 'received', $2, $1, $10, $9, $9)
     )
     INSERT INTO jobs (id, queue, payload, correlation_id, status, attempts, max_attempts, run_at, subject_id,
                       created_at, updated_at, trace_parent)
     VALUES ($11, 'order.process', $12::jsonb, $2, 'queued', 0, $13, $9, $4, $9, $9, $16)`,
    [
      input.messageId, input.correlationId, input.channel, input.orderId, input.channelOrderId,
      input.sourceTimestamp, input.raw, jsonParam(input.canonical), input.now, input.customerAccount,
      input.jobId, jsonValue({ orderId: input.orderId }), input.maxAttempts,
      input.orderNumber ?? null, input.poNumber ?? null, input.traceParent ?? null,
    ],
  );
  await writeSearchKeys(client, input.messageId, input.now, orderSearchKeys(input.canonical, input.customerAccount));
  await bumpCounters(client, [`orders_accepted:${input.channel}`]);
  return { outcome: 'accepted', response: input.response };
}

/**
 * Another transaction committed the same key first (unique violation), or two requests for the
 * same order under different keys waited on each other (deadlock detected): retry the round.
 */
function isRaceLost(error: unknown): boolean {
  return isUniqueViolation(error) || (error as { code?: unknown } | null)?.code === '40P01';
}
