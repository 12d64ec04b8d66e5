import type pg from 'pg';
import type { OrderState } from '../../canonical/states.js';
import { isNewerVersion, ORDER_REVISE_QUEUE } from '../order-versions.js';
import type {
  AcceptOrderVersionInput, AcceptOrderVersionResult, AcceptedResponse, InboundRecordInput, InboundRecordResult,
} from '../types.js';
import { bumpCounters } from './counters.js';
import { acceptWithin, inRacingTransaction } from './intake.js';
import { appendEvent } from './journal.js';
import { jsonParam, type Queryable } from './pool.js';
import { enqueue } from './queue.js';
import { orderSearchKeys } from '../search-keys.js';
import { writeSearchKeys } from './search.js';

interface VersionRow {
  id: string;
  state: OrderState;
  correlation_id: string;
  message_id: string;
  channel_updated_at: string | null;
}

/**
 * See `Store.acceptOrderVersion`. The order row is locked (`FOR UPDATE`) so two versions of one
 * order settle one after the other; two first versions racing meet on the unique keys and the
 * loser's round is retried, as in `acceptOrder`.
 */
export function acceptOrderVersion(pool: pg.Pool, input: AcceptOrderVersionInput): Promise<AcceptOrderVersionResult> {
  return inRacingTransaction(pool, (client) => versionWithin(client, input));
}

async function versionWithin(client: pg.PoolClient, input: AcceptOrderVersionInput): Promise<AcceptOrderVersionResult> {
  const current = await lockOrder(client, input) ?? (await acceptFirst(client, input));
  if ('outcome' in current) return current;
  const response: AcceptedResponse = {
    orderId: current.id, correlationId: current.correlation_id, status: current.state, location: `/v1/orders/${current.id}`,
  };
  if (!isNewerVersion(input.channelUpdatedAt, current.channel_updated_at)) {
    await bumpCounters(client, ['duplicates_suppressed', `duplicates_suppressed:${input.channel}`]);
    return { outcome: 'stale', response };
  }
  const n = input.now;
  // The revision's canonical keeps the order's own id: the external reference every target knows.
  await client.query(
    `INSERT INTO messages (id, correlation_id, direction, source, kind, subject_id, channel_ref, source_ts,
                           status, raw, canonical, received_at, updated_at, order_number, po_number)
     VALUES ($1, $2, 'inbound', $3, 'order', $4, $5, $6, 'accepted', $7, jsonb_set($8::jsonb, '{id}', to_jsonb($4::text)), $9, $9, $10, $11)`,
    [
      input.messageId, input.correlationId, input.channel, current.id, input.channelOrderId, input.sourceTimestamp,
      input.raw, jsonParam(input.canonical), n, input.orderNumber ?? null, input.poNumber ?? null,
    ],
  );
  await client.query('UPDATE orders SET message_id = $1, channel_updated_at = $2, updated_at = $3 WHERE id = $4',
    [input.messageId, input.channelUpdatedAt, n, current.id]);
  await appendEvent(client, { messageId: input.messageId, at: n, step: 'revised', outcome: 'info', detail: { previousMessageId: current.message_id, channelUpdatedAt: input.channelUpdatedAt } });
  await appendEvent(client, { messageId: current.message_id, at: n, step: 'superseded', outcome: 'info', detail: { byMessageId: input.messageId } });
  await enqueue(client, {
    id: input.jobId, queue: ORDER_REVISE_QUEUE, payload: { orderId: current.id, messageId: input.messageId },
    correlationId: input.correlationId, runAt: n, maxAttempts: input.maxAttempts, now: n,
    ...(input.traceParent ? { traceParent: input.traceParent } : {}),
  });
  await writeSearchKeys(client, input.messageId, n, orderSearchKeys(input.canonical, input.customerAccount));
  await bumpCounters(client, [`orders_revised:${input.channel}`]);
  return { outcome: 'revised', response };
}

function lockOrder(client: pg.PoolClient, input: AcceptOrderVersionInput): Promise<VersionRow | undefined> {
  return client.query<VersionRow>(
    `SELECT id, state, correlation_id, message_id, channel_updated_at FROM orders
     WHERE channel = $1 AND channel_order_id = $2 FOR UPDATE`,
    [input.channel, input.channelOrderId],
  ).then((r) => r.rows[0]);
}

/**
 * No order yet: accept this version as the first. When another transaction committed the same
 * order between the lookup and the insert, its key is found instead: lock that order and
 * compare versions, so a newer version is never taken for a duplicate.
 */
async function acceptFirst(client: pg.PoolClient, input: AcceptOrderVersionInput): Promise<VersionRow | AcceptOrderVersionResult> {
  const first = await acceptWithin(client, input);
  if (first.outcome === 'accepted') {
    await client.query('UPDATE orders SET channel_updated_at = $1 WHERE id = $2', [input.channelUpdatedAt, input.orderId]);
    return first;
  }
  const committed = await lockOrder(client, input);
  return committed ?? { outcome: 'stale', response: first.response };
}

/** See `Store.recordInbound`. The key goes in first, so a racing duplicate waits on it and then finds it. */
export function recordInbound(pool: pg.Pool, input: InboundRecordInput): Promise<InboundRecordResult> {
  return inRacingTransaction(pool, (client) => inboundWithin(client, input));
}

async function inboundWithin(client: pg.PoolClient, input: InboundRecordInput): Promise<InboundRecordResult> {
  if (input.idempotencyKey !== undefined) {
    const { rows } = await client.query<{ response: { messageId: string } }>('SELECT response FROM idempotency_keys WHERE key = $1', [input.idempotencyKey]);
    const hit = rows[0];
    if (hit) {
      await client.query('UPDATE idempotency_keys SET duplicates = duplicates + 1 WHERE key = $1', [input.idempotencyKey]);
      await bumpCounters(client, ['duplicates_suppressed', `duplicates_suppressed:${input.source}`]);
      return { outcome: 'duplicate', messageId: hit.response.messageId };
    }
    await client.query('INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES ($1, $2, $3::jsonb, $4)',
      [input.idempotencyKey, '', JSON.stringify({ messageId: input.messageId }), input.now]);
  }
  const n = input.now;
  await client.query(
    `INSERT INTO messages (id, correlation_id, direction, source, kind, subject_id, channel_ref, source_ts,
                           status, raw, canonical, received_at, updated_at)
     VALUES ($1, $2, $12, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $11)`,
    [
      input.messageId, input.correlationId, input.source, input.kind, input.subjectId ?? null, input.channelRef ?? null,
      input.sourceTimestamp ?? null, input.status, input.raw, jsonParam(input.canonical), n, input.direction ?? 'inbound',
    ],
  );
  await appendEvent(client, {
    messageId: input.messageId, at: n, step: input.status === 'rejected' ? 'rejected' : 'received',
    outcome: input.status === 'rejected' ? 'error' : 'ok', ...(input.error ? { error: input.error } : {}),
  });
  if (input.job) await enqueue(client, { ...input.job, payload: { ...input.job.payload, messageId: input.messageId } });
  await bumpCounters(client, [`inbound_${input.status}:${input.kind}:${input.source}`]);
  return { outcome: 'accepted', messageId: input.messageId };
}

export async function getCursor(db: Queryable, name: string): Promise<string | undefined> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM cursors WHERE name = $1', [name]);
  return rows[0]?.value;
}

export async function setCursor(db: Queryable, name: string, value: string, now: number): Promise<void> {
  await db.query(
    `INSERT INTO cursors (name, value, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [name, value, now],
  );
}
