import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { ErrorRecord } from '../../../errors/crossdock-error.js';
import type { ClaimRequest, DeadLetter, DeadLetterQuery, Job, NewJob, QueueStats, RetryRequest } from '../../types.js';
import { sql } from '../statements.js';
import { toJob, type JobRow } from './rows.js';
import { appendEvent } from './journal.js';

export function enqueue(db: Database.Database, job: NewJob): string {
  const subject = (job.payload as { orderId?: unknown } | null)?.orderId;
  sql(db, `INSERT INTO jobs (id, queue, payload, correlation_id, status, attempts, max_attempts, run_at, subject_id, created_at, updated_at, trace_parent)
           VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?)`)
    .run(job.id, job.queue, JSON.stringify(job.payload), job.correlationId, job.maxAttempts, job.runAt,
      typeof subject === 'string' ? subject : null, job.now, job.now, job.traceParent ?? null);
  return job.id;
}

/**
 * Due jobs and jobs whose holder's lease ran out (a crashed process) are claimed alike; the
 * attempt is counted at claim time so a crash mid-attempt still counts towards max attempts.
 */
export function claimJobs(db: Database.Database, c: ClaimRequest): Job[] {
  const queues = c.queues.map(() => '?').join(', ');
  // Two queries, each walking its own partial index in order: one OR'd query made SQLite sort
  // every due job, which grew with the backlog. Jobs of dead holders go first: they are oldest.
  const expired = sql(db, `SELECT id FROM jobs WHERE status = 'running' AND lease_expires_at <= ? AND queue IN (${queues})
      ORDER BY lease_expires_at LIMIT ?`).all(c.now, ...c.queues, c.limit) as { id: string }[];
  const due = expired.length >= c.limit ? [] : sql(db, `SELECT id FROM jobs WHERE status = 'queued' AND queue IN (${queues}) AND run_at <= ?
      ORDER BY run_at LIMIT ?`).all(...c.queues, c.now, c.limit - expired.length) as { id: string }[];
  const claim = sql(db, `UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = ?, lease_token = ?,
      lease_expires_at = ?, updated_at = ? WHERE id = ? RETURNING *`);
  return [...expired, ...due].map(({ id }) => toJob(claim.get(c.workerId, randomUUID(), c.now + c.leaseMs, c.now, id) as JobRow));
}

export function completeJob(db: Database.Database, jobId: string, leaseToken: string, now: number): boolean {
  return sql(db, `UPDATE jobs SET status = 'done', lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = ?
      WHERE id = ? AND lease_token = ? AND status = 'running'`).run(now, jobId, leaseToken).changes === 1;
}

export function retryJob(db: Database.Database, jobId: string, leaseToken: string, r: RetryRequest): boolean {
  return sql(db, `UPDATE jobs SET status = 'queued', run_at = ?, last_error = ?, attempts = MAX(attempts - ?, 0),
      lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = ?
      WHERE id = ? AND lease_token = ? AND status = 'running'`)
    .run(r.runAt, JSON.stringify(r.error), r.countAttempt ? 0 : 1, r.now, jobId, leaseToken).changes === 1;
}

export function deadLetterJob(db: Database.Database, jobId: string, leaseToken: string, error: ErrorRecord, now: number): boolean {
  return sql(db, `UPDATE jobs SET status = 'dead', last_error = ?, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
      updated_at = ? WHERE id = ? AND lease_token = ? AND status = 'running'`).run(JSON.stringify(error), now, jobId, leaseToken).changes === 1;
}

export function releaseLeases(db: Database.Database, workerId: string, now: number): number {
  return sql(db, `UPDATE jobs SET status = 'queued', attempts = MAX(attempts - 1, 0), run_at = ?, lease_owner = NULL,
      lease_token = NULL, lease_expires_at = NULL, updated_at = ? WHERE lease_owner = ? AND status = 'running'`)
    .run(now, now, workerId).changes;
}

export function extendLease(db: Database.Database, jobId: string, leaseToken: string, until: number): boolean {
  return sql(db, `UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND lease_token = ? AND status = 'running'`)
    .run(until, jobId, leaseToken).changes === 1;
}

