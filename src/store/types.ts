import type { AccessStore, AuditStore } from './access-types.js';
import type { OperationsStore } from './operations-types.js';
import type { ErrorRecord } from '../errors/crossdock-error.js';
import type { OrderState } from '../canonical/states.js';
import type { InventoryStore } from './inventory-types.js';
import type { PriceRuleStore } from './price-types.js';

/**
 * The one place crossdock keeps state. Two implementations (SQLite, PostgreSQL) pass the same
 * conformance suite in `test/conformance/store.suite.ts`. Every method is one transaction.
 * Times are epoch milliseconds supplied by the caller, so tests control the clock.
 */
export interface Store extends RateBudgetStore, EdiStore, InventoryStore, PriceRuleStore, AuditStore, OperationsStore, AccessStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies pending numbered migrations. Safe to call from several processes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // Intake
  /** Journals raw + canonical, records idempotency keys and enqueues processing, atomically. */
  acceptOrder(input: AcceptOrderInput): Promise<AcceptOrderResult>;

  /**
   * Accepts one version of a channel order, keyed by the natural key (first in
   * `idempotencyKeys`). First version: as `acceptOrder`. A version whose `channelUpdatedAt` is
   * newer than the stored one: a revision — journaled as a new inbound message that becomes the
   * order's canonical, and a `order.revise` job (`input.jobId`) is enqueued. Same or older: stale,
   * changes nothing but the duplicate counters. Webhooks that arrive out of order thus settle
   * on the channel's newest version.
   */
  acceptOrderVersion(input: AcceptOrderVersionInput): Promise<AcceptOrderVersionResult>;
  /**
   * Journals any other inbound document (a webhook delivery, a shipment, an availability batch)
   * with, optionally, an idempotency key and a job to process it, atomically. A used key
   * answers `duplicate` with the first message's id and changes nothing else.
   */
  recordInbound(input: InboundRecordInput): Promise<InboundRecordResult>;

  // Cursors of polling sources (durable, shared by every process on the store)
  getCursor(name: string): Promise<string | undefined>;
  setCursor(name: string, value: string, now: number): Promise<void>;

  // Orders
  getOrder(id: string): Promise<OrderRecord | undefined>;
  /**
   * Moves an order from one of `from` to `to`, appends the step to its journal, writes an outbox
   * event and, when `job` is given, finishes the job — all in one transaction. Returns false and
   * changes nothing when the order is no longer in one of `from` (another worker got there first).
   */
  transitionOrder(t: OrderTransition): Promise<boolean>;

  // Journal
  /** Appends a step or attempt to a message's timeline. */
  appendEvent(event: NewMessageEvent): Promise<void>;
  getMessage(id: string): Promise<MessageRecord | undefined>;
  listEvents(messageId: string): Promise<MessageEvent[]>;
  searchMessages(query: MessageQuery): Promise<MessagePage>;

  // Work queue
  enqueue(job: NewJob): Promise<string>;
  /** Claims due jobs (and jobs whose lease expired) for `workerId`, oldest `runAt` first. */
  claimJobs(claim: ClaimRequest): Promise<Job[]>;
  /** Finishes a job held under `leaseToken`. False when the lease was lost. */
  completeJob(jobId: string, leaseToken: string): Promise<boolean>;
  /** Puts the job back to run at `runAt`. `countAttempt: false` for deferrals that did not reach the target. */
  retryJob(jobId: string, leaseToken: string, retry: RetryRequest): Promise<boolean>;
  /** Moves the job to the dead-letter list with its reason. */
  deadLetterJob(jobId: string, leaseToken: string, error: ErrorRecord, now: number): Promise<boolean>;
  /** Gives back every lease `workerId` holds (graceful shutdown). */
  releaseLeases(workerId: string, now: number): Promise<number>;
  extendLease(jobId: string, leaseToken: string, until: number): Promise<boolean>;
  getJob(jobId: string): Promise<Job | undefined>;
  queueStats(now: number): Promise<QueueStats[]>;

  // Dead letters
  listDeadLetters(query: DeadLetterQuery): Promise<DeadLetter[]>;
  /**
   * Re-queues a dead job with fresh attempts. When it is an `order.process` job whose order is
   * held or failed, the order goes back to `received` (timeline step `replayed`, by `actor`) in
   * the same transaction, so processing starts over from its checks.
   */
  replayDeadLetter(jobId: string, now: number, actor?: string): Promise<Job | undefined>;

  // Outbox
  listOutbox(afterSeq: number, limit: number): Promise<OutboxEvent[]>;

  // Counters kept durably (shared by every process on the store)
  countersSnapshot(): Promise<Record<string, number>>;
}

/**
 * A rate budget shared by every crossdock process on the same store, as a GCRA schedule:
 * one "theoretical arrival time" per target. Reserving a slot moves it forward by one interval.
 */
