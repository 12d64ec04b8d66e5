/**
 * The X12 data model: interchange (ISA/IEA) → functional group (GS/GE) → transaction set
 * (ST/SE) → segments. Element values are kept as the raw strings between element separators;
 * an element that holds components or repetitions stays one string and the helpers in
 * `delimiters.ts` split it, so the model never guesses which elements are composites.
 */

/** The four separators of one interchange, read from its ISA (they may differ per interchange). */
export interface Delimiters {
  /** Data element separator: the fourth character of the ISA. */
  readonly element: string;
  /** Component element separator: ISA16. */
  readonly component: string;
  /** Repetition separator: ISA11 from version 00402 on (often `^`); absent when ISA11 is `U`. */
  readonly repetition?: string;
  /** Segment terminator: the character right after ISA16. */
  readonly segment: string;
  /** Line break written after each terminator (not part of the X12 syntax). @default '' */
  readonly lineEnding: '' | '\n' | '\r\n';
}

/** Where a segment starts in the input. */
export interface SegmentPosition {
  /** 1-based segment number in the interchange (ISA = 1). */
  readonly index: number;
  /** Offset of the segment's first byte from the start of the input (a BOM counts). */
  readonly byteOffset: number;
  /** 1-based line number, when the parser saw the input (counts `\n`). */
  readonly line?: number;
  /**
   * 1-based segment number within its transaction set (ST = 1), as SE01 counts and as 997
   * AK302 reports it; 0 for segments outside a set (ISA, GS, GE, IEA, TA1).
   */
  readonly setIndex: number;
}

/** A segment as a mapping writes it: no position. `elements[0]` is element 01 (e.g. BEG01). */
export interface SegmentData {
  readonly tag: string;
  readonly elements: readonly string[];
}

/** A segment read from input. */
export interface Segment extends SegmentData {
  readonly position: SegmentPosition;
}

/**
 * ISA, all 16 fields. Space-padded fields (ISA02, ISA04, ISA06, ISA08) are kept without their
 * trailing spaces; the writer pads them again.
 */
export interface IsaHeader {
  /** ISA01 */ readonly authInfoQualifier: string;
  /** ISA02 */ readonly authInfo: string;
  /** ISA03 */ readonly securityInfoQualifier: string;
  /** ISA04 */ readonly securityInfo: string;
  /** ISA05 */ readonly senderQualifier: string;
  /** ISA06 */ readonly senderId: string;
  /** ISA07 */ readonly receiverQualifier: string;
  /** ISA08 */ readonly receiverId: string;
  /** ISA09, YYMMDD */ readonly date: string;
  /** ISA10, HHMM */ readonly time: string;
  /** ISA11 when it is an interchange control standards identifier (`U`, versions up to 00401). */
  readonly standardsId?: string;
  /** ISA11 when it is the repetition separator (00402 and later, e.g. 00501). */
  readonly repetitionSeparator?: string;
  /** ISA12, e.g. `00401`, `00501` */ readonly version: string;
  /** ISA13, nine digits */ readonly controlNumber: string;
  /** ISA14, `0` or `1` (TA1 requested) */ readonly ackRequested: string;
  /**
   * ISA15, `T` test or `P` production. When the input holds anything else the parser reports
   * `isa.invalid-value` and this field holds the value as received.
   */
  readonly usage: 'T' | 'P';
  /** ISA16 */ readonly componentSeparator: string;
}

/** IEA as received (raw strings: a bad count is reported, not coerced). */
export interface IeaTrailer {
  /** IEA01 */ readonly groupCount: string;
  /** IEA02 */ readonly controlNumber: string;
}

/** GS. */
export interface GroupHeader {
  /** GS01, e.g. `PO` (850), `SH` (856), `IN` (810), `FA` (997) */ readonly functionalId: string;
  /** GS02 */ readonly appSender: string;
  /** GS03 */ readonly appReceiver: string;
  /** GS04, CCYYMMDD */ readonly date: string;
  /** GS05, HHMM[SS[D[D]]] */ readonly time: string;
  /** GS06 */ readonly controlNumber: string;
  /** GS07, `X` for ASC X12 */ readonly agency: string;
  /** GS08, e.g. `004010`, `005010` */ readonly version: string;
}

/** GE as received. */
export interface GeTrailer {
  /** GE01 */ readonly setCount: string;
  /** GE02 */ readonly controlNumber: string;
}

/**
 * One transaction set. `segments` runs from ST to SE inclusive; a set cut short (no SE) holds
 * what was read and its events carry `se.missing`.
 */
export interface TransactionSet<S extends SegmentData = Segment> {
  /** ST01, e.g. `850` */ readonly id: string;
  /** ST02 */ readonly controlNumber: string;
  /** ST03 (005010 and later) */ readonly implementationRef?: string;
  readonly segments: readonly S[];
}

export interface FunctionalGroup<S extends SegmentData = Segment> extends GroupHeader {
  readonly sets: readonly TransactionSet<S>[];
  /** Absent when the input ended (or a new GS/IEA/ISA came) before the GE. */
  readonly ge?: GeTrailer;
}

export interface Interchange<S extends SegmentData = Segment> {
  readonly isa: IsaHeader;
  /** The separators this interchange was read with (or is to be written with). */
  readonly delimiters: Delimiters;
  /** TA1 segments that sit directly in the interchange, outside any group (node-x12#46). */
  readonly ta1: readonly S[];
  readonly groups: readonly FunctionalGroup<S>[];
  /** Absent when the input ended (or a new ISA came) before the IEA. */
  readonly iea?: IeaTrailer;
}
