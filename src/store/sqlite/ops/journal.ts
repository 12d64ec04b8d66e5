import type Database from 'better-sqlite3';
import type { MessagePage, MessageQuery, MessageRecord, MessageEvent, NewMessageEvent } from '../../types.js';
import { sql, toJson } from '../statements.js';
import { toMessageEvent, toMessageRecord, toMessageSummary, type EventRow, type MessageRow } from './rows.js';

export function appendEvent(db: Database.Database, e: NewMessageEvent): void {
  sql(db, `INSERT INTO message_events (message_id, at, step, outcome, target, attempt, latency_ms, error, payload, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(e.messageId, e.at, e.step, e.outcome, e.target ?? null, e.attempt ?? null, e.latencyMs ?? null,
      toJson(e.error), toJson(e.payload), toJson(e.detail));
}

export function getMessage(db: Database.Database, id: string): MessageRecord | undefined {
  const row = sql(db, 'SELECT * FROM messages WHERE id = ?').get(id) as MessageRow | undefined;
  return row ? toMessageRecord(row) : undefined;
}

export function listEvents(db: Database.Database, messageId: string): MessageEvent[] {
  const rows = sql(db, 'SELECT * FROM message_events WHERE message_id = ? ORDER BY seq').all(messageId) as EventRow[];
  return rows.map(toMessageEvent);
}

/** Cursor = "<received_at>:<id>" of the last row of the previous page (keyset pagination). */
export function encodeCursor(receivedAt: number, id: string): string {
  return Buffer.from(`${receivedAt}:${id}`).toString('base64url');
}
export function decodeCursor(cursor: string): { receivedAt: number; id: string } | undefined {
  const text = Buffer.from(cursor, 'base64url').toString();
  const at = text.indexOf(':');
  const receivedAt = Number(text.slice(0, at));
  if (at < 1 || !Number.isFinite(receivedAt)) return undefined;
  return { receivedAt, id: text.slice(at + 1) };
}

export function searchMessages(db: Database.Database, q: MessageQuery): MessagePage {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (q.text) {
    where.push('(id = ? OR subject_id = ? OR channel_ref = ? OR correlation_id = ? OR order_number = ? OR po_number = ?)');
    args.push(q.text, q.text, q.text, q.text, q.text, q.text);
  }
  if (q.status) { where.push('status = ?'); args.push(q.status); }
  if (q.channel) { where.push('source = ?'); args.push(q.channel); }
  if (q.from !== undefined) { where.push('received_at >= ?'); args.push(q.from); }
  if (q.to !== undefined) { where.push('received_at < ?'); args.push(q.to); }
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  if (after) {
    where.push('(received_at < ? OR (received_at = ? AND id < ?))');
    args.push(after.receivedAt, after.receivedAt, after.id);
  }
  const text = `SELECT id, correlation_id, direction, source, kind, subject_id, channel_ref, source_ts, status, received_at, updated_at
    FROM messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY received_at DESC, id DESC LIMIT ?`;
  const rows = sql(db, text).all(...args, q.limit + 1) as MessageRow[];
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toMessageSummary),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.received_at, last.id) : null,
  };
}
