import type Database from 'better-sqlite3';
import type { MessagePage, MessageQuery, MessageRecord, MessageEvent, NewMessageEvent } from '../../types.js';
import { decodeCursor, encodeCursor } from '../../search-cursor.js';
import { customerKey, skuKey } from '../../search-keys.js';
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

/** Writes a message's search keys (`src/store/search-keys.ts`) in the caller's transaction. */
export function writeSearchKeys(db: Database.Database, messageId: string, receivedAt: number, keys: readonly string[]): void {
  const insert = sql(db, 'INSERT OR IGNORE INTO message_keys (key, received_at, message_id) VALUES (?, ?, ?)');
  for (const key of keys) insert.run(key, receivedAt, messageId);
}

interface SummaryRow extends MessageRow {
  order_number: string | null;
  customer: string | null;
}

const SUMMARY_COLUMNS = `m.id, m.correlation_id, m.direction, m.source, m.kind, m.subject_id, m.channel_ref, m.order_number,
  m.source_ts, m.status, m.received_at, m.updated_at, o.customer_account AS customer`;

/**
 * Journal search, newest first, paged by keyset on (received_at, id), so a page costs the same
 * however deep it is and messages arriving meanwhile do not shift it. Each shape reads one index
 * range in order and stops after `limit + 1` rows:
 * - a SKU or customer: `message_keys` from (key, cursor) down (CROSS JOIN keeps it the outer
 *   loop); the other filters test each message found;
 * - `text`: the union of the six exact-match indexes (few rows, then sorted);
 * - otherwise `messages_status` / `messages_source` / `messages_received`, all (…, received_at, id).
 * A `+` before a column stops SQLite from choosing a broad index over the selective one: without
 * table statistics it cannot tell `status = 'delivered'` matches most of the journal.
 */
export function searchMessages(db: Database.Database, q: MessageQuery): MessagePage {
  const { text, args } = searchStatement(q);
  const rows = sql(db, text).all(...args) as SummaryRow[];
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({ ...toMessageSummary(r), orderNumber: r.order_number, customer: r.customer })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.received_at, last.id) : null,
  };
}

/** The SQL of a search and its arguments (exported so a test can check each shape's query plan). */
export function searchStatement(q: MessageQuery): { text: string; args: (string | number)[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  const keys = [...(q.sku !== undefined ? [skuKey(q.sku)] : []), ...(q.customer !== undefined ? [customerKey(q.customer)] : [])];
  const [driver, ...alsoKeys] = keys;
  const narrowed = driver !== undefined || q.text !== undefined;
  const at = driver !== undefined ? 'k.received_at' : `${q.text !== undefined ? '+' : ''}m.received_at`;
  const id = driver !== undefined ? 'k.message_id' : 'm.id';
  const filter = narrowed ? '+' : '';
  if (driver !== undefined) { where.push('k.key = ?'); args.push(driver); }
  for (const key of alsoKeys) {
    where.push('EXISTS (SELECT 1 FROM message_keys x WHERE x.key = ? AND x.received_at = m.received_at AND x.message_id = m.id)');
    args.push(key);
  }
  if (q.text !== undefined) {
    where.push('(m.id = ? OR m.subject_id = ? OR m.channel_ref = ? OR m.correlation_id = ? OR m.order_number = ? OR m.po_number = ?)');
    args.push(q.text, q.text, q.text, q.text, q.text, q.text);
  }
  if (q.status !== undefined) { where.push(`${filter}m.status = ?`); args.push(q.status); }
  if (q.channel !== undefined) { where.push(`${filter}m.source = ?`); args.push(q.channel); }
  if (q.from !== undefined) { where.push(`${at} >= ?`); args.push(q.from); }
  if (q.to !== undefined) { where.push(`${at} < ?`); args.push(q.to); }
  if (q.cursor !== undefined) {
    const after = decodeCursor(q.cursor);
    where.push(`(${at}, ${id}) < (?, ?)`);
    args.push(after.receivedAt, after.id);
  }
  const source = driver !== undefined ? 'message_keys k CROSS JOIN messages m ON m.id = k.message_id' : 'messages m';
  // One row more than asked tells whether there is a next page.
  const text = `SELECT ${SUMMARY_COLUMNS} FROM ${source} LEFT JOIN orders o ON o.id = m.subject_id
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${at.replace('+', '')} DESC, ${id} DESC LIMIT ?`;
  return { text, args: [...args, q.limit + 1] };
}
