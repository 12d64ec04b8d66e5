import type { MessagePage, MessageQuery } from '../types.js';
import { decodeCursor, encodeCursor } from '../search-cursor.js';
import { customerKey, skuKey } from '../search-keys.js';
import type { Queryable } from './pool.js';
import { toMessageSummary, type MessageSummaryRow } from './rows.js';

interface SearchRow extends MessageSummaryRow {
  order_number: string | null;
  customer: string | null;
}

const SUMMARY_COLUMNS = `m.id, m.correlation_id, m.direction, m.source, m.kind, m.subject_id, m.channel_ref, m.order_number,
  m.source_ts, m.status, m.received_at, m.updated_at, o.customer_account AS customer`;

/** Writes a message's search keys (`src/store/search-keys.ts`) in the caller's transaction. */
export async function writeSearchKeys(db: Queryable, messageId: string, receivedAt: number, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.query(
    `INSERT INTO message_keys (key, received_at, message_id) SELECT unnest($1::text[]), $2, $3 ON CONFLICT DO NOTHING`,
    [keys, receivedAt, messageId],
  );
}

/**
 * Journal search, newest first. Pages by keyset on (received_at, id) rather than OFFSET, so a
 * page costs the same however deep it is and messages arriving meanwhile do not shift it.
 * A SKU or customer reads `message_keys` (key, received_at, message_id) from the cursor down
 * and tests the other filters on each message found; `text` matches a message id, order id
 * (subject), channel order id, order number, PO number or correlation id exactly; otherwise an
 * index (status | source, received_at, id) or (received_at, id) is read in order.
 * `from` is inclusive and `to` exclusive, so adjacent windows never count a message twice.
 */
export async function searchMessages(db: Queryable, q: MessageQuery): Promise<MessagePage> {
  const where: string[] = [];
  const values: (string | number)[] = [];
  const param = (value: string | number): string => {
    values.push(value);
    return `$${values.length}`;
  };
  const keys = [...(q.sku !== undefined ? [skuKey(q.sku)] : []), ...(q.customer !== undefined ? [customerKey(q.customer)] : [])];
  const [driver, ...alsoKeys] = keys;
  const at = driver !== undefined ? 'k.received_at' : 'm.received_at';
  const id = driver !== undefined ? 'k.message_id' : 'm.id';
  if (driver !== undefined) where.push(`k.key = ${param(driver)}`);
  for (const key of alsoKeys) {
    where.push(`EXISTS (SELECT 1 FROM message_keys x WHERE x.key = ${param(key)} AND x.received_at = m.received_at AND x.message_id = m.id)`);
  }
  if (q.text !== undefined) {
    const t = param(q.text);
    where.push(`(m.id = ${t} OR m.subject_id = ${t} OR m.channel_ref = ${t} OR m.correlation_id = ${t} OR m.order_number = ${t} OR m.po_number = ${t})`);
  }
  if (q.status !== undefined) where.push(`m.status = ${param(q.status)}`);
  if (q.channel !== undefined) where.push(`m.source = ${param(q.channel)}`);
  if (q.from !== undefined) where.push(`${at} >= ${param(q.from)}`);
  if (q.to !== undefined) where.push(`${at} < ${param(q.to)}`);
  if (q.cursor !== undefined) {
    const after = decodeCursor(q.cursor);
    where.push(`(${at}, ${id}) < (${param(after.receivedAt)}, ${param(after.id)})`);
  }
  const source = driver !== undefined ? 'message_keys k JOIN messages m ON m.id = k.message_id' : 'messages m';
  // One row more than asked tells whether there is a next page.
  const { rows } = await db.query<SearchRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM ${source} LEFT JOIN orders o ON o.id = m.subject_id
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY ${at} DESC, ${id} DESC LIMIT ${param(q.limit + 1)}`,
    values,
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({ ...toMessageSummary(r), orderNumber: r.order_number, customer: r.customer })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.received_at, last.id) : null,
  };
}
