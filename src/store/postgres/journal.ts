import type { MessageEvent, MessageRecord, NewMessageEvent } from '../types.js';
import { jsonParam, type Queryable } from './pool.js';
import { toMessageEvent, toMessageRecord, type EventRow, type MessageRow } from './rows.js';

/** Appends a step or attempt to a message's timeline; `seq` orders the timeline. */
export async function appendEvent(db: Queryable, e: NewMessageEvent): Promise<void> {
  await db.query(
    `INSERT INTO message_events (message_id, at, step, outcome, target, attempt, latency_ms, error, payload, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb)`,
    [
      e.messageId, e.at, e.step, e.outcome, e.target ?? null, e.attempt ?? null, e.latencyMs ?? null,
      jsonParam(e.error), jsonParam(e.payload), jsonParam(e.detail),
    ],
  );
}

export async function getMessage(db: Queryable, id: string): Promise<MessageRecord | undefined> {
  const { rows } = await db.query<MessageRow>('SELECT * FROM messages WHERE id = $1', [id]);
  return rows[0] && toMessageRecord(rows[0]);
}

export async function listEvents(db: Queryable, messageId: string): Promise<MessageEvent[]> {
  const { rows } = await db.query<EventRow>('SELECT * FROM message_events WHERE message_id = $1 ORDER BY seq', [messageId]);
  return rows.map(toMessageEvent);
}
