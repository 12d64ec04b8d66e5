import type { OrderRecord, OrderTransition } from '../types.js';
import { jsonParam, jsonValue, type Queryable } from './pool.js';
import { toOrderRecord, type OrderRow } from './rows.js';
import { messageStatusFor, ERROR_STATES } from '../order-journal.js';

export async function getOrder(db: Queryable, id: string): Promise<OrderRecord | undefined> {
  const { rows } = await db.query<OrderRow>('SELECT o.*, m.canonical FROM orders o JOIN messages m ON m.id = o.message_id WHERE o.id = $1', [id]);
  return rows[0] && toOrderRecord(rows[0]);
}


/**
 * One statement, so one transaction: every sub-statement reads `moved`, which is empty when the
 * order is no longer in one of `from`; then nothing else is written. Two workers racing on the
 * same order queue on its row lock, and the second re-checks the state after the first commits.
 * The job is finished only while its lease still holds; a lost lease leaves it to its new holder.
 */
export async function transitionOrder(db: Queryable, t: OrderTransition): Promise<boolean> {
  const { rows } = await db.query<{ moved: number }>(
    `WITH moved AS (
       UPDATE orders SET state = $3, updated_at = $4,
         reason = CASE WHEN $5::boolean THEN $6::jsonb ELSE reason END,
         erp_ref = COALESCE($7::text, erp_ref)
       WHERE id = $1 AND state = ANY($2::text[])
       RETURNING message_id
     ), journal AS (
       INSERT INTO message_events (message_id, at, step, outcome, detail, error)
       SELECT message_id, $4, $8, $9, $10::jsonb, $6::jsonb FROM moved
     ), message AS (
       UPDATE messages SET status = $11, updated_at = $4 FROM moved WHERE messages.id = moved.message_id
     ), published AS (
       INSERT INTO outbox (topic, key, payload, created_at)
       SELECT $12::text, $1, $13::jsonb, $4 FROM moved WHERE $12::text IS NOT NULL
     ), finished AS (
       UPDATE jobs SET status = $16::text,
         last_error = CASE WHEN $16::text = 'dead' THEN COALESCE($6::jsonb, last_error) ELSE last_error END,
         lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = $4
       FROM moved WHERE jobs.id = $14::text AND jobs.lease_token = $15::text AND jobs.status = 'running'
     )
     SELECT count(*)::int AS moved FROM moved`,
    [
      t.orderId, t.from, t.to, t.now,
      t.reason !== undefined, jsonParam(t.reason), t.erpRef ?? null,
      t.step, ERROR_STATES.has(t.to) ? 'error' : 'ok', jsonParam(t.detail),
      messageStatusFor(t.to),
      t.event?.topic ?? null, jsonValue(t.event?.payload),
      t.job?.id ?? null, t.job?.leaseToken ?? null, t.job?.outcome === 'dead' ? 'dead' : 'done',
    ],
  );
  return (rows[0]?.moved ?? 0) > 0;
}