export function getJob(db: Database.Database, jobId: string): Job | undefined {
  const row = sql(db, 'SELECT * FROM jobs WHERE id = ?').get(jobId) as JobRow | undefined;
  return row ? toJob(row) : undefined;
}

export function queueStats(db: Database.Database, now: number): QueueStats[] {
  // Each branch reads one partial index, so finished jobs (most rows) are never scanned.
  const rows = sql(db, `SELECT queue, SUM(queued) AS queued, SUM(running) AS running, SUM(dead) AS dead,
      SUM(retrying) AS retrying, MIN(oldest) AS oldest FROM (
        SELECT queue, COUNT(*) AS queued, 0 AS running, 0 AS dead, SUM(attempts > 0) AS retrying,
               MIN(CASE WHEN run_at <= ? THEN run_at END) AS oldest
          FROM jobs WHERE status = 'queued' GROUP BY queue
        UNION ALL SELECT queue, 0, COUNT(*), 0, 0, NULL FROM jobs WHERE status = 'running' GROUP BY queue
        UNION ALL SELECT queue, 0, 0, COUNT(*), 0, NULL FROM jobs WHERE status = 'dead' GROUP BY queue
      ) GROUP BY queue`).all(now) as
    { queue: string; queued: number; running: number; dead: number; retrying: number; oldest: number | null }[];
  return rows.map((r) => ({
    queue: r.queue, queued: r.queued, running: r.running, dead: r.dead, retrying: r.retrying,
    oldestAgeMs: r.oldest === null ? 0 : Math.max(0, now - r.oldest),
  }));
}

export function listDeadLetters(db: Database.Database, q: DeadLetterQuery): DeadLetter[] {
  const rows = sql(db, `SELECT * FROM jobs WHERE status = 'dead' AND (? IS NULL OR json_extract(last_error, '$.code') = ?)
      AND (? IS NULL OR subject_id = ?)
      ORDER BY updated_at DESC, id DESC LIMIT ?`).all(q.code ?? null, q.code ?? null, q.subjectId ?? null, q.subjectId ?? null, q.limit) as (JobRow & { subject_id: string | null })[];
  return rows.map((r) => ({
    jobId: r.id, queue: r.queue, correlationId: r.correlation_id, subjectId: r.subject_id, attempts: r.attempts,
    error: JSON.parse(r.last_error ?? '{}') as ErrorRecord, deadAt: r.updated_at,
  }));
}

/**
 * A replayed job starts over with fresh attempts. A held or failed order whose processing job
 * it is goes back to `received`, so the flow runs again from its checks; an order in any other
 * state (posted, cancelled …) is left alone — another job of the order, such as a revision,
 * carries the order's id without owning its state.
 */
export function replayDeadLetter(db: Database.Database, jobId: string, now: number, actor?: string): Job | undefined {
  const row = sql(db, `UPDATE jobs SET status = 'queued', attempts = 0, run_at = ?, lease_owner = NULL, lease_token = NULL,
      lease_expires_at = NULL, updated_at = ? WHERE id = ? AND status = 'dead' RETURNING *`).get(now, now, jobId) as JobRow | undefined;
  if (!row) return undefined;
  const job = toJob(row);
  const orderId = (job.payload as { orderId?: unknown }).orderId;
  if (typeof orderId === 'string' && job.queue === 'order.process') {
    const order = sql(db, `UPDATE orders SET state = 'received', reason = NULL, updated_at = ? WHERE id = ? AND state IN ('held', 'failed')
        RETURNING message_id`).get(now, orderId) as { message_id: string } | undefined;
    if (order) {
      sql(db, `UPDATE messages SET status = 'accepted', updated_at = ? WHERE id = ?`).run(now, order.message_id);
      appendEvent(db, {
        messageId: order.message_id, at: now, step: 'replayed', outcome: 'info',
        detail: { jobId, previousError: job.lastError, ...(actor ? { by: actor } : {}) },
      });
    }
  }
  return job;
}
