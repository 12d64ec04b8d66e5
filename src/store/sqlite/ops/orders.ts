import type Database from 'better-sqlite3';
import type { OrderRecord, OrderTransition } from '../../types.js';
import { sql, toJson } from '../statements.js';
import { appendEvent } from './journal.js';
import { toOrderRecord, type OrderRow } from './rows.js';
import { messageStatusFor, ERROR_STATES } from '../../order-journal.js';

export function getOrder(db: Database.Database, id: string): OrderRecord | undefined {
  // The canonical order is kept once, on its inbound message.
  const row = sql(db, 'SELECT o.*, m.canonical FROM orders o JOIN messages m ON m.id = o.message_id WHERE o.id = ?').get(id) as OrderRow | undefined;
  return row ? toOrderRecord(row) : undefined;
}


export function transitionOrder(db: Database.Database, t: OrderTransition): boolean {
  const placeholders = t.from.map(() => '?').join(', ');
  const row = sql(db, `SELECT message_id FROM orders WHERE id = ? AND state IN (${placeholders})`).get(t.orderId, ...t.from) as
    | { message_id: string } | undefined;
  if (!row) return false;
  const sets = ['state = ?', 'updated_at = ?'];
  const args: (string | number | null)[] = [t.to, t.now];
  if (t.reason !== undefined) { sets.push('reason = ?'); args.push(toJson(t.reason)); }
  if (t.erpRef !== undefined) { sets.push('erp_ref = ?'); args.push(t.erpRef); }
  sql(db, `UPDATE orders SET ${sets.join(', ')} WHERE id = ?`).run(...args, t.orderId);
  sql(db, 'UPDATE messages SET status = ?, updated_at = ? WHERE id = ?').run(messageStatusFor(t.to), t.now, row.message_id);
  appendEvent(db, {
    messageId: row.message_id, at: t.now, step: t.step, outcome: ERROR_STATES.has(t.to) ? 'error' : 'ok',
    ...(t.detail ? { detail: t.detail } : {}), ...(t.reason ? { error: t.reason } : {}),
  });
  if (t.event) {
    sql(db, 'INSERT INTO outbox (topic, key, payload, created_at) VALUES (?, ?, ?, ?)')
      .run(t.event.topic, t.orderId, JSON.stringify(t.event.payload), t.now);
  }
  if (t.job) {
    const status = t.job.outcome === 'complete' ? 'done' : 'dead';
    sql(db, `UPDATE jobs SET status = ?, last_error = COALESCE(?, last_error), lease_owner = NULL, lease_token = NULL,
             lease_expires_at = NULL, updated_at = ? WHERE id = ? AND lease_token = ?`)
      .run(status, t.job.outcome === 'dead' ? toJson(t.reason) : null, t.now, t.job.id, t.job.leaseToken);
  }
  return true;
}
