import { CrossdockError, toErrorRecord as errorRecordOf } from '../../errors/crossdock-error.js';
import type { DeadLetter, DeadLetterQuery, Job } from '../types.js';
import type { Queryable } from './pool.js';
import { toErrorRecord, toJob, type JobRow } from './rows.js';

/** Dead jobs, newest first, optionally only those whose error has `code` (the grouping key). */
export async function listDeadLetters(db: Queryable, q: DeadLetterQuery): Promise<DeadLetter[]> {
  const { rows } = await db.query<JobRow>(
    `SELECT * FROM jobs
     WHERE status = 'dead' AND ($1::text IS NULL OR last_error ->> 'code' = $1::text)
       AND ($3::text IS NULL OR subject_id = $3::text)
     ORDER BY updated_at DESC, id DESC LIMIT $2`,
    [q.code ?? null, q.limit, q.subjectId ?? null],
  );
  return rows.map((r) => ({
    jobId: r.id, queue: r.queue, correlationId: r.correlation_id, subjectId: r.subject_id, attempts: r.attempts,
    // Jobs are dead-lettered with a reason; one without would itself be a defect, shown as such.
    error: toErrorRecord(r.last_error) ?? errorRecordOf(new CrossdockError('internal.defect', 'Dead-lettered without a reason')),
    deadAt: r.updated_at,
  }));
}

/**
 * Re-queues a dead job with fresh attempts, due now. When it is an `order.process` job whose
 * order is held or failed, the order goes back to `received` (reason cleared), its message to
 * `accepted`, and its timeline records the replay with the error it had (kept on the job too)
 * and who asked — one statement, so all of it or none. An order in another state (posted,
 * cancelled) is left alone: a revision job carries the order's id without owning its state.
 * Two replays of the same job race on its row lock; the second finds it no longer dead.
 */
export async function replayDeadLetter(db: Queryable, jobId: string, now: number, actor?: string): Promise<Job | undefined> {
  const { rows } = await db.query<JobRow>(
    `WITH job AS (
       UPDATE jobs SET status = 'queued', attempts = 0, run_at = $2,
         lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = $2
       WHERE id = $1 AND status = 'dead'
       RETURNING *
     ), ord AS (
       UPDATE orders SET state = 'received', reason = NULL, updated_at = $2
       FROM job WHERE orders.id = job.payload ->> 'orderId' AND job.queue = 'order.process' AND orders.state IN ('held', 'failed')
       RETURNING orders.message_id
     ), message AS (
       UPDATE messages SET status = 'accepted', updated_at = $2 FROM ord WHERE messages.id = ord.message_id
     ), replayed AS (
       INSERT INTO message_events (message_id, at, step, outcome, detail)
       SELECT ord.message_id, $2, 'replayed', 'info',
              jsonb_strip_nulls(jsonb_build_object('jobId', job.id, 'by', $3::text)) || jsonb_build_object('previousError', job.last_error)
       FROM ord, job
     )
     SELECT * FROM job`,
    [jobId, now, actor ?? null],
  );
  return rows[0] && toJob(rows[0]);
}
