import type { X12Error } from './errors.js';
import type { Delimiters, GeTrailer, GroupHeader, IeaTrailer, IsaHeader, Segment, SegmentPosition, TransactionSet } from './types.js';

/**
 * What the streaming parser yields, in input order. Envelopes always close: every
 * `interchangeStart` is followed by its `interchangeEnd` and every `groupStart` by its
 * `groupEnd`, even when the input ends early or a trailer is missing (the end event then has no
 * trailer and its `errors` say why).
 *
 * Every problem is yielded once as an `error` event, as soon as it is found. The end events
 * also carry the problems of their own level (`transactionSet.errors` set-level,
 * `groupEnd.errors` group-level, `interchangeEnd.errors` interchange-level), which is what a
 * runtime needs to decide: a set with errors is rejected, a group with errors is rejected, an
 * interchange with errors is rejected whole.
 */
export type X12Event =
  | InterchangeStartEvent
  | Ta1Event
  | GroupStartEvent
  | TransactionSetEvent
  | GroupEndEvent
  | InterchangeEndEvent
  | ErrorEvent;

export interface InterchangeStartEvent {
  readonly type: 'interchangeStart';
  readonly isa: IsaHeader;
  readonly delimiters: Delimiters;
  readonly position: SegmentPosition;
}

/** A TA1 that sits directly in the interchange (an interchange acknowledgment from the partner). */
export interface Ta1Event {
  readonly type: 'ta1';
  readonly segment: Segment;
  readonly interchangeControlNumber: string;
}

export interface GroupStartEvent {
  readonly type: 'groupStart';
  readonly group: GroupHeader;
  readonly position: SegmentPosition;
  readonly interchangeControlNumber: string;
}

/** One complete transaction set (ST..SE), yielded as soon as its SE (or its end) is read. */
export interface TransactionSetEvent {
  readonly type: 'transactionSet';
  readonly set: TransactionSet;
  readonly group: GroupHeader;
  readonly interchangeControlNumber: string;
  /** Set-level problems of this set; empty when the set is acceptable. */
  readonly errors: readonly X12Error[];
}

export interface GroupEndEvent {
  readonly type: 'groupEnd';
  readonly group: GroupHeader;
  /** Absent when the GE is missing. */
  readonly ge?: GeTrailer;
  /** Sets actually read (AK902/AK903). */
  readonly setCount: number;
  readonly interchangeControlNumber: string;
  /** Group-level problems; non-empty means reject the group. */
  readonly errors: readonly X12Error[];
}

export interface InterchangeEndEvent {
  readonly type: 'interchangeEnd';
  readonly isa: IsaHeader;
  /** Absent when the IEA is missing or the ISA was unreadable. */
  readonly iea?: IeaTrailer;
  /** Groups actually read. */
  readonly groupCount: number;
  /** Interchange-level problems; non-empty means reject the interchange (TA1 R). */
  readonly errors: readonly X12Error[];
}

export interface ErrorEvent {
  readonly type: 'error';
  readonly error: X12Error;
}
