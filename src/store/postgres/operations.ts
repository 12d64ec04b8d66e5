import type pg from 'pg';
import type { OrderState } from '../../canonical/states.js';
import type { ErrorRecord } from '../../errors/crossdock-error.js';
import type {
  CrossReference, CrossReferenceKind, CrossReferenceQuery, DeadLetterCount, DeadLetterEntry, DeadLetterSearch,
  DiscardRequest, DiscardResult, OrderCountQuery, OrderRemap, TargetPause,
} from '../operations-types.js';
import { inTransaction, jsonParam, type Queryable } from './pool.js';
import { toErrorRecord } from './rows.js';
import { appendEvent } from './journal.js';

// The operations backend's store operations: the dead-letter workbench, run-time
// cross-references and paused targets (src/store/operations-types.ts).

/** See `OperationsStore.countOrders`. */
export async function countOrders(db: Queryable, q: OrderCountQuery): Promise<number> {
  if (q.states.length === 0) return 0;
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM orders
     WHERE state = ANY($1::text[]) AND created_at >= $2 AND created_at < $3 AND ($4::text IS NULL OR channel = $4)`,
    [q.states, q.receivedFrom, q.receivedBefore, q.channel ?? null],
  );
  return rows[0]?.n ?? 0;
}

/** See `OperationsStore.deadLetterCounts`. */
export async function deadLetterCounts(db: Queryable): Promise<DeadLetterCount[]> {
  const { rows } = await db.query<{ code: string; count: number; oldest: number; newest: number }>(
    `SELECT COALESCE(last_error ->> 'code', 'internal.defect') AS code, count(*)::int AS count,
            min(updated_at) AS oldest, max(updated_at) AS newest
     FROM jobs WHERE status = 'dead' GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((r) => ({ code: r.code, count: r.count, oldestAt: Number(r.oldest), newestAt: Number(r.newest) }));
}

const DEFECT: ErrorRecord = { code: 'internal.defect', kind: 'defect', message: 'Dead-lettered without a reason', action: 'Report it with the correlation id.' };

/** See `OperationsStore.findDeadLetters`. */
export async function findDeadLetters(db: Queryable, q: DeadLetterSearch): Promise<DeadLetterEntry[]> {
  const { rows } = await db.query<{
    id: string; queue: string; correlation_id: string; subject_id: string | null; attempts: number; last_error: unknown;
    updated_at: number; channel: string | null; channel_order_id: string | null; state: OrderState | null;
  }>(
    `SELECT j.id, j.queue, j.correlation_id, j.subject_id, j.attempts, j.last_error, j.updated_at,
            o.channel, o.channel_order_id, o.state
     FROM jobs j LEFT JOIN orders o ON o.id = j.subject_id
     WHERE j.status = 'dead'
       AND ($1::text[] IS NULL OR COALESCE(j.last_error ->> 'code', 'internal.defect') = ANY($1::text[]))
       AND ($2::text[] IS NULL OR j.id = ANY($2::text[]))
       AND ($3::bigint IS NULL OR (j.updated_at, j.id) < ($3::bigint, $4::text))
     ORDER BY j.updated_at DESC, j.id DESC LIMIT $5`,
    [q.codes ? [...q.codes] : null, q.ids ? [...q.ids] : null, q.after?.deadAt ?? null, q.after?.jobId ?? null, q.limit],
  );
  return rows.map((r) => ({
    jobId: r.id, queue: r.queue, correlationId: r.correlation_id, subjectId: r.subject_id, attempts: r.attempts,
    error: toErrorRecord(r.last_error) ?? DEFECT, deadAt: Number(r.updated_at),
    order: r.channel !== null && r.channel_order_id !== null && r.state !== null
      ? { channel: r.channel, channelOrderId: r.channel_order_id, state: r.state } : null,
  }));
}

