import type Database from 'better-sqlite3';
import type { OrderState } from '../../../canonical/states.js';
import type { ErrorRecord } from '../../../errors/crossdock-error.js';
import type {
  CrossReference, CrossReferenceKind, CrossReferenceQuery, DeadLetterCount, DeadLetterEntry, DeadLetterSearch,
  DiscardRequest, DiscardResult, OrderCountQuery, OrderRemap, TargetPause,
} from '../../operations-types.js';
import { sql } from '../statements.js';
import { appendEvent } from './journal.js';

// The operations backend's store operations: the dead-letter workbench, run-time
// cross-references and paused targets (src/store/operations-types.ts).

/** See `OperationsStore.countOrders`: a range of `orders_state` per state, received time tested per row. */
export function countOrders(db: Database.Database, q: OrderCountQuery): number {
  if (q.states.length === 0) return 0;
  const states = q.states.map(() => '?').join(', ');
  const channel = q.channel !== undefined ? ' AND channel = ?' : '';
  const row = sql(db, `SELECT count(*) AS n FROM orders WHERE state IN (${states}) AND created_at >= ? AND created_at < ?${channel}`)
    .get(...q.states, q.receivedFrom, q.receivedBefore, ...(q.channel !== undefined ? [q.channel] : [])) as { n: number };
  return row.n;
}

/** See `OperationsStore.deadLetterCounts`: one pass over the dead jobs' partial index. */
export function deadLetterCounts(db: Database.Database): DeadLetterCount[] {
  const rows = sql(db, `SELECT COALESCE(json_extract(last_error, '$.code'), 'internal.defect') AS code, COUNT(*) AS count,
      MIN(updated_at) AS oldest, MAX(updated_at) AS newest FROM jobs WHERE status = 'dead' GROUP BY 1 ORDER BY 1`)
    .all() as { code: string; count: number; oldest: number; newest: number }[];
  return rows.map((r) => ({ code: r.code, count: r.count, oldestAt: r.oldest, newestAt: r.newest }));
}

interface DeadLetterRow {
  id: string; queue: string; correlation_id: string; subject_id: string | null; attempts: number; last_error: string | null;
  updated_at: number; channel: string | null; channel_order_id: string | null; state: OrderState | null;
}

/** See `OperationsStore.findDeadLetters`. Codes and ids travel as JSON arrays: one prepared statement for any number. */
export function findDeadLetters(db: Database.Database, q: DeadLetterSearch): DeadLetterEntry[] {
  const codes = q.codes ? JSON.stringify(q.codes) : null;
  const ids = q.ids ? JSON.stringify(q.ids) : null;
  const rows = sql(db, `SELECT j.id, j.queue, j.correlation_id, j.subject_id, j.attempts, j.last_error, j.updated_at,
        o.channel, o.channel_order_id, o.state
      FROM jobs j LEFT JOIN orders o ON o.id = j.subject_id
      WHERE j.status = 'dead'
        AND (? IS NULL OR COALESCE(json_extract(j.last_error, '$.code'), 'internal.defect') IN (SELECT value FROM json_each(?)))
        AND (? IS NULL OR j.id IN (SELECT value FROM json_each(?)))
        AND (? IS NULL OR j.updated_at < ? OR (j.updated_at = ? AND j.id < ?))
      ORDER BY j.updated_at DESC, j.id DESC LIMIT ?`)
    .all(codes, codes, ids, ids, q.after?.deadAt ?? null, q.after?.deadAt ?? null, q.after?.deadAt ?? null, q.after?.jobId ?? null, q.limit) as DeadLetterRow[];
  return rows.map((r) => ({
    jobId: r.id, queue: r.queue, correlationId: r.correlation_id, subjectId: r.subject_id, attempts: r.attempts,
    error: deadReason(r.last_error), deadAt: r.updated_at,
    order: r.channel !== null && r.channel_order_id !== null && r.state !== null
      ? { channel: r.channel, channelOrderId: r.channel_order_id, state: r.state } : null,
  }));
}

function deadReason(text: string | null): ErrorRecord {
  // Jobs are dead-lettered with a reason; one without would itself be a defect, shown as such.
  return text ? (JSON.parse(text) as ErrorRecord)
    : { code: 'internal.defect', kind: 'defect', message: 'Dead-lettered without a reason', action: 'Report it with the correlation id.' };
}

/** See `OperationsStore.discardDeadLetter`. */
export function discardDeadLetter(db: Database.Database, r: DiscardRequest): DiscardResult | undefined {
  const job = sql(db, `UPDATE jobs SET status = 'discarded', updated_at = ? WHERE id = ? AND status = 'dead'
      RETURNING id, queue, payload, last_error`).get(r.now, r.jobId) as { id: string; queue: string; payload: string; last_error: string | null } | undefined;
  if (!job) return undefined;
  const error = deadReason(job.last_error);
  const orderId = (JSON.parse(job.payload) as { orderId?: unknown } | null)?.orderId;
  if (typeof orderId !== 'string') return { jobId: job.id, queue: job.queue, error, order: null };
  const order = sql(db, 'SELECT id, channel, channel_order_id, state, message_id FROM orders WHERE id = ?').get(orderId) as
    { id: string; channel: string; channel_order_id: string; state: OrderState; message_id: string } | undefined;
  if (!order) return { jobId: job.id, queue: job.queue, error, order: null };
  const detail = { jobId: job.id, reason: r.reason, by: r.actor, error };
  // Only the job that processes the order decides its fate; a revision's dead letter (say,
  // `order.changed-after-post`) is closed without touching the order the ERP already has.
  if (job.queue !== 'order.process' || (order.state !== 'held' && order.state !== 'failed')) {
    appendEvent(db, { messageId: order.message_id, at: r.now, step: 'dead-letter-discarded', outcome: 'info', detail });
    return { jobId: job.id, queue: job.queue, error, order: null };
  }
  sql(db, `UPDATE orders SET state = 'discarded', updated_at = ? WHERE id = ?`).run(r.now, order.id);
  sql(db, `UPDATE messages SET status = 'rejected', updated_at = ? WHERE id = ?`).run(r.now, order.message_id);
  appendEvent(db, { messageId: order.message_id, at: r.now, step: 'discarded', outcome: 'error', detail });
  sql(db, 'INSERT INTO outbox (topic, key, payload, created_at) VALUES (?, ?, ?, ?)').run('order.discarded', order.id, JSON.stringify({
    orderId: order.id, channel: order.channel, channelOrderId: order.channel_order_id, reason: r.reason, by: r.actor, previousState: order.state,
  }), r.now);
  return { jobId: job.id, queue: job.queue, error, order: { id: order.id, channel: order.channel, channelOrderId: order.channel_order_id, from: order.state } };
}

