import type Database from 'better-sqlite3';
import type { AcceptOrderInput, AcceptOrderResult, AcceptedResponse } from '../../types.js';
import { sameJsonDocument } from '../../../lib/canonical-json.js';
import { sql } from '../statements.js';
import { bumpCounter } from './counters.js';
import { writeSearchKeys } from './journal.js';
import { orderSearchKeys, type SearchKeyed } from '../../search-keys.js';

/** The store proxy serialises the canonical document on the caller's thread (a string crosses threads cheaply). */
function canonicalText(canonical: unknown): string {
  return typeof canonical === 'string' ? canonical : JSON.stringify(canonical);
}

/** The raw body an order was accepted with ('' when it cannot be found, which never matches). */
function storedRaw(db: Database.Database, orderId: string): string {
  const row = sql(db, 'SELECT m.raw FROM orders o JOIN messages m ON m.id = o.message_id WHERE o.id = ?').get(orderId) as { raw: string } | undefined;
  return row?.raw ?? '';
}

interface KeyRow {
  key: string;
  request_hash: string;
  response: string;
}

/**
 * Idempotent consumer + journal + enqueue in one transaction: either the order, its raw and
 * canonical payloads, its idempotency keys and its processing job are all committed, or none.
 */
export function acceptOrder(db: Database.Database, input: AcceptOrderInput & SearchKeyed): AcceptOrderResult {
  for (const key of input.idempotencyKeys) {
    const row = sql(db, 'SELECT key, request_hash, response FROM idempotency_keys WHERE key = ?').get(key) as KeyRow | undefined;
    if (!row) continue;
    const response = JSON.parse(row.response) as AcceptedResponse;
    if (row.request_hash !== input.requestHash && !sameJsonDocument(storedRaw(db, response.orderId), input.raw)) {
      return { outcome: 'conflict', key, response };
    }
    sql(db, 'UPDATE idempotency_keys SET duplicates = duplicates + 1 WHERE key = ?').run(key);
    bumpCounter(db, 'duplicates_suppressed');
    bumpCounter(db, `duplicates_suppressed:${input.channel}`);
    return { outcome: 'duplicate', response };
  }

  const n = input.now;
  sql(db, `INSERT INTO messages (id, correlation_id, direction, source, kind, subject_id, channel_ref, order_number, po_number, source_ts, status, raw, canonical, received_at, updated_at)
           VALUES (?, ?, 'inbound', ?, 'order', ?, ?, ?, ?, ?, 'accepted', ?, ?, ?, ?)`)
    .run(input.messageId, input.correlationId, input.channel, input.orderId, input.channelOrderId, input.orderNumber ?? null,
      input.poNumber ?? null, input.sourceTimestamp, input.raw, canonicalText(input.canonical), n, n);
  writeSearchKeys(db, input.messageId, n, input.searchKeys ?? orderSearchKeys(input.canonical, input.customerAccount));
  sql(db, `INSERT INTO orders (id, channel, channel_order_id, state, correlation_id, message_id, customer_account, created_at, updated_at)
           VALUES (?, ?, ?, 'received', ?, ?, ?, ?, ?)`)
    .run(input.orderId, input.channel, input.channelOrderId, input.correlationId, input.messageId, input.customerAccount, n, n);
  sql(db, `INSERT INTO message_events (message_id, at, step, outcome) VALUES (?, ?, 'received', 'ok')`).run(input.messageId, n);
  sql(db, `INSERT INTO jobs (id, queue, payload, correlation_id, status, attempts, max_attempts, run_at, subject_id, created_at, updated_at, trace_parent)
           VALUES (?, 'order.process', ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?)`)
    .run(input.jobId, JSON.stringify({ orderId: input.orderId }), input.correlationId, input.maxAttempts, n, input.orderId, n, n, input.traceParent ?? null);
  const response = JSON.stringify(input.response);
  const insertKey = sql(db, 'INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES (?, ?, ?, ?)');
  for (const key of input.idempotencyKeys) insertKey.run(key, input.requestHash, response, n);
  bumpCounter(db, `orders_accepted:${input.channel}`);
  return { outcome: 'accepted', response: input.response };
}
