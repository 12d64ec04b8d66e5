import type { ErrorRecord } from '../errors/crossdock-error.js';
import type { OrderState } from '../canonical/states.js';
import type { DeadLetter } from './types.js';

/** The kinds of cross-reference an operator can set at run time. */
export const CROSS_REFERENCE_KINDS = ['sku', 'customer'] as const;
export type CrossReferenceKind = (typeof CROSS_REFERENCE_KINDS)[number];

/** kind `sku`: the crossdock item a channel key stands for, with its unit and pack size. */
export interface SkuReferenceValue { sku: string; uom?: string; factor?: number }
/** kind `customer`: the ERP customer account a channel key stands for. */
export interface CustomerReferenceValue { account: string }

/** One cross-reference set from the console or API, keyed by (channel, kind, key). */
export type CrossReference =
  | { channel: string; kind: 'sku'; key: string; value: SkuReferenceValue; updatedBy: string; updatedAt: number }
  | { channel: string; kind: 'customer'; key: string; value: CustomerReferenceValue; updatedBy: string; updatedAt: number };

export interface CrossReferenceQuery {
  channel?: string;
  kind?: CrossReferenceKind;
}

/** Dead jobs of one error code: how many, and their oldest and newest. */
export interface DeadLetterCount {
  code: string;
  count: number;
  oldestAt: number;
  newestAt: number;
}

export interface DeadLetterSearch {
  /** Only these error codes (a class is a set of codes); absent: every code. */
  codes?: readonly string[];
  /** Only these job ids. */
  ids?: readonly string[];
  limit: number;
  /** The last entry of the previous page (newest first). */
  after?: { deadAt: number; jobId: string };
}

/** A dead letter with the order it concerns, when it concerns one (for the workbench). */
export interface DeadLetterEntry extends DeadLetter {
  order: { channel: string; channelOrderId: string; state: OrderState } | null;
}

export interface DiscardRequest {
  jobId: string;
  reason: string;
  /** Who discarded it (`user:ann`), as the audit log names them. */
  actor: string;
  now: number;
}

export interface DiscardResult {
  /** The job as it was (status `dead`) before the discard. */
  jobId: string;
  queue: string;
  error: ErrorRecord;
  /** The order that went to `discarded` with it, and the state it left. */
  order: { id: string; channel: string; channelOrderId: string; from: OrderState } | null;
}

export interface OrderRemap {
  orderId: string;
  /** The canonical order with the cross-references applied. */
  canonical: unknown;
  customerAccount: string;
  /** Only while the order is in one of these states (processing has not gone past them). */
  from: readonly OrderState[];
  /** What changed, for the timeline step `cross-referenced`. */
  detail: Record<string, unknown>;
  now: number;
}

/** A target an operator paused: nothing is sent to it, in any process, until resumed. */
export interface TargetPause {
  target: string;
  pausedBy: string;
  reason: string | null;
  pausedAt: number;
}

/** Orders in some states, received in a time range, on one channel or all. */
export interface OrderCountQuery {
  states: readonly OrderState[];
  /** received (created) at or after, epoch ms */
  receivedFrom: number;
  /** received (created) before, epoch ms */
  receivedBefore: number;
  channel?: string;
}

/** What the operations backend (dead-letter workbench, cross-references, connectors) needs from the store. */
export interface OperationsStore {
  /** How many orders match, across every process (service level objectives count late orders with it). */
  countOrders(query: OrderCountQuery): Promise<number>;
  /** Dead jobs counted by error code, without loading them. */
  deadLetterCounts(): Promise<DeadLetterCount[]>;
  /** Dead jobs newest first, filtered by codes or ids, with their order's channel and number. */
  findDeadLetters(query: DeadLetterSearch): Promise<DeadLetterEntry[]>;
  /**
   * Takes a dead job off the dead-letter list for good (status `discarded`, its error kept).
   * A held or failed order processed by it goes to `discarded` with a timeline step naming the
   * reason and who, and an `order.discarded` outbox event — all in one transaction. Undefined
   * when the job is not dead.
   */
  discardDeadLetter(request: DiscardRequest): Promise<DiscardResult | undefined>;
  /**
   * Replaces an order's canonical document (and customer account) with one whose
   * cross-references were applied, journaled as `cross-referenced`. False when the order is no
   * longer in one of `from`.
   */
  remapOrder(remap: OrderRemap): Promise<boolean>;

  listCrossReferences(query: CrossReferenceQuery): Promise<CrossReference[]>;
  /** Sets a cross-reference; returns the one it replaced. */
  putCrossReference(reference: CrossReference): Promise<CrossReference | undefined>;
  /** Removes a cross-reference; returns it, or undefined when there was none. */
  deleteCrossReference(channel: string, kind: CrossReferenceKind, key: string): Promise<CrossReference | undefined>;

  listTargetPauses(): Promise<TargetPause[]>;
  /** Pauses a target; a target already paused keeps its first pause, which is returned. */
  pauseTarget(pause: TargetPause): Promise<TargetPause>;
  /**
   * Resumes a target and makes the work its pause held back (queued jobs last refused with
   * `target.paused` for it or one of its sub-targets) due at `now`. Returns the pause it ended,
   * or undefined when it was not paused.
   */
  resumeTarget(target: string, now: number): Promise<TargetPause | undefined>;
}
