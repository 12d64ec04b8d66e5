import type { ErrorRecord } from '../../errors/crossdock-error.js';
import type { ClaimRequest, Job, NewJob, QueueStats, RetryRequest } from '../types.js';
import { jsonParam, jsonValue, type Queryable } from './pool.js';
import { toJob, type JobRow } from './rows.js';

/** Clears the lease of a job that stops running. */
const NO_LEASE = 'lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL';

/** A job whose payload names an order is listed under that order in dead letters. */
export async function enqueue(db: Queryable, job: NewJob): Promise<string> {
  await db.query(
    `INSERT INTO jobs (id, queue, payload, correlation_id, status, attempts, max_attempts, run_at, subject_id,
                       created_at, updated_at, trace_parent)
     VALUES ($1, $2, $3::jsonb, $4, 'queued', 0, $5, $6, $3::jsonb ->> 'orderId', $7, $7, $8)`,
    [job.id, job.queue, jsonValue(job.payload), job.correlationId, job.maxAttempts, job.runAt, job.now, job.traceParent ?? null],
  );
  return job.id;
}

/**
 * Due jobs and jobs whose holder's lease ran out (a crashed process) are claimed alike.
 * `FOR UPDATE SKIP LOCKED` lets processes claim side by side: each passes over rows another is
 * claiming instead of waiting for them, and a row is re-checked once locked, so no job is handed
 * out twice. The attempt is counted at claim time so a crash mid-attempt still counts.
 */
export async function claimJobs(db: Queryable, c: ClaimRequest): Promise<Job[]> {
  if (c.queues.length === 0 || c.limit <= 0) return [];
  const { rows } = await db.query<JobRow>(
    `WITH due AS (
       SELECT id FROM jobs
       WHERE queue = ANY($1::text[])
         AND ((status = 'queued' AND run_at <= $2) OR (status = 'running' AND lease_expires_at <= $2))
       ORDER BY run_at, id
       LIMIT $3
       FOR UPDATE SKIP LOCKED
     )
     UPDATE jobs SET status = 'running', attempts = jobs.attempts + 1, lease_owner = $4,
       lease_token = gen_random_uuid()::text, lease_expires_at = $2::bigint + $5::bigint, updated_at = $2
     FROM due WHERE jobs.id = due.id
     RETURNING jobs.*`,
    [c.queues, c.now, c.limit, c.workerId, c.leaseMs],
  );
  // RETURNING does not keep the CTE's order.
  return rows.map(toJob).sort((a, b) => a.runAt - b.runAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Finishes a job held under `leaseToken`; the row stays as the job's record. The contract gives
 * no time here, so `updated_at` is the process clock (as the SQLite store does).
 */
export async function completeJob(db: Queryable, jobId: string, leaseToken: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE jobs SET status = 'done', ${NO_LEASE}, updated_at = $3
     WHERE id = $1 AND lease_token = $2 AND status = 'running'`,
    [jobId, leaseToken, Date.now()],
  );
  return rowCount === 1;
}

/** A deferral that never reached the target (`countAttempt: false`) gives its attempt back. */
export async function retryJob(db: Queryable, jobId: string, leaseToken: string, r: RetryRequest): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE jobs SET status = 'queued', run_at = $3, last_error = $4::jsonb,
       attempts = CASE WHEN $5::boolean THEN attempts ELSE greatest(attempts - 1, 0) END,
       ${NO_LEASE}, updated_at = $6
     WHERE id = $1 AND lease_token = $2 AND status = 'running'`,
    [jobId, leaseToken, r.runAt, jsonParam(r.error), r.countAttempt, r.now],
  );
  return rowCount === 1;
}

export async function deadLetterJob(
  db: Queryable, jobId: string, leaseToken: string, error: ErrorRecord, now: number,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE jobs SET status = 'dead', last_error = $3::jsonb, ${NO_LEASE}, updated_at = $4
     WHERE id = $1 AND lease_token = $2 AND status = 'running'`,
    [jobId, leaseToken, jsonParam(error), now],
  );
  return rowCount === 1;
}

/** Graceful shutdown: the interrupted attempts are not counted and the jobs are due at once. */
export async function releaseLeases(db: Queryable, workerId: string, now: number): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), run_at = $2, ${NO_LEASE}, updated_at = $2
     WHERE lease_owner = $1 AND status = 'running'`,
    [workerId, now],
  );
  return rowCount ?? 0;
}

export async function extendLease(db: Queryable, jobId: string, leaseToken: string, until: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE jobs SET lease_expires_at = $3 WHERE id = $1 AND lease_token = $2 AND status = 'running'`,
    [jobId, leaseToken, until],
  );
  return rowCount === 1;
}

export async function getJob(db: Queryable, jobId: string): Promise<Job | undefined> {
  const { rows } = await db.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [jobId]);
  return rows[0] && toJob(rows[0]);
}

/**
 * Per queue that has live jobs (finished jobs are kept but not counted, so a queue whose jobs
 * are all done is absent: read absent as zero).
 */
export async function queueStats(db: Queryable, now: number): Promise<QueueStats[]> {
  const { rows } = await db.query<QueueStats>(
    `SELECT queue,
       count(*) FILTER (WHERE status = 'queued')::int AS queued,
       count(*) FILTER (WHERE status = 'running')::int AS running,
       count(*) FILTER (WHERE status = 'dead')::int AS dead,
       count(*) FILTER (WHERE status = 'queued' AND attempts > 0)::int AS retrying,
       COALESCE($1::bigint - min(run_at) FILTER (WHERE status = 'queued' AND run_at <= $1), 0) AS "oldestAgeMs"
     FROM jobs WHERE status <> 'done' GROUP BY queue ORDER BY queue`,
    [now],
  );
  return rows;
}
