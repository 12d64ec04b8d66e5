import type { ErrorRecord } from '../../../errors/crossdock-error.js';
import type { OrderState } from '../../../canonical/states.js';
import type { Job, JobStatus, MessageEvent, MessageRecord, MessageStatus, OrderRecord } from '../../types.js';
import { fromJson } from '../statements.js';

/** Row → record conversions. Column names are the schema's; records are the Store contract's. */

export interface OrderRow {
  id: string; channel: string; channel_order_id: string; state: string; correlation_id: string;
  message_id: string; canonical: string; customer_account: string; erp_ref: string | null;
  reason: string | null; created_at: number; updated_at: number;
}
export function toOrderRecord(r: OrderRow): OrderRecord {
  return {
    id: r.id, channel: r.channel, channelOrderId: r.channel_order_id, state: r.state as OrderState,
    correlationId: r.correlation_id, messageId: r.message_id, canonical: JSON.parse(r.canonical),
    customerAccount: r.customer_account, erpRef: r.erp_ref, reason: fromJson<ErrorRecord>(r.reason),
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export interface JobRow {
  id: string; queue: string; payload: string; correlation_id: string; status: string; attempts: number;
  max_attempts: number; run_at: number; lease_owner: string | null; lease_token: string | null;
  lease_expires_at: number | null; last_error: string | null; created_at: number; updated_at: number;
  trace_parent?: string | null;
}
export function toJob(r: JobRow): Job {
  return {
    id: r.id, queue: r.queue, payload: JSON.parse(r.payload), correlationId: r.correlation_id,
    status: r.status as JobStatus, attempts: r.attempts, maxAttempts: r.max_attempts, runAt: r.run_at,
    leaseOwner: r.lease_owner, leaseToken: r.lease_token, leaseExpiresAt: r.lease_expires_at,
    lastError: fromJson<ErrorRecord>(r.last_error), createdAt: r.created_at, updatedAt: r.updated_at,
    ...(r.trace_parent ? { traceParent: r.trace_parent } : {}),
  };
}

export interface MessageRow {
  id: string; correlation_id: string; direction: string; source: string; kind: string;
  subject_id: string | null; channel_ref: string | null; source_ts: string | null; status: string;
  raw?: string; canonical?: string | null; received_at: number; updated_at: number;
}
export function toMessageSummary(r: MessageRow): Omit<MessageRecord, 'raw' | 'canonical'> {
  return {
    id: r.id, correlationId: r.correlation_id, direction: r.direction as MessageRecord['direction'],
    source: r.source, kind: r.kind, subjectId: r.subject_id, channelRef: r.channel_ref,
    sourceTimestamp: r.source_ts, status: r.status as MessageStatus, receivedAt: r.received_at, updatedAt: r.updated_at,
  };
}
export function toMessageRecord(r: MessageRow): MessageRecord {
  return { ...toMessageSummary(r), raw: r.raw ?? '', canonical: fromJson(r.canonical) };
}

export interface EventRow {
  seq: number; message_id: string; at: number; step: string; outcome: string; target: string | null;
  attempt: number | null; latency_ms: number | null; error: string | null; payload: string | null; detail: string | null;
}
export function toMessageEvent(r: EventRow): MessageEvent {
  const e: MessageEvent = { seq: r.seq, messageId: r.message_id, at: r.at, step: r.step, outcome: r.outcome as MessageEvent['outcome'] };
  if (r.target !== null) e.target = r.target;
  if (r.attempt !== null) e.attempt = r.attempt;
  if (r.latency_ms !== null) e.latencyMs = r.latency_ms;
  const error = fromJson<ErrorRecord>(r.error);
  if (error) e.error = error;
  const payload = fromJson<unknown>(r.payload);
  if (payload !== null) e.payload = payload;
  const detail = fromJson<Record<string, unknown>>(r.detail);
  if (detail) e.detail = detail;
  return e;
}
