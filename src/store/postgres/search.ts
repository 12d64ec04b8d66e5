import { CrossdockError } from '../../errors/crossdock-error.js';
import type { MessagePage, MessageQuery } from '../types.js';
import type { Queryable } from './pool.js';
import { MESSAGE_SUMMARY_COLUMNS, toMessageSummary, type MessageSummaryRow } from './rows.js';

/**
 * Journal search, newest first. Pages by keyset on (received_at, id) rather than OFFSET, so a
 * page costs the same however deep it is and messages arriving meanwhile do not shift it.
 * `text` matches a message id, order id (subject), channel order id or correlation id exactly;
 * `from` is inclusive and `to` exclusive, so adjacent windows never count a message twice.
 */
export async function searchMessages(db: Queryable, q: MessageQuery): Promise<MessagePage> {
  const where: string[] = [];
  const values: (string | number)[] = [];
  const param = (value: string | number): string => {
    values.push(value);
    return `$${values.length}`;
  };
  if (q.text) {
    const t = param(q.text);
    where.push(`(id = ${t} OR subject_id = ${t} OR channel_ref = ${t} OR correlation_id = ${t} OR order_number = ${t} OR po_number = ${t})`);
  }
  if (q.status) where.push(`status = ${param(q.status)}`);
  if (q.channel) where.push(`source = ${param(q.channel)}`);
  if (q.from !== undefined) where.push(`received_at >= ${param(q.from)}`);
  if (q.to !== undefined) where.push(`received_at < ${param(q.to)}`);
  if (q.cursor) {
    const after = decodeCursor(q.cursor);
    where.push(`(received_at, id) < (${param(after.receivedAt)}, ${param(after.id)})`);
  }
  // One row more than asked tells whether there is a next page.
  const { rows } = await db.query<MessageSummaryRow>(
    `SELECT ${MESSAGE_SUMMARY_COLUMNS} FROM messages
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY received_at DESC, id DESC LIMIT ${param(q.limit + 1)}`,
    values,
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toMessageSummary),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.received_at, last.id) : null,
  };
}

/** The position after which the next page starts, opaque to callers. */
export function encodeCursor(receivedAt: number, id: string): string {
  return Buffer.from(JSON.stringify([receivedAt, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { receivedAt: number; id: string } {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    position = undefined;
  }
  if (Array.isArray(position) && typeof position[0] === 'number' && typeof position[1] === 'string') {
    return { receivedAt: position[0], id: position[1] };
  }
  throw new CrossdockError('request.invalid', 'The page cursor is not one this service returned', {
    errors: [{ pointer: '/cursor', detail: 'pass the nextCursor of the previous page unchanged' }],
  });
}
