/**
 * The shapes the transaction-set mappings share with the X12 parser and writer (src/edi/x12/).
 * They are declared here, structurally, so the mappings stay pure functions between segment
 * lists and canonical documents and never depend on how the bytes were split.
 */
import type { PartnerMappingProfile } from './partner-profile.js';

/** A parsed segment: tag and elements (element 1 is elements[0]); composite elements stay raw strings. */
export interface InSegment {
  readonly tag: string;
  readonly elements: readonly string[];
}

/** A segment to write: undefined elements are left empty; trailing empties are dropped by the writer; a string[] is a composite element. */
export interface OutSegment {
  tag: string;
  elements: (string | string[] | undefined)[];
}

export type X12Version = '004010' | '005010';

export interface SetContext {
  /** Component (sub-element) separator of the interchange, to split composite elements. */
  componentSeparator: string;
  version: X12Version;
  /** The trading partner profile's cross-references (partner item id → crossdock SKU etc.). */
  partner: PartnerMappingProfile;
}

/**
 * AK304 segment syntax error codes (X12 element 720), the same in 004010 and 005010 997s.
 * 1 unrecognized segment id, 2 unexpected segment, 3 mandatory segment missing, 4 loop over
 * maximum, 5 segment over maximum use, 6 segment not in set, 7 out of sequence, 8 element errors.
 */
export type SegmentSyntaxCode = '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8';

/**
 * AK403 data element syntax error codes (X12 element 723): 1 mandatory missing, 2 conditional
 * missing, 3 too many elements, 4 too short, 5 too long, 6 invalid character, 7 invalid code
 * value, 8 invalid date, 9 invalid time, 10 exclusion condition violated.
 */
export type ElementSyntaxCode = '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10';

/** One thing wrong with a received set, precise enough for an AK3/AK4 pair and for a person. */
export interface SetProblem {
  /** Segment id at fault (AK301); for a missing segment, the one that is missing. */
  segmentTag: string;
  /** 1-based position within the set, ST = 1 (AK302); for a missing segment, where it was expected. */
  segmentPosition: number;
  /** Loop the segment sits in (AK303), e.g. `PO1`, `N1`. */
  loopId?: string;
  /** AK304. */
  segmentCode: SegmentSyntaxCode;
  /** 1-based element position in the segment (AK401), when one element is at fault. */
  elementPosition?: number;
  /** 1-based component position within a composite element (AK401-2). */
  componentPosition?: number;
  /** X12 data element reference number (AK402), when known. */
  elementReference?: string;
  /** AK403; absent when the element is well-formed but wrong for the business (a hash total that does not add up). */
  elementCode?: ElementSyntaxCode;
  /** The bad value as received (AK404). */
  value?: string;
  /** What is wrong, in words a person at the partner or at the distributor can act on. */
  message: string;
}

export type SetResult<T> =
  | { ok: true; document: T; warnings: string[] }
  | { ok: false; problems: SetProblem[] };

/** A segment together with its position in the set (ST = 1), as inbound mappers walk them. */
export interface Located {
  readonly seg: InSegment;
  readonly position: number;
}

/** Numbers the segments of one set: ST = 1. */
export function locate(segments: readonly InSegment[]): Located[] {
  return segments.map((seg, i) => ({ seg, position: i + 1 }));
}

/** Element `n` (1-based) of a segment, trimmed; undefined when absent or empty. */
export function el(seg: InSegment, n: number): string | undefined {
  const v = seg.elements[n - 1];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** Builds an OutSegment, turning '' into an empty element so callers can pass optional values freely. */
export function seg(tag: string, ...elements: (string | string[] | undefined | null)[]): OutSegment {
  return { tag, elements: elements.map((e) => (e === null || e === '' ? undefined : e)) };
}