export interface RateBudgetStore {
  /**
   * Reserves the next call slot for `target` when it is at most `maxWaitMs` away.
   * Returns when to call (`at`, epoch ms) or, when not granted, how long until a slot could be had.
   */
  reserveRateSlot(request: RateSlotRequest): Promise<RateSlot>;
  /** Pushes the target's next slot to at least `until` (a `Retry-After` from the target). */
  deferRate(target: string, until: number): Promise<void>;
}

export interface RateSlotRequest {
  target: string;
  /** Milliseconds between calls: 1000 / rate. */
  intervalMs: number;
  /** Allowed burst above the steady rate, in calls (1 = none). */
  burst: number;
  maxWaitMs: number;
  now: number;
}
export type RateSlot = { granted: true; at: number } | { granted: false; retryInMs: number };

export interface AcceptOrderInput {
  orderId: string;
  messageId: string;
  jobId: string;
  correlationId: string;
  channel: string;
  channelOrderId: string;
  /** Order and PO numbers as people search for them. */
  orderNumber?: string;
  poNumber?: string;
  /** The natural key (channel + channel order id) and, when given, the caller's Idempotency-Key. */
  idempotencyKeys: string[];
  /**
   * Hash of the raw request body. Same key + same hash = duplicate; another hash = the store
   * compares the stored raw body with this one as JSON documents (`sameJsonDocument`): the same
   * document re-serialised is a duplicate, a different one a conflict.
   */
  requestHash: string;
  raw: string;
  canonical: unknown;
  /** What the caller gets back, now and on every duplicate. */
  response: AcceptedResponse;
  sourceTimestamp: string;
  customerAccount: string;
  now: number;
  maxAttempts: number;
  /** W3C `traceparent` of the request that brought the order, stored on its `order.process` job. */
  traceParent?: string;
}

export interface AcceptOrderVersionInput extends AcceptOrderInput {
  /** The channel's modification time of this version (ISO 8601): the newer version wins. */
  channelUpdatedAt: string;
}

export type AcceptOrderVersionResult =
  | { outcome: 'accepted'; response: AcceptedResponse }
  | { outcome: 'revised'; response: AcceptedResponse }
  | { outcome: 'stale'; response: AcceptedResponse };

export interface InboundRecordInput {
  messageId: string;
  /** @default inbound. `outbound` journals a document crossdock produced (an EDI 997) the same way. */
  direction?: 'inbound' | 'outbound';
  correlationId: string;
  /** Where it came from: a channel instance, `api`, a trading partner. */
  source: string;
  /** `webhook`, `shipment`, `availability`, … */
  kind: string;
  channelRef?: string;
  subjectId?: string;
  sourceTimestamp?: string;
  raw: string;
  canonical?: unknown;
  /** `rejected` journals input refused at the door (a bad signature), with `error`. */
  status: 'accepted' | 'rejected';
  error?: ErrorRecord;
  idempotencyKey?: string;
  /** Enqueued with the message; its payload gets `messageId`. */
  job?: Omit<NewJob, 'payload'> & { payload: Record<string, unknown> };
  now: number;
}

export type InboundRecordResult = { outcome: 'accepted' | 'duplicate'; messageId: string };

export interface AcceptedResponse {
  orderId: string;
  correlationId: string;
  status: OrderState;
  location: string;
}

export type AcceptOrderResult =
  | { outcome: 'accepted'; response: AcceptedResponse }
  | { outcome: 'duplicate'; response: AcceptedResponse }
  | { outcome: 'conflict'; key: string; response: AcceptedResponse };

export interface OrderRecord {
  id: string;
  channel: string;
  channelOrderId: string;
  state: OrderState;
  correlationId: string;
  messageId: string;
  canonical: unknown;
  customerAccount: string;
  erpRef: string | null;
  reason: ErrorRecord | null;
  createdAt: number;
  updatedAt: number;
}

export interface OrderTransition {
  orderId: string;
  from: OrderState[];
  to: OrderState;
  now: number;
  /** Journal step recorded with the transition. */
  step: string;
  detail?: Record<string, unknown>;
  reason?: ErrorRecord | null;
  erpRef?: string;
  /** Event published through the outbox, e.g. `order.posted`. */
  event?: { topic: string; payload: unknown };
  /** Finish this job in the same transaction (`complete`) or dead-letter it with the reason. */
  job?: { id: string; leaseToken: string; outcome: 'complete' | 'dead' };
}

export type MessageStatus = 'accepted' | 'processing' | 'delivered' | 'held' | 'failed' | 'rejected';

export interface MessageRecord {
  id: string;
  correlationId: string;
  direction: 'inbound' | 'outbound';
  source: string;
  kind: string;
  subjectId: string | null;
  channelRef: string | null;
  sourceTimestamp: string | null;
  status: MessageStatus;
  raw: string;
  canonical: unknown;
  receivedAt: number;
  updatedAt: number;
}

