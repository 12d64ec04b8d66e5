import type { ErrorRecord } from '../errors/crossdock-error.js';
import type { Job } from '../store/types.js';

/** What a handler tells the runner when it returns normally. */
export type JobResult =
  /** The handler finished the job itself, in the same transaction as its effect. */
  | 'finished'
  /** Nothing more to do: the runner completes the job. */
  | 'done';

export interface JobContext {
  readonly workerId: string;
  readonly signal: AbortSignal;
}

/**
 * A queue handler. Throwing a CrossdockError lets the runner decide: transient and defect
 * errors are retried with backoff until max attempts, then `onExhausted` runs; business and
 * rejected errors are not retried.
 */
export interface JobHandler {
  readonly queue: string;
  run(job: Job, ctx: JobContext): Promise<JobResult>;
  /** Called instead of a plain dead-letter, so the handler can record it on its subject atomically. */
  onExhausted?(job: Job, error: ErrorRecord): Promise<void>;
}
