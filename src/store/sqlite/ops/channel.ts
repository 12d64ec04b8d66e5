import type Database from 'better-sqlite3';
import type {
  AcceptOrderVersionInput, AcceptOrderVersionResult, AcceptedResponse, InboundRecordInput, InboundRecordResult,
} from '../../types.js';
import type { OrderState } from '../../../canonical/states.js';
import { isNewerVersion, ORDER_REVISE_QUEUE } from '../../order-versions.js';
import { sql, toJson } from '../statements.js';
import { bumpCounter } from './counters.js';
import { acceptOrder } from './intake.js';
import { appendEvent, writeSearchKeys } from './journal.js';
import { orderSearchKeys, type SearchKeyed } from '../../search-keys.js';
import { enqueue } from './queue.js';

interface VersionRow {
  id: string;
  state: OrderState;
  correlation_id: string;
  message_id: string;
  channel_updated_at: string | null;
}

/** See `Store.acceptOrderVersion`. */
export function acceptOrderVersion(db: Database.Database, input: AcceptOrderVersionInput & SearchKeyed): AcceptOrderVersionResult {
  const current = sql(db, `SELECT id, state, correlation_id, message_id, channel_updated_at FROM orders
                           WHERE channel = ? AND channel_order_id = ?`).get(input.channel, input.channelOrderId) as VersionRow | undefined;
  if (!current) {
    const first = acceptOrder(db, input);
    if (first.outcome !== 'accepted') return { outcome: 'stale', response: first.response };
    sql(db, 'UPDATE orders SET channel_updated_at = ? WHERE id = ?').run(input.channelUpdatedAt, input.orderId);
    return first;
  }
  const response: AcceptedResponse = {
    orderId: current.id, correlationId: current.correlation_id, status: current.state, location: `/v1/orders/${current.id}`,
  };
  if (!isNewerVersion(input.channelUpdatedAt, current.channel_updated_at)) {
    bumpCounter(db, 'duplicates_suppressed');
    bumpCounter(db, `duplicates_suppressed:${input.channel}`);
    return { outcome: 'stale', response };
  }
  const n = input.now;
  sql(db, `INSERT INTO messages (id, correlation_id, direction, source, kind, subject_id, channel_ref, order_number, po_number, source_ts, status, raw, canonical, received_at, updated_at)
           VALUES (?, ?, 'inbound', ?, 'order', ?, ?, ?, ?, ?, 'accepted', ?, ?, ?, ?)`)
    .run(input.messageId, input.correlationId, input.channel, current.id, input.channelOrderId, input.orderNumber ?? null,
      input.poNumber ?? null, input.sourceTimestamp, input.raw, revisedCanonical(input.canonical, current.id), n, n);
  writeSearchKeys(db, input.messageId, n, input.searchKeys ?? orderSearchKeys(input.canonical, input.customerAccount));
  sql(db, 'UPDATE orders SET message_id = ?, channel_updated_at = ?, updated_at = ? WHERE id = ?')
    .run(input.messageId, input.channelUpdatedAt, n, current.id);
  appendEvent(db, { messageId: input.messageId, at: n, step: 'revised', outcome: 'info', detail: { previousMessageId: current.message_id, channelUpdatedAt: input.channelUpdatedAt } });
  appendEvent(db, { messageId: current.message_id, at: n, step: 'superseded', outcome: 'info', detail: { byMessageId: input.messageId } });
  enqueue(db, {
    id: input.jobId, queue: ORDER_REVISE_QUEUE, payload: { orderId: current.id, messageId: input.messageId },
    correlationId: input.correlationId, runAt: n, maxAttempts: input.maxAttempts, now: n,
    ...(input.traceParent ? { traceParent: input.traceParent } : {}),
  });
  bumpCounter(db, `orders_revised:${input.channel}`);
  return { outcome: 'revised', response };
}

/**
 * The revision's canonical document under the order's own id: the caller built it as if it were
 * a new order, and the id is the external reference every target knows the order by.
 */
function revisedCanonical(canonical: unknown, orderId: string): string {
  const document = (typeof canonical === 'string' ? JSON.parse(canonical) : canonical) as Record<string, unknown>;
  return JSON.stringify({ ...document, id: orderId });
}

/** See `Store.recordInbound`. */
export function recordInbound(db: Database.Database, input: InboundRecordInput): InboundRecordResult {
  if (input.idempotencyKey !== undefined) {
    const row = sql(db, 'SELECT response FROM idempotency_keys WHERE key = ?').get(input.idempotencyKey) as { response: string } | undefined;
    if (row) {
      sql(db, 'UPDATE idempotency_keys SET duplicates = duplicates + 1 WHERE key = ?').run(input.idempotencyKey);
      bumpCounter(db, 'duplicates_suppressed');
      bumpCounter(db, `duplicates_suppressed:${input.source}`);
      return { outcome: 'duplicate', messageId: (JSON.parse(row.response) as { messageId: string }).messageId };
    }
    sql(db, 'INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES (?, ?, ?, ?)')
      .run(input.idempotencyKey, '', JSON.stringify({ messageId: input.messageId }), input.now);
  }
  const n = input.now;
  sql(db, `INSERT INTO messages (id, correlation_id, direction, source, kind, subject_id, channel_ref, source_ts, status, raw, canonical, received_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(input.messageId, input.correlationId, input.direction ?? 'inbound', input.source, input.kind, input.subjectId ?? null, input.channelRef ?? null,
      input.sourceTimestamp ?? null, input.status, input.raw, toJson(input.canonical), n, n);
  appendEvent(db, {
    messageId: input.messageId, at: n, step: input.status === 'rejected' ? 'rejected' : 'received',
    outcome: input.status === 'rejected' ? 'error' : 'ok', ...(input.error ? { error: input.error } : {}),
  });
  if (input.job) enqueue(db, { ...input.job, payload: { ...input.job.payload, messageId: input.messageId } });
  bumpCounter(db, `inbound_${input.status}:${input.kind}:${input.source}`);
  return { outcome: 'accepted', messageId: input.messageId };
}

export function getCursor(db: Database.Database, name: string): string | undefined {
  return (sql(db, 'SELECT value FROM cursors WHERE name = ?').get(name) as { value: string } | undefined)?.value;
}

export function setCursor(db: Database.Database, name: string, value: string, now: number): void {
  sql(db, 'INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
    .run(name, value, now);
}