export interface NewMessageEvent {
  messageId: string;
  at: number;
  /** `received`, `validated`, `erp.lookup`, `erp.create`, `posted`, `held`, … */
  step: string;
  outcome: 'ok' | 'error' | 'info';
  target?: string;
  attempt?: number;
  latencyMs?: number;
  error?: ErrorRecord;
  /** Payload as transformed for the target, for outbound calls. */
  payload?: unknown;
  detail?: Record<string, unknown>;
}
export interface MessageEvent extends NewMessageEvent {
  seq: number;
}

export interface MessageQuery {
  /** Matches exactly a message id, order id, channel order id, order number, PO number or correlation id. */
  text?: string;
  /** Order messages with a line of this SKU (crossdock's or the channel's own), exactly. */
  sku?: string;
  /** Order messages of this customer account, exactly. */
  customer?: string;
  status?: MessageStatus;
  channel?: string;
  from?: number;
  to?: number;
  limit: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
}
/** A journal message as search lists it: no payloads, plus what the console shows of its order. */
export interface MessageSummary extends Omit<MessageRecord, 'raw' | 'canonical'> {
  orderNumber: string | null;
  /** The customer account of the order the message is about (null when it is about none). */
  customer: string | null;
}
export interface MessagePage {
  items: MessageSummary[];
  nextCursor: string | null;
}

/** `discarded`: a dead job a person took off the dead-letter list for good (the reason is in the audit log). */
export type JobStatus = 'queued' | 'running' | 'done' | 'dead' | 'discarded';

export interface NewJob {
  id: string;
  queue: string;
  payload: unknown;
  correlationId: string;
  runAt: number;
  maxAttempts: number;
  now: number;
  /** W3C `traceparent` of the request or job that enqueued it: the job's span continues that trace. */
  traceParent?: string;
}

export interface Job {
  id: string;
  queue: string;
  payload: unknown;
  correlationId: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: number;
  leaseOwner: string | null;
  leaseToken: string | null;
  leaseExpiresAt: number | null;
  lastError: ErrorRecord | null;
  createdAt: number;
  updatedAt: number;
  /** The trace context it was enqueued in, when there was one. */
  traceParent?: string;
}

export interface ClaimRequest {
  queues: string[];
  workerId: string;
  limit: number;
  leaseMs: number;
  now: number;
}

export interface RetryRequest {
  runAt: number;
  error: ErrorRecord;
  countAttempt: boolean;
  now: number;
}

export interface QueueStats {
  queue: string;
  queued: number;
  running: number;
  dead: number;
  /** Jobs waiting after at least one failed attempt. */
  retrying: number;
  /** Age of the oldest due job, ms (0 when none). */
  oldestAgeMs: number;
}

export interface DeadLetterQuery {
  code?: string;
  /** Only the dead jobs of this subject (an order id). */
  subjectId?: string;
  limit: number;
}
export interface DeadLetter {
  jobId: string;
  queue: string;
  correlationId: string;
  subjectId: string | null;
  attempts: number;
  error: ErrorRecord;
  deadAt: number;
}

export interface OutboxEvent {
  seq: number;
  topic: string;
  key: string;
  payload: unknown;
  createdAt: number;
}

/** A functional group crossdock sent to a trading partner, waiting for the partner's 997. */
export interface SentGroupInput {
  partner: string;
  /** GS06. */
  groupControlNumber: string;
  /** GS01 (PO, SH, IN, IB, OW …). */
  functionalId: string;
  /** ISA13 of the interchange that carried it. */
  interchangeControlNumber: string;
  /** The outbound message that journaled the interchange. */
  messageId: string;
  sentAt: number;
  /** When a missing 997 becomes an exception (the partner's acknowledgment window). */
  ackDueAt: number;
}

export type GroupAckStatus = 'pending' | 'accepted' | 'accepted-with-errors' | 'partially-accepted' | 'rejected';

export interface SentGroup extends SentGroupInput {
  ackStatus: GroupAckStatus;
  ackedAt: number | null;
  ackMessageId: string | null;
}

/** What EDI needs from the store: control numbers that are never reused, and 997 reconciliation. */
export interface EdiStore {
  /**
   * The next control number of a sequence (`<partner>:isa`, `<partner>:gs`, `<partner>:st`),
   * starting at 1, shared by every process on the store and never handed out twice.
   */
  nextControlNumber(sequence: string, now: number): Promise<number>;
  recordSentGroup(group: SentGroupInput): Promise<void>;
  /**
   * Matches a received 997 to the group it acknowledges. Returns the group (with its new status),
   * or undefined when crossdock sent no such group to that partner.
   */
  recordGroupAck(partner: string, groupControlNumber: string, status: Exclude<GroupAckStatus, 'pending'>, ackMessageId: string, at: number): Promise<SentGroup | undefined>;
  /** Sent groups still without a 997 whose window has passed: exceptions for a person. */
  listOverdueGroups(now: number, limit: number): Promise<SentGroup[]>;
}
