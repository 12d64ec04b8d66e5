import type { OutboxEvent } from '../types.js';
import type { Queryable } from './pool.js';

/** Events after `afterSeq`, in commit-sequence order, for the relay to publish. */
export async function listOutbox(db: Queryable, afterSeq: number, limit: number): Promise<OutboxEvent[]> {
  const { rows } = await db.query<{ seq: number; topic: string; key: string; payload: unknown; created_at: number }>(
    'SELECT seq, topic, key, payload, created_at FROM outbox WHERE seq > $1 ORDER BY seq LIMIT $2',
    [afterSeq, limit],
  );
  return rows.map((r) => ({ seq: r.seq, topic: r.topic, key: r.key, payload: r.payload, createdAt: r.created_at }));
}
