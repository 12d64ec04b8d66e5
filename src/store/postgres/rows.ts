import type { ErrorRecord } from '../../errors/crossdock-error.js';
import { ERRORS } from '../../errors/catalogue.js';
import { ORDER_STATES, type OrderState } from '../../canonical/states.js';
import type {
  AcceptedResponse, Job, JobStatus, MessageEvent, MessageRecord, MessageStatus, OrderRecord,
} from '../types.js';

/**
 * Row → record conversions. Column names are the schema's, records are the Store contract's.
 * jsonb values come back as `unknown` and are checked here: the store is a boundary too.
 */

export interface OrderRow {
  id: string; channel: string; channel_order_id: string; state: string; correlation_id: string;
  message_id: string; canonical: unknown; customer_account: string; erp_ref: string | null;
  reason: unknown; created_at: number; updated_at: number;
}

export function toOrderRecord(r: OrderRow): OrderRecord {
  return {
    id: r.id, channel: r.channel, channelOrderId: r.channel_order_id, state: toOrderState(r.state),
    correlationId: r.correlation_id, messageId: r.message_id, canonical: r.canonical,
    customerAccount: r.customer_account, erpRef: r.erp_ref, reason: toErrorRecord(r.reason),
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export interface JobRow {
  id: string; queue: string; payload: unknown; correlation_id: string; status: string; attempts: number;
  max_attempts: number; run_at: number; lease_owner: string | null; lease_token: string | null;
  lease_expires_at: number | null; last_error: unknown; subject_id: string | null;
  created_at: number; updated_at: number; trace_parent?: string | null;
}

export function toJob(r: JobRow): Job {
  return {
    id: r.id, queue: r.queue, payload: r.payload, correlationId: r.correlation_id,
    status: oneOf(JOB_STATUSES, r.status, 'job status'), attempts: r.attempts, maxAttempts: r.max_attempts,
    runAt: r.run_at, leaseOwner: r.lease_owner, leaseToken: r.lease_token, leaseExpiresAt: r.lease_expires_at,
    lastError: toErrorRecord(r.last_error), createdAt: r.created_at, updatedAt: r.updated_at,
    ...(r.trace_parent ? { traceParent: r.trace_parent } : {}),
  };
}

/** The columns of `messages` without the payloads, as search lists them. */
export const MESSAGE_SUMMARY_COLUMNS =
  'id, correlation_id, direction, source, kind, subject_id, channel_ref, source_ts, status, received_at, updated_at';

export interface MessageSummaryRow {
  id: string; correlation_id: string; direction: string; source: string; kind: string;
  subject_id: string | null; channel_ref: string | null; source_ts: string | null; status: string;
  received_at: number; updated_at: number;
}
export interface MessageRow extends MessageSummaryRow {
  raw: string; canonical: unknown;
}

export function toMessageSummary(r: MessageSummaryRow): Omit<MessageRecord, 'raw' | 'canonical'> {
  return {
    id: r.id, correlationId: r.correlation_id, direction: oneOf(DIRECTIONS, r.direction, 'message direction'),
    source: r.source, kind: r.kind, subjectId: r.subject_id, channelRef: r.channel_ref,
    sourceTimestamp: r.source_ts, status: oneOf(MESSAGE_STATUSES, r.status, 'message status'),
    receivedAt: r.received_at, updatedAt: r.updated_at,
  };
}

export function toMessageRecord(r: MessageRow): MessageRecord {
  return { ...toMessageSummary(r), raw: r.raw, canonical: r.canonical };
}

export interface EventRow {
  seq: number; message_id: string; at: number; step: string; outcome: string; target: string | null;
  attempt: number | null; latency_ms: number | null; error: unknown; payload: unknown; detail: unknown;
}

/** Optional fields that were not recorded are absent, as they were on the way in. */
export function toMessageEvent(r: EventRow): MessageEvent {
  const e: MessageEvent = {
    seq: r.seq, messageId: r.message_id, at: r.at, step: r.step,
    outcome: oneOf(EVENT_OUTCOMES, r.outcome, 'event outcome'),
  };
  if (r.target !== null) e.target = r.target;
  if (r.attempt !== null) e.attempt = r.attempt;
  if (r.latency_ms !== null) e.latencyMs = r.latency_ms;
  const error = toErrorRecord(r.error);
  if (error) e.error = error;
  if (r.payload !== null) e.payload = r.payload;
  if (r.detail !== null) e.detail = toRecord(r.detail, 'event detail');
  return e;
}

/** An ErrorRecord read back from jsonb; null when none was stored. */
export function toErrorRecord(value: unknown): ErrorRecord | null {
  if (value === null || value === undefined) return null;
  const v = toRecord(value, 'error record');
  if (typeof v.code !== 'string' || !(v.code in ERRORS)) throw corrupt('error record code', v.code);
  if (typeof v.kind !== 'string' || typeof v.message !== 'string' || typeof v.action !== 'string') {
    throw corrupt('error record', value);
  }
  return v as unknown as ErrorRecord;
}

/** The response stored with an idempotency key, returned on every duplicate. */
export function toAcceptedResponse(value: unknown): AcceptedResponse {
  const v = toRecord(value, 'accepted response');
  if (typeof v.orderId !== 'string' || typeof v.correlationId !== 'string' || typeof v.location !== 'string') {
    throw corrupt('accepted response', value);
  }
  return { orderId: v.orderId, correlationId: v.correlationId, location: v.location, status: toOrderState(v.status) };
}

const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'done', 'dead', 'discarded'];
const DIRECTIONS: readonly MessageRecord['direction'][] = ['inbound', 'outbound'];
const MESSAGE_STATUSES: readonly MessageStatus[] = ['accepted', 'processing', 'delivered', 'held', 'failed', 'rejected'];
const EVENT_OUTCOMES: readonly MessageEvent['outcome'][] = ['ok', 'error', 'info'];

function toOrderState(value: unknown): OrderState {
  return oneOf(ORDER_STATES, value, 'order state');
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown, what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw corrupt(what, value);
}

function toRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw corrupt(what, value);
  return value as Record<string, unknown>;
}

/** A stored value the contract cannot hold: a defect (a bad migration or a foreign writer). */
function corrupt(what: string, value: unknown): Error {
  return new Error(`the store holds an invalid ${what}: ${JSON.stringify(value)}`);
}
