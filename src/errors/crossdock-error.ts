import { definitionOf, type ErrorCode, type ErrorKind } from './catalogue.js';

/** One field-level problem, named by its JSON pointer (RFC 6901). */
export interface FieldProblem {
  readonly pointer: string;
  readonly detail: string;
}

export interface CrossdockErrorOptions {
  /** Field-level problems, for `request.invalid` and mapping failures. */
  readonly errors?: readonly FieldProblem[];
  /** When the target said when to come back (`Retry-After`), in milliseconds. */
  readonly retryAfterMs?: number;
  /** Which external system, for target errors. */
  readonly target?: string;
  /** Anything else a person needs to understand it (e.g. the ERP's own message). */
  readonly context?: Record<string, unknown>;
  readonly cause?: unknown;
}

/**
 * Failures as data: the code decides the kind, the kind decides what happens next
 * (4xx, hold, retry, dead letter). Thrown across module boundaries, stored as JSON in the
 * journal and the dead-letter list.
 */
export class CrossdockError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly errors: readonly FieldProblem[];
  readonly retryAfterMs: number | undefined;
  readonly target: string | undefined;
  readonly context: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options: CrossdockErrorOptions = {}) {
    const definition = definitionOf(code);
    super(message ?? definition.title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CrossdockError';
    this.code = code;
    this.kind = definition.kind;
    this.errors = options.errors ?? [];
    this.retryAfterMs = options.retryAfterMs;
    this.target = options.target;
    this.context = options.context;
  }

  get action(): string {
    return definitionOf(this.code).action;
  }

  toJSON(): ErrorRecord {
    return toErrorRecord(this);
  }
}

/** How an error is kept in the journal, the queue and dead letters. */
export interface ErrorRecord {
  code: ErrorCode;
  kind: ErrorKind;
  message: string;
  action: string;
  target?: string;
  errors?: FieldProblem[];
  context?: Record<string, unknown>;
}

export function toErrorRecord(error: unknown): ErrorRecord {
  const e = asCrossdockError(error);
  const record: ErrorRecord = { code: e.code, kind: e.kind, message: e.message, action: e.action };
  if (e.target !== undefined) record.target = e.target;
  if (e.errors.length > 0) record.errors = [...e.errors];
  if (e.context !== undefined) record.context = e.context;
  return record;
}

/** Anything thrown that is not a CrossdockError is a defect: crossdock did not expect it. */
export function asCrossdockError(error: unknown): CrossdockError {
  if (error instanceof CrossdockError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CrossdockError('internal.defect', message, { cause: error });
}