/** See `OperationsStore.discardDeadLetter`: the job's and the order's rows are locked, then changed together. */
export async function discardDeadLetter(pool: pg.Pool, r: DiscardRequest): Promise<DiscardResult | undefined> {
  return inTransaction(pool, async (db) => {
    const { rows: jobs } = await db.query<{ id: string; queue: string; payload: { orderId?: unknown } | null; last_error: unknown }>(
      `UPDATE jobs SET status = 'discarded', updated_at = $2 WHERE id = $1 AND status = 'dead' RETURNING id, queue, payload, last_error`,
      [r.jobId, r.now],
    );
    const job = jobs[0];
    if (!job) return undefined;
    const error = toErrorRecord(job.last_error) ?? DEFECT;
    const orderId = job.payload?.orderId;
    if (typeof orderId !== 'string') return { jobId: job.id, queue: job.queue, error, order: null };
    const { rows: orders } = await db.query<{ id: string; channel: string; channel_order_id: string; state: OrderState; message_id: string }>(
      'SELECT id, channel, channel_order_id, state, message_id FROM orders WHERE id = $1 FOR UPDATE', [orderId],
    );
    const order = orders[0];
    if (!order) return { jobId: job.id, queue: job.queue, error, order: null };
    const detail = { jobId: job.id, reason: r.reason, by: r.actor, error };
    // Only the job that processes the order decides its fate; a revision's dead letter (say,
    // `order.changed-after-post`) is closed without touching the order the ERP already has.
    if (job.queue !== 'order.process' || (order.state !== 'held' && order.state !== 'failed')) {
      await appendEvent(db, { messageId: order.message_id, at: r.now, step: 'dead-letter-discarded', outcome: 'info', detail });
      return { jobId: job.id, queue: job.queue, error, order: null };
    }
    await db.query(`UPDATE orders SET state = 'discarded', updated_at = $2 WHERE id = $1`, [order.id, r.now]);
    await db.query(`UPDATE messages SET status = 'rejected', updated_at = $2 WHERE id = $1`, [order.message_id, r.now]);
    await appendEvent(db, { messageId: order.message_id, at: r.now, step: 'discarded', outcome: 'error', detail });
    await db.query('INSERT INTO outbox (topic, key, payload, created_at) VALUES ($1, $2, $3::jsonb, $4)', ['order.discarded', order.id, JSON.stringify({
      orderId: order.id, channel: order.channel, channelOrderId: order.channel_order_id, reason: r.reason, by: r.actor, previousState: order.state,
    }), r.now]);
    return { jobId: job.id, queue: job.queue, error, order: { id: order.id, channel: order.channel, channelOrderId: order.channel_order_id, from: order.state } };
  });
}

/** See `OperationsStore.remapOrder`: one statement, the canonical order is kept on its message. */
export async function remapOrder(db: Queryable, m: OrderRemap): Promise<boolean> {
  const { rows } = await db.query<{ moved: number }>(
    `WITH ord AS (
       UPDATE orders SET customer_account = $2, updated_at = $4 WHERE id = $1 AND state = ANY($5::text[]) RETURNING message_id
     ), message AS (
       UPDATE messages SET canonical = $3::jsonb, updated_at = $4 FROM ord WHERE messages.id = ord.message_id
     ), journal AS (
       INSERT INTO message_events (message_id, at, step, outcome, detail) SELECT message_id, $4, 'cross-referenced', 'info', $6::jsonb FROM ord
     )
     SELECT count(*)::int AS moved FROM ord`,
    [m.orderId, m.customerAccount, JSON.stringify(m.canonical), m.now, [...m.from], jsonParam(m.detail)],
  );
  return (rows[0]?.moved ?? 0) > 0;
}

interface CrossReferenceRow { channel: string; kind: string; key: string; value: unknown; updated_by: string; updated_at: number }

function toCrossReference(r: CrossReferenceRow): CrossReference {
  return { channel: r.channel, kind: r.kind, key: r.key, value: r.value, updatedBy: r.updated_by, updatedAt: Number(r.updated_at) } as CrossReference;
}