/** See `OperationsStore.remapOrder`: the canonical order is kept on its message. */
export function remapOrder(db: Database.Database, m: OrderRemap): boolean {
  const states = JSON.stringify(m.from);
  const order = sql(db, `UPDATE orders SET customer_account = ?, updated_at = ?
      WHERE id = ? AND state IN (SELECT value FROM json_each(?)) RETURNING message_id`).get(m.customerAccount, m.now, m.orderId, states) as
    { message_id: string } | undefined;
  if (!order) return false;
  sql(db, 'UPDATE messages SET canonical = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(m.canonical), m.now, order.message_id);
  appendEvent(db, { messageId: order.message_id, at: m.now, step: 'cross-referenced', outcome: 'info', detail: m.detail });
  return true;
}

interface CrossReferenceRow { channel: string; kind: string; key: string; value: string; updated_by: string; updated_at: number }

function toCrossReference(r: CrossReferenceRow): CrossReference {
  return { channel: r.channel, kind: r.kind, key: r.key, value: JSON.parse(r.value), updatedBy: r.updated_by, updatedAt: r.updated_at } as CrossReference;
}

/** See `OperationsStore.listCrossReferences`. */
export function listCrossReferences(db: Database.Database, q: CrossReferenceQuery): CrossReference[] {
  const rows = sql(db, `SELECT * FROM cross_references WHERE (? IS NULL OR channel = ?) AND (? IS NULL OR kind = ?)
      ORDER BY channel, kind, key`).all(q.channel ?? null, q.channel ?? null, q.kind ?? null, q.kind ?? null) as CrossReferenceRow[];
  return rows.map(toCrossReference);
}

function getCrossReference(db: Database.Database, channel: string, kind: CrossReferenceKind, key: string): CrossReference | undefined {
  const row = sql(db, 'SELECT * FROM cross_references WHERE channel = ? AND kind = ? AND key = ?').get(channel, kind, key) as CrossReferenceRow | undefined;
  return row ? toCrossReference(row) : undefined;
}

/** See `OperationsStore.putCrossReference`. */
export function putCrossReference(db: Database.Database, ref: CrossReference): CrossReference | undefined {
  const before = getCrossReference(db, ref.channel, ref.kind, ref.key);
  sql(db, `INSERT INTO cross_references (channel, kind, key, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (channel, kind, key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`)
    .run(ref.channel, ref.kind, ref.key, JSON.stringify(ref.value), ref.updatedBy, ref.updatedAt);
  return before;
}

/** See `OperationsStore.deleteCrossReference`. */
export function deleteCrossReference(db: Database.Database, channel: string, kind: CrossReferenceKind, key: string): CrossReference | undefined {
  const row = sql(db, 'DELETE FROM cross_references WHERE channel = ? AND kind = ? AND key = ? RETURNING *').get(channel, kind, key) as
    CrossReferenceRow | undefined;
  return row ? toCrossReference(row) : undefined;
}

interface PauseRow { target: string; paused_by: string; reason: string | null; paused_at: number }
const toPause = (r: PauseRow): TargetPause => ({ target: r.target, pausedBy: r.paused_by, reason: r.reason, pausedAt: r.paused_at });

/** See `OperationsStore.listTargetPauses`. */
export function listTargetPauses(db: Database.Database): TargetPause[] {
  return (sql(db, 'SELECT * FROM target_pauses ORDER BY target').all() as PauseRow[]).map(toPause);
}

/** See `OperationsStore.pauseTarget`. */
export function pauseTarget(db: Database.Database, p: TargetPause): TargetPause {
  sql(db, `INSERT INTO target_pauses (target, paused_by, reason, paused_at) VALUES (?, ?, ?, ?) ON CONFLICT (target) DO NOTHING`)
    .run(p.target, p.pausedBy, p.reason, p.pausedAt);
  return toPause(sql(db, 'SELECT * FROM target_pauses WHERE target = ?').get(p.target) as PauseRow);
}

/** See `OperationsStore.resumeTarget`. */
export function resumeTarget(db: Database.Database, target: string, now: number): TargetPause | undefined {
  const row = sql(db, 'DELETE FROM target_pauses WHERE target = ? RETURNING *').get(target) as PauseRow | undefined;
  if (!row) return undefined;
  sql(db, `UPDATE jobs SET run_at = ? WHERE status = 'queued' AND run_at > ? AND json_extract(last_error, '$.code') = 'target.paused'
      AND (json_extract(last_error, '$.target') = ? OR json_extract(last_error, '$.target') LIKE ? ESCAPE '\\')`)
    .run(now, now, target, `${likeEscape(target)}.%`);
  return toPause(row);
}

const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
