import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { asCrossdockError, toErrorRecord, type CrossdockError } from '../errors/crossdock-error.js';
import { isRetryable } from '../errors/catalogue.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Tracing } from '../observability/tracing.js';
import type { Job, Store } from '../store/types.js';
import { jobRetryDelay } from './backoff.js';
import type { JobHandler } from './types.js';

export interface WorkerOptions {
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  backoffMs: number;
  maxBackoffMs: number;
}

export interface WorkerDeps {
  store: Store;
  handlers: readonly JobHandler[];
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  /** Each job runs in a span continuing the trace it was enqueued in. */
  tracing?: Tracing;
  random?: () => number;
}

/**
 * Errors that mean "the call never reached the target" (breaker open, no rate slot in time,
 * shutting down) or "another step must finish first": the job waits and is retried without spending an attempt, so an ERP outage
 * parks orders in the queue instead of filling the dead-letter list.
 */
function isDeferral(error: CrossdockError): boolean {
  return error.code === 'target.circuit-open' || error.code === 'internal.shutting-down' || error.code === 'internal.waiting'
    || error.context?.['refusedBy'] === 'policy';
}

/**
 * The job runner: claims due jobs under a lease, runs their handler, and classifies the
 * outcome — done, retry later with backoff, or dead letter. Leases are renewed while a job runs,
 * so only a dead process loses its jobs, and only after its lease expires.
 */
export class Worker {
  readonly id = `wrk_${randomUUID()}`;
  private readonly handlers: Map<string, JobHandler>;
  private readonly running = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly deps: WorkerDeps, private readonly options: WorkerOptions) {
    this.handlers = new Map(deps.handlers.map((h) => [h.queue, h]));
    // Every running job listens on this signal (waits, semaphores, timeouts), each removing its
    // listener when done; more than Node's default of 10 at once is normal, not a leak.
    setMaxListeners(Math.max(10, options.concurrency * 4), this.abort.signal);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Starts new work now instead of at the next poll. */
  notify(): void {
    this.wake?.();
  }

  /** Graceful stop: no new claims, in-flight jobs finish, then leases are released. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    this.notify();
    await this.loop;
    const drained = Promise.allSettled([...this.running]);
    const timer = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([drained, timer]);
    // Anything still running is told to stop; its job goes back to the queue.
    this.abort.abort(new Error('worker stopping'));
    await drained;
    await this.deps.store.releaseLeases(this.id, this.deps.clock.now());
  }

  private async run(): Promise<void> {
    const queues = [...this.handlers.keys()];
    while (!this.stopping) {
      const free = this.options.concurrency - this.running.size;
      let claimed: Job[] = [];
      if (free > 0) {
        try {
          claimed = await this.deps.store.claimJobs({ queues, workerId: this.id, limit: free, leaseMs: this.options.leaseMs, now: this.deps.clock.now() });
        } catch (error) {
          this.deps.logger.error({ err: error }, 'claiming jobs failed');
        }
      }
      for (const job of claimed) {
        const task = this.execute(job).finally(() => {
          this.running.delete(task);
          this.notify();
        });
        this.running.add(task);
      }
      if (claimed.length === 0 || claimed.length === free) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  private async execute(job: Job): Promise<void> {
    const handler = this.handlers.get(job.queue);
    const token = job.leaseToken ?? '';
    const renew = setInterval(() => {
      void this.deps.store.extendLease(job.id, token, this.deps.clock.now() + this.options.leaseMs).catch(() => undefined);
    }, Math.max(1000, this.options.leaseMs / 3));
    try {
      if (!handler) throw new Error(`no handler for queue ${job.queue}`);
      const run = () => handler.run(job, { workerId: this.id, signal: this.abort.signal });
      const result = await (this.deps.tracing ? this.deps.tracing.runJob(job, run) : run());
      if (result === 'done') await this.deps.store.completeJob(job.id, token);
    } catch (thrown) {
      await this.fail(job, handler, thrown).catch((error) =>
        this.deps.logger.error({ err: error, jobId: job.id, queue: job.queue, correlationId: job.correlationId }, 'recording a job failure failed'));
    } finally {
      clearInterval(renew);
    }
  }

  private async fail(job: Job, handler: JobHandler | undefined, thrown: unknown): Promise<void> {
    const error = asCrossdockError(thrown);
    const record = toErrorRecord(error);
    const now = this.deps.clock.now();
    const token = job.leaseToken ?? '';
    if (this.stopping && this.abort.signal.aborted) {
      await this.deps.store.retryJob(job.id, token, { runAt: now, error: record, countAttempt: false, now });
      return;
    }
    if (error.kind === 'defect') this.deps.logger.error({ err: thrown, jobId: job.id, queue: job.queue, correlationId: job.correlationId }, 'job failed with a defect');
    const deferral = isDeferral(error);
    if (isRetryable(error.kind) && (deferral || job.attempts < job.maxAttempts)) {
      const delay = jobRetryDelay(job.attempts, {
        baseMs: this.options.backoffMs, maxMs: this.options.maxBackoffMs, random: this.deps.random ?? Math.random,
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      });
      this.deps.metrics?.jobRetries.inc({ queue: job.queue, code: error.code });
      await this.deps.store.retryJob(job.id, token, { runAt: now + delay, error: record, countAttempt: !deferral, now });
      return;
    }
    if (handler?.onExhausted) await handler.onExhausted(job, record);
    else await this.deps.store.deadLetterJob(job.id, token, record, now);
  }
}