/** See `OperationsStore.listCrossReferences`. */
export async function listCrossReferences(db: Queryable, q: CrossReferenceQuery): Promise<CrossReference[]> {
  const { rows } = await db.query<CrossReferenceRow>(
    `SELECT * FROM cross_references WHERE ($1::text IS NULL OR channel = $1) AND ($2::text IS NULL OR kind = $2) ORDER BY channel, kind, key`,
    [q.channel ?? null, q.kind ?? null],
  );
  return rows.map(toCrossReference);
}

/** See `OperationsStore.putCrossReference`: the row lock orders two writers of the same key. */
export async function putCrossReference(pool: pg.Pool, ref: CrossReference): Promise<CrossReference | undefined> {
  return inTransaction(pool, async (db) => {
    const { rows } = await db.query<CrossReferenceRow>(
      'SELECT * FROM cross_references WHERE channel = $1 AND kind = $2 AND key = $3 FOR UPDATE', [ref.channel, ref.kind, ref.key],
    );
    await db.query(
      `INSERT INTO cross_references (channel, kind, key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4::jsonb, $5, $6)
       ON CONFLICT (channel, kind, key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [ref.channel, ref.kind, ref.key, JSON.stringify(ref.value), ref.updatedBy, ref.updatedAt],
    );
    return rows[0] && toCrossReference(rows[0]);
  });
}

/** See `OperationsStore.deleteCrossReference`. */
export async function deleteCrossReference(db: Queryable, channel: string, kind: CrossReferenceKind, key: string): Promise<CrossReference | undefined> {
  const { rows } = await db.query<CrossReferenceRow>(
    'DELETE FROM cross_references WHERE channel = $1 AND kind = $2 AND key = $3 RETURNING *', [channel, kind, key],
  );
  return rows[0] && toCrossReference(rows[0]);
}

interface PauseRow { target: string; paused_by: string; reason: string | null; paused_at: number }
const toPause = (r: PauseRow): TargetPause => ({ target: r.target, pausedBy: r.paused_by, reason: r.reason, pausedAt: Number(r.paused_at) });

/** See `OperationsStore.listTargetPauses`. */
export async function listTargetPauses(db: Queryable): Promise<TargetPause[]> {
  const { rows } = await db.query<PauseRow>('SELECT * FROM target_pauses ORDER BY target');
  return rows.map(toPause);
}

/** See `OperationsStore.pauseTarget`: the first pause stays; the answer is whichever is stored. */
export async function pauseTarget(db: Queryable, p: TargetPause): Promise<TargetPause> {
  const { rows } = await db.query<PauseRow>(
    `WITH added AS (
       INSERT INTO target_pauses (target, paused_by, reason, paused_at) VALUES ($1, $2, $3, $4) ON CONFLICT (target) DO NOTHING RETURNING *
     )
     SELECT * FROM added UNION ALL SELECT * FROM target_pauses WHERE target = $1 AND NOT EXISTS (SELECT 1 FROM added)`,
    [p.target, p.pausedBy, p.reason, p.pausedAt],
  );
  // Empty only when another process's pause committed between the insert and the read: it stands.
  return rows[0] ? toPause(rows[0]) : p;
}

/** See `OperationsStore.resumeTarget`. */
export async function resumeTarget(db: Queryable, target: string, now: number): Promise<TargetPause | undefined> {
  const { rows } = await db.query<PauseRow>(
    `WITH resumed AS (
       DELETE FROM target_pauses WHERE target = $1 RETURNING *
     ), due AS (
       UPDATE jobs SET run_at = $2 FROM resumed
       WHERE jobs.status = 'queued' AND jobs.run_at > $2 AND jobs.last_error ->> 'code' = 'target.paused'
         AND (jobs.last_error ->> 'target' = $1 OR starts_with(jobs.last_error ->> 'target', $1 || '.'))
     )
     SELECT * FROM resumed`,
    [target, now],
  );
  return rows[0] && toPause(rows[0]);
}
